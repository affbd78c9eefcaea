import { el } from './dom.js';

const COLORS = ['#2f6fde', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#1098ad'];

/**
 * One small chart per reading (a step's value over the runs): swap %, load, connections and
 * ERROR counts have different scales, so each gets its own. Drawn with uPlot (shipped).
 */
export function readingCharts(readings, container) {
  if (!readings.points.length || !readings.series.length) {
    container.append(el('p', { class: 'muted' }, 'no numeric readings recorded yet'));
    return;
  }
  const x = readings.points.map((point) => Date.parse(point.started_at) / 1000);
  const ink = getComputedStyle(document.body).color;
  const grid = getComputedStyle(document.body).getPropertyValue('--grid').trim() || '#8884';
  const width = Math.max(280, Math.min(560, container.clientWidth - 16));
  readings.series.forEach((series, i) => {
    const y = readings.points.map((point) => point.values[series.key] ?? null);
    const figure = el('figure', { class: 'chart' }, el('figcaption', {}, `${series.name} (${series.key})`));
    container.append(figure);
    const axis = { stroke: ink, grid: { stroke: grid }, ticks: { stroke: grid } };
    // eslint-disable-next-line no-undef
    new uPlot({
      width, height: 150, legend: { show: false }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 50 }],
      series: [{}, { label: series.name, stroke: COLORS[i % COLORS.length], width: 2, points: { show: x.length < 60 } }],
    }, [x, y], figure);
  });
}
