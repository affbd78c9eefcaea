import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../engine/template/render.js';
import { shellPolicy } from '../../engine/template/shell/taint.js';
import { freshTempDir } from '../support/cli.js';
import { hostileValue, unquoteBare, unquoteDouble } from './attacker-values.js';

// `v` is free text; `n` is proven inert by its pattern (digits only).
const policy = shellPolicy({ params: { v: {}, n: { pattern: '^[0-9]*$' } } });
const render = (template: string, params: Record<string, string>) => renderTemplate(template, { params }, 'shell', policy);

/** A refusal at render time is allowed (the value never runs); anything else thrown is a bug. */
const RENDER_REFUSAL = /would be read as an option|holds a NUL byte/;

// Every kind of place the allowlist accepts a free value in, and what each prints for it ($(...)
// drops trailing newlines, as command substitution does).
const same = (value: string) => value;
const substituted = (value: string) => value.replace(/\n+$/, '');
const ACCEPTED: [string, (value: string) => string][] = [
  ['printf -- %s {{params.v}}', same],
  ['printf -- %s "{{params.v}}"', same],
  ['printf -- %s "<{{params.v}}>"', (value) => `<${value}>`],
  ['printf %s "$(printf -- %s {{params.v}})"', substituted],
  ['printf %s "x$(printf -- %s "{{params.v}}")y"', (value) => `x${substituted(value)}y`],
  ['X={{params.v}}; printf %s "$X"', same],
  ['X="{{params.v}}" && printf %s "$X"', same],
  // The first word is skipped by its place, not its text: a value `--` must come through too.
  ['skip=1; for w in -- {{params.v}}; do if [ -n "$skip" ]; then skip=; else printf %s "$w"; fi; done', same],
  ['{ printf -- %s {{params.v}}; }', same],
  ['( printf -- %s "{{params.v}}" )', same],
  ['if true; then printf -- %s {{params.v}} | cat; fi', same],
  ["# it's a comment\nprintf -- %s pre{{params.v}}post", (value) => `pre${value}post`],
  ['cat <<EOF-1 >/dev/null\nit\'s "open\nEOF-1\nprintf -- %s {{params.v}}', same],
  ['printf -- %s {{params.v}} > "$OUT" && cat "$OUT"', same],
];
// Places only an inert value may go: inside '...' and in the programs of other interpreters.
const INERT_ONLY = [
  "sh -c 'printf %s {{params.n}}'",
  'sh -c "printf %s {{params.n}}"',
  "awk 'BEGIN { printf \"%s\", \"{{params.n}}\" }'",
  'eval printf %s {{params.n}}',
];

describe('hostile values in shell templates (property-based)', () => {
  const work = freshTempDir();

  it('in-process: every accepted place quotes 1,500 generated values so that the shell reads them back exactly', () => {
    let tried = 0;
    fc.assert(
      fc.property(hostileValue('/nonexistent/canary'), (value) => {
        tried++;
        let bare: string;
        try {
          bare = render('printf -- %s {{params.v}}', { v: value });
        } catch (error) {
          expect((error as Error).message).toMatch(RENDER_REFUSAL);
          return;
        }
        expect(unquoteBare(bare.slice('printf -- %s '.length))).toBe(value);
        const double = render('printf -- %s "{{params.v}}"', { v: value });
        expect(unquoteDouble(double.slice('printf -- %s "'.length, -1))).toBe(value);
      }),
      { numRuns: 1500 },
    );
    expect(tried).toBe(1500);
  });

  it('through real sh and bash: 200 values in 14 accepted places arrive byte for byte and run nothing', () => {
    const canary = path.join(work.dir, 'canary');
    // A fixed sample, 50 new ones each run, and the values a harness may trip on itself (`--` once did).
    const values = fc.sample(hostileValue(canary), { numRuns: 150, seed: 20261130 }).concat(fc.sample(hostileValue(canary), 150).slice(0, 50), ['--', '-', '', ' ']);
    for (const shell of ['/bin/sh', 'bash']) {
      for (const [template, expected] of ACCEPTED) {
        const cases = values.flatMap((value) => {
          try {
            return [{ value, command: render(template, { v: value }) }];
          } catch (error) {
            expect((error as Error).message).toMatch(RENDER_REFUSAL);
            return [];
          }
        });
        // One shell per place: each case prints its value between NUL separators.
        const script = cases.map(({ command }) => `{ ${command}\n}; printf '\\0'`).join('\n');
        const out = execFileSync(shell, ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, OUT: path.join(work.dir, 'out') }, cwd: work.dir });
        expect(out.split('\0').slice(0, -1)).toEqual(cases.map(({ value }) => expected(value)));
      }
    }
    expect(existsSync(canary)).toBe(false);
  });

  it('free text is refused where a program reads code, and an inert value goes there and arrives', () => {
    const canary = path.join(work.dir, 'canary');
    for (const template of INERT_ONLY) {
      expect(() => render(template.replaceAll('params.n', 'params.v'), { v: 'x' })).toThrow(/free text/);
      for (const value of fc.sample(fc.stringMatching(/^[0-9]{0,12}$/), 40)) {
        expect(execFileSync('bash', ['-c', render(template, { n: value })], { encoding: 'utf8' })).toBe(value);
      }
      // A value that slipped past its pattern is stopped when it is rendered.
      expect(() => render(template, { n: `1; touch ${canary}` })).toThrow(/other than digits/);
    }
    expect(existsSync(canary)).toBe(false);
  });
});
