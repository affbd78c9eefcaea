// `npm run build`: bundles the CLI with esbuild into dist/: one ESM entry (dist/cli.js) and split
// chunks. A dynamic import() stays a separate chunk loaded only when reached, so the heavy
// libraries (pg, systeminformation, nodemailer, listr2, @inquirer, execa) cost nothing until a
// playbook or command uses them. Type-checking is tsc's (`npm run typecheck`), not esbuild's.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

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

// import() of a CommonJS package gives its exports by name in node (read from its source); a split
// chunk of one exports only `default`. For those the engine imports by name, a wrapper names them.
const NAMED_CJS = ['cron-parser'];
const namedCjsExports = {
  name: 'named-cjs-exports',
  setup(build) {
    // Only the engine's own imports: a dependency's require() keeps its own version (pg-boss
    // needs its nested cron-parser 4, the engine's is 5).
    build.onResolve({ filter: new RegExp(`^(${NAMED_CJS.join('|')})$`) }, (args) =>
      (args.namespace === 'named-cjs' || args.importer.includes('/node_modules/') ? undefined : { path: args.path, namespace: 'named-cjs' }));
    build.onLoad({ filter: /.*/, namespace: 'named-cjs' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const contents = `const cjs = require(${JSON.stringify(args.path)});\nexport const { ${names.join(', ')} } = cjs;\nexport default cjs;\n`;
      return { contents, resolveDir: process.cwd() };
    });
  },
};

// The build's id: a hash of everything the bundle is made from. The check cache
// (engine/playbook/check-cache.ts) keeps verdicts only for the build that reached them.
function buildId() {
  const hash = createHash('sha256');
  const inputs = ['package-lock.json', 'scripts/build.mjs', ...['engine', 'schemas'].flatMap((dir) =>
    readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${e.parentPath}/${e.name}`))];
  for (const file of inputs.sort()) hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}

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

rmSync(OUT, { recursive: true, force: true });
const { metafile } = await build({
  // The dashboard checks playbooks in a child process of its own (engine/dashboard/playbooks.ts).
  entryPoints: ['engine/cli.ts', 'engine/dashboard/playbook-child.ts'],
  outdir: OUT,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every chunk in dist/ itself: engine/package-files.ts finds the package one folder up.
  chunkNames: '[name]-[hash]',
  external: EXTERNAL,
  // CommonJS dependencies call require() (of node:child_process, their own files): an ES
  // module has none, so each chunk makes one.
  banner: { js: "import { createRequire as __runbookRequire } from 'node:module'; const require = __runbookRequire(import.meta.url);" },
  metafile: true,
  define: { __RUNBOOK_BUILD__: JSON.stringify(buildId()), __RUNBOOK_HANDLEBARS__: JSON.stringify('./handlebars.cjs') },
  plugins: [namedCjsExports, noSourceMap, pm2Api],
  legalComments: 'none',
  logLevel: 'warning',
});

// handlebars on its own, as CommonJS: engine/template/render.ts require()s it (rendering is
// synchronous) the first time a template needs compiling, so a run of plain templates never loads it.
const handlebars = await build({
  entryPoints: ['node_modules/handlebars/lib/index.js'],
  outfile: `${OUT}/handlebars.cjs`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  metafile: true,
  plugins: [noSourceMap],
  legalComments: 'none',
  logLevel: 'warning',
});
Object.assign(metafile.outputs, handlebars.metafile.outputs);

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
