import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { matcher } from '../../engine/steps/pm2/log-match.js';
import { CHUNK, scanFile } from '../../engine/steps/pm2/log-scan.js';
import { leadingTime } from '../../engine/steps/pm2/log-time.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-log-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function log(text: string): string {
  const file = path.join(dir, `${files++}.log`);
  writeFileSync(file, text);
  return file;
}

interface ScanAs {
  pattern?: string;
  ignoreCase?: boolean;
  keep?: number;
}

async function scan(file: string, opts: ScanAs & { since?: number; stamped?: boolean; from?: number } = {}) {
  return scanFile({
    file, matcher: matcher(opts.pattern ?? 'ERROR', opts.ignoreCase ?? false), keep: opts.keep ?? 20, since: opts.since, from: opts.from,
    timeOf: opts.stamped ? leadingTime : undefined, signal: new AbortController().signal,
  });
}

/** What grep -c counts, and the last `keep` of those lines, read the slow way: line by line. */
function expected(text: string, opts: Required<ScanAs>) {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const regex = new RegExp(opts.pattern, opts.ignoreCase ? 'i' : '');
  const matching = lines.filter((line) => regex.test(line));
  const keep = opts.keep;
  return { matches: matching.length, last: keep > 0 ? matching.slice(-keep) : [] };
}

async function expectAsGrep(text: string, opts: ScanAs = {}) {
  const found = await scan(log(text), opts);
  const want = expected(text, { pattern: 'ERROR', ignoreCase: false, keep: 20, ...opts });
  expect(found.matches).toBe(want.matches);
  expect(found.last.map((line) => line.text)).toEqual(want.last);
  expect(found.end).toBe(Buffer.byteLength(text));
}

/** Whole lines of `filler` that end exactly at byte `bytes` (the last one shorter, of x's). */
function fillTo(bytes: number, filler = 'INFO GET /api/v1/items 200'): string {
  const line = `${filler}\n`;
  const lines = line.repeat(Math.floor(bytes / line.length));
  const rest = bytes - lines.length;
  return rest === 0 ? lines : `${lines}${'x'.repeat(rest - 1)}\n`;
}

describe('pm2 log scan', () => {
  it('counts a word that straddles two reads once', async () => {
    // ERROR starts `cut` bytes before the second read.
    for (const cut of [1, 2, 3, 4]) await expectAsGrep(`${fillTo(CHUNK - 10)}INFO ${'a'.repeat(5 - cut)}ERROR spans the reads\nERROR after\n`);
    // The line itself starts exactly where the second read does.
    await expectAsGrep(`${fillTo(CHUNK)}ERROR first of the second read\nINFO\n`);
  });

  it('reads a line longer than a read whole, and counts it once however often it matches', async () => {
    const long = `ERROR starts it ${'y'.repeat(3 * CHUNK)} ERROR in the middle ${'z'.repeat(CHUNK)} and ERROR ends it`;
    await expectAsGrep(`INFO before\n${long}\nERROR after\n${long}`);
  });

  it('finds the word by its rarest byte, also when the rest of it appears alone', async () => {
    // "E" is on every line (GET), so the search runs on "RROR" and must still check the "E".
    const busy = Array.from({ length: 30_000 }, (_, i) => (i % 7 === 0 ? `GET /x RROR ${i} ERRO` : i % 11 === 0 ? `GET ERROR ${i}` : i % 13 === 0 ? `GET XERROR ${i}` : `GET /api/${i} OK, SEEN`)).join('\n');
    await expectAsGrep(`${busy}\n`);
    // A word whose first byte is rarest, and a word of one byte.
    await expectAsGrep(`${busy}\n`, { pattern: 'XERROR' });
    await expectAsGrep(`${busy}\n`, { pattern: 'X', keep: 3 });
    // One search over several logs (as the step's): a first small log full of R, then the busy one.
    const shared = matcher('ERROR', false);
    for (const text of ['RRRR ERROR RRRR\nRRRR\n', `${busy}\n`]) {
      const found = await scanFile({ file: log(text), matcher: shared, keep: 2, signal: new AbortController().signal });
      expect(found.matches).toBe(expected(text, { pattern: 'ERROR', ignoreCase: false, keep: 2 }).matches);
    }
    // A word with a character of two bytes, and text with its first byte alone.
    await expectAsGrep(`${busy}\ncafé au lait\ncafe\ncaf\u00e8\nun café\n`, { pattern: 'café' });
  });

  it('runs a regular expression on the same whole lines as line by line', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => (i % 9 === 0 ? `${i} error: at the end` : i % 13 === 0 ? `Fatal ${i}` : `GET /api/${i} ok`));
    for (const pattern of ['error$', '^Fatal \\d+$', '^\\d+ error', 'ok|fatal']) {
      await expectAsGrep(`${lines.join('\n')}\n`, { pattern, keep: 5 });
      await expectAsGrep(`${lines.join('\n')}\n`, { pattern, ignoreCase: true, keep: 5 });
    }
    // A line longer than the text decoded at once.
    await expectAsGrep(`INFO\n${'y'.repeat(3 * CHUNK)} error\nerror\n`, { pattern: 'error$' });
  });

  it('keeps the last matching lines across reads that have fewer than `lines` matches', async () => {
    const sparse = [fillTo(CHUNK - 100), 'ERROR one\nERROR two\nERROR three\n', fillTo(CHUNK), 'ERROR four\n', fillTo(2 * CHUNK), 'ERROR five\n', fillTo(1000)].join('');
    for (const keep of [0, 1, 2, 4, 5, 20]) await expectAsGrep(sparse, { keep });
    // Many matches in the last read push every earlier one out.
    await expectAsGrep(`${sparse}${'ERROR late\n'.repeat(30)}`, { keep: 20 });
  });

  it('counts a partial last line and stops after it; a resumed scan starts there', async () => {
    const text = `INFO a\n${fillTo(CHUNK)}ERROR without a newline`;
    const file = log(text);
    const found = await scan(file);
    expect(found).toMatchObject({ matches: 1, end: statSync(file).size, bytes: statSync(file).size });
    expect(found.last.map((line) => line.text)).toEqual(['ERROR without a newline']);
    const resumed = await scan(file, { from: Buffer.byteLength(`INFO a\n${fillTo(CHUNK)}`) });
    expect(resumed).toMatchObject({ matches: 1, end: statSync(file).size });
  });

  it('gives a stack line at the start of a read the stamp of the last line of the read before', async () => {
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    // The lines after the first carry no stamp (so the window is not found by bisection and the
    // reads start at 0); the recent ERROR line ends the first read, its stack line starts the second.
    const head = `${old} INFO started\n    at ERROR_OLD_FRAME\n`;
    const stamped = `${recent} ERROR recent failure\n`;
    const text = `${head}${fillTo(CHUNK - head.length - stamped.length, '    at frame')}${stamped}    at ERROR_FRAME (recent.js:1:1)\n${recent} INFO done\n`;
    const file = log(text);
    const windowed = await scan(file, { stamped: true, since: Date.now() - 86_400_000 });
    expect(windowed.matches).toBe(2);
    expect(windowed.last).toEqual([
      { time: Date.parse(recent), text: `${recent} ERROR recent failure` },
      { time: Date.parse(recent), text: '    at ERROR_FRAME (recent.js:1:1)' },
    ]);
    const all = await scan(file, { stamped: true });
    expect(all.last.map((line) => line.time)).toEqual([Date.parse(old), Date.parse(recent), Date.parse(recent)]);
  });
});
