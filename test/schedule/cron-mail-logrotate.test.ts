import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, FIXTURES, freshTempDir, runCli } from '../support/cli.js';

const DIR = path.join(FIXTURES, 'schedule');
const work = freshTempDir();
const cron = (args: string[]) => runCli(['--dir', DIR, 'cron', ...args], { env: cliEnv(path.join(work.dir, 'state'), { TZ: 'UTC' }) });

/** The block's lines in a crontab text. */
const blockOf = (text: string) => {
  const lines = text.trimEnd().split('\n');
  return lines.slice(lines.findIndex((line) => line.startsWith('# >>> runbook >>>')), lines.indexOf('# <<< runbook <<<') + 1);
};

describe('runbook cron: MAILTO, logrotate, and a preview of exactly what is installed', () => {
  it('the preview is the block --install writes, fitted to the crontab it goes into', async () => {
    const file = path.join(work.dir, 'crontab');
    writeFileSync(file, 'CRON_TZ=Europe/Berlin\nMAILTO=me@example.org\n15 3 * * * /usr/local/bin/backup\n');
    const args = ['--crontab-file', file, '--mailto', 'ops@example.org'];
    const preview = await cron(args);
    expect(preview.code).toBe(0);
    expect((await cron([...args, '--install'])).code).toBe(0);
    const installed = readFileSync(file, 'utf8');
    expect(blockOf(installed)).toEqual(preview.stdout.trimEnd().split('\n'));
    expect(installed.startsWith('CRON_TZ=Europe/Berlin\nMAILTO=me@example.org\n15 3 * * * /usr/local/bin/backup\n')).toBe(true);
    // The user's own settings hold again for any line added below the block.
    expect(blockOf(installed).slice(-3)).toEqual(['CRON_TZ=Europe/Berlin', 'MAILTO=me@example.org', '# <<< runbook <<<']);
  });

  it('--mailto: a tick whose runs are not all OK prints the end of the tick log, which cron mails', async () => {
    const lines = (await cron(['--crontab-file', path.join(work.dir, 'none'), '--mailto', 'ops@example.org'])).stdout.split('\n');
    expect(lines[1]).toBe('MAILTO=ops@example.org');
    expect(lines.find((line) => !line.startsWith('#') && line.includes(' tick '))).toMatch(/ tick --minutes [\d,]+ >> \/var\/log\/runbook\/tick\.log 2>&1 \|\| tail -n 20 \/var\/log\/runbook\/tick\.log$/);
    // The shell part does what the line says: nothing printed on success, the log's end on failure.
    const log = path.join(work.dir, 'x.log');
    const line = (exit: number) => spawnSync('sh', ['-c', `sh -c 'echo step output; echo SUMMARY; exit ${exit}' >> ${log} 2>&1 || tail -n 20 ${log}`], { encoding: 'utf8' }).stdout;
    expect(line(0)).toBe('');
    expect(line(2)).toContain('SUMMARY');
    expect((await cron(['--mailto', 'not an address'])).stderr).toContain('give mail addresses');
  });

  it('--logrotate: the preview shows the rule, --install writes it, and logrotate accepts it', async () => {
    const rule = path.join(work.dir, 'logrotate-runbook');
    const crontab = path.join(work.dir, 'crontab');
    const preview = await cron(['--crontab-file', crontab, '--logrotate', rule]);
    expect(preview.stdout).toContain(`# ${rule}:`);
    expect(preview.stdout).toMatch(/^\/var\/log\/runbook\/\*\.log "\/tmp\/runbook test logs\/paris-daily\.log" \{$/m);
    expect((await cron(['--crontab-file', crontab, '--logrotate', rule, '--install'])).code).toBe(0);
    const written = readFileSync(rule, 'utf8');
    expect(preview.stdout).toContain(written.trimEnd());
    const check = spawnSync('logrotate', ['--debug', '--state', path.join(work.dir, 'state.logrotate'), rule], { encoding: 'utf8' });
    expect(check.error, 'logrotate must be installed').toBeUndefined();
    expect(check.status, check.stderr).toBe(0);
  });
});
