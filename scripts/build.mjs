// `npm run build`: bundles the CLI with esbuild into dist/, as one CommonJS file and as ES modules,
// the libraries only some runs need into dist/lib/ (loaded when first used), and makes node's
// start-up snapshot of the CommonJS one (dist/program.blob) that bin/runbook starts from.
// Type-checking is tsc's (`npm run typecheck`), not esbuild's.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildId } from './build-id.mjs';
import { makeSnapshot } from './make-snapshot.mjs';

const OUT = 'dist';
// pg-native is pg's optional native driver, not installed.
const EXTERNAL = ['pg-native'];

// pm2 forks its daemon from its own files, so its API stays in node_modules. Its socket modules,
// which the read-only pm2 steps talk to the daemon with, are bundled: required from
// node_modules they were ~20 files to find and compile on every hourly run.
const PM2_BUNDLED = /^pm2\/modules\/pm2-axon(-rpc)?$/;
const pm2Api = {
  name: 'pm2-api-external',
  setup(build) {
    build.onResolve({ filter: /^pm2(\/|$)/ }, (args) => (PM2_BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
    // Their wire format (amp) still calls `new Buffer()`, which node lets pass silently only
    // inside node_modules: bundled, every pm2 step would print a DeprecationWarning (a mail
    // from cron each hour). The same buffers, made the current way.
    build.onLoad({ filter: /\/node_modules\/amp(-message)?\/.*\.js$/ }, (args) => ({
      contents: "const legacyBuffer = (arg) => (typeof arg === 'number' ? Buffer.alloc(arg) : Buffer.from(arg));\n"
        + readFileSync(args.path, 'utf8').replaceAll('new Buffer(', 'legacyBuffer('),
      loader: 'js',
    }));
  },
};

// handlebars uses source-map only to map templates it precompiles to files; it falls back to a
// small builder of its own when the package is absent. runbook compiles in memory: 63 KB less to
// load and run on every templated run.
const noSourceMap = {
  name: 'no-source-map',
  setup(build) {
    build.onResolve({ filter: /^source-map$/ }, (args) => (args.importer.includes('/node_modules/handlebars/') ? { path: 'source-map', namespace: 'absent' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: "throw new Error('not bundled');", loader: 'js' }));
  },
};

// The libraries only some runs need, each bundled on its own as dist/lib/NAME.cjs and require()d
// (through a dynamic import() in the source) when a step or command first uses it: they stay out of
// the CLI's bundle, and so out of its start-up snapshot. yaml is here too: an unchanged playbook is
// run on its kept verdict (engine/playbook/check-cache.ts) without being parsed.
const LIBRARIES = {
  yaml: 'yaml',
  'cron-parser': 'cron-parser',
  execa: 'execa',
  listr2: 'listr2',
  '@inquirer/confirm': '@inquirer/confirm',
  '@inquirer/select': '@inquirer/select',
  pg: 'pg',
  'pg-boss': 'pg-boss',
  nodemailer: 'nodemailer',
  systeminformation: 'systeminformation',
  // handlebars' own entry: its package "main" is a UMD file for browsers.
  handlebars: 'node_modules/handlebars/lib/index.js',
};
const libraryFile = (name) => `lib/${name.replace(/^@/, '').replace('/', '-')}.cjs`;

// The engine imports a library as an ES module, by name: a small module in the bundle gives it the
// library's exports from its file in dist/lib, require()d when the import is first reached (an
// import of a CommonJS file by path would see every ES module's exports as `default`). A library's
// own imports keep their own versions (pg-boss needs its nested cron-parser 4, the engine's is 5).
const librariesApart = {
  name: 'libraries-apart',
  setup(build) {
    const names = Object.keys(LIBRARIES).map((name) => name.replace(/[/]/g, '\\/'));
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) =>
      (args.importer.includes('/node_modules/') ? undefined : { path: args.path, namespace: 'library' }));
    build.onResolve({ filter: /^\.\/lib\//, namespace: 'library' }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'library' }, (args) => {
      const file = `./${libraryFile(args.path)}`;
      const names = Object.keys(createRequire(import.meta.url)(`../${OUT}/${file}`)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      return {
        contents: `const library = require(${JSON.stringify(file)});\nexport const { ${names.join(', ')} } = library;\nexport default library.__esModule ? library.default : library;\n`,
        resolveDir: OUT,
      };
    });
  },
};

const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', metafile: true, legalComments: 'none', logLevel: 'warning' };

rmSync(OUT, { recursive: true, force: true });
const libraries = await Promise.all(Object.entries(LIBRARIES).map(([name, entry]) => build({
  ...common,
  entryPoints: [entry],
  outfile: `${OUT}/${libraryFile(name)}`,
  external: EXTERNAL,
  plugins: [noSourceMap],
})));

// The CLI twice, from the same sources, both with the libraries in dist/lib. Each has the dashboard's
// reader of playbooks as an entry of its own: it runs in a process of its own
// (engine/dashboard/playbooks.ts, beside the module that forks it).
const define = { __RUNBOOK_BUILD__: JSON.stringify(buildId()), __RUNBOOK_HANDLEBARS__: JSON.stringify(`./${libraryFile('handlebars')}`) };
const entryPoints = { program: 'engine/program.ts', 'playbook-child': 'engine/dashboard/playbook-child.ts' };
const plugins = [librariesApart, noSourceMap, pm2Api];
const [modules, snapshotted] = await Promise.all([
  // As ES modules (dist/program.js and chunks), each dynamic import() a chunk loaded when first
  // reached: what `node bin/runbook` and the dashboard run, a long-running server that loads only
  // what it uses (a run from the snapshot carries all of the CLI, compiled).
  build({
    ...common,
    entryPoints,
    outdir: OUT,
    format: 'esm',
    splitting: true,
    chunkNames: '[name]-[hash]',
    external: EXTERNAL,
    // CommonJS dependencies and the libraries' modules call require(): an ES module has none.
    banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
    define,
    plugins,
  }),
  // As one CommonJS file, dist/program.cjs, made into node's start-up snapshot below: what
  // `runbook` runs. Each import() is a require() when first reached: a module set up when used.
  build({
    ...common,
    entryPoints,
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    supported: { 'dynamic-import': false },
    external: EXTERNAL,
    // The modules' own URL, as an ES module has it (engine/package-files.ts finds the package by it).
    banner: { js: `var __runbookModuleUrl = require('node:url').pathToFileURL(__filename).href;\n${readFileSync('scripts/snapshot-require.cjs', 'utf8')}` },
    define: { ...define, 'import.meta.url': '__runbookModuleUrl' },
    plugins,
  }),
]);
const metafile = { outputs: { ...modules.metafile.outputs, ...snapshotted.metafile.outputs } };
for (const library of libraries) Object.assign(metafile.outputs, library.metafile.outputs);

// Which npm packages each output file holds: the import tracer (test/support/packages.ts) maps
// the chunks a command loaded to the packages in them, so "loaded only when used" stays checked.
const packages = Object.fromEntries(Object.entries(metafile.outputs).map(([file, output]) => {
  const names = Object.keys(output.inputs).flatMap((input) => {
    // pm2's bundled socket modules by their own names: pm2 itself (its API) is not in the bundle.
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)(?:\/modules\/([^/]+))?/.exec(input);
    return match ? [match[2] ?? match[1]] : [];
  });
  return [file.slice(OUT.length + 1), [...new Set(names)].sort()];
}));
writeFileSync(`${OUT}/packages.json`, `${JSON.stringify(packages, null, 1)}\n`);

// The start-up snapshot: node's heap with the CLI's modules set up and compiled, which a run
// deserializes instead of reading, compiling and running them again (scripts/make-snapshot.mjs).
const problem = makeSnapshot(OUT);
if (problem) throw new Error(`the start-up snapshot was not made:\n${problem}`);
