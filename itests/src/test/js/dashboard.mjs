// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
//
// Drives the hub's dashboard in a real headless Chromium (Playwright-core, no browser download): the device list,
// creating a deployment from the page, the device converging, its detail, and a refused deployment.
// Usage: node dashboard.mjs <hub url> <token> <device id> <deployment json file> <screenshot dir>
// Prints one "step: ..." line per step passed; exits 1 with the reason (and a screenshot) on the first failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.PLAYWRIGHT_MODULES + '/');
const { chromium } = require('playwright-core');
const [url, token, device, deploymentFile, shots] = process.argv.slice(2);
const deployment = readFileSync(deploymentFile, 'utf8');
const deploymentId = JSON.parse(deployment).id;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'] });
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
try {
  await page.goto(url + '/dashboard/#token=' + encodeURIComponent(token));
  const row = page.locator(`#devices tr[data-device="${device}"]`);
  await row.waitFor({ timeout: 30000 });
  await page.waitForFunction((d) => {
    const r = document.querySelector(`#devices tr[data-device="${d}"]`);
    return r && r.textContent.includes('connected') && !r.textContent.includes('disconnected');
  }, device, { timeout: 30000 });
  console.log('step: the device list shows ' + device + ' connected');

  await page.fill('#deployment-json', deployment);
  await page.click('#deployment-check');
  await page.waitForFunction((d) => document.querySelector('#deployment-result').textContent.includes(d),
    device, { timeout: 15000 });
  console.log('step: checked: ' + await page.textContent('#deployment-result'));
  await page.click('#deployment-create');
  await page.waitForFunction(() => document.querySelector('#deployment-result').textContent.startsWith('Created'),
    null, { timeout: 15000 });
  console.log('step: created ' + deploymentId + ': ' + await page.textContent('#deployment-result'));

  const succeeded = `#deployments tr[data-deployment="${deploymentId}"] td[data-metric="succeeded"]`;
  await page.waitForFunction((s) => {
    const c = document.querySelector(s);
    return c && c.textContent === '1';
  }, succeeded, { timeout: 120000 });
  console.log('step: the deployment shows 1 device succeeded');
  await page.waitForFunction((d) => {
    const r = document.querySelector(`#deployment-devices tr[data-device="${d}"]`);
    return r && r.textContent.includes('succeeded');
  }, device, { timeout: 15000 });
  console.log('step: its device list shows ' + device + ' succeeded');

  await row.click();
  await page.waitForFunction(() => {
    const r = document.querySelector('#device-modules tr[data-module="heartbeat"]');
    return r && r.textContent.includes('running');
  }, null, { timeout: 60000 });
  console.log('step: the device detail shows heartbeat running');
  await page.waitForFunction((d) => {
    const r = document.querySelector(`#devices tr[data-device="${d}"]`);
    return r && r.textContent.includes('heartbeat: running');
  }, device, { timeout: 15000 });
  console.log('step: the device list shows its module running');

  // health.js: the gateway's checks (its $edgeAgent twin's reported health) as a badge and, opened, the failing
  // checks; the deployment's rollout bar (applied of targeted).
  await page.waitForFunction((d) => {
    const b = document.querySelector(`#devices tr[data-device="${d}"] .health-badge`);
    return b && ['ok', 'warn', 'critical'].includes(b.dataset.health);
  }, device, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('#device-health').textContent.startsWith('Health: '),
    null, { timeout: 15000 });
  console.log('step: the device shows its health: ' + await page.textContent('#device-health p'));
  const bar = `#deployments tr[data-deployment="${deploymentId}"] .rollout`;
  await page.waitForFunction((s) => {
    const b = document.querySelector(s);
    return b && b.dataset.applied === '1' && b.dataset.targeted === '1';
  }, bar, { timeout: 15000 });
  console.log('step: the rollout bar shows ' + await page.getAttribute(bar, 'title'));

  await page.fill('#deployment-json', '{"id": "broken", "targetCondition": "tags.site = ", "content": {}}');
  await page.click('#deployment-create');
  await page.waitForFunction(() => document.querySelector('#deployment-result').textContent.startsWith('Refused'),
    null, { timeout: 15000 });
  const refusal = await page.textContent('#deployment-result');
  if (!refusal.includes('targetCondition')) throw new Error('the refusal does not name the field: ' + refusal);
  console.log('step: a bad deployment is refused: ' + refusal);
  if (await page.locator('#deployments tr[data-deployment="broken"]').count() !== 0) {
    throw new Error('the refused deployment is listed');
  }
  if (errors.length) throw new Error('script errors on the page: ' + errors.join('; '));
  console.log('DASHBOARD OK');
} catch (e) {
  await page.screenshot({ path: shots + '/dashboard-failure.png', fullPage: true }).catch(() => {});
  console.log('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
