// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
// Health badges and rollout progress for the dashboard (app.js calls renderHealth after each refresh):
// - each device row gets a badge with the status its gateway's checks last reported (/api/health),
// - the open device shows its failing checks with what to do (/api/devices/{id}/health),
// - each deployment row and the open deployment show a bar: devices applied (and succeeded) of those targeted.
'use strict';

const HEALTH_LABEL = { ok: 'ok', warn: 'warn', critical: 'critical', unknown: '?' };

function healthBadge(h) {
  const span = document.createElement('span');
  span.className = 'health-badge health-' + h.status + (h.connectionState === 'connected' ? '' : ' health-stale');
  span.dataset.health = h.status;
  span.textContent = HEALTH_LABEL[h.status] || h.status;
  span.title = h.status === 'unknown' ? 'no health reported (not a gateway, or an older one)'
    : h.ok + ' ok, ' + h.warn + ' warn, ' + h.critical + ' critical'
      + (h.connectionState === 'connected' ? '' : ' (as last reported: disconnected now)');
  return span;
}

function progressBar(applied, succeeded, targeted) {
  const bar = document.createElement('div');
  bar.className = 'rollout';
  bar.dataset.applied = applied;
  bar.dataset.targeted = targeted;
  bar.title = applied + ' of ' + targeted + ' devices applied, ' + succeeded + ' succeeded';
  const pct = (n) => (targeted ? Math.round(100 * n / targeted) : 0) + '%';
  const done = document.createElement('div');
  done.className = 'rollout-applied';
  done.style.width = pct(applied);
  const ok = document.createElement('div');
  ok.className = 'rollout-succeeded';
  ok.style.width = pct(succeeded);
  const label = document.createElement('span');
  label.textContent = applied + '/' + targeted;
  bar.append(done, ok, label);
  return bar;
}

function renderDeviceHealth(h) {
  const box = $('device-health');
  box.replaceChildren();
  const head = document.createElement('p');
  head.append('Health: ', healthBadge(h), ' ' + (h.status === 'unknown' ? 'never reported'
    : h.ok + ' ok, ' + h.warn + ' warn, ' + h.critical + ' critical'
      + (h.connectionState === 'connected' ? '' : ', as last reported (disconnected now)')));
  box.appendChild(head);
  if (!h.failing.length) return;
  const table = document.createElement('table');
  table.id = 'device-health-checks';
  const header = table.createTHead().insertRow();
  for (const t of ['Check', 'Result', 'Detail', 'What to do']) {
    const th = document.createElement('th');
    th.textContent = t;
    header.appendChild(th);
  }
  const body = table.createTBody();
  for (const f of h.failing) {
    const row = body.insertRow();
    cell(row, f.check);
    cell(row, f.result, f.result === 'critical' ? 'bad' : '');
    cell(row, f.detail);
    cell(row, f.action);
  }
  box.appendChild(table);
}

async function renderHealth(deployments, openDevice, openDeploymentDetail) {
  try {
    const health = await api('GET', '/health');
    const byId = new Map(health.map((h) => [h.deviceId, h]));
    for (const row of $('devices').tBodies[0].rows) {
      const h = byId.get(row.dataset.device);
      if (h && row.cells.length) row.cells[0].append(' ', healthBadge(h));
    }
    if (openDevice) renderDeviceHealth(await api('GET', '/devices/' + encodeURIComponent(openDevice) + '/health'));
  } catch (e) {
    if (e.status !== 404) $('refreshed').textContent = 'health not updated: ' + e.message;
  }
  for (const d of deployments) {
    const row = $('deployments').querySelector('tr[data-deployment="' + CSS.escape(d.id) + '"]');
    const applied = row && row.querySelector('[data-metric="applied"]');
    const m = d.systemMetrics;
    if (applied) applied.appendChild(progressBar(m.appliedCount, m.reportedSuccessfulCount, m.targetedCount));
  }
  const detail = $('deployment-progress');
  if (openDeploymentDetail && detail) {
    const d = openDeploymentDetail;
    detail.replaceChildren(progressBar(d.appliedDevices.length, d.succeededDevices.length,
      d.targetedDevices.length), ' ' + d.appliedDevices.length + ' of ' + d.targetedDevices.length
      + ' devices applied, ' + d.succeededDevices.length + ' succeeded, ' + Object.keys(d.failedDevices).length
      + ' failed, ' + d.pendingDevices.length + ' pending');
  }
}
