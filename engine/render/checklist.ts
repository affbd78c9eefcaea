import { loadPlaybook, type LoadedPlaybook } from '../playbook/load.js';
import { playbookBody } from './playbook-body.js';
import type { LoadPlaybook } from './step-items.js';

/** Loads each playbook once, however many checklists call it. */
export function cachedLoader(dirs: string[], known: LoadedPlaybook[] = []): LoadPlaybook {
  const cache = new Map(known.map((playbook) => [playbook.name, Promise.resolve(playbook)]));
  return (name) => {
    if (!cache.has(name)) cache.set(name, loadPlaybook(name, dirs));
    return cache.get(name)!;
  };
}

/** `runbook render NAME`: the playbook as a markdown checklist (GitHub task list). */
export async function renderChecklist(name: string, dirs: string[]): Promise<string> {
  const load = cachedLoader(dirs);
  const playbook = await load(name);
  return `${[`# ${playbook.data.title}`, '', ...(await playbookBody(playbook, { load }))].join('\n')}\n`;
}
