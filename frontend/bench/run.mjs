// Browser benchmark of the editor at novel length: a 100,000-fragment document (about 1.4 million
// words) opened through the desktop start-up path, with the Go side faked in the page
// (window.go.main.App) as Wails would call it: arguments through JSON.stringify, results through
// JSON.parse. Prints the time to open it and the time from a key press to the next frame the page
// paints, for Right (select the next fragment), Enter in edit mode (save the draft), typing in the
// textarea and Tab (a suggestion round: a request, and the grid opens). Also prints what the
// autosave and the suggestion requests hand to Go (JSON bytes).
//
// Key numbers are measured inside the page (bench/keys.mjs): each key comes 100–140 ms after the
// previous one was painted, as a person's keys do, and is timed from its keydown event to a task
// posted from the next requestAnimationFrame, once that frame's style, layout and paint are done.
// A bare page measured the same way gives the floor of this engine and machine.
//
// Usage: npm run bench (builds first). Prints median, p95 and max in milliseconds. Then runs the
// suggestion stream benchmark of bench/assist.mjs.
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { runAssistBench } from './assist.mjs';
import { floor, keyProbe, measureKey as measure, sample as sampleWith, stats } from './keys.mjs';

const FRAGMENTS = Number(process.env.BENCH_FRAGMENTS) || 100_000;
const SAMPLES = { ArrowRight: 200, Enter: 60, typing: 100, Tab: 60, floor: 100 };
const WARMUP = 15;
const sample = (n, step) => sampleWith(n, WARMUP, step);
const TARGET_MS = 16;
const TARGET_P95_MS = 25;
const OPEN_TARGET_MS = 1000;

const here = dirname(fileURLToPath(import.meta.url));

/** Installed before the page's scripts: the fake Go side and the probe. */
function fakeDesktop(n) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  const fragments = [];
  for (let i = 0; i < n; i++) {
    const len = 6 + (i % 9);
    const s = Array.from({ length: len }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    fragments.push({ text: `${s[0].toUpperCase()}${s.slice(1)} number ${i + 1}.${i % 8 === 7 ? '\n\n' : ' '}` });
  }
  const file = JSON.stringify({
    format: 1,
    id: 'novel',
    name: 'Novel',
    created: '2026-01-02T15:04:05.123456789Z',
    modified: '2026-01-02T15:04:05.123456789Z',
    fragments,
    selection: 0,
    draft: null,
    revision: 1,
  });
  const probe = { answeredAt: null, readyAt: null, paintedAt: null, rounds: 0, saves: { whole: 0, patch: 0, bytes: 0 }, suggestBytes: 0 };
  window.__bench = probe;
  const afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = cb;
      ch.port2.postMessage(null);
    });
  /** What Wails does with a call: arguments to JSON, the answer back from JSON, in a later task. */
  const call = (args, result) => {
    const json = JSON.stringify(args);
    return Object.assign(new Promise((ok) => setTimeout(() => ok(result === undefined ? undefined : JSON.parse(JSON.stringify(result))), 0)), { bytes: json.length });
  };
  /** Go's revisions (backend/documents Session): each accepted hand-over answers the next one. */
  let revision = 1;
  const saved = (kind, p) => {
    probe.saves[kind]++;
    probe.saves.bytes += p.bytes;
    return p;
  };
  const model = {
    name: 'model-1',
    active: true,
    context_tokens: 8192,
    context_from_server: true,
    settings: { active: true, mode: 'chat', template: 'raw', system_prompt: '', temperature: 0.8, top_p: 0.95, max_tokens: 400, suggestions: 8, stop_at_sentence: false, color: '#2f7ed8', context_tokens: 8192 },
  };
  const methods = {
    StartDocument: () =>
      new Promise((ok) =>
        setTimeout(() => {
          probe.answeredAt = performance.now();
          ok(JSON.parse(file));
        }, 0),
      ),
    StartupProblems: (...a) => call(a, []),
    FrontendReady: (...a) => {
      probe.readyAt = performance.now();
      afterPaint(() => (probe.paintedAt = performance.now()));
      return call(a, undefined);
    },
    DocumentChanged: (...a) => saved('whole', call(a, ++revision)),
    DocumentPatched: (...a) =>
      a[0].base === revision ? saved('patch', call(a, ++revision)) : Promise.reject(new Error(`patch of revision ${a[0].base}, Go has ${revision}`)),
    AssistModels: (...a) => call(a, [model]),
    AssistSettings: (...a) => call(a, { models: {}, active_chosen: false, instructions: [] }),
    AssistSuggest: (...a) => {
      const p = call(a, `round-${++probe.rounds}`);
      probe.suggestBytes += p.bytes;
      return p;
    },
    AssistCancel: (...a) => call(a, undefined),
    AssistCancelAll: (...a) => call(a, undefined),
  };
  const App = new Proxy(methods, {
    get: (m, name) => m[name] ?? (() => Promise.reject(new Error(`${String(name)} is not in the benchmark`))),
  });
  window.go = { main: { App } };
  window.runtime = {
    EventsOn: () => () => {},
    WindowSetTitle: () => {},
    Quit: () => {},
    ClipboardGetText: async () => '',
    ClipboardSetText: async () => true,
  };
}

