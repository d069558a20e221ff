// The editor at 10,000 fragments in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi),
// opened through the start-up path with the Go side faked in the page (as bench/run.mjs does in
// Chromium): the time from a key press to the next frame Firefox paints, for Right (select the
// next fragment) and Enter in edit mode (save the draft). Target: median < 16 ms for both.
//
// Measured inside the page as in Chromium (bench/keys.mjs): keys 100–140 ms apart, each from its
// keydown event's timestamp to a task posted from the next requestAnimationFrame callback (that
// frame's style, layout and paint are done). Firefox runs
// in ASAP mode (layout.frame_rate 0: a frame starts as soon as there is work; a bare
// requestAnimationFrame loop runs about 48,000 times a second), so this measures the editor, not
// the wait for a 60 Hz tick. Chromium has no working equivalent here (bench/keys.mjs).
//
// Usage: node bench/firefox.mjs after a build (`npm run bench` runs it).
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchFirefox } from '../scripts/firefox.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { keyProbe, measureKey as measure, sample as sampleWith, stats } from './keys.mjs';

const FRAGMENTS = Number(process.env.BENCH_FIREFOX_FRAGMENTS) || 10_000;
const SAMPLES = { ArrowRight: 150, Enter: 50 };
const WARMUP = 15;
const sample = (n, step) => sampleWith(n, WARMUP, step);
const TARGET_MS = 16;

const here = dirname(fileURLToPath(import.meta.url));

/** Installed before the page's scripts: the fake Go side (Wails-shaped) and the probe. */
function fakeDesktop(n) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  const fragments = [];
  for (let i = 0; i < n; i++) {
    const len = 6 + (i % 9);
    const s = Array.from({ length: len }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    fragments.push({ text: `${s[0].toUpperCase()}${s.slice(1)} number ${i + 1}.${i % 8 === 7 ? '\n\n' : ' '}` });
  }
  const file = JSON.stringify({ format: 1, id: 'novel', name: 'Novel', created: '2026-01-02T15:04:05Z', modified: '2026-01-02T15:04:05Z', fragments, selection: 0, draft: null });
  const probe = { ready: false };
  window.__bench = probe;
  const later = (v) => new Promise((ok) => setTimeout(() => ok(v === undefined ? undefined : JSON.parse(JSON.stringify(v))), 0));
  const methods = {
    StartDocument: () => later(JSON.parse(file)),
    StartupProblems: () => later([]),
    FrontendReady: () => {
      probe.ready = true;
      return later();
    },
    DocumentChanged: (doc) => {
      JSON.stringify(doc); // what Wails does with the argument
      return later(1);
    },
    AssistModels: () => later([]),
    AssistSettings: () => later({ models: {}, active_chosen: false, instructions: [] }),
  };
  window.go = { main: { App: new Proxy(methods, { get: (m, name) => m[name] ?? (() => Promise.reject(new Error(`${String(name)} is not in the benchmark`))) }) } };
  window.runtime = { EventsOn: () => () => {}, WindowSetTitle: () => {}, Quit: () => {} };
}

export async function runFirefoxBench() {
  const server = await serveStatic(join(here, '..', 'dist'));
  const ff = await launchFirefox({ prefs: { 'layout.frame_rate': 0, 'privacy.reduceTimerPrecision': false } });
  const { page } = ff;
  try {
    page.setDefaultTimeout(120_000);
    await page.evaluateOnNewDocument(keyProbe);
    await page.evaluateOnNewDocument(fakeDesktop, FRAGMENTS);
    await page.goto(server.url);
    await page.waitForFunction(() => window.__bench?.ready === true, { polling: 100 });
    await page.waitForSelector('[role="listbox"][aria-label="Fragments"] [role="option"]');
    // To the middle of the document with search (/).
    const middle = `number ${Math.floor(FRAGMENTS / 2)}.`;
    await page.keyboard.press('/');
    await page.keyboard.type(middle);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const found = await page.evaluate(() => document.querySelector('[role="option"][aria-selected="true"]')?.textContent);
    if (!found?.includes(middle)) throw new Error(`search selected ${JSON.stringify(found)}, want ${middle}`);
    const right = await sample(SAMPLES.ArrowRight, () => measure(page, 'ArrowRight'));
    const enter = await sample(SAMPLES.Enter, async () => {
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press(' ');
      await page.keyboard.press('End');
      await page.keyboard.type('!');
      return measure(page, 'Enter');
    });
    const mode = await page.evaluate(() => document.querySelector('[data-mode]')?.getAttribute('data-mode'));
    if (mode !== 'explore') throw new Error(`Enter left ${mode} mode on`);
    const line = (name, s) =>
      `${name.padEnd(34)} n=${s.n}  median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  (target median < ${TARGET_MS}: ${s.median < TARGET_MS ? 'met' : 'MISSED'})`;
    const [load1] = loadavg();
    console.log(`Firefox benchmark: ${FRAGMENTS.toLocaleString('en')} fragments, ${await ff.browser.version()} headless, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`);
    console.log(line('Right: keydown → next frame', stats(right)));
    console.log(line('Enter (edit): keydown → next frame', stats(enter)));
  } finally {
    await ff.close();
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runFirefoxBench().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
