import type { LoadedPlaybook } from '../playbook/load.js';
import { cadenceOf, scheduleSortKey, type Cadence } from '../schedule/cadence.js';
import { parseSchedule, type ParsedSchedule } from '../schedule/next.js';

/** Where a playbook goes in the maintenance document. */
export type Group = Cadence | 'by-hand' | 'emergency';

/** The document's sections, in the seed document's order. */
export const SECTIONS: { group: Group; heading: string; template?: string }[] = [
  { group: 'weekly', heading: '📅 Weekly Maintenance Schedule', template: 'Weekly' },
  { group: 'daily', heading: '🗓️ Daily Maintenance', template: 'Daily' },
  { group: 'hourly', heading: '📊 Hourly Alerts', template: 'Hourly' },
  { group: 'monthly', heading: '📆 Monthly Maintenance', template: 'Monthly' },
  { group: 'quarterly', heading: '🔧 Quarterly System Tuning', template: 'Quarterly' },
  { group: 'other', heading: '⏱️ Other Schedules' },
  { group: 'by-hand', heading: '🛠️ Procedures Run by Hand' },
  { group: 'emergency', heading: '🚨 Emergency Procedures' },
];

export interface Placed {
  playbook: LoadedPlaybook;
  parsed?: ParsedSchedule;
  group: Group;
}

// An unscheduled playbook tagged with a cadence (a quarterly review done by hand) goes with it.
const CADENCE_TAGS: Cadence[] = ['weekly', 'daily', 'hourly', 'monthly', 'quarterly'];

function groupOf(playbook: LoadedPlaybook, parsed: ParsedSchedule | undefined): Group {
  const tags = playbook.data.tags ?? [];
  if (playbook.name.startsWith('emergency/') || tags.includes('emergency')) return 'emergency';
  if (parsed) return cadenceOf(parsed);
  return CADENCE_TAGS.find((cadence) => tags.includes(cadence)) ?? 'by-hand';
}

/** Every playbook with its group, in document order: by section, then weekday and time, then name. */
export async function place(playbooks: LoadedPlaybook[]): Promise<Placed[]> {
  const placed = await Promise.all(playbooks.map(async (playbook) => {
    const parsed = playbook.data.schedule && (await parseSchedule(playbook.data.schedule));
    return { playbook, parsed, group: groupOf(playbook, parsed) };
  }));
  const section = (p: Placed) => SECTIONS.findIndex((s) => s.group === p.group);
  // Playbooks run by hand come after the scheduled ones of their group.
  const sortKey = (p: Placed) => (p.parsed ? scheduleSortKey(p.parsed) : Number.MAX_SAFE_INTEGER);
  return placed.sort((a, b) => section(a) - section(b) || sortKey(a) - sortKey(b) || a.playbook.name.localeCompare(b.playbook.name));
}
