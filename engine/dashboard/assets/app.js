import { el, show } from './dom.js';
import { fleetView } from './fleet.js';
import { overview } from './overview.js';
import { checklistView, playbookView } from './playbook.js';
import { runView } from './run.js';

const view = document.getElementById('view');
const live = document.getElementById('live');
let status;
let shownKey = '';

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.text()).trim()}`);
  return response.json();
}

/** What the current view depends on: redrawn only when it changes (a live update keeps scroll and open details). */
function dependencyKey(route) {
  if (!status) return '';
  if (route.kind === 'overview' || route.kind === 'fleet') return JSON.stringify([status.generated_at]);
  if (route.kind === 'playbook') return JSON.stringify(status.playbooks.find((p) => p.playbook === route.name) ?? null);
  return 'static';
}

function routeOf(hash) {
  const [, kind, ...rest] = hash.replace(/^#/, '').split('/');
  const name = decodeURIComponent(rest.join('/'));
  if (kind === 'run' || kind === 'playbook' || kind === 'checklist') return { kind, name };
  if (kind === 'fleet') return { kind };
  return { kind: 'overview' };
}

async function render(force = false) {
  const route = routeOf(location.hash);
  const key = `${location.hash}|${dependencyKey(route)}`;
  if (!force && key === shownKey) return;
  shownKey = key;
  try {
    if (route.kind === 'overview') {
      if (!status) return;
      const { runs } = await getJson('api/runs?limit=15');
      show(view, overview(status, runs));
      document.title = `runbook · ${status.host}`;
    } else if (route.kind === 'fleet') {
      show(view, fleetView(await getJson('api/fleet')));
    } else if (route.kind === 'run') {
      show(view, runView((await getJson(`api/runs/${encodeURIComponent(route.name)}`)).run));
    } else if (route.kind === 'playbook') {
      const q = `playbook=${encodeURIComponent(route.name)}`;
      const [{ runs }, readings] = await Promise.all([getJson(`api/runs?${q}&limit=50`), getJson(`api/readings?${q}`)]);
      const { view: parts, afterShow } = playbookView(route.name, runs, readings);
      show(view, parts);
      afterShow();
    } else {
      show(view, checklistView(route.name, await getJson(`api/checklist?playbook=${encodeURIComponent(route.name)}`)));
    }
  } catch (error) {
    show(view, el('p', { class: 'notice crit' }, String(error.message ?? error)));
  }
}

function connect() {
  const events = new EventSource('api/events');
  events.addEventListener('status', (event) => {
    status = JSON.parse(event.data);
    document.getElementById('host').textContent = status.host;
    document.getElementById('fleet').hidden = !status.fleet;
    live.textContent = `live · ${status.generated_at.slice(11, 19)} UTC`;
    live.className = 'live on';
    void render();
  });
  events.addEventListener('problem', (event) => {
    live.textContent = `update failed: ${JSON.parse(event.data).error}`;
    live.className = 'live off';
  });
  events.onerror = () => {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  };
}

window.addEventListener('hashchange', () => void render(true));
connect();
void render(true);
