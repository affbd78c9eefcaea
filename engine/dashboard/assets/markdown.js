import { el } from './dom.js';

// The checklist `runbook render` prints, as a page. Only the forms it writes are understood
// (headings, task and plain lists, fenced code, **bold**, _italic_, `code`); each piece of text
// still goes in as text, never as HTML.
const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|_[^_\s][^_]*_)/;

function inline(text) {
  return text.split(INLINE).filter(Boolean).map((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return el('code', {}, part.slice(1, -1));
    if (part.startsWith('**') && part.endsWith('**') && part.length > 3) return el('strong', {}, part.slice(2, -2));
    if (part.startsWith('_') && part.endsWith('_') && part.length > 2) return el('em', {}, part.slice(1, -1));
    return part;
  });
}

export function markdown(text) {
  const out = el('article', { class: 'markdown' });
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body.startsWith('```')) {
      const code = [];
      for (i += 1; i < lines.length && !lines[i].trim().startsWith('```'); i += 1) code.push(lines[i].slice(indent));
      out.append(el('pre', { class: `depth-${Math.min(indent / 2, 4)}` }, el('code', {}, code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,4}) (.*)$/.exec(body);
    const task = /^- \[( |x)\] (.*)$/.exec(body);
    const item = /^- (.*)$/.exec(body);
    if (heading) out.append(el(`h${heading[1].length + 1}`, {}, inline(heading[2])));
    else if (task) out.append(el('p', { class: `item depth-${Math.min(indent / 2, 4)}` }, el('input', { type: 'checkbox', disabled: true, checked: task[1] === 'x' }), ' ', inline(task[2])));
    else if (item) out.append(el('p', { class: `item depth-${Math.min(indent / 2, 4)}` }, '• ', inline(item[1])));
    else if (body) out.append(el('p', {}, inline(body)));
  }
  return out;
}
