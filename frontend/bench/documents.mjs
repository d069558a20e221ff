// Documents benchmark (issue 6): a 12,000-fragment document (about 200,000 words) through the
// desktop start-up path, with the Go side faked in the page (window.go.main.App), as Wails would
// call it: arguments go through JSON.stringify, results through JSON.parse.
//
// Prints: the time from StartDocument's answer to FrontendReady (convert + first render of the
// whole document), the time from navigation to FrontendReady, the cost of marshalling one
// DocumentChanged call (JSON.stringify of the document, what Wails does per call) and the
// keydown → next frame latency of typing into a fragment while autosave runs (bench/keys.mjs).
//
// Usage: npm run build && node bench/documents.mjs (or from bench/run.mjs: runDocumentsBench).
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';
import { keyProbe, measureKey, stats } from './keys.mjs';

const FRAGMENTS = 12_000;
const TYPED = 80;
const WARMUP = 10;

const fmt = (s) => `n=${s.n}  median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`;

/** Installed before the page's scripts: the fake Go side and the probes. */
function fakeDesktop(n) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  const fragments = [];
  for (let i = 0; i < n; i++) {
    const len = 12 + (i % 9);
    const s = Array.from({ length: len }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    const f = { text: `${s[0].toUpperCase()}${s.slice(1)} number ${i + 1}.${i % 8 === 7 ? '\n\n' : ' '}` };
    if (i % 5 === 0) Object.assign(f, { source: 'model:bench', alternatives: [f.text, 'Another way to say it. '] });
    fragments.push(f);
  }
  const file = JSON.stringify({
    format: 1,
    id: 'bench',
    name: '',
    created: '2026-01-02T15:04:05.123456789Z',
    modified: '2026-01-02T15:04:05.123456789Z',
    fragments,
    selection: 0,
    draft: null,
  });
  const probe = { startAnsweredAt: null, readyAt: null, marshal: [], bytes: 0, words: 0 };
  window.__docs = probe;
  const wire = (v) => new Promise((ok) => setTimeout(() => ok(v === undefined ? undefined : JSON.parse(JSON.stringify(v))), 0));
  const methods = {
    StartDocument: () =>
      new Promise((ok) =>
        setTimeout(() => {
          probe.startAnsweredAt = performance.now();
          ok(JSON.parse(file));
        }, 0),
      ),
    StartupProblems: () => wire([]),
    FrontendReady: () => {
      probe.readyAt = performance.now();
      return wire(undefined);
    },
    DocumentChanged: (doc) => {
      const t = performance.now();
      const s = JSON.stringify(doc);
      probe.marshal.push(performance.now() - t);
      probe.bytes = s.length;
      return wire(undefined);
    },
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

/** Runs in a page of its own of `context` against the built app at `url`; prints its lines. */
export async function runDocumentsBench(context, url) {
  const page = await context.newPage();
  try {
    await page.addInitScript(keyProbe);
    await page.addInitScript(fakeDesktop, FRAGMENTS);
    const navStart = Date.now();
    await page.goto(url);
    await page.waitForFunction(() => window.__docs.readyAt !== null, null, { timeout: 120_000 });
    const navMs = Date.now() - navStart;
    const open = await page.evaluate(() => window.__docs.readyAt - window.__docs.startAnsweredAt);
    const setsize = await page.evaluate(() => document.querySelector('[role="option"]')?.getAttribute('aria-setsize'));
    if (setsize !== String(FRAGMENTS + 1)) throw new Error(`expected aria-setsize ${FRAGMENTS + 1}, found ${setsize}`);

    // Type into a fragment in the middle; autosave runs meanwhile (every 150 ms at most).
    for (let i = 0; i < FRAGMENTS / 2; i += 1000) await page.keyboard.press('End');
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-mode]')?.getAttribute('data-mode') === 'edit');
    await page.keyboard.press('End');
    const typing = [];
    for (let i = 0; i < WARMUP + TYPED; i++) {
      const ms = await measureKey(page, 'abcdefghij'[i % 10]);
      if (i >= WARMUP) typing.push(ms);
    }
    // Let the last throttled autosave go out.
    await page.waitForTimeout(400);
    const { marshal, bytes } = await page.evaluate(() => ({ marshal: window.__docs.marshal, bytes: window.__docs.bytes }));
    const draft = await page.evaluate(() => document.querySelector('textarea')?.value.slice(-12));

    const [load1] = loadavg();
    console.log(
      `documents benchmark: ${FRAGMENTS.toLocaleString('en')} fragments, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`,
    );
    console.log(`${'open: StartDocument answered → FrontendReady (rendered)'.padEnd(58)} ${open.toFixed(0)} ms`);
    console.log(`${'open: navigation → FrontendReady'.padEnd(58)} ${navMs} ms`);
    console.log(`${'DocumentChanged marshalling (JSON.stringify per call)'.padEnd(58)} ${fmt(stats(marshal))}  (${(bytes / 1e6).toFixed(2)} MB)`);
    console.log(`${`typing in a fragment (${TYPED} keys): keydown → next frame`.padEnd(58)} ${fmt(stats(typing))}`);
    console.log(`(autosave calls while typing: ${marshal.length}; draft ends ${JSON.stringify(draft)})`);
  } finally {
    await page.close();
  }
}

const main = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (main) {
  const here = dirname(fileURLToPath(import.meta.url));
  const server = await serveStatic(process.env.DIST_DIR || join(here, '..', 'dist'));
  const browser = await launchBrowser();
  try {
    await runDocumentsBench(browser.context, server.url);
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
  }
}
