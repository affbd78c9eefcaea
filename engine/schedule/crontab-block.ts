import { RunbookError } from '../errors.js';
import { shellQuote } from '../template/render.js';

/** The lines that delimit runbook's block in a crontab; everything outside them is the user's. */
export const BEGIN_MARKER = '# >>> runbook >>> managed by `runbook cron --install`: edits inside this block are replaced';
export const END_MARKER = '# <<< runbook <<<';
const isBegin = (line: string) => line.startsWith('# >>> runbook >>>');
const isEnd = (line: string) => line.startsWith(END_MARKER);

/** One scheduled playbook, as the block runs it. */
export interface CronEntry {
  name: string;
  title: string;
  cron: string;
  timezone: string;
  /** The schedule in words, for the comment above the line. */
  words: string;
  /** The playbook's own `log`, which the run writes itself. */
  log?: string;
  /** The folder the playbook was found in, unless it ships with runbook. */
  dir?: string;
}

export const defaultLogFile = (name: string) => `/var/log/runbook/${name.split('/').join('-')}.log`;

/**
 * Where cron sends the run's output. A playbook with its own `log` is written by the run
 * itself, so only stderr (a playbook that cannot even load) is appended there: sending stdout
 * too would write every line twice.
 */
function redirection(entry: CronEntry, mail: boolean): string {
  const log = shellQuote(entry.log ?? defaultLogFile(entry.name));
  const into = entry.log ? `> /dev/null 2>> ${log}` : `>> ${log} 2>&1`;
  // With MAILTO, a run that is not OK prints the end of its log: cron mails what a job prints.
  return mail ? `${into} || tail -n 20 ${log}` : into;
}

/** Options of the block: `mailto` makes cron mail the end of the log of every run that is not OK. */
export interface BlockOptions {
  mailto?: string;
}

// In a crontab command `%` means a newline: escape it.
const cronEscape = (command: string) => command.replaceAll('%', '\\%');

/**
 * The block for `entries`, run by the command `cli`. CRON_TZ applies to every line after it, so
 * the block starts with CRON_TZ=UTC (a user's own CRON_TZ above must not move our times), each
 * other zone gets its `CRON_TZ=` line, and the block ends by setting it back to UTC.
 */
export function cronBlock(entries: CronEntry[], cli: string, opts: BlockOptions = {}): string[] {
  const zones = [...new Set(['UTC', ...entries.map((entry) => entry.timezone)])];
  if (opts.mailto !== undefined && !/^[^\s@,]+@[^\s@,]+(,[^\s@,]+@[^\s@,]+)*$/.test(opts.mailto)) {
    throw new RunbookError('BAD_ARGUMENT', `--mailto ${JSON.stringify(opts.mailto)}: give mail addresses, comma-separated, without spaces`);
  }
  const lines = [BEGIN_MARKER, 'CRON_TZ=UTC', ...(opts.mailto ? [`MAILTO=${opts.mailto}`] : [])];
  for (const zone of zones) {
    const inZone = entries.filter((entry) => entry.timezone === zone);
    if (zone !== 'UTC' && inZone.length) lines.push(`CRON_TZ=${zone}`);
    for (const entry of inZone) {
      lines.push(`# ${entry.title}: ${entry.words}`);
      // Cron starts in $HOME without RUNBOOK_DIR: name the folder the playbook was found in.
      const dir = entry.dir ? ` --dir ${shellQuote(entry.dir)}` : '';
      const command = `${cli}${dir} run ${shellQuote(entry.name)} ${redirection(entry, Boolean(opts.mailto))}`;
      // A crontab line ends at a line break, quoted or not: one in a path would start a live line.
      if (/[\r\n\0]/.test(command)) throw new RunbookError('CRONTAB', `cannot put \`${entry.name}\` in the crontab: a line break in ${JSON.stringify(command)}`);
      lines.push(`${entry.cron} ${cronEscape(command)}`);
    }
  }
  if (zones.length > 1) lines.push('CRON_TZ=UTC');
  lines.push(END_MARKER);
  return lines;
}

/** The crontab without runbook's block (and the blank line installing put before it). */
export function withoutBlock(crontab: string): string[] {
  const lines = crontab.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const begin = lines.findIndex(isBegin);
  if (begin === -1) return lines;
  const end = lines.findIndex((line, index) => index > begin && isEnd(line));
  if (end === -1) {
    throw new RunbookError('CRONTAB', `the crontab has runbook's begin marker (line ${begin + 1}) but no end marker: remove the block by hand (crontab -e)`);
  }
  const start = begin > 0 && lines[begin - 1] === '' ? begin - 1 : begin;
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

/**
 * The crontab with `block` replacing runbook's block, placed last so that its CRON_TZ lines
 * cannot touch the user's entries. Every other line is kept; installing twice changes nothing.
 */
export function withBlock(crontab: string, block: string[]): string {
  const rest = withoutBlock(crontab);
  const separator = rest.length && rest.at(-1) !== '' ? [''] : [];
  return `${[...rest, ...separator, ...placedBlock(rest, block)].join('\n')}\n`;
}

/** The block exactly as `withBlock` writes it after the user's lines `rest` (what the preview shows). */
export function placedBlock(rest: string[], block: string[]): string[] {
  return fitMailtoBefore(fitToZoneBefore(block, rest), rest);
}

/** A block that sets MAILTO sets the user's own back at its end, as it does for CRON_TZ. */
function fitMailtoBefore(block: string[], before: string[]): string[] {
  const mailtoBefore = before.map((line) => /^\s*MAILTO=(.*)$/.exec(line)?.[1]).filter((value) => value !== undefined).at(-1);
  if (mailtoBefore === undefined || !block.some((line) => line.startsWith('MAILTO='))) return block;
  return [...block.slice(0, -1), `MAILTO=${mailtoBefore.trim()}`, block.at(-1)!];
}

/**
 * The block's CRON_TZ lines fitted to the zone in effect where it goes: with none set before it,
 * the block needs no opening CRON_TZ=UTC; after a user's own CRON_TZ, it opens with UTC and
 * ends by setting the user's zone back, so lines added below it later keep their meaning.
 */
function fitToZoneBefore(block: string[], before: string[]): string[] {
  const zoneBefore = before.map((line) => /^\s*CRON_TZ=(\S+)\s*$/.exec(line)?.[1]).filter(Boolean).at(-1);
  const lines = [...block];
  const last = lines.length - 2; // the line before the end marker
  if (zoneBefore === undefined) {
    if (lines[1] === 'CRON_TZ=UTC') lines.splice(1, 1);
    return lines;
  }
  if (lines[last] === 'CRON_TZ=UTC') lines[last] = `CRON_TZ=${zoneBefore}`;
  else if (zoneBefore !== 'UTC') lines.splice(lines.length - 1, 0, `CRON_TZ=${zoneBefore}`);
  return lines;
}

/** The crontab text once the block is removed. */
export function removeBlock(crontab: string): string {
  const rest = withoutBlock(crontab);
  return rest.length ? `${rest.join('\n')}\n` : '';
}
