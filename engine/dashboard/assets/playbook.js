import { el, link, section } from './dom.js';
import { readingCharts } from './charts.js';
import { markdown } from './markdown.js';
import { runsTable } from './overview.js';

export function playbookView(name, runs, readings) {
  const charts = el('div', { class: 'charts' });
  const view = [
    section(name,
      el('p', {}, link(`#/checklist/${encodeURIComponent(name)}`, 'checklist'), ' · ', link('#/', 'overview'))),
    section('Readings', charts),
    section(`Runs (${runs.length} most recent)`, runs.length ? runsTable(runs, false) : el('p', { class: 'muted' }, 'no recorded runs')),
  ];
  // Charts measure their container: draw them once the view is on the page.
  return { view, afterShow: () => readingCharts(readings, charts) };
}

export function checklistView(name, doc) {
  return [el('p', {}, link(`#/playbook/${encodeURIComponent(name)}`, `runs of ${name}`)), el('section', {}, markdown(doc.markdown))];
}
