import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'runbook');
const PM2 = path.join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');
const APP = path.join(ROOT, 'test', 'fixtures', 'pm2', 'stable.cjs');
// The seed's box: two small apps. Their out and error logs make the 1 GiB the log scan reads.
const APPS = [{ name: 'api', time: true }, { name: 'worker', time: false }];
const DAY = 86_400_000;

export interface Sandbox {
  work: string;
  /** The playbooks the bench writes (shipped ones are found by name too). */
  books: string;
  env: NodeJS.ProcessEnv;
  logFiles: string[];
  logBytes: number;
  close(): void;
}

function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}: `;
}

/** A log of `bytes` over the last 14 days (stamped as pm2 `time: true` does, or not); 1 line in 100 says ERROR. */
function writeLog(file: string, stamped: boolean, bytes: number): void {
  const fd = openSync(file, 'w');
  const start = Date.now() - 14 * DAY;
  let written = 0;
  for (let block = 0; written < bytes; block++) {
    const at = stamped ? stamp(start + (written / bytes) * 14 * DAY) : '';
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

function playbook(dir: string, name: string, steps: string[]): void {
  writeFileSync(path.join(dir, `${name}.yaml`), `title: ${name}\nsteps:\n${steps.map((step) => `  - ${step}`).join('\n')}\n`);
}

/** The NAME=value lines of a pam_env file (/etc/environment), read as the engine reads its env file; none when it is missing. */
function pamEnvFile(file: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * The variables Debian's cron gives a job: pam_env's (/etc/environment and the locale file), then
 * the user's name and home from passwd, sh and cron's PATH. Not those of the shell that runs the
 * bench: a caller's NODE_EXTRA_CA_CERTS makes every node process build its certificate store as it
 * starts (RESULTS.md says what that costs here), NODE_OPTIONS keeps runbook off its snapshot.
 */
export function cronEnv(): NodeJS.ProcessEnv {
  const user = os.userInfo();
  return { ...pamEnvFile('/etc/environment'), ...pamEnvFile('/etc/default/locale'), HOME: user.homedir, LOGNAME: user.username, SHELL: '/bin/sh', PATH: '/usr/bin:/bin' };
}

/** A real PM2 daemon (its own PM2_HOME) running two small apps with `logBytes` of logs (1 GiB), and the bench's playbooks. */
export function openSandbox(logBytes = 2 ** 30): Sandbox {
  const work = mkdtempSync(path.join(os.tmpdir(), 'runbook-bench-'));
  const books = path.join(work, 'books');
  const logs = path.join(work, 'logs');
  mkdirSync(books);
  mkdirSync(logs);
  const env: NodeJS.ProcessEnv = {
    ...cronEnv(),
    PM2_HOME: path.join(work, 'pm2'),
    RUNBOOK_STATE_DIR: path.join(work, 'state'),
    RUNBOOK_ENV_FILE: path.join(work, 'no-env-file'),
    NO_COLOR: '1',
    // The seed's script runs the same pm2 as the engine talks to.
    PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
  };
  const logFiles: string[] = [];
  const apps = APPS.map(({ name, time }) => {
    const [out, err] = ['out', 'error'].map((stream) => path.join(logs, `${name}-${stream}.log`)) as [string, string];
    for (const file of [out, err]) {
      writeLog(file, time, logBytes / (2 * APPS.length));
      logFiles.push(file);
    }
    return { name, script: APP, time, out_file: out, error_file: err };
  });
  writeFileSync(path.join(work, 'ecosystem.config.cjs'), `module.exports = ${JSON.stringify({ apps })};\n`);
  pm2(['start', path.join(work, 'ecosystem.config.cjs')], env);
  playbook(books, 'scan', ['{ id: scan, name: ERROR lines in the PM2 logs, type: pm2, action: logs }']);
  for (const count of [100, 200]) {
    playbook(books, `steps${count}`, Array.from({ length: count }, (_, i) => `{ name: step ${i}, type: shell, run: "true" }`));
    writeFileSync(path.join(work, `steps${count}.sh`), `#!/bin/bash\n${'/bin/sh -c true\n'.repeat(count)}`);
  }
  return {
    work, books, env, logFiles,
    logBytes: logFiles.reduce((sum, file) => sum + statSync(file).size, 0),
    close: () => {
      spawnSync(process.execPath, [PM2, 'kill'], { env });
      rmSync(work, { recursive: true, force: true });
    },
  };
}
