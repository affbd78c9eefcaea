// Preloaded with `node --import`: appends every module the process loads to $TRACE_IMPORTS_FILE.
import { createRequire, register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => appendFileSync(process.env.TRACE_IMPORTS_FILE, `${url}\n`));
port1.unref();
register('./trace-imports-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
// The hooks see `import`s; on Node 20 a CommonJS module's own require()s pass them by: those are
// in the require cache at exit.
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(process.env.TRACE_IMPORTS_FILE, Object.keys(cache).map((file) => `${file}\n`).join('')));
