// Browser benchmark: with 10,000 fragments, the time from a key press to the next frame the page
// paints, for Right (select the next fragment) and for Enter in edit mode (save the draft).
//
// Measured inside the page: from the keydown event's timestamp to a task posted from the next
// requestAnimationFrame callback, which runs once that frame's style, layout and paint are done.
// Chromium runs with its frame-rate limit off so a frame starts as soon as there is work, which
// measures the editor's cost instead of the wait for the display's next 60 Hz tick (that wait
// adds 0–16.7 ms on a real screen whatever the app does).
//
// Usage: npm run bench (builds first). Prints median, p95 and max in milliseconds. Then runs the
// suggestion stream benchmark of bench/assist.mjs.
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { runAssistBench } from './assist.mjs';

const FRAGMENTS = 10_000;
const RIGHT_SAMPLES = 200;
const ENTER_SAMPLES = 60;
const WARMUP = 15;
const TARGET_MS = 16;

const here = dirname(fileURLToPath(import.meta.url));

function documentOf(n) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  let text = '';
  for (let i = 0; i < n; i++) {
    const len = 6 + (i % 9);
    const s = Array.from({ length: len }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    text += `${s[0].toUpperCase()}${s.slice(1)} number ${i + 1}.${i % 8 === 7 ? '\n\n' : ' '}`;
  }
  return text;
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s.at(-1) };
}

async function installProbe(page) {
  await page.evaluate(() => {
    const w = window;
    w.__samples = [];
    w.__measureKey = null;
    window.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== w.__measureKey) return;
        const t0 = e.timeStamp;
        const handled = performance.now();
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            const now = performance.now();
            w.__samples.push([now - t0, now - handled]);
          };
          ch.port2.postMessage(null);
        });
      },
      true,
    );
  });
}

/** Waits until the page has painted twice: the previous key's work is done, as between a person's key presses. */
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))));

async function measure(page, key) {
  await settle(page);
  await page.evaluate((k) => {
    window.__measureKey = k;
  }, key);
  const count = await page.evaluate(() => window.__samples.length);
  await page.keyboard.press(key);
  await page.waitForFunction((c) => window.__samples.length > c, count);
  await page.evaluate(() => {
    window.__measureKey = null;
  });
  return page.evaluate(() => window.__samples.at(-1));
}

async function main() {
  const server = await serveStatic(join(here, '..', 'dist'));
  const browser = await launchBrowser({ extraArgs: ['--disable-frame-rate-limit', '--disable-gpu-vsync'] });
  const { page } = browser;
  try {
    await page.goto(server.url);
    await page.getByRole('listbox', { name: 'Fragments' }).waitFor();
    const t0 = Date.now();
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      document
        .querySelector('[role="listbox"]')
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, documentOf(FRAGMENTS));
    await page.waitForFunction((n) => document.querySelectorAll('[role="option"]').length === n + 1, FRAGMENTS, { timeout: 120_000 });
    const loadMs = Date.now() - t0;
    await installProbe(page);

    await page.keyboard.press('Home');
    const right = [];
    for (let i = 0; i < WARMUP + RIGHT_SAMPLES; i++) {
      const ms = await measure(page, 'ArrowRight');
      if (i >= WARMUP) right.push(ms);
    }

    const enter = [];
    for (let i = 0; i < WARMUP + ENTER_SAMPLES; i++) {
      await page.keyboard.press('Space');
      await page.keyboard.press('End');
      await page.keyboard.type('!');
      const ms = await measure(page, 'Enter');
      if (i >= WARMUP) enter.push(ms);
      await page.keyboard.press('ArrowRight');
    }
    const selected = await page.evaluate(() => document.querySelector('[aria-selected="true"]')?.textContent?.slice(0, 40));
    const mode = await page.evaluate(() => document.querySelector('[data-mode]')?.getAttribute('data-mode'));
    if (mode !== 'explore') throw new Error(`benchmark ended in ${mode} mode`);

    const line = (name, s) =>
      `${name.padEnd(40)} n=${s.n}  median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (median ${s.median < TARGET_MS ? 'under' : 'OVER'} ${TARGET_MS} ms)`;
    const [load1] = loadavg();
    console.log(
      `fragment list benchmark: ${FRAGMENTS.toLocaleString('en')} fragments (paste + first render ${loadMs} ms), ` +
        `Chromium ${browser.context.browser()?.version() ?? ''}, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`,
    );
    console.log(line('Right: keydown event → next frame', stats(right.map((x) => x[0]))));
    console.log(line('Right: page handler → next frame', stats(right.map((x) => x[1]))));
    console.log(line('Enter (edit): keydown event → next frame', stats(enter.map((x) => x[0]))));
    console.log(line('Enter (edit): page handler → next frame', stats(enter.map((x) => x[1]))));
    console.log(`(last selected: ${JSON.stringify(selected)})`);
    // The suggestion stream (src/assist) with a mocked desktop bridge, in a page of its own.
    await runAssistBench(browser.context, server.url);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
