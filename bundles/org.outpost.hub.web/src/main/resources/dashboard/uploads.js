// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
// The dashboard's Uploads section: ask a gateway for its support bundle or its modules' logs (/api/uploads), follow
// the task, download what arrived. Uses app.js's api(), $() and cell() (loaded before app.js starts the page).
'use strict';

const UPLOAD_RUNNING = new Set(['NotStarted', 'Running']);

async function uploadsAsk() {
  const device = $('upload-device').value.trim();
  const kind = $('upload-kind').value;
  const since = $('upload-since').value.trim();
  if (!device) {
    $('upload-result').textContent = 'Give the device.';
    return;
  }
  const options = {};
  if (since) {
    if (kind === 'module-logs') options.items = [{ id: '.*', filter: { since, tail: 1000 } }];
    else options.since = since;
  }
  $('upload-result').textContent = 'Asking ' + device + '...';
  try {
    const u = await api('POST', '/uploads', JSON.stringify({ deviceId: device, kind, options }));
    $('upload-result').textContent = u.taskStatus === 'Refused' ? 'Refused: ' + u.message
      : 'Asked: task ' + u.taskStatus + ' (upload ' + u.id + ')';
    await uploadsRefresh();
  } catch (e) {
    $('upload-result').textContent = 'Not asked: ' + e.message;
  }
}

async function uploadsDownload(upload, file) {
  const res = await fetch(file.href, { headers: { 'Authorization': 'Bearer ' + token } });
  if (!res.ok) {
    $('upload-result').textContent = 'Download failed: ' + res.status;
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name.substring(file.name.lastIndexOf('/') + 1);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function uploadsRender(uploads) {
  const body = $('uploads').tBodies[0];
  body.replaceChildren();
  for (const u of uploads) {
    const row = body.insertRow();
    row.dataset.upload = u.id;
    cell(row, u.deviceId);
    cell(row, u.kind);
    cell(row, u.taskStatus, u.taskStatus === 'Failed' || u.taskStatus === 'Refused' ? 'bad'
      : u.taskStatus === 'Completed' ? 'ok' : '');
    cell(row, new Date(u.created).toLocaleString());
    const files = row.insertCell();
    for (const f of u.files) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'upload-file';
      b.textContent = f.name.substring(f.name.lastIndexOf('/') + 1) + ' (' + f.bytes + ' B)';
      b.onclick = () => uploadsDownload(u, f);
      files.appendChild(b);
    }
    cell(row, u.message);
  }
}

async function uploadsRefresh() {
  const list = await api('GET', '/uploads?limit=50');
  // A running task's status is asked of its device by reading the upload itself.
  const fresh = await Promise.all(list.map((u) => UPLOAD_RUNNING.has(u.taskStatus) && u.correlationId
    ? api('GET', '/uploads/' + encodeURIComponent(u.id)).catch(() => u) : u));
  uploadsRender(fresh);
}

function uploadsStart() {
  $('upload-ask').onclick = uploadsAsk;
}
