// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
// The Outpost hub dashboard: plain JavaScript over the REST API (/api/openapi.json), refreshed every two seconds.
'use strict';

const REFRESH_MS = 2000;
const FAILING = new Set(['failed', 'backoff', 'unhealthy', 'dead']);
let token = sessionStorage.getItem('outpost-token');
let openDevice = null;
let openDeployment = null;

const $ = (id) => document.getElementById(id);

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (cls) td.className = cls;
  return td;
}

let lastTotal = null;

async function api(method, path, body) {
  const res = await fetch('/api' + path, {
    method,
    headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : body,
  });
  if (res.status === 401) {
    showLogin('The token was refused.');
    throw new Error('unauthorized');
  }
  if (res.headers.has('X-Total-Count')) lastTotal = Number(res.headers.get('X-Total-Count'));
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = new Error(json && json.error ? json.error + (json.path ? ' (at ' + json.path + ')' : '') : res.statusText);
    e.status = res.status;
    throw e;
  }
  return json;
}

function showLogin(message) {
  sessionStorage.removeItem('outpost-token');
  token = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
}

function renderDevices(devices) {
  const body = $('devices').tBodies[0];
  body.replaceChildren();
  for (const d of devices) {
    const row = body.insertRow();
    row.className = 'clickable';
    row.dataset.device = d.deviceId;
    row.onclick = () => { openDevice = d.deviceId; refresh(); };
    cell(row, d.deviceId);
    cell(row, d.parentId || '-', d.parentId ? '' : 'muted').dataset.parent = d.parentId || '';
    cell(row, d.childCount || 0, d.childCount ? '' : 'muted').dataset.children = d.childCount || 0;
    cell(row, d.status, d.status === 'enabled' ? '' : 'muted');
    cell(row, d.connectionState, d.connectionState === 'connected' ? 'ok' : 'muted');
    cell(row, d.lastActivityTime || 'never');
    cell(row, d.deployment ? d.deployment + (d.layers.length ? ' + ' + d.layers.join(', ') : '') : '-');
    const modules = Object.entries(d.modules).map(([m, s]) => m + ': ' + s).join(', ');
    cell(row, modules || '-', d.failingModules > 0 ? 'bad' : '');
    cell(row, d.restartCount);
    cell(row, JSON.stringify(d.tags));
  }
  if (!devices.length) {
    cell(body.insertRow(), 'No devices yet: register one with hub:device-create or PUT /api/devices/{id}.', 'muted');
  } else if (lastTotal !== null && lastTotal > devices.length) {
    cell(body.insertRow(), 'Showing the first ' + devices.length + ' of ' + lastTotal + ' devices (the REST API pages'
      + ' them: /api/devices?offset=&limit=&q=<condition>).', 'muted');
  }
}

function renderDevice(d) {
  $('device').hidden = false;
  $('device-id').textContent = d.deviceId;
  $('device-facts').textContent = d.status + ', ' + d.connectionState + ' (' + d.connections + ' connections), last'
    + ' activity ' + (d.lastActivityTime || 'never') + ', ' + d.messages + ' messages since registered, deployment '
    + (d.deployment || '-') + ', tags ' + JSON.stringify(d.tags);
  const children = $('device-children');
  children.replaceChildren();
  children.append(d.parentId ? 'Below gateway ' + d.parentId + '. ' : '');
  if (d.children && d.children.length) {
    children.append('Children (' + d.children.length + '): ');
    d.children.forEach((c, i) => {
      const a = document.createElement('a');
      a.href = '#';
      a.dataset.child = c;
      a.textContent = c;
      a.onclick = (e) => { e.preventDefault(); openDevice = c; refresh(); };
      if (i > 0) children.append(', ');
      children.append(a);
    });
  } else {
    children.append('No children.');
  }
  const modules = $('device-modules').tBodies[0];
  modules.replaceChildren();
  const reported = (d.edgeAgent.reported || {}).modules || {};
  for (const [name, m] of Object.entries(reported)) {
    const row = modules.insertRow();
    row.dataset.module = name;
    cell(row, name);
    cell(row, m.runtimeStatus, FAILING.has(m.runtimeStatus) ? 'bad' : (m.runtimeStatus === 'running' ? 'ok' : ''));
    cell(row, m.restartCount || 0);
    cell(row, m.statusDescription || '');
  }
  const telemetry = $('device-telemetry').tBodies[0];
  telemetry.replaceChildren();
  for (const t of d.telemetry.slice().reverse()) {
    const row = telemetry.insertRow();
    cell(row, t.sequence);
    cell(row, t.moduleId || '(device)');
    cell(row, t.body.length > 200 ? t.body.slice(0, 200) + '...' : t.body);
  }
  $('device-twins').textContent = JSON.stringify({ $edgeAgent: d.edgeAgent, $edgeHub: d.edgeHub, device: d.twin },
    null, 2);
}

