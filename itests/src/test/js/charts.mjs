// Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
//
// Drives the hub's dashboard charts in a real headless Chromium (Playwright-core): the fleet's charts and a gateway's
// charts have points, and a screenshot of a chart shows its line (pixels of the line's colour are counted, so a chart
// that draws nothing, or draws off its box, fails).
// Usage: node charts.mjs <hub url> <token> <device id> <screenshot dir>
// Prints one "step: ..." line per step passed; exits 1 with the reason (and a screenshot) on the first failure.
import { createRequire } from 'node:module';

const require = createRequire(process.env.PLAYWRIGHT_MODULES + '/');
const { chromium } = require('playwright-core');
const [url, token, device, shots] = process.argv.slice(2);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));

// The pixels of a PNG that are within a small distance of a colour, counted in a page of its own (no dashboard CSP).
async function colouredPixels(png, hex) {
  const blank = await browser.newPage();
  try {
    return await blank.evaluate(async ([b64, colour]) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const want = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (Math.abs(d[i] - want[0]) + Math.abs(d[i + 1] - want[1]) + Math.abs(d[i + 2] - want[2]) < 60) n++;
      }
      return n;
    }, [png.toString('base64'), hex]);
  } finally {
    await blank.close();
  }
}

// Waits until a chart has a line of at least `min` points, and returns that line's colour and point count: the last
// such line in the SVG, which is drawn over the others (lines with the same values cover each other).
async function line(chart, min) {
  const sel = `svg[data-chart="${chart}"] polyline`;
  await page.waitForFunction(([s, m]) => [...document.querySelectorAll(s)].some((l) => Number(l.dataset.points) >= m),
    [sel, min], { timeout: 60000 });
  return page.evaluate(([s, m]) => {
    const l = [...document.querySelectorAll(s)].reverse().find((p) => Number(p.dataset.points) >= m);
    return { colour: l.getAttribute('stroke'), points: Number(l.dataset.points), label: l.dataset.label };
  }, [sel, min]);
}

async function shows(chart, l) {
  const png = await page.locator(`figure[data-chart="${chart}"] svg`).screenshot({ path: shots + '/chart-' + chart
    + '.png' });
  const pixels = await colouredPixels(png, l.colour);
  if (pixels < 20) throw new Error(`the ${chart} chart's screenshot has ${pixels} pixels of its line's colour`);
  return pixels;
}

try {
  await page.goto(url + '/dashboard/#token=' + encodeURIComponent(token));
  const fleet = await line('fleet-devices', 2);
  console.log(`step: the fleet chart has ${fleet.points} points (${fleet.label})`);
  console.log(`step: the fleet chart's screenshot shows its line (${await shows('fleet-devices', fleet)} pixels)`);

  await page.locator(`#devices tr[data-device="${device}"]`).click();
  const messages = await line('messages', 2);
  console.log(`step: the gateway's messages chart has ${messages.points} points (${messages.label})`);
  console.log(`step: the messages chart's screenshot shows its line (${await shows('messages', messages)} pixels)`);
  const queues = await line('queues', 2);
  console.log(`step: the gateway's queue chart has ${queues.points} points (${queues.label})`);

  await page.screenshot({ path: shots + '/charts.png', fullPage: true });
  if (errors.length) throw new Error('script errors on the page: ' + errors.join('; '));
  console.log('CHARTS OK');
} catch (e) {
  await page.screenshot({ path: shots + '/charts-failure.png', fullPage: true }).catch(() => {});
  console.log('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
