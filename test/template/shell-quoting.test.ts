import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { refusedInterpolations, renderTemplate } from '../../engine/template/render.js';

const HOSTILE = [
  'plain',
  '',
  'two words',
  "it's",
  '"double"',
  '$(id)',
  '`id`',
  '${HOME}',
  'a\\b',
  'x; echo pwned',
  "x' ; echo pwned; echo '",
  'x" && echo pwned && echo "',
  'line1\nline2',
  '-n',
  '*',
  '~',
  '!bang',
  'tab\there',
];

/** What /bin/sh prints for a rendered command. */
function sh(command: string): string {
  return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' });
}

describe('shell templates', () => {
  it.each([
    ['bare', 'printf -- %s {{v}}'],
    ['double-quoted', 'printf -- %s "{{v}}"'],
    ['inside a larger double-quoted word', 'printf %s "<{{v}}>"'],
    ['inside $(...)', 'printf %s "$(printf -- %s {{v}})"'],
    ['double-quoted inside $(...)', 'printf %s "$(printf -- %s "{{v}}")"'],
  ])('a value %s reaches the command as data, whatever it holds', (_, template) => {
    for (const value of HOSTILE) {
      const expected = template.includes('<') ? `<${value}>` : value;
      expect(sh(renderTemplate(template, { v: value }, 'shell'))).toBe(expected);
    }
  });

  it('quotes helper results too', () => {
    expect(sh(renderTemplate('printf %s {{default v "x; echo pwned"}}', { v: '' }, 'shell'))).toBe('x; echo pwned');
  });

  it.each([
    ['a quote in a comment does not open a quote', "# don't panic\nprintf -- %s {{v}}"],
    ['a comment ends at its line', 'printf -- %s {{v}} # note'],
    ['an #if branch that keeps quotes balanced', 'printf -- %s {{#if flag}}"{{v}}"{{else}}{{v}}{{/if}}'],
  ])('%s', (_, template) => {
    for (const value of HOSTILE) {
      const out = sh(renderTemplate(template, { v: value, flag: value.length % 2 === 0 }, 'shell'));
      expect(out.replace(/\n$/, '')).toBe(value.replace(/\n$/, ''));
    }
  });

  it('a bash here-string is refused: sh (dash) has none, and a value must be safe for both', () => {
    expect(refusedInterpolations('cat <<< {{v}}').join('\n')).toContain('`<<<` (sh does not have it)');
  });

  it.each([
    ['inside a comment', 'echo hi # note {{v}}', 'is inside a # comment'],
    ["inside bash $'...'", "echo $'{{v}}'", "`$'...'` (sh and bash read it differently)"],
    ['in a <<\\END here-document', 'cat <<\\END\n{{v}}\nEND', 'is inside a here-document'],
    ["in a <<'END' here-document", "cat <<'END'\n{{v}}\nEND", 'is inside a here-document'],
    ['in an #if branch that leaves a quote open', 'echo {{#if flag}}"{{/if}}{{v}}', 'leaves a quote'],
    ['in a partial', '{{#*inline "p"}}{{v}}{{/inline}}echo {{> p}}', 'partials and inline templates'],
  ])('refuses interpolation %s', (_, template, why) => {
    expect(refusedInterpolations(template).join('\n')).toContain(why);
    expect(() => renderTemplate(template, { v: 'x', flag: true }, 'shell')).toThrow(why);
  });

  it('refuses interpolation inside a here-document or backticks, naming the safe form', () => {
    const template = 'cat <<EOF\nhello {{v}}\nEOF\necho {{w}} `echo {{x}}`';
    expect(refusedInterpolations(template)).toEqual([
      '{{v}} is inside a here-document: pass it through the step\'s env instead: env: { V: "{{v}}" } and "$V" in the command',
      '{{w}} is in a command that runs code from its arguments or input (`backticks`, which runbook does not read), and it is free text: pass it through the step\'s env instead: env: { W: "{{w}}" } and "$W" in the command',
      '{{x}} is inside `backticks`: pass it through the step\'s env instead: env: { X: "{{x}}" } and "$X" in the command',
    ]);
    expect(() => renderTemplate(template, { v: 'x', w: 'y', x: 'z' }, 'shell')).toThrow(/here-document/);
  });

  it('a missing name is an error, never an empty string', () => {
    expect(() => renderTemplate('echo {{params.nope}}', { params: {} }, 'shell')).toThrow(/nope/);
    expect(() => renderTemplate('{{params.nope}}', { params: {} })).toThrow(/nope/);
    expect(() => renderTemplate('{{add params.nope 1}}', { params: {} })).toThrow(/missing value/);
  });
});

describe('strict block helpers', () => {
  it('a missing name given to #if, #unless, #each or #with is an error, not false', () => {
    for (const block of ['if', 'unless', 'each', 'with']) {
      expect(() => renderTemplate(`{{#${block} steps.x.typo}}y{{/${block}}}`, { steps: { x: {} } })).toThrow('"steps.x.typo" is not defined');
    }
    expect(renderTemplate('{{#if steps.x.flag}}y{{else}}n{{/if}}', { steps: { x: { flag: false } } })).toBe('n');
    // A key that is there but empty (null JSON of a failed step, "") is false, not an error.
    expect(renderTemplate('{{#if steps.a.output.json}}j{{else}}n{{/if}}', { steps: { a: { output: { json: null } } } })).toBe('n');
    expect(renderTemplate('{{#each rows}}{{#if note}}{{note}}{{else}}-{{/if}} {{/each}}', { rows: [{ note: 'x' }, { note: '' }] })).toBe('x - ');
    expect(() => renderTemplate('{{#each rows}}{{#if nope}}y{{/if}}{{/each}}', { rows: [{ note: 'x' }] })).toThrow('"nope" is not defined');
    expect(renderTemplate("{{#with (lookup steps 'gone')}}{{value}}{{else}}absent{{/with}}", { steps: {} })).toBe('absent');
    expect(renderTemplate('{{#each rows}}{{name}} {{/each}}', { rows: [{ name: 'a' }, { name: 'b' }] })).toBe('a b ');
  });
});
