import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, type Sandbox } from './sandbox.js';

const IDLE_MS = 10_000;

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round((Number(kb) / 1024) * 10) / 10;
}

/**
 * `runbook dashboard`'s resident memory once idle: started against the sandbox's PM2 daemon and
 * recorded runs, asked for the page and 20 status and run lists (a person looking a while), then
 * left alone for 10 s with no page open. `nodeOptions` as the README's `pm2 start` line passes them.
 */
export async function dashboardIdleRss(sandbox: Sandbox, nodeOptions = ''): Promise<number> {
  const server = spawn(BIN, ['dashboard', '--port', '0'], {
    env: { ...sandbox.env, NODE_OPTIONS: nodeOptions }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const found = /http:\/\/\S+/.exec(out)?.[0];
        if (found) resolve(found.endsWith('/') ? found : `${found}/`);
      });
      server.once('exit', (code) => reject(new Error(`runbook dashboard exited (${code}): ${out}`)));
    });
    await (await fetch(url)).text();
    for (let i = 0; i < 20; i++) {
      await (await fetch(`${url}api/status`)).text();
      await (await fetch(`${url}api/runs?limit=15`)).text();
    }
    await (await fetch(`${url}api/readings?playbook=hourly-alerts`)).text();
    await sleep(IDLE_MS);
    return rssMb(server.pid!);
  } finally {
    server.kill('SIGTERM');
  }
}
