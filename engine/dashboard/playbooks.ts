import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { listPlaybooks } from '../playbook/locate.js';
import { fileURLToPath } from 'node:url';
import { RunbookError } from '../errors.js';
import type { PlaybookBrief, ChildAnswer, ChildRequest } from './playbook-child.js';

// Next to this module: engine/dashboard/ as source, dist/ in the bundle (an entry of its own there).
const CHILD = fileURLToPath(new URL(`./playbook-child${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** One request to a fresh playbook-child process, which exits after answering. */
function inChild(request: ChildRequest): Promise<ChildAnswer> {
  return new Promise((resolve, reject) => {
    // Not this process's node flags: started from the CLI's snapshot (bin/runbook), they would start the CLI.
    const child = fork(CHILD, { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as ChildAnswer));
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the playbook reader stopped (${signal ?? `exit ${code}`}) without answering`)));
    child.send(request);
  });
}

export interface PlaybookSet {
  valid: PlaybookBrief[];
  invalid: { name: string; problems: string[] }[];
  secrets: string[];
}

/**
 * The playbooks as the dashboard sees them: checked in a child process, kept as briefs, with
 * their schedules' firing times over `window` (epoch ms).
 */
export async function readPlaybooks(opts: { dirs: string[]; settings: Record<string, string>; window: { from: number; until: number } }): Promise<PlaybookSet> {
  const answer = await inChild({ kind: 'load', ...opts });
  if (answer.kind === 'error') throw new RunbookError('INVALID_PLAYBOOK', answer.message);
  if (answer.kind !== 'load') throw new Error(`unexpected answer ${answer.kind}`);
  return answer;
}

/** `runbook render NAME`, in a child process. */
export async function renderInChild(name: string, dirs: string[]): Promise<string> {
  const answer = await inChild({ kind: 'checklist', name, dirs });
  if (answer.kind === 'error') throw new Error(answer.message);
  if (answer.kind !== 'checklist') throw new Error(`unexpected answer ${answer.kind}`);
  return answer.markdown;
}

/** The playbook files and when each last changed: the set is checked again only when this changes. */
export function playbooksSignature(dirs: string[]): string {
  return listPlaybooks(dirs).map(({ file }) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    return `${file}:${stat?.mtimeMs}:${stat?.size}`;
  }).join('\n');
}
