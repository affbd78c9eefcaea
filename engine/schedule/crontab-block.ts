import { RunbookError } from '../errors.js';

/** The lines that delimit runbook's block in a crontab; everything outside them is the user's. */
export const BEGIN_MARKER = '# >>> runbook >>> managed by `runbook cron --install`: edits inside this block are replaced';
export const END_MARKER = '# <<< runbook <<<';
const isBegin = (line: string) => line.startsWith('# >>> runbook >>>');
const isEnd = (line: string) => line.startsWith(END_MARKER);

/** One scheduled playbook, as the block's comment names it. */
export interface CronEntry {
  name: string;
  title: string;
  timezone: string;
  /** The schedule in words (or the expression and zone), for the comment. */
  words: string;
  /** The playbook's own `log`, which its scheduled runs write (else `defaultLogFile`). */
  log?: string;
}

export const defaultLogFile = (name: string) => `/var/log/runbook/${name.split('/').join('-')}.log`;

/** Where the tick line's own output (what it started, how each run ended) goes. */
export const TICK_LOG = '/var/log/runbook/tick.log';

/** Options of the block: `mailto` makes cron mail the end of the tick log when a run is not OK. */
export interface BlockOptions {
  mailto?: string;
}

// In a crontab command `%` means a newline: escape it.
const cronEscape = (command: string) => command.replaceAll('%', '\\%');

/**
 * The block: one `runbook tick` line at the `minutes` some schedule needs, run by `command`
 * (the CLI and its folder options). Cron never reads a playbook's expression or zone, so neither
 * Debian's cron ignoring CRON_TZ nor its day-of-month/day-of-week rule can move a run; the
 * comment lists what the tick runs. The block opens in UTC for a user's CRON_TZ above it.
 */
export function cronBlock(opts: { entries: CronEntry[]; command: string; minutes: string } & BlockOptions): string[] {
  if (opts.mailto !== undefined && !/^[^\s@,]+@[^\s@,]+(,[^\s@,]+@[^\s@,]+)*$/.test(opts.mailto)) {
    throw new RunbookError('BAD_ARGUMENT', `--mailto ${JSON.stringify(opts.mailto)}: give mail addresses, comma-separated, without spaces`);
  }
  const lines = [BEGIN_MARKER, 'CRON_TZ=UTC', ...(opts.mailto ? [`MAILTO=${opts.mailto}`] : [])];
  if (!opts.entries.length) return [...lines, '# no scheduled playbooks', END_MARKER];
  lines.push('# runbook tick runs each playbook when its own schedule says, in its own zone:');
  for (const entry of opts.entries) lines.push(`#   ${entry.name} (${entry.title}): ${entry.words}`);
  const minutes = opts.minutes === '*' ? '' : ` --minutes ${opts.minutes}`;
  // With MAILTO, a tick whose runs were not all OK prints the end of its log: cron mails what a job prints.
  const mail = opts.mailto ? ` || tail -n 20 ${TICK_LOG}` : '';
  const command = `${opts.command} tick${minutes} >> ${TICK_LOG} 2>&1${mail}`;
  // A crontab line ends at a line break, quoted or not: one in a path would start a live line.
  if (/[\r\n\0]/.test(command)) throw new RunbookError('CRONTAB', `cannot write the crontab: a line break in ${JSON.stringify(command)}`);
  lines.push(`${opts.minutes} * * * * ${cronEscape(command)}`, END_MARKER);
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
