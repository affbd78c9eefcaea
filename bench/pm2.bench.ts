import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, row, type Measured } from './measure.js';

export const title = 'pm2 step: log scan against grep -c, list against pm2 jlist';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'runbook');
const PM2 = path.join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');
const APP = path.join(ROOT, 'test', 'fixtures', 'pm2', 'stable.cjs');
const APPS = [{ name: 'api', time: true }, { name: 'worker', time: true }, { name: 'indexer', time: false }, { name: 'cron', time: false }];
const FILE_BYTES = 128 * 2 ** 20; // 4 apps x (out + error) = 1 GiB
const DAY = 86_400_000;

function stamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}: `;
}

/** A log of about `FILE_BYTES` spanning the last 14 days (stamped as pm2 --time does, or not); 1 line in 100 says ERROR. */
function writeLog(file: string, stamped: boolean): void {
  const fd = openSync(file, 'w');
  const start = Date.now() - 14 * DAY;
  let written = 0;
  for (let block = 0; written < FILE_BYTES; block++) {
    const at = stamped ? stamp(start + (written / FILE_BYTES) * 14 * DAY) : '';
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const n = block * 2000 + i;
      lines.push(n % 100 === 0
        ? `${at}ERROR request ${n} failed: upstream timed out after 30000ms (attempt ${n % 3})`
        : `${at}INFO GET /api/v1/items/${(n * 7919) % 10007} 200 ${n % 97}ms user=${(n * 31) % 977} bytes=${(n * 13) % 65536}`);
    }
    written += writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
}

function pm2(args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(process.execPath, [PM2, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pm2 ${args.join(' ')} failed: ${result.stderr}`);
}

function throughput(bytes: number, m: Measured, startupMs = 0): string {
  return `${(bytes / 2 ** 30 / ((m.medianMs - startupMs) / 1000)).toFixed(2)} GiB/s`;
}

export async function run(): Promise<string> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'rb-pm2-bench-'));
  const home = path.join(work, 'pm2');
  const logs = path.join(work, 'logs');
  const env = { ...process.env, PM2_HOME: home, RUNBOOK_STATE_DIR: path.join(work, 'state'), NO_COLOR: '1' };
  try {
    mkdirSync(logs);
    const files: string[] = [];
    const apps = APPS.map(({ name, time }) => {
      const [out, err] = ['out', 'error'].map((stream) => path.join(logs, `${name}-${stream}.log`));
      for (const file of [out!, err!]) {
        writeLog(file, time);
        files.push(file);
      }
      return { name, script: APP, time, out_file: out, error_file: err };
    });
    const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
    writeFileSync(path.join(work, 'ecosystem.config.cjs'), `module.exports = ${JSON.stringify({ apps })};\n`);
    pm2(['start', path.join(work, 'ecosystem.config.cjs')], env);

    const book = (name: string, step: string) => writeFileSync(path.join(work, `${name}.yaml`), `title: ${name}\nsteps:\n  - { id: s, name: ${name}, type: pm2, ${step} }\n`);
    book('scan', 'action: logs');
    book('scan-window', 'action: logs, since: 7d');
    book('scan-one', 'action: logs, process: api');
    book('scan-regex', 'action: logs, pattern: "ERROR|FATAL"');
    book('list', 'action: list');
    const runbook = (name: string, times = 5) => measure([process.execPath, BIN, '--dir', work, 'run', name], { env, times });

    const list = runbook('list', 15);
    const jlist = measure([process.execPath, PM2, 'jlist'], { env, times: 15 });
    const scan = runbook('scan');
    const grep = measure(['grep', '-c', 'ERROR', ...files], { env, times: 5 });
    const window = runbook('scan-window');
    const regex = runbook('scan-regex');
    const grepE = measure(['grep', '-cE', 'ERROR|FATAL', ...files], { env, times: 5 });
    const one = runbook('scan-one');
    const gib = (bytes / 2 ** 30).toFixed(2);

    return [
      `${files.length} generated PM2 logs, ${gib} GiB in all (4 apps, out and error; 2 stamped by pm2 \`time: true\`, 2 not; 1 line in 100 is an ERROR),`,
      'read from the page cache, against `grep -c` on the same files. Median of 5 runs; peak RSS from GNU time. "Scan only" takes off',
      'the wall time of a `list` run (start-up, pm2 import, connect). With `since: 7d` the stamped logs are read from the window',
      'on (found by bisection; half their lines are older), so its throughput counts every byte of the files as grep does.',
      '',
      row(['command', 'median wall (ms)', 'throughput (wall)', 'throughput (scan only)', 'peak RSS (MB)']),
      row(['---', '---', '---', '---', '---']),
      row(['`runbook run` logs ERROR (byte search, every line)', scan.medianMs, throughput(bytes, scan), throughput(bytes, scan, list.medianMs), scan.peakRssMb]),
      row(['`grep -c ERROR`', grep.medianMs, throughput(bytes, grep), '', grep.peakRssMb]),
      row(['`runbook run` logs ERROR, `since: 7d`', window.medianMs, throughput(bytes, window), throughput(bytes, window, list.medianMs), window.peakRssMb]),
      row(['`runbook run` logs `ERROR|FATAL` (regex)', regex.medianMs, throughput(bytes, regex), throughput(bytes, regex, list.medianMs), regex.peakRssMb]),
      row(['`grep -cE \'ERROR|FATAL\'`', grepE.medianMs, throughput(bytes, grepE), '', grepE.peakRssMb]),
      row(['`runbook run` logs of one app (1/4 of the bytes)', one.medianMs, '', '', one.peakRssMb]),
      '',
      `Byte search over every line: ${(grep.medianMs / (scan.medianMs - list.medianMs)).toFixed(2)}× grep's throughput on the scan alone, ` +
        `${(grep.medianMs / scan.medianMs).toFixed(2)}× with start-up (target ≥ 0.5×); the regex ${(grepE.medianMs / (regex.medianMs - list.medianMs)).toFixed(2)}× grep -E. ` +
        `Memory stays flat: ${scan.peakRssMb} MB for ${gib} GiB, ${one.peakRssMb} MB for a quarter of it, ${list.peakRssMb} MB for a \`list\`.`,
      '',
      'A `list` step (whole CLI run: start-up, pm2 import, connect, list, disconnect) against `pm2 jlist` from the shell, median of 15:',
      '',
      row(['command', 'median wall (ms)', 'peak RSS (MB)']),
      row(['---', '---', '---']),
      row(['`runbook run` (one `pm2 list` step)', list.medianMs, list.peakRssMb]),
      row(['`pm2 jlist`', jlist.medianMs, jlist.peakRssMb]),
    ].join('\n');
  } finally {
    spawnSync(process.execPath, [PM2, 'kill'], { env });
    rmSync(work, { recursive: true, force: true });
  }
}
