import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedPlaybook } from '../../engine/playbook/load.js';
import type { Playbook } from '../../engine/playbook/types.generated.js';
import { stepItems } from '../../engine/render/step-items.js';
import { cliEnv, ROOT, runCli, freshTempDir } from '../support/cli.js';

const DIR = path.join(ROOT, 'test', 'render', 'fixtures');
const state = freshTempDir();

const render = (args: string[]) => runCli(['--dir', DIR, 'render', ...args], { env: cliEnv(state.dir) });

describe('runbook render NAME', () => {
  it('writes title, schedule in words and as cron, how to run it, description and inputs', async () => {
    const result = await render(['daily-check']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n\n').slice(0, 6)).toEqual([
      '# Daily check',
      '**Schedule**: every day 06:00 UTC, `0 6 * * *`',
      '**Run by hand**: `runbook run daily-check --param app=<app>`',
      'Checks the box every morning and restarts the app when asked.',
      '**Params**:\n- `app` (required): The app to restart',
      '**Environment**: `PING_URL` (optional, secret)',
    ]);
  });

  it('makes one task per step in operator terms: thresholds, commands, conditions, confirm marks, manual tasks', async () => {
    const lines = (await render(['daily-check'])).stdout.split('\n');
    expect(lines).toContain('- [ ] Swap usage: alert if swap used above 20%, critical above 80%');
    // A step whose type may change the machine carries a pencil: a dry run only describes it.
    expect(lines).toContain('- [ ] ✏️ Disk space: run `df -h /`');
    expect(lines).toContain('- [ ] Swap usage: alert if swap used above 20%, critical above 80%');
    // `<app>` outside code would be an HTML tag to GitHub and vanish.
    expect(lines).toContain('- [ ] ⚠️ **confirm first**: Restart &lt;app> _(only if the param app is given; as root)_: run `systemctl restart <app>`');
    // Conditions and results of earlier steps read as words, never as template code.
    const note = lines.indexOf('- [ ] ✏️ Note a critical swap _(only if “Swap usage” is critical and “Disk space” worked)_: run:');
    expect(lines[note + 2]).toBe('  echo "swap at <the value of “Swap usage”>%" >> /var/log/swap-notes');
    const script = lines.indexOf('- [ ] ✏️ Clean up old logs _(only when an earlier check alerted)_: run:');
    expect(lines.slice(script + 1, script + 5)).toEqual([
      '  ```bash', "  find /var/log/app -name '*.gz' -mtime +30 -delete", '  echo done', '  ```',
    ]);
    const manual = lines.indexOf('- [ ] Write it down _(always, even after a failure)_: Note the swap figure in the log book.');
    expect(lines[manual + 1]).toBe('  Ask the on-call person to check the dashboard.');
  });

  it('nests the steps of a called playbook under the step that calls it', async () => {
    const lines = (await render(['daily-check'])).stdout.split('\n');
    const call = lines.indexOf('- [ ] Respond to swap pressure _(only when an earlier check alerted)_: run playbook `emergency/respond` with app=&lt;app>');
    expect(lines.slice(call + 1, call + 3)).toEqual([
      '  - [ ] ✏️ Show memory: run `free -h`',
      '  - [ ] Call the lead: Phone the lead if &lt;app> keeps restarting.',
    ]);
  });

  it('lists what a good run leaves behind under Expected results', async () => {
    const text = (await render(['daily-check'])).stdout;
    expect(text).toContain('**Expected results**:\n- Swap below 20%\n- Nothing left &lt;pending>\n');
  });

  it('says where the results go, without rendering the clock into the page', async () => {
    const output = (await render(['daily-check'])).stdout.split('**Output**:\n')[1];
    expect(output).toBe([
      '- Report: `/tmp/daily-YYYY-MM-DD.md` (markdown)',
      '- Log: `/var/log/runbook/daily.log`',
      '- Heartbeat: `$PING_URL/start` when the run starts, then `$PING_URL` when it ends OK or WARNING, `$PING_URL/fail` otherwise',
      '',
    ].join('\n'));
  });

  it('writes to a file with -o, the same text it prints', async () => {
    const file = path.join(state.dir, 'out', 'daily.md');
    const written = await render(['daily-check', '-o', file]);
    expect(written.stdout.trim()).toBe(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe((await render(['daily-check'])).stdout);
  });

  it('refuses no name without --all, and an unknown name', async () => {
    expect((await render([])).code).toBe(3);
    const unknown = await render(['daily-chek']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no playbook named `daily-chek` \(did you mean `daily-check`\?\)/);
  });
});

describe('nested checklists', () => {
  // Validation rejects call cycles; the renderer still must not recurse forever on one.
  it('stops at a cycle instead of recursing', async () => {
    const playbook = (name: string, callee: string): LoadedPlaybook => ({
      name, file: `${name}.yaml`,
      data: { title: name, steps: [{ name: `Call ${callee}`, type: 'playbook', playbook: callee }] } as Playbook,
    });
    const books: Record<string, LoadedPlaybook> = { a: playbook('a', 'b'), b: playbook('b', 'a') };
    const lines = await stepItems(books.a!, { load: async (name) => books[name]! });
    expect(lines).toEqual([
      '- [ ] Call b: run playbook `b`',
      '  - [ ] Call a: run playbook `a`',
      '    - [ ] `a` again: its steps are listed above (the calls make a cycle)',
    ]);
  });
});

describe('runbook render --all', () => {
  it('groups the playbooks like the maintenance schedule, with a note that it is generated', async () => {
    const result = await render(['--all']);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text.startsWith('# Maintenance Schedule\n\n> Generated by `runbook render --all`')).toBe(true);
    const daily = text.indexOf('## 🗓️ Daily Maintenance');
    const emergency = text.indexOf('## 🚨 Emergency Procedures');
    expect(daily).toBeGreaterThan(0);
    expect(text.indexOf('### Every day - Daily check (06:00 UTC)')).toBeGreaterThan(daily);
    expect(text.indexOf('### Emergency: respond\n\n**Schedule**: none, run by hand\n\n**Run by hand**: `runbook run emergency/respond`\n\n**Called by**: `daily-check`')).toBeGreaterThan(emergency);
    // Cron starts in $HOME: the line names the folder the playbook was found in.
    expect(text).toContain('#   daily-check (Daily check): every day 06:00 UTC');
    expect(text).toContain(`0 * * * * runbook --dir ${DIR} tick --minutes 0 >> /var/log/runbook/tick.log 2>&1`);
    expect(text).toContain('- [ ] Daily check: review its last runs (`runbook history daily-check`) and do their pending manual tasks');
  });

  it('refuses to leave out an invalid playbook, and says what is wrong with it', async () => {
    writeFileSync(path.join(state.dir, 'broken.yaml'), 'title: Broken\nsteps: []\n');
    const result = await runCli(['--dir', state.dir, 'render', '--all'], { env: cliEnv(path.join(state.dir, 'state')) });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/cannot render the document: invalid playbooks: broken \(runbook validate\)/);
    expect(result.stderr).toMatch(/broken\.yaml:2:\d+: /);
  });
});