function renderDeployments(deployments) {
  const body = $('deployments').tBodies[0];
  body.replaceChildren();
  for (const d of deployments) {
    const m = d.systemMetrics;
    const row = body.insertRow();
    row.className = 'clickable';
    row.dataset.deployment = d.id;
    row.onclick = () => { openDeployment = d.id; refresh(); };
    cell(row, d.id);
    cell(row, d.layered ? 'layered' : 'base');
    cell(row, d.priority);
    cell(row, d.targetCondition);
    cell(row, m.targetedCount).dataset.metric = 'targeted';
    cell(row, m.appliedCount).dataset.metric = 'applied';
    cell(row, m.reportedSuccessfulCount, m.reportedSuccessfulCount ? 'ok' : '').dataset.metric = 'succeeded';
    cell(row, m.reportedFailedCount, m.reportedFailedCount ? 'bad' : '').dataset.metric = 'failed';
    cell(row, m.pendingCount).dataset.metric = 'pending';
    const del = document.createElement('button');
    del.textContent = 'Delete';
    del.onclick = async (e) => {
      e.stopPropagation();
      if (confirm('Delete deployment ' + d.id + '? Its devices keep what they run unless another deployment targets them.')) {
        await api('DELETE', '/deployments/' + encodeURIComponent(d.id));
        refresh();
      }
    };
    row.insertCell().appendChild(del);
  }
  if (!deployments.length) {
    cell(body.insertRow(), 'No deployments yet: create one below.', 'muted');
  }
}

function renderDeployment(d) {
  $('deployment').hidden = false;
  $('deployment-id').textContent = d.id + ' (' + d.targetCondition + ')';
  const body = $('deployment-devices').tBodies[0];
  body.replaceChildren();
  for (const device of d.targetedDevices) {
    const row = body.insertRow();
    row.dataset.device = device;
    cell(row, device);
    if (device in d.failedDevices) {
      cell(row, 'failed', 'bad');
      cell(row, d.failedDevices[device]);
    } else if (d.succeededDevices.includes(device)) {
      cell(row, 'succeeded', 'ok');
      cell(row, '');
    } else if (d.pendingDevices.includes(device)) {
      cell(row, 'pending');
      cell(row, 'set on the device; waiting for its report');
    } else {
      cell(row, 'not applied', 'muted');
      cell(row, 'another deployment wins, or the hub is on its way to it');
    }
  }
}

