// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
// The dashboard's charts: metric series from /api/metrics drawn as SVG by hand (no library). Per gateway: messages
// per second in and out, queue depth per endpoint, CPU and memory per module, module starts; per fleet: devices
// connected and the deployments' devices by status. app.js calls OutpostCharts.refresh(api, deviceId) on its refresh.
'use strict';

const OutpostCharts = (() => {
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 520;
  const H = 170;
  const PAD = { left: 56, right: 12, top: 12, bottom: 22 };
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
  // Charts are read again at most this often (the dashboard's refresh is every two seconds).
  const EVERY_MS = 10000;
  // Each chart: what it reads (names are globs; the first name with data wins, for gateways from before the
  // edgehub_/edgeAgent_ prefixes), whether counters are rates, and how its lines are made from the series.
  const DEVICE = [
    { id: 'messages', title: 'Messages per second', rate: true, unit: '/s', lines: [
      { label: 'in', names: ['edgehub_messages_received_total', 'messages_received_total'], sum: true },
      { label: 'out', names: ['edgehub_messages_sent_total', 'messages_sent_total'], sum: true }] },
    { id: 'queues', title: 'Queue depth per endpoint', unit: '', lines: [
      { names: ['edgehub_queue_length', 'queue_length'], by: ['endpoint', 'queue', 'to'] }] },
    { id: 'cpu', title: 'CPU per module (%)', unit: '%', lines: [
      { names: ['edgeAgent_used_cpu_percent'], by: ['module_name', 'module'] }] },
    { id: 'memory', title: 'Memory per module', unit: 'B', lines: [
      { names: ['edgeAgent_used_memory_bytes'], by: ['module_name', 'module'] }] },
    { id: 'restarts', title: 'Module starts', unit: '', lines: [
      { names: ['edgeAgent_module_start_total'], by: ['module_name', 'module'] }] },
  ];
  const FLEET = [
    { id: 'fleet-devices', title: 'Devices', unit: '', lines: [
      { label: 'connected', names: ['outpost_fleet_devices_connected'], sum: true },
      { label: 'registered', names: ['outpost_fleet_devices'], sum: true }] },
    { id: 'fleet-deployments', title: 'Deployments: devices by status', unit: '', lines: [
      { names: ['outpost_fleet_deployment_devices'], by: ['status'],
        only: { status: ['succeeded', 'failed', 'pending'] }, without: 'deployment' }] },
  ];
  let last = { key: null, at: 0 };

  const $ = (id) => document.getElementById(id);

  function el(name, attrs, text) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fmt(v, unit) {
    if (unit === 'B') {
      const u = ['B', 'KB', 'MB', 'GB', 'TB'];
      let i = 0;
      while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
      return (Math.round(v * 10) / 10) + ' ' + u[i];
    }
    const r = Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100;
    return r + (unit === '%' || unit === '/s' ? unit : '');
  }

  // The lines of one chart from the series of the answer: a name's series summed into one line, or one line per
  // value of the first label that the series have.
  function linesOf(chart, series) {
    const out = [];
    for (const spec of chart.lines) {
      let chosen = [];
      for (const name of spec.names) {
        chosen = series.filter((s) => s.name === name && s.points.length);
        if (chosen.length) break;
      }
      if (spec.without) chosen = chosen.filter((s) => !(spec.without in s.labels));
      if (spec.only) {
        chosen = chosen.filter((s) => Object.entries(spec.only).every(([k, vs]) => vs.includes(s.labels[k])));
      }
      if (spec.sum) {
        if (!chosen.length) continue;
        const byTime = new Map();
        chosen.forEach((s) => s.points.forEach((p) => byTime.set(p.t, (byTime.get(p.t) || 0) + p.v)));
        out.push({ label: spec.label, points: [...byTime.entries()].sort((a, b) => a[0] - b[0])
          .map(([t, v]) => ({ t, v })) });
      } else {
        // One line per value of the first of the labels the series have (series that differ in other labels,
        // such as a queue's priorities, are summed into it).
        const groups = new Map();
        for (const s of chosen) {
          const key = (spec.by || []).find((k) => k in s.labels);
          const label = key ? s.labels[key] : JSON.stringify(s.labels);
          const byTime = groups.get(label) || new Map();
          s.points.forEach((p) => byTime.set(p.t, (byTime.get(p.t) || 0) + p.v));
          groups.set(label, byTime);
        }
        for (const [label, byTime] of groups) {
          out.push({ label, points: [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v })) });
        }
      }
    }
    return out;
  }

  function draw(chart, lines, rangeFrom, to) {
    // The time axis starts at the first point when the data is younger than the range: a gateway that has sent for
    // a minute fills the chart, not its last pixels.
    let first = Infinity;
    lines.forEach((l) => l.points.forEach((p) => { first = Math.min(first, p.t); }));
    const from = Number.isFinite(first) && first < to ? Math.max(rangeFrom, first) : rangeFrom;
    const box = document.createElement('figure');
    box.className = 'chart';
    box.dataset.chart = chart.id;
    const caption = document.createElement('figcaption');
    caption.textContent = chart.title;
    box.appendChild(caption);
    const svg = el('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img',
      'aria-label': chart.title });
    svg.dataset.chart = chart.id;
    const x0 = PAD.left;
    const x1 = W - PAD.right;
    const y0 = H - PAD.bottom;
    const y1 = PAD.top;
    let max = 0;
    lines.forEach((l) => l.points.forEach((p) => { max = Math.max(max, p.v); }));
    max = max > 0 ? max * 1.1 : 1;
    const x = (t) => x0 + (x1 - x0) * (t - from) / Math.max(1, to - from);
    const y = (v) => y0 - (y0 - y1) * v / max;
    svg.appendChild(el('rect', { x: x0, y: y1, width: x1 - x0, height: y0 - y1, fill: '#fbfcfe', stroke: '#d5d9e3' }));
    for (const f of [0, 0.5, 1]) {
      const v = max * f / 1.1;
      svg.appendChild(el('line', { x1: x0, x2: x1, y1: y(v), y2: y(v), stroke: '#e6e9f0' }));
      svg.appendChild(el('text', { x: x0 - 4, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#667' },
        fmt(v, chart.unit)));
    }
    svg.appendChild(el('text', { x: x0, y: H - 6, 'font-size': 10, fill: '#667' },
      new Date(from).toLocaleTimeString()));
    svg.appendChild(el('text', { x: x1, y: H - 6, 'text-anchor': 'end', 'font-size': 10, fill: '#667' },
      new Date(to).toLocaleTimeString()));
    lines.forEach((l, i) => {
      const color = COLORS[i % COLORS.length];
      const pts = l.points.filter((p) => p.t >= from && p.t <= to);
      const line = el('polyline', { fill: 'none', stroke: color, 'stroke-width': 2,
        points: pts.map((p) => x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join(' ') });
      line.dataset.label = l.label;
      line.dataset.points = pts.length;
      svg.appendChild(line);
      if (pts.length === 1) {
        svg.appendChild(el('circle', { cx: x(pts[0].t), cy: y(pts[0].v), r: 3, fill: color }));
      }
    });
    box.appendChild(svg);
    const legend = document.createElement('div');
    legend.className = 'legend';
    lines.forEach((l, i) => {
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.className = 'swatch c' + (i % COLORS.length);
      item.append(swatch, l.label + (l.points.length ? ' ' + fmt(l.points[l.points.length - 1].v, chart.unit) : ''));
      legend.appendChild(item);
    });
    if (!lines.length) legend.textContent = 'no data in this range';
    box.appendChild(legend);
    return box;
  }

  async function render(api, target, path, charts, empty) {
    const since = $('charts-range') ? $('charts-range').value : 'PT1H';
    const names = [...new Set(charts.flatMap((c) => c.lines.flatMap((l) => l.names)))];
    const q = names.map((n) => 'name=' + encodeURIComponent(n)).join('&');
    const answer = await api('GET', path + '?' + q + '&since=' + since + '&rate=false&points=300');
    const from = Date.parse(answer.from);
    const to = Date.parse(answer.to);
    const figures = [];
    let any = false;
    for (const c of charts) {
      // Counters become rates here only for the charts that want them: rates of the points read.
      const series = c.rate ? answer.series.map((s) => ({ ...s, points: rate(s) })) : answer.series;
      const lines = linesOf(c, series);
      any = any || lines.some((l) => l.points.length);
      figures.push(draw(c, lines, from, to));
    }
    target.replaceChildren(...figures);
    if (!any) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = empty;
      target.prepend(p);
    }
  }

  // A counter's rate per second between its points; where it went down it was reset (the gateway restarted).
  function rate(s) {
    if (s.kind !== 'counter') return s.points;
    const out = [];
    for (let i = 1; i < s.points.length; i++) {
      const a = s.points[i - 1];
      const b = s.points[i];
      const dt = (b.t - a.t) / 1000;
      if (dt > 0) out.push({ t: b.t, v: (b.v >= a.v ? b.v - a.v : b.v) / dt });
    }
    return out;
  }

  async function refresh(api, deviceId) {
    const range = $('charts-range') ? $('charts-range').value : 'PT1H';
    const key = (deviceId || '') + '|' + range;
    if (key === last.key && Date.now() - last.at < EVERY_MS) return;
    last = { key, at: Date.now() };
    try {
      await render(api, $('fleet-charts'), '/metrics/fleet', FLEET, 'No fleet samples yet: the hub samples the fleet'
        + ' every fleet.sample.seconds (etc/org.outpost.hub.metrics.cfg).');
      if (deviceId && $('device-charts')) {
        await render(api, $('device-charts'), '/metrics/devices/' + encodeURIComponent(deviceId), DEVICE,
          'No metrics from this device yet: a gateway uploads them every interval.seconds'
          + ' (etc/org.outpost.metrics.upload.cfg, 60 s by default).');
      }
    } catch (e) {
      last.at = 0;
      $('fleet-charts').dataset.error = e.message;
    }
  }

  function reset() {
    last = { key: null, at: 0 };
  }

  return { refresh, reset, linesOf, rate };
})();
