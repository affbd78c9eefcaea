import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, freshTempDir, ROOT, runCli } from '../support/cli.js';

const temp = freshTempDir();

/** Runs bash with `runbook` on PATH, as a user who installed it would have. */
async function bash(script: string): Promise<string> {
  const bin = path.join(temp.dir, 'bin');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    symlinkSync(BIN, path.join(bin, 'runbook'));
  }
  const env = cliEnv(path.join(temp.dir, 'state'), { PATH: `${bin}:${process.env.PATH}` });
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
  return stdout;
}

/** What TAB offers after `words` (the last one being completed). */
const offered = (words: string[]) =>
  `source <(runbook completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _runbook; printf '%s\\n' "\${COMPREPLY[@]}"`;

describe('runbook completion', () => {
  it('bash: the script loads', async () => {
    const result = await bash(`source <(node ${BIN} completion bash) && complete -p runbook`);
    expect(result.trim()).toBe('complete -F _runbook runbook');
  });

  it('bash: completes commands, options and playbook names', async () => {
    expect((await bash(offered(['runbook', 'ru']))).split('\n')).toContain('run');
    expect((await bash(offered(['runbook', 'run', '--dr']))).trim()).toBe('--dry-run');
    expect((await bash(offered(['runbook', 'run', 'emergency/sw']))).trim()).toBe('emergency/swap-thrash');
    expect((await bash(offered(['runbook', '--dir', 'test/fixtures/valid', 'render', 'ech']))).trim()).toBe('echo');
    expect((await bash(offered(['runbook', 'doc', 'http']))).trim()).toBe('http-check');
  });

  it('zsh and fish scripts name every command', async () => {
    const env = cliEnv(path.join(temp.dir, 'state'));
    for (const shell of ['zsh', 'fish']) {
      const result = await runCli(['completion', shell], { env });
      expect(result.code).toBe(0);
      for (const command of ['run', 'validate', 'doc', 'new', 'completion']) expect(result.stdout).toContain(command);
    }
    expect((await runCli(['completion', 'tcsh'], { env })).stderr).toContain('runbook completion bash|zsh|fish');
  });
});
