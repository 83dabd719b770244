// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
// The dashboard's Routing section: message routing's endpoints with their queues (/api/routing/endpoints), the
// routes, a route editor, dead letters and their replay, and a condition test. Uses app.js's api(), $() and cell()
// (loaded before app.js starts the page).
'use strict';

let routingDeadOf = null;

function routingRender(endpoints, routes) {
  const eb = $('routing-endpoints').tBodies[0];
  eb.replaceChildren();
  for (const e of endpoints) {
    const row = eb.insertRow();
    row.dataset.endpoint = e.name;
    cell(row, e.name);
    cell(row, e.type);
    cell(row, e.queued, e.queued > 0 && e.lagMs > 60000 ? 'bad' : '');
    cell(row, e.delivered);
    cell(row, e.failed);
    const dead = cell(row, e.deadLetters, e.deadLetters > 0 ? 'bad' : '');
    if (e.deadLetters > 0) {
      dead.style.cursor = 'pointer';
      dead.title = 'Show the dead letters';
      dead.onclick = () => { routingDeadOf = e.name; routingRefresh(); };
    }
    cell(row, Math.round(e.lagMs / 1000) + ' s');
    cell(row, e.node || '-');
    cell(row, e.lastError || '', e.lastError ? 'bad' : '');
  }
  const rb = $('routing-routes').tBodies[0];
  rb.replaceChildren();
  for (const r of routes) {
    const row = rb.insertRow();
    row.dataset.route = r.name;
    cell(row, r.name);
    cell(row, r.source);
    cell(row, r.condition);
    cell(row, r.endpoints.join(', '));
    cell(row, r.enabled ? 'enabled' : 'disabled', r.enabled ? 'ok' : '');
    row.onclick = () => {
      $('route-name').value = r.name;
      $('route-condition').value = r.condition;
      $('route-endpoints').value = r.endpoints.join(',');
      $('route-enabled').checked = r.enabled;
    };
  }
}

async function routingDeadLetters() {
  const box = $('routing-dead');
  if (!routingDeadOf) {
    box.hidden = true;
    return;
  }
  const list = await api('GET', '/routing/endpoints/' + encodeURIComponent(routingDeadOf) + '/deadletters?limit=50');
  box.hidden = false;
  $('routing-dead-of').textContent = routingDeadOf;
  const body = $('routing-dead-table').tBodies[0];
  body.replaceChildren();
  for (const d of list) {
    const row = body.insertRow();
    cell(row, d.sequence);
    cell(row, d.route);
    cell(row, new Date(d.enqueuedTime).toLocaleString());
    cell(row, d.attempts);
    cell(row, d.reason, 'bad');
  }
}

async function routingSave() {
  const name = $('route-name').value.trim();
  if (!name) {
    $('route-result').textContent = 'Give the route a name.';
    return;
  }
  const route = {
    source: 'DeviceMessages',
    condition: $('route-condition').value.trim() || 'true',
    endpoints: $('route-endpoints').value.split(',').map((s) => s.trim()).filter((s) => s),
    enabled: $('route-enabled').checked,
  };
  try {
    await api('PUT', '/routing/routes/' + encodeURIComponent(name), JSON.stringify(route));
    $('route-result').textContent = 'Saved route ' + name + '.';
    await routingRefresh();
  } catch (e) {
    $('route-result').textContent = 'Not saved: ' + e.message;
  }
}

async function routingTest() {
  let body;
  try {
    body = JSON.parse($('route-sample').value || '{}');
  } catch (e) {
    $('route-result').textContent = 'The sample body is not JSON: ' + e.message;
    return;
  }
  try {
    const r = await api('POST', '/routing/test', JSON.stringify({ condition: $('route-condition').value.trim()
      || 'true', message: { body } }));
    $('route-result').textContent = 'Condition: ' + r.result + (r.undefinedOperand ? ' (' + r.undefinedOperand
      + ' has no value)' : '') + '; the sample takes ' + (r.routes.length ? r.routes.join(', ') : 'no route');
  } catch (e) {
    $('route-result').textContent = 'Not tested: ' + e.message;
  }
}

async function routingReplay() {
  if (!routingDeadOf) return;
  try {
    const r = await api('POST', '/routing/endpoints/' + encodeURIComponent(routingDeadOf) + '/deadletters/replay');
    $('route-result').textContent = 'Replayed ' + r.replayed + ' dead letter(s) of ' + routingDeadOf + '.';
    await routingRefresh();
  } catch (e) {
    $('route-result').textContent = 'Not replayed: ' + e.message;
  }
}

async function routingRefresh() {
  const [endpoints, routes] = await Promise.all([api('GET', '/routing/endpoints'), api('GET', '/routing/routes')]);
  routingRender(endpoints, routes);
  await routingDeadLetters();
}

function routingStart() {
  $('route-save').onclick = routingSave;
  $('route-test').onclick = routingTest;
  $('routing-replay').onclick = routingReplay;
  $('routing-dead-close').onclick = () => { routingDeadOf = null; $('routing-dead').hidden = true; };
}
