import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { HANDLEBARS_HELPERS, renderTemplate } from '../../engine/template/render.js';

// Text templates made only of plain paths skip compiling (render.ts, plainRender). A comment
// `{{!}}` keeps a template off that path, so each case is also rendered by handlebars itself
// (after an `x`: a comment alone on its line would take the line with it).
const outcome = (template: string, context: object) => {
  try {
    return { text: renderTemplate(template, context) };
  } catch {
    // The plain path never throws: a failure is handlebars' own, on the template as written.
    return { failed: true };
  }
};
const byHandlebars = (template: string, context: object) => {
  const result = outcome(`${template}x{{!}}`, context);
  return 'text' in result ? { text: result.text!.slice(0, -1) } : result;
};

// `json` is a helper (called with no argument it fails); `this` and `length` are not keys of a context.
const key = fc.constantFrom('a', 'b', 'value', 'level', 'steps', 'output', 'json', 'this', 'true', 'null', 'else', 'length', 'toString', 'constructor', 'x_1');
const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 3 }));
const context = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { maxKeys: 4 })),
})).node.map((node) => (node && typeof node === 'object' && !Array.isArray(node) ? node : { a: node }));
const path = fc.array(key, { minLength: 1, maxLength: 4 }).map((keys) => keys.join('.'));
const text = fc.constantFrom('', ' ', 'x', '%', '{', '}', '\\', '{}', ': ', '\n', '}}');
const template = fc.array(fc.tuple(text, path, fc.constantFrom('', ' ')), { minLength: 1, maxLength: 4 })
  .chain((parts) => text.map((tail) => parts.map(([before, p, pad]) => `${before}{{${pad}${p}${pad}}}`).join('') + tail));

describe('plain-path templates', () => {
  it('render exactly as handlebars renders them, or fail as it does', () => {
    fc.assert(fc.property(template, context, (t, c) => {
      expect(outcome(t, c)).toEqual(byHandlebars(t, c));
    }), { numRuns: Number(process.env.RUNS ?? 3000) });
  });

  it.each(['{{a.this}}', '{{a.true}}', '{{a.null}}', '{{a.else}}', '{{a.undefined}}', '{{{a}}', '{{{a}}}', 'x{{{a}}}', '\\{{a}}', '\\\\{{a}}', '{{a}}}', '{{a}}}}', '{{ a }}', '{{~a}}', '{{a.b}}', '{{this.a}}', '{{true}}', '{{json}}'])(
    'the edge %j renders as handlebars renders it', (template) => {
      const context = { a: { this: 1, true: 2, null: 3, else: 4, undefined: 5 } };
      expect(outcome(template, context)).toEqual(byHandlebars(template, context));
    });

  it('convert a value as handlebars appends it (valueOf before toString)', () => {
    const context = { a: { valueOf: () => 'V', toString: () => 'T' } };
    expect(outcome('{{a}}', context)).toEqual(byHandlebars('{{a}}', context));
  });

  it('know every helper handlebars registers, without loading it (a helper is never read as a path)', () => {
    expect(Object.keys(Handlebars.create().helpers).sort()).toEqual([...HANDLEBARS_HELPERS].sort());
  });

  it('cover what a run renders most: values, outputs and levels', () => {
    const context = { vars: { swap_warn: 20 }, steps: { pm2: { output: { pm2_running: false, crashes: 0, list: ['a', 'b'] } } }, value: 0.5 };
    expect(renderTemplate('{{vars.swap_warn}}', context)).toBe('20');
    expect(renderTemplate('{{steps.pm2.output.pm2_running}}', context)).toBe('false');
    expect(renderTemplate('{{value}} crashes: {{ steps.pm2.output.crashes }}; {{steps.pm2.output.list}}', context)).toBe('0.5 crashes: 0; a,b');
    expect(() => renderTemplate('{{vars.missing}}', context)).toThrow(/"missing" not defined/);
  });
});
