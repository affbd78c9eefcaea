import type { Playbook } from '../playbook/types.generated.js';
import { firingTable, type FiringTable } from '../schedule/firing-table.js';
import { dashboardSecrets } from './secrets.js';

/** What the dashboard keeps of a playbook: what status needs, not the parsed source. */
export interface PlaybookBrief {
  name: string;
  data: Pick<Playbook, 'title' | 'schedule'>;
  /** Its schedule's firing times over the window asked: the server then never loads cron-parser. */
  firings?: FiringTable;
}

export type ChildRequest = { kind: 'load'; dirs: string[]; settings: Record<string, string>; window: { from: number; until: number } } | { kind: 'checklist'; name: string; dirs: string[] };
export type ChildAnswer =
  | { kind: 'load'; valid: PlaybookBrief[]; invalid: { name: string; problems: string[] }[]; secrets: string[] }
  | { kind: 'checklist'; markdown: string }
  | { kind: 'error'; message: string };

/**
 * Checks the playbooks, or renders one checklist, in a short-lived child process: yaml,
 * handlebars and the validator never take up the long-running server's memory (loaded there,
 * they stay: ~25 MiB; even a worker thread leaves ~13 MiB behind when it ends).
 */
async function answer(request: ChildRequest): Promise<ChildAnswer> {
  if (request.kind === 'checklist') {
    const { renderChecklist } = await import('../render/checklist.js');
    return { kind: 'checklist', markdown: await renderChecklist(request.name, request.dirs) };
  }
  const { loadEvery } = await import('../schedule/scheduled.js');
  const set = await loadEvery(request.dirs);
  return {
    kind: 'load',
    valid: await Promise.all(set.valid.map(async ({ name, data }) => ({
      name,
      data: { title: data.title, schedule: data.schedule },
      firings: data.schedule && await firingTable(data.schedule, request.window),
    }))),
    invalid: set.invalid,
    secrets: dashboardSecrets({ playbooks: set.valid.map((p) => p.data), env: process.env, settings: request.settings }),
  };
}

process.once('message', (request: ChildRequest) => {
  answer(request)
    .catch((error: unknown): ChildAnswer => ({ kind: 'error', message: error instanceof Error ? error.message : String(error) }))
    // Once the answer is sent the channel closes and the process ends; a parent that already
    // left closed it first, and the process ends all the same.
    .then((result) => process.connected && process.send!(result, () => process.connected && process.disconnect()));
});
