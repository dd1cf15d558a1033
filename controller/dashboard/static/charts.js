// The split bar and the hand-drawn SVG charts of one card (app.js calls them every second).
import { colorOf, el, percent, svg } from './dom.js';

export const WINDOW_MS = 15 * 60 * 1000;  // what the charts span

export function renderSplit(box, split) {
  const total = split.reduce((sum, e) => sum + e.weight, 0);
  const bar = box.querySelector('.split-bar');
  const legend = box.querySelector('.split-legend');
  box.dataset.split = split.map((e) => `${e.version}=${e.weight}`).join(',');
  box.setAttribute('aria-label', `split ${box.dataset.split || 'unknown'}`);
  bar.replaceChildren(...split.filter((e) => e.weight > 0).map((e) => {
    const share = total ? (100 * e.weight) / total : 0;
    const seg = el('div', { class: 'seg', 'data-version': e.version, 'data-weight': e.weight,
                            title: `${e.version}: weight ${e.weight} (${share.toFixed(1)}%)` },
      share >= 8 ? `${e.version} ${Math.round(share)}%` : '');
    seg.style.width = `${share}%`;
    seg.style.background = colorOf(e.version);
    return seg;
  }));
  if (!split.length) bar.replaceChildren(el('div', { class: 'seg empty', text: 'no split yet' }));
  legend.replaceChildren(...split.map((e) => {
    const swatch = el('i');
    swatch.style.background = colorOf(e.version);
    return el('span', { class: 'legend-item', 'data-version': e.version, 'data-weight': e.weight },
      swatch, `${e.version} `, el('b', { text: String(e.weight) }));
  }));
}

export function renderChart(figure, series) {
  const metric = figure.dataset.metric;
  const plot = figure.querySelector('svg');
  const now = Date.now();
  const lines = series ? [...series.versions.entries()] : [];
  let max = 0;
  for (const [, points] of lines) for (const p of points) max = Math.max(max, p[metric]);
  if (metric === 'error_rate') max = Math.max(max, 0.01);
  else max = Math.max(max * 1.15, metric === 'p99_ms' ? 10 : 1);
  const W = 320, H = 110, top = 6, bottom = 14;
  const x = (t) => ((t - (now - WINDOW_MS)) / WINDOW_MS) * W;
  const y = (v) => top + (1 - v / max) * (H - top - bottom);
  const nodes = [];
  for (const frac of [0, 0.5, 1]) {
    nodes.push(svg('line', { x1: 0, x2: W, y1: y(max * frac), y2: y(max * frac), class: 'grid' }));
  }
  const label = metric === 'error_rate' ? percent(max) : metric === 'p99_ms' ? `${Math.round(max)} ms` : max.toFixed(1);
  const maxText = svg('text', { x: 3, y: top + 9, class: 'axis' });
  maxText.textContent = label;
  const spanText = svg('text', { x: 3, y: H - 3, class: 'axis' });
  spanText.textContent = '−15 min';
  const nowText = svg('text', { x: W - 3, y: H - 3, class: 'axis end' });
  nowText.textContent = 'now';
  nodes.push(maxText, spanText, nowText);
  const current = [];
  for (const [version, points] of lines) {
    if (!points.length) continue;
    const d = points.map((p) => `${x(p.t).toFixed(1)},${y(p[metric]).toFixed(1)}`).join(' ');
    nodes.push(svg('polyline', { points: d, fill: 'none', stroke: colorOf(version), 'stroke-width': 1.6,
                                 'vector-effect': 'non-scaling-stroke', 'data-version': version }));
    const last = points[points.length - 1][metric];
    current.push(`${version} ${metric === 'error_rate' ? percent(last) : metric === 'p99_ms' ? `${Math.round(last)}ms` : last.toFixed(1)}`);
  }
  plot.replaceChildren(...nodes);
  figure.querySelector('.now').textContent = current.join(' · ');
}
