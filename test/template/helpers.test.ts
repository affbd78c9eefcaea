import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../engine/template/render.js';

const render = (template: string, context: object = {}) => renderTemplate(template, context);

describe('template helpers', () => {
  it('do arithmetic on numbers given as strings (shell output)', () => {
    expect(render('{{add a b}} {{sub a b}} {{mul a b}} {{div a b}}', { a: '10\n', b: 4 })).toBe('14 6 40 2.5');
    expect(render('{{div 1 0}}')).toBe('0');
    expect(() => render('{{add a 1}}', { a: 'ten' })).toThrow(/not a number/);
  });

  it('compare and combine', () => {
    expect(render('{{gt a 8}} {{lte a 8}} {{eq a "8"}} {{ne a 9}}', { a: '8' })).toBe('false true true true');
    expect(render('{{and x y}} {{or x y}} {{not x}}', { x: true, y: false })).toBe('false true false');
  });

  it('format bytes, percents and dates', () => {
    expect(render('{{bytes 1536}} {{bytes 3221225472}}')).toBe('1.5 KiB 3.0 GiB');
    expect(render('{{percent 1 4}} {{percent 23.456}}')).toBe('25% 23.5%');
    expect(render('{{date "YYYY-MM-DD"}}')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('default, json and table', () => {
    expect(render('{{default a "none"}}', { a: '' })).toBe('none');
    expect(render('{{json o}}', { o: { ok: true } })).toBe('{"ok":true}');
    const rows = [{ name: 'api', status: 'online', restarts: 0 }, { name: 'worker-long', status: 'errored', restarts: 12 }];
    expect(render('{{table rows "name" "restarts"}}', { rows })).toBe('name         restarts\napi          0\nworker-long  12');
  });
});
