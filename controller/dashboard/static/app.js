// Switchyard dashboard: polls the controller's JSON API once a second and draws what it finds.
// Plain DOM and hand-drawn SVG, no framework and nothing from the network but this controller.
// Text from the API only ever reaches the page through textContent / setAttribute.

import { clock, duration, el, percent, svg, when } from './dom.js';
import { WINDOW_MS, renderChart, renderSplit } from './charts.js';

const TOKEN_KEY = 'switchyard.token';

const state = {
  envs: [],            // GET /v1/envs
  apps: [],            // GET /v1/apps
  history: [],         // GET /v1/rollouts
  events: [],          // newest last
  lastSeq: null,       // null: the timeline has not been loaded yet
  series: new Map(),   // "env|route" -> {split, guard, versions: Map(version -> points)}
  rollouts: new Map(), // id -> GET /v1/rollouts/{id}
  shown: new Map(),    // "app|env" -> rollout id shown in the card
  envFilter: '',
  tick: 0,
};

// ---- API ---------------------------------------------------------------------------------------

class AuthError extends Error {}

async function api(path, options = {}) {
  const headers = { ...(options.headers || {}) };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { ...options, headers, cache: 'no-store' });
  if (response.status === 401) {
    showTokenPanel(true);
    throw new AuthError('the controller wants a valid API token');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

function showTokenPanel(show) {
  document.getElementById('token-panel').hidden = !show;
}

function setStatus(text, bad = false) {
  const status = document.getElementById('status');
  status.textContent = text;
  status.classList.toggle('bad', bad);
}

// ---- polling -----------------------------------------------------------------------------------

async function refreshSeries() {
  const pairs = new Map();
  for (const app of state.apps) {
    for (const env of Object.keys(app.environments)) pairs.set(`${env}|${app.route}`, { env, route: app.route });
  }
  await Promise.all([...pairs.entries()].map(async ([key, { env, route }]) => {
    const known = state.series.get(key) || { versions: new Map(), last: 0 };
    const q = new URLSearchParams({ env, route, since_ms: String(known.last) });
    const body = await api(`/v1/series?${q}`);
    known.split = body.split;
    known.guard = body.guard;
    known.proxies = body.proxies;
    known.proxiesOk = body.proxies_ok;
    const horizon = Date.now() - WINDOW_MS;
    for (const [version, points] of Object.entries(body.versions)) {
      const list = (known.versions.get(version) || []).concat(points);
      known.versions.set(version, list.filter((p) => p.t >= horizon));
      for (const p of points) known.last = Math.max(known.last, p.t);
    }
    for (const [version, list] of known.versions) {
      const kept = list.filter((p) => p.t >= horizon);
      if (kept.length) known.versions.set(version, kept); else known.versions.delete(version);
    }
    state.series.set(key, known);
  }));
}

async function refreshEvents() {
  const path = state.lastSeq === null ? '/v1/events?limit=200' : `/v1/events?after=${state.lastSeq}&limit=200`;
  const body = await api(path);
  state.events = state.events.concat(body.events).slice(-300);
  state.lastSeq = body.last_seq;
}

async function refreshRollouts() {
  const wanted = new Set();
  for (const app of state.apps) {
    for (const [env, info] of Object.entries(app.environments)) {
      const key = `${app.name}|${env}`;
      let id = info.active_rollout;
      if (!id) {
        const latest = state.history.find((r) => r.app === app.name && r.env === env);
        id = Math.max(latest ? latest.id : 0, state.shown.get(key) || 0) || null;
      }
      if (id) { state.shown.set(key, id); wanted.add(id); }
    }
  }
  await Promise.all([...wanted].map(async (id) => {
    const cached = state.rollouts.get(id);
    if (cached && cached.result) return;  // finished rollouts do not change
    state.rollouts.set(id, await api(`/v1/rollouts/${id}`));
  }));
}

async function poll() {
  const slow = state.tick % 5 === 0;
  const tasks = [api('/v1/apps').then((b) => { state.apps = b.apps; })];
  if (slow) {
    tasks.push(api('/v1/envs').then((b) => { state.envs = b.environments; }));
    tasks.push(api('/v1/analytics').then((b) => renderAnalytics(b)));
  }
  if (state.tick % 2 === 0) tasks.push(api('/v1/rollouts?limit=30').then((b) => { state.history = b.rollouts; }));
  tasks.push(refreshEvents());
  await Promise.all(tasks);
  await Promise.all([refreshSeries(), refreshRollouts()]);
  state.tick += 1;
}

async function loop() {
  try {
    await poll();
    showTokenPanel(false);
    setStatus(`updated ${clock(Date.now())}`);
    render();
  } catch (error) {
    setStatus(error instanceof AuthError ? 'token needed' : `cannot reach the controller: ${error.message}`, true);
  }
  setTimeout(loop, 1000);
}

// ---- rendering ---------------------------------------------------------------------------------

function render() {
  renderEnvs();
  renderCards();
  renderTimeline();
  renderHistory();
}

function renderEnvs() {
  const nav = document.getElementById('envs');
  const chip = (name, label, reachable) => el('button', {
    class: `env${state.envFilter === name ? ' selected' : ''}${reachable === false ? ' down' : ''}`,
    'data-env': name,
    title: reachable === false ? 'a proxy of this environment does not answer' : '',
    onclick: () => { state.envFilter = name; render(); },
  }, label);
  nav.replaceChildren(chip('', 'all'), ...state.envs.map((env) =>
    chip(env.name, env.name, env.proxies.every((p) => p.reachable))));
}

function renderCards() {
  const cards = document.getElementById('cards');
  const wanted = [];
  for (const app of state.apps) {
    for (const env of Object.keys(app.environments)) {
      if (!state.envFilter || state.envFilter === env) wanted.push({ app, env });
    }
  }
  // Cards are kept (not rebuilt) so that a button being pressed survives a refresh.
  const existing = new Map([...cards.children].map((c) => [c.dataset.key, c]));
  const ordered = wanted.map(({ app, env }) => {
    const key = `${app.name}|${env}`;
    const card = existing.get(key) || buildCard(app, env);
    updateCard(card, app, env);
    return card;
  });
  cards.replaceChildren(...ordered);
}

function buildCard(app, env) {
  const card = el('article', { class: 'card', 'data-key': `${app.name}|${env}`, 'data-app': app.name, 'data-env': env },
    el('header', { class: 'card-head' },
      el('h2', {}, el('span', { text: app.name }), el('span', { class: 'env-name', text: env })),
      el('span', { class: 'meta' })),
    el('div', { class: 'split', role: 'img' }, el('div', { class: 'split-bar' }), el('div', { class: 'split-legend' })),
    el('div', { class: 'charts' },
      chartBox('rps', 'requests/s'), chartBox('error_rate', 'error rate'), chartBox('p99_ms', 'p99 latency')),
    el('section', { class: 'rollout' }));
  return card;
}

function chartBox(metric, title) {
  return el('figure', { class: 'chart', 'data-metric': metric },
    el('figcaption', {}, el('span', { text: title }), el('span', { class: 'now' })),
    svg('svg', { viewBox: '0 0 320 110', preserveAspectRatio: 'none', role: 'img', 'aria-label': title }));
}

function updateCard(card, app, env) {
  const info = app.environments[env];
  const series = state.series.get(`${env}|${app.route}`);
  card.querySelector('.meta').textContent =
    `route ${app.route} · ${app.strategy} · live ${info.live_version || '—'}` +
    (series && series.guard ? ` · guard ${series.guard}` : '') +
    (series && series.proxies ? ` · proxies ${series.proxiesOk}/${series.proxies}` : '');
  renderSplit(card.querySelector('.split'), series ? series.split : []);
  for (const figure of card.querySelectorAll('.chart')) renderChart(figure, series);
  renderRollout(card.querySelector('.rollout'), app, env);
}

function renderRollout(box, app, env) {
  const id = state.shown.get(`${app.name}|${env}`);
  const rollout = id ? state.rollouts.get(id) : null;
  if (!rollout) {
    box.replaceChildren(el('p', { class: 'muted', text: 'No rollout yet.' }));
    return;
  }
  const active = !rollout.result;
  const steps = app.steps || [];
  const step = rollout.strategy === 'canary' && steps.length
    ? `step ${Math.min(rollout.step_index + 1, steps.length)}/${steps.length}` : '';
  const stepList = rollout.strategy === 'canary' ? el('ol', { class: 'steps' }, ...steps.map((w, i) => el('li', {
    class: i < rollout.step_index ? 'done' : i === rollout.step_index && active ? 'current' : '', text: `${w}%` }))) : null;
  const outcome = rollout.result || (rollout.paused ? 'paused' : rollout.state);
  const button = (verb, enabled) => el('button', {
    class: `action ${verb}`, 'data-action': verb, disabled: !enabled,
    onclick: () => act(rollout, verb),
  }, verb);
  box.replaceChildren(
    el('div', { class: 'rollout-head' },
      el('h3', {}, `Rollout #${rollout.id}: `, el('b', { text: rollout.version }), ` from ${rollout.baseline_version}`),
      el('span', { class: `badge ${rollout.result || (rollout.paused ? 'paused' : 'running')}`, 'data-field': 'state',
                   text: outcome })),
    el('p', { class: 'facts' },
      `${rollout.strategy} · ${step ? `${step} · ` : ''}weight ${rollout.weight}% · started ${clock(rollout.started_ms)}` +
      (rollout.finished_ms ? ` · took ${duration(rollout.finished_ms - rollout.started_ms)}` : '') +
      (rollout.reason ? ` · ${rollout.reason}` : '')),
    stepList,
    el('div', { class: 'actions' },
      button('promote', active), button('pause', active && !rollout.paused),
      button('resume', active && rollout.paused), button('abort', active)),
    verdicts(rollout.analyses || []));
}

function verdicts(analyses) {
  if (!analyses.length) return el('p', { class: 'muted', text: 'No analysis yet.' });
  return el('ul', { class: 'verdicts' }, ...analyses.slice(-8).reverse().map((a) => el('li', {},
    el('span', { class: `badge ${a.verdict}`, text: a.verdict }),
    ` step ${a.step_index + 1} at ${clock(a.at_ms)}`, a.reason ? ` — ${a.reason}` : '')));
}

async function act(rollout, verb) {
  const question = `${verb[0].toUpperCase()}${verb.slice(1)} rollout #${rollout.id} of ${rollout.app} ` +
    `(${rollout.version}) in ${rollout.env}?`;
  if (!window.confirm(question)) return;
  try {
    const updated = await api(`/v1/rollouts/${rollout.id}/${verb}`, { method: 'POST' });
    state.rollouts.set(updated.id, { ...state.rollouts.get(updated.id), ...updated });
    setStatus(`${verb}: rollout #${updated.id} is ${updated.result || updated.state}`);
    state.tick = 0;  // the history and analytics follow at the next poll
    render();
  } catch (error) {
    setStatus(`${verb} failed: ${error.message}`, true);
  }
}

function eventText(e) {
  const d = e.detail || {};
  switch (e.kind) {
    case 'rollout_started': return `${d.version || ''} started (baseline ${d.baseline || '?'})`;
    case 'rollout_step': return `${d.version || ''} at ${d.weight}%`;
    case 'rollout_paused': return `paused at ${d.weight}%`;
    case 'rollout_resumed': return `resumed at ${d.weight}%`;
    case 'rollout_rolling_back': return `rolling back to ${d.baseline || '?'}${d.reason ? `: ${d.reason}` : ''}`;
    case 'weights_set': return `route ${d.route}: ${Object.entries(d.weights || {}).map(([v, w]) => `${v}=${w}`).join(' ')}`;
    case 'guard_tripped': return `guard tripped on ${d.route || '?'}${d.reason ? `: ${d.reason}` : ''}`;
    case 'hook_failed': return `${d.phase || ''} hook failed: ${d.error || ''}`;
    default: {
      const parts = ['version', 'proxy', 'route', 'reason', 'summary'].filter((k) => d[k]).map((k) => `${d[k]}`);
      return parts.join(' · ');
    }
  }
}

function eventClass(kind) {
  if (/failed|tripped|aborted|rolling_back|drift_found/.test(kind)) return 'bad';
  if (/succeeded|resolved/.test(kind)) return 'good';
  return '';
}

function renderTimeline() {
  const list = document.getElementById('timeline');
  const shown = state.events.filter((e) => !state.envFilter || !e.env || e.env === state.envFilter);
  list.replaceChildren(...shown.slice(-120).reverse().map((e) => el('li', { class: eventClass(e.kind), 'data-kind': e.kind },
    el('time', { text: clock(e.at_ms), title: when(e.at_ms) }),
    el('span', { class: 'kind', text: e.kind }),
    el('span', { class: 'where', text: [e.app, e.env].filter(Boolean).join(' · ') }),
    el('span', { class: 'what', text: eventText(e) }))));
  if (!shown.length) list.replaceChildren(el('li', { class: 'muted', text: 'No events yet.' }));
}

function renderHistory() {
  const body = document.querySelector('#history tbody');
  // A rollout fetched since the list was (every second while shown) is the fresher row.
  const rows = state.history.filter((r) => !state.envFilter || r.env === state.envFilter)
    .map((r) => ({ ...r, ...(state.rollouts.get(r.id) || {}) }));
  body.replaceChildren(...rows.map((r) => el('tr', { 'data-id': r.id },
    el('td', { text: r.id }), el('td', { text: r.app }), el('td', { text: r.env }), el('td', { text: r.version }),
    el('td', { text: r.baseline_version }), el('td', { text: r.strategy }), el('td', { text: when(r.started_ms) }),
    el('td', { text: r.finished_ms ? duration(r.finished_ms - r.started_ms) : '…' }),
    el('td', {}, el('span', { class: `badge ${r.result || 'running'}`, text: r.result || r.state })))));
}

function renderAnalytics(report) {
  const figures = [
    ['deployments', 'deployments', (v) => v],
    ['success_rate', 'success rate', percent],
    ['change_failure_rate', 'change failure rate', percent],
    ['mean_duration_ms', 'mean duration', duration],
    ['mean_time_to_restore_ms', 'time to restore', duration],
    ['rollbacks', 'rollbacks', (v) => v],
    ['guard_trips', 'guard trips', (v) => v],
    ['drift_incidents', 'drift incidents', (v) => v],
  ];
  const totals = report.totals || {};
  const tiles = el('div', { class: 'tiles' }, ...figures.map(([key, label, format]) =>
    el('div', { class: 'tile', 'data-figure': key }, el('b', { text: String(format(totals[key]) ?? '—') }),
      el('span', { text: label }))));
  const table = el('table', { class: 'table' },
    el('thead', {}, el('tr', {}, el('th', { text: 'app' }), el('th', { text: 'env' }),
      ...figures.map(([, label]) => el('th', { text: label })))),
    el('tbody', {}, ...(report.groups || []).map((g) => el('tr', {}, el('td', { text: g.app }), el('td', { text: g.env }),
      ...figures.map(([key, , format]) => el('td', { text: String(format(g[key]) ?? '—') }))))));
  const groups = report.groups || [];
  document.getElementById('analytics').replaceChildren(tiles, groups.length ? table : '');
}

// ---- start -------------------------------------------------------------------------------------

document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('token-input');
  if (input.value.trim()) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  state.tick = 0;
  showTokenPanel(false);
  setStatus('trying the token…');
});

loop();
