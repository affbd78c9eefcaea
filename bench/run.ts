// `npm run bench`: runs every bench/*.bench.ts in turn and writes bench/RESULTS.md.
// Each bench file exports `title` and `run(): Promise<string>` (a markdown section body).
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.includes(name)))
  .sort();
const sections: string[] = [];
for (const file of files) {
  const bench = (await import(`./${file}`)) as { title: string; run: () => Promise<string> };
  console.log(`# ${bench.title} (${file})`);
  const body = await bench.run();
  console.log(body);
  sections.push(`## ${bench.title}\n\n_${file}_\n\n${body.trim()}\n`);
}
const header = [
  '# Benchmarks',
  '',
  `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. One file: \`npx tsx bench/run.ts NAME\`.`,
  '',
  'Targets, what they cost and what would reach them: [ANALYSIS.md](ANALYSIS.md).',
  '',
].join('\n');
if (only.length === 0) writeFileSync(new URL('RESULTS.md', import.meta.url), `${header}\n${sections.join('\n')}`);
else console.log('(a partial run does not rewrite RESULTS.md)');