const mode = (page) => page.evaluate(() => document.querySelector('[data-mode]')?.getAttribute('data-mode'));

async function main() {
  const server = await serveStatic(join(here, '..', 'dist'));
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  try {
    await page.addInitScript(keyProbe);
    await page.addInitScript(fakeDesktop, FRAGMENTS);
    const navStart = Date.now();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__bench.paintedAt !== null, null, { timeout: 120_000 });
    const navMs = Date.now() - navStart;
    const open = await page.evaluate(() => ({
      ready: window.__bench.readyAt - window.__bench.answeredAt,
      painted: window.__bench.paintedAt - window.__bench.answeredAt,
    }));
    const setsize = await page.evaluate(() => document.querySelector('[role="option"]')?.getAttribute('aria-setsize'));
    if (setsize !== String(FRAGMENTS + 1)) throw new Error(`aria-setsize ${setsize}, want ${FRAGMENTS + 1}`);
    const rendered = await page.evaluate(() => document.querySelectorAll('[role="option"]').length);

    // To the middle of the document with search (/), far outside the rendered window.
    const middle = `number ${Math.floor(FRAGMENTS / 2)}.`;
    await page.keyboard.press('/');
    await page.keyboard.type(middle);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    const found = await page.evaluate(() => document.querySelector('[role="option"][aria-selected="true"]')?.textContent);
    if (!found?.includes(middle)) throw new Error(`search selected ${JSON.stringify(found)}, want ${middle}`);
    const right = await sample(SAMPLES.ArrowRight, () => measure(page, 'ArrowRight'));
    // The page's JavaScript heap around the Enter series (garbage collected first): what each
    // saved edit keeps, the undo history's entry above all.
    const cdp = await browser.context.newCDPSession(page);
    const heapBytes = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const heapBefore = await heapBytes();
    let edits = 0;
    const enter = await sample(SAMPLES.Enter, async () => {
      edits++;
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Space');
      await page.keyboard.press('End');
      await page.keyboard.type('!');
      return measure(page, 'Enter');
    });
    if ((await mode(page)) !== 'explore') throw new Error('Enter left edit mode on');
    const heapPerEdit = ((await heapBytes()) - heapBefore) / edits;
    await page.keyboard.press('Home');
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('End');
    const typing = await sample(SAMPLES.typing, (i) => measure(page, 'abcdefghij'[i % 10]));
    await page.keyboard.press('Escape');
    if ((await mode(page)) !== 'explore') throw new Error('Escape left edit mode on');
    const tab = await sample(SAMPLES.Tab, async () => {
      const ms = await measure(page, 'Tab');
      await page.keyboard.press('Escape');
      await page.keyboard.press('ArrowRight');
      return ms;
    });
    const rounds = await page.evaluate(() => window.__bench.rounds);
    if (rounds < SAMPLES.Tab) throw new Error(`only ${rounds} suggestion rounds were requested`);

    const line = (name, s) =>
      `${name.padEnd(34)} n=${s.n}  median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms  ` +
      `(target median < ${TARGET_MS}, p95 < ${TARGET_P95_MS}: ${s.median < TARGET_MS && s.p95 < TARGET_P95_MS ? 'met' : 'MISSED'})`;
    const bare = stats(await floor(browser.context, SAMPLES.floor));
    const [load1] = loadavg();
    console.log(
      `fragment list benchmark: ${FRAGMENTS.toLocaleString('en')} fragments, Chromium ${browser.context.browser()?.version() ?? ''}, ` +
        `${cpus().length} CPUs, load average ${load1.toFixed(1)}; ${rendered} options rendered of ${FRAGMENTS + 1}`,
    );
    console.log(
      `open: document answered → rendered ${open.ready.toFixed(0)} ms, → painted ${open.painted.toFixed(0)} ms ` +
        `(target < ${OPEN_TARGET_MS} ms: ${open.painted < OPEN_TARGET_MS ? 'met' : 'MISSED'}); navigation → painted ${navMs} ms`,
    );
    console.log(line('Right: keydown → next frame', stats(right)));
    console.log(line('Enter (edit): keydown → next frame', stats(enter)));
    console.log(`  JavaScript heap kept per saved edit: ${(heapPerEdit / 1024).toFixed(1)} KB (${edits} edits, measured after garbage collection)`);
    console.log(line('typing: keydown → next frame', stats(typing)));
    console.log(line('Tab: keydown → next frame', stats(tab)));
    console.log(
      `floor: a bare page measured the same way (one text node changed per key) n=${bare.n}  median ${bare.median.toFixed(1)} ms  p95 ${bare.p95.toFixed(1)} ms  max ${bare.max.toFixed(1)} ms`,
    );
    const { saves, suggestBytes } = await page.evaluate(() => ({ saves: window.__bench.saves, suggestBytes: window.__bench.suggestBytes }));
    const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
    console.log(
      `autosave: ${saves.whole} whole documents and ${saves.patch} patches handed over, ${kb(saves.bytes / Math.max(1, saves.whole + saves.patch))} of JSON each on average; ` +
        `suggestion requests: ${kb(suggestBytes / Math.max(1, rounds))} each`,
    );
    // The suggestion stream (src/assist) with a mocked desktop bridge, in a page of its own.
    await runAssistBench(browser.context, server.url);
    await runAssistBench(browser.context, server.url, 5);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