async function refresh() {
  if (!token) return;
  try {
    const [fleet, devices, deployments] = await Promise.all([api('GET', '/fleet'), api('GET', '/devices'),
      api('GET', '/deployments')]);
    // Each count says what it counts: modules failing now are not devices on which a deployment failed (a refused
    // or rolled-back deployment leaves the last good one running), and the hub's telemetry count starts again with
    // the hub, while a device's messages are its total.
    $('summary').textContent = fleet.devices + ' devices, ' + fleet.connected + ' connected, ' + fleet.disabled
      + ' disabled, ' + fleet.deployments + ' deployments; ' + fleet.failingModules.length + ' modules failing now, '
      + fleet.failedDeployments.length + ' devices on which a deployment failed; ' + fleet.telemetryReceived
      + ' messages received since the hub started ' + new Date(fleet.telemetryReceivedSince).toLocaleString();
    renderDevices(devices);
    renderDeployments(deployments);
    if (typeof uploadsRefresh === 'function') await uploadsRefresh();
    if (typeof routingRefresh === 'function') await routingRefresh();
    if (openDevice) {
      try {
        renderDevice(await api('GET', '/devices/' + encodeURIComponent(openDevice)));
      } catch (e) {
        if (e.status === 404) { openDevice = null; $('device').hidden = true; } else throw e;
      }
    }
    let deploymentDetail = null;
    if (openDeployment) {
      try {
        deploymentDetail = await api('GET', '/deployments/' + encodeURIComponent(openDeployment));
        renderDeployment(deploymentDetail);
      } catch (e) {
        if (e.status === 404) { openDeployment = null; $('deployment').hidden = true; } else throw e;
      }
    }
    OutpostCharts.refresh(api, openDevice);
    await renderHealth(deployments, openDevice, deploymentDetail);
    $('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    $('refreshed').textContent = 'not updated: ' + e.message;
  }
}

function readDeployment() {
  const result = $('deployment-result');
  result.className = '';
  try {
    const deployment = JSON.parse($('deployment-json').value);
    if (deployment && typeof deployment.id === 'string') return deployment;
    result.textContent = 'The deployment needs an "id".';
  } catch (e) {
    result.textContent = 'Not JSON: ' + e.message;
  }
  result.className = 'error';
  return null;
}

async function checkDeployment() {
  const deployment = readDeployment();
  if (!deployment) return;
  const result = $('deployment-result');
  try {
    const c = await api('POST', '/deployments/check', JSON.stringify(deployment));
    result.className = c.exists ? 'error' : 'ok';
    const shown = c.targetedDevices.slice(0, 10).join(', ') + (c.targetedDevices.length > 10 ? ', ...' : '');
    result.textContent = (c.exists ? 'Valid, but a deployment ' + c.id + ' exists (use another id). ' : 'Valid. ')
      + 'It would target ' + c.targetedDevices.length + ' device(s)' + (shown ? ': ' + shown : '') + '.';
  } catch (e) {
    result.className = 'error';
    result.textContent = 'Refused: ' + e.message;
  }
}

async function createDeployment() {
  const deployment = readDeployment();
  if (!deployment) return;
  const result = $('deployment-result');
  result.textContent = 'creating...';
  try {
    const d = await api('PUT', '/deployments/' + encodeURIComponent(deployment.id), JSON.stringify(deployment));
    result.className = 'ok';
    result.textContent = 'Created ' + d.id + ': it targets ' + d.systemMetrics.targetedCount + ' device(s).';
    openDeployment = d.id;
    refresh();
  } catch (e) {
    result.className = 'error';
    result.textContent = 'Refused, nothing changed: ' + e.message;
  }
}

function start() {
  const fromUrl = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromUrl) {
    token = fromUrl;
    sessionStorage.setItem('outpost-token', token);
    history.replaceState(null, '', location.pathname);
  }
  $('login-form').onsubmit = (e) => {
    e.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem('outpost-token', token);
    start();
  };
  $('device-close').onclick = () => { openDevice = null; $('device').hidden = true; };
  $('deployment-create').onclick = createDeployment;
  $('deployment-check').onclick = checkDeployment;
  if (typeof uploadsStart === 'function') uploadsStart();
  if (typeof routingStart === 'function') routingStart();
  if (!token) {
    showLogin();
    return;
  }
  $('login').hidden = true;
  $('app').hidden = false;
  refresh();
}

start();
setInterval(refresh, REFRESH_MS);
