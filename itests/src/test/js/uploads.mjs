// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
//
// Drives the dashboard's Uploads section in a real headless Chromium (Playwright-core): ask a gateway for its support
// bundle from the page, see the task complete, download the zip.
// Usage: node uploads.mjs <hub url> <token> <device id> <download dir>
// Prints one "step: ..." line per step passed; exits 1 with the reason (and a screenshot) on the first failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(process.env.PLAYWRIGHT_MODULES + '/');
const { chromium } = require('playwright-core');
const [url, token, device, dir] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'] });
const page = await browser.newPage({ acceptDownloads: true });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
try {
  await page.goto(url + '/dashboard/#token=' + encodeURIComponent(token));
  await page.locator('#upload-ask').waitFor({ timeout: 30000 });
  await page.fill('#upload-device', device);
  await page.selectOption('#upload-kind', 'support-bundle');
  await page.fill('#upload-since', '1h');
  await page.click('#upload-ask');
  await page.waitForFunction(() => document.querySelector('#upload-result').textContent.startsWith('Asked'),
    null, { timeout: 60000 });
  const asked = await page.textContent('#upload-result');
  console.log('step: asked: ' + asked);
  // This upload's row (other tests of the class ask for uploads of the same device meanwhile).
  const id = /\(upload ([^)]+)\)/.exec(asked);
  if (!id) throw new Error('the page does not name the upload it asked for: ' + asked);
  const done = '#uploads tbody tr[data-upload="' + id[1] + '"]';
  await page.waitForFunction((s) => {
    const r = document.querySelector(s);
    return r && r.textContent.includes('Completed') && r.querySelector('button.upload-file');
  }, done, { timeout: 60000 });
  console.log('step: the upload shows Completed with its file');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }),
    page.click(done + ' button.upload-file')]);
  const name = download.suggestedFilename();
  if (!/^support-bundle-[0-9-]+\.zip$/.test(name)) throw new Error('the download is named ' + name);
  const file = dir + '/' + name;
  await download.saveAs(file);
  const head = readFileSync(file).subarray(0, 2).toString('latin1');
  if (head !== 'PK') throw new Error('the download is not a zip: ' + head);
  console.log('step: downloaded ' + name);
  if (errors.length) throw new Error('script errors on the page: ' + errors.join('; '));
  console.log('UPLOADS OK');
} catch (e) {
  await page.screenshot({ path: dir + '/uploads-failure.png', fullPage: true }).catch(() => {});
  console.log('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
