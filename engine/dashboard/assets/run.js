import { el, link, section, table } from './dom.js';
import { badge, duration, utc } from './format.js';

const SHOWN_CHARS = 20000;

/** A step's output as text: its stdout and stderr when it has them, else the JSON. Bounded. */
function outputText(output) {
  const keys = Object.keys(output ?? {});
  if (!keys.length) return '';
  const text = typeof output.stdout === 'string'
    ? [output.stdout, output.stderr ? `--- stderr ---\n${output.stderr}` : ''].filter(Boolean).join('\n')
    : JSON.stringify(output, null, 2);
  return text.length > SHOWN_CHARS ? `[… ${text.length - SHOWN_CHARS} characters cut …]\n${text.slice(-SHOWN_CHARS)}` : text;
}

export function runView(run) {
  const rows = run.steps.map((step) => {
    const text = outputText(step.output);
    const note = step.error ?? step.message ?? step.skipped_because ?? '';
    return [
      badge(step.status),
      el('span', {}, step.name, step.id ? el('span', { class: 'muted' }, ` (${step.id})`) : ''),
      step.type,
      duration(step.duration_ms),
      el('div', {}, el('div', { class: 'note' }, note), text ? el('details', {}, el('summary', {}, 'output'), el('pre', { class: 'output' }, text)) : ''),
    ];
  });
  return [
    section(`${run.playbook}: ${run.title}`,
      el('p', {}, badge(run.status), ' ', el('span', { class: 'summary' }, run.summary)),
      el('p', { class: 'muted' }, `run ${run.run_id} on ${run.host}, started ${utc(run.started_at)}, took ${duration(run.duration_ms)}`,
        run.parent_run_id ? [', called by ', link(`#/run/${encodeURIComponent(run.parent_run_id)}`, run.parent_run_id)] : '',
        run.simulated.length ? `, simulated: ${run.simulated.join(', ')}` : ''),
      run.stopped ? el('p', { class: 'notice crit' }, run.stopped) : '',
      el('p', {}, link(`#/playbook/${encodeURIComponent(run.playbook)}`, `all runs of ${run.playbook}`))),
    section('Steps', table(['status', 'step', 'type', 'took', 'message and output'], rows, (i) => (run.steps[i].level === 'critical' ? 'bad' : run.steps[i].level === 'warn' ? 'warned' : ''))),
  ];
}
