// Suggestion events over Server-Sent Events (the browser's door) against the Wails event path
// (the desktop window's), under the load of bench/assist.mjs: 32 streams at 50 tokens/s, 4 models,
// a batch every 16 ms carrying every stream that changed with its whole text so far.
//
// Both runs use the production build in the same Chromium and the same batches (one generator);
// only the door differs:
// - wails: a fake desktop shell in the page (window.runtime.EventsOn) hands each batch to the
//   page's handlers as Wails does: the Go side (here a Worker, so it keeps its pace whatever the
//   page's main thread does, as Go does) posts the JSON message, and the main thread decodes it
//   and calls every handler. "Written" is the moment the Worker posts it.
// - sse: the page is served with the HTTP API by a small server here, and picks the HTTP door
//   itself (GET /api/session); the server writes each batch as `event: assist:batch` / `data:
//   [batch]` on GET /api/events and flushes it, stamped with the time of the write. The page's
//   EventSource delivers it to the bridge. "Written" is that stamp (both clocks are this machine's).
//
// Measured in the page, for each batch that changes one of the ten suggestions on screen: from
// written to a task posted from the first requestAnimationFrame after which the grid's DOM shows
// that batch's text (the frame's style, layout and paint are done). p50 and p99 of each run;
// target: SSE within 5 ms of Wails at p99.
//
// Usage: node bench/sse.mjs after a build (`npm run bench` runs it).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../scripts/browser.mjs';

const LOAD = { streams: 32, models: 4, tps: 50, seconds: Number(process.env.BENCH_SSE_SECONDS) || 10 };
const FLUSH_MS = 16;
const TARGET_P99_GAP_MS = 5;

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');

/** The batches of one round: the same in the page (wails) and in this process (sse). */
function makeStreams({ streams, models, tps, seconds }) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  const perModel = Math.ceil(streams / models);
  const slots = Array.from({ length: streams }, (_, i) => ({
    model: `model-${Math.floor(i / perModel) + 1}`,
    index: i % perModel,
    slot: i,
    number: i < 10 ? (i + 1) % 10 : -1,
    text: '',
    done: false,
  }));
  // Each stream starts at its own phase so tokens spread over the batches as real streams do.
  const phase = Array.from({ length: streams }, (_, i) => ((i * 997) % 1000) / 1000);
  const tokens = new Array(streams).fill(0);
  const status = Array.from({ length: models }, (_, i) => ({ model: `model-${i + 1}`, state: 'streaming', tps: tps * perModel }));
  let seq = 0;
  const batch = (round, updates, finished) => ({ round, seq: seq++, kind: 'continue', target: 0, updates, status, finished, cancelled: false });
  return {
    first: (round) => batch(round, slots.map((s) => ({ ...s })), false),
    /** The batch at `elapsed` seconds, or null when nothing changed. */
    next(round, elapsed) {
      const updates = [];
      for (let i = 0; i < streams; i++) {
        const want = Math.min(Math.floor(elapsed * tps + phase[i]), seconds * tps);
        if (want === tokens[i]) continue;
        let t = slots[i].text;
        for (let k = tokens[i]; k < want; k++) t += ` ${words[(i * 7 + k * 3) % words.length]}`;
        tokens[i] = want;
        slots[i] = { ...slots[i], text: t, done: want === seconds * tps };
        updates.push(slots[i]);
      }
      const last = elapsed >= seconds;
      return updates.length > 0 || last ? batch(round, updates, last) : null;
    },
    shownTexts: () => slots.slice(0, 10).map((s) => s.text),
  };
}

/** Runs `emit(batch)` every FLUSH_MS for the load's duration; resolves when the last is out. */
function drive(streams, round, emit) {
  return new Promise((resolve) => {
    emit(streams.first(round));
    const start = performance.now();
    const tick = () => {
      const elapsed = (performance.now() - start) / 1000;
      const b = streams.next(round, elapsed);
      if (b) emit(b);
      if (b?.finished) resolve();
      else setTimeout(tick, FLUSH_MS);
    };
    setTimeout(tick, FLUSH_MS);
  });
}

/** Installed in the page before its scripts: the probe (both runs) and, for wails, the fake shell. */
function pageSetup({ wails, makeStreamsSrc, drive: driveSrc, load, flushMs }) {
  const probe = { samples: [], arrivals: [], behind: 0, pending: null, painted: -1 };
  window.__probe = probe;
  const visible = (i) => document.querySelector(`.overlay--suggestions [data-number="${(i + 1) % 10}"] .suggestion-text`);
  const afterPaint = (cb) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = cb;
      ch.port2.postMessage(null);
    });
  /** A batch reached the page's handlers; `written` is on this page's clock. */
  probe.onBatch = (batch, written) => {
    probe.arrivals.push(performance.now() - written);
    if (probe.pending !== null) probe.behind++;
    const shown = batch.updates.filter((u) => u.slot < 10).at(-1);
    if (!shown) return;
    const s = batch.seq;
    probe.pending = s;
    const check = () =>
      afterPaint(() => {
        if (visible(shown.slot)?.textContent === shown.text) {
          probe.samples.push({ seq: s, ms: performance.now() - written });
          probe.painted = Math.max(probe.painted, s);
          if (probe.pending === s) probe.pending = null;
        } else if (probe.painted < s) check(); // else a newer batch reached the screen first
      });
    check();
  };
  const models = Array.from({ length: load.models }, (_, i) => ({
    name: `model-${i + 1}`,
    active: true,
    context_tokens: 8192,
    context_from_server: true,
    settings: { active: true, mode: 'chat', template: 'raw', system_prompt: '', temperature: 0.8, top_p: 0.95, max_tokens: 400, suggestions: 8, stop_at_sentence: false, color: ['#2f7ed8', '#e4572e', '#29a36a', '#9b5de5'][i % 4], context_tokens: 8192 },
  }));
  probe.models = models;
  if (!wails) {
    // Tap the page's own EventSource: the bridge's handler runs first, then the probe starts watching.
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      addEventListener(name, cb, opts) {
        super.addEventListener(
          name,
          (ev) => {
            cb(ev);
            if (name === 'assist:batch') {
              const [batch] = JSON.parse(ev.data);
              probe.onBatch(batch, batch.written - performance.timeOrigin);
            }
          },
          opts,
        );
      }
    };
    return;
  }
  const handlers = new Map();
  let rounds = 0;
  window.runtime = {
    EventsOn(name, cb) {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name).add(cb);
      return () => handlers.get(name)?.delete(cb);
    },
    Quit() {},
    WindowSetTitle() {},
  };
  const doc = { format: 1, id: 'bench', name: 'Bench', created: '2026-01-02T15:04:05Z', modified: '2026-01-02T15:04:05Z', fragments: [{ text: 'It was late. ' }], selection: 1, draft: null };
  window.go = {
    main: {
      App: {
        StartDocument: async () => doc,
        StartupProblems: async () => [],
        FrontendReady: async () => {},
        DocumentChanged: async () => 1,
        AssistModels: async () => models,
        AssistSettings: async () => ({ models: {}, active_chosen: false, instructions: [] }),
        AssistSuggest: async () => `round-${++rounds}`,
        AssistCancel: async () => {},
        AssistCancelAll: async () => {},
        AssistSetModelSettings: async () => {},
      },
    },
  };
  // The Go side: a Worker writing each batch as a JSON message at its own pace.
  const worker = `const FLUSH_MS = ${flushMs}; const makeStreams = ${makeStreamsSrc}; const drive = ${driveSrc};
onmessage = (e) => drive(makeStreams(${JSON.stringify(load)}), e.data, (batch) => postMessage([JSON.stringify(batch), performance.timeOrigin + performance.now()]));`;
  /** The shell delivers as Wails does: the JSON message decoded on the main thread, every handler called. */
  window.__start = () => {
    const w = new Worker(URL.createObjectURL(new Blob([worker], { type: 'text/javascript' })));
    w.onmessage = (e) => {
      const [json, written] = e.data;
      const data = JSON.parse(json);
      for (const cb of handlers.get('assist:batch') ?? []) cb(data);
      probe.onBatch(data, written - performance.timeOrigin);
    };
    w.postMessage(`round-${rounds}`);
  };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** The page's files and the HTTP API the bridge expects, with a round that streams the load. */
async function serveWithApi() {
  const clients = new Set();
  let rounds = 0;
  let models = [];
  const doc = { format: 1, id: 'bench', name: 'Bench', created: '2026-01-02T15:04:05Z', modified: '2026-01-02T15:04:05Z', fragments: [{ text: 'It was late. ' }], selection: 1, draft: null, revision: 1 };
  const answers = {
    StartDocument: () => doc,
    StartupProblems: () => [],
    FrontendReady: () => null,
    DocumentChanged: () => 1,
    AssistModels: () => models,
    AssistSettings: () => ({ models: {}, active_chosen: false, instructions: [] }),
    AssistSuggest: () => `round-${++rounds}`,
    AssistCancel: () => null,
    AssistCancelAll: () => null,
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/api/session') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ transport: 'http', exposed: false, loggedIn: false, csrf: 'bench' }));
      return;
    }
    if (url.pathname === '/api/events') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      res.write('retry: 1000\n: connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/call/')) {
      const name = url.pathname.slice('/api/call/'.length);
      for await (const _ of req);
      const fn = answers[name];
      res.writeHead(fn ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(fn ? fn() : { error: { message: `${name} is not in the benchmark`, code: 'unknown_method' } }));
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dist, rel);
    if (!file.startsWith(dist + sep)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    setModels: (m) => (models = m),
    /** Streams the load to every page, each event flushed as it is written. */
    stream: () =>
      drive(makeStreams(LOAD), `round-${rounds}`, (batch) => {
        batch.written = performance.timeOrigin + performance.now();
        const msg = `event: assist:batch\ndata: ${JSON.stringify([batch])}\n\n`;
        for (const c of clients) c.write(msg);
      }),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.at(-1) };
}

/** One run in a page of its own; resolves to its stats. */
async function runOnce(context, url, wails, server) {
  const page = await context.newPage();
  try {
    await page.addInitScript(pageSetup, { wails, makeStreamsSrc: makeStreams.toString(), drive: drive.toString(), load: LOAD, flushMs: FLUSH_MS });
    await page.goto(url);
    if (!wails) server.setModels(await page.evaluate(() => window.__probe.models));
    await page.getByRole('listbox', { name: 'Fragments' }).waitFor();
    await page.getByTestId('assist-status').waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => document.querySelector('.overlay--suggestions')?.getAttribute('data-round'));
    const want = makeStreams(LOAD);
    for (let t = 0; ; t += 1) if (want.next('x', t)?.finished) break;
    const finalTexts = want.shownTexts();
    if (wails) await page.evaluate(() => void window.__start());
    else await server.stream();
    await page.waitForFunction(
      (texts) => texts.every((t, i) => document.querySelector(`.overlay--suggestions [data-number="${(i + 1) % 10}"] .suggestion-text`)?.textContent === t),
      finalTexts,
      { timeout: 120_000 },
    );
    const r = await page.evaluate(() => ({ samples: window.__probe.samples.map((s) => s.ms), arrivals: window.__probe.arrivals, behind: window.__probe.behind }));
    return { painted: stats(r.samples), arrived: stats(r.arrivals), behind: r.behind, batches: r.arrivals.length };
  } finally {
    await page.close();
  }
}

export async function runSseBench(context) {
  const server = await serveWithApi();
  try {
    // Alternate the doors so both see the same machine load; keep every run's numbers.
    const runs = { wails: [], sse: [] };
    for (let i = 0; i < 2; i++) {
      runs.wails.push(await runOnce(context, server.url, true, server));
      runs.sse.push(await runOnce(context, server.url, false, server));
    }
    console.log(
      `suggestion events, SSE vs Wails: ${LOAD.streams} streams × ${LOAD.tps} tokens/s for ${LOAD.seconds} s, ${LOAD.models} models, ` +
        `a batch per ${FLUSH_MS} ms; written → painted in the grid (two runs each, alternating)`,
    );
    const fmt = (s) => `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms (n=${s.n})`;
    for (const door of ['wails', 'sse']) {
      runs[door].forEach((r, i) =>
        console.log(`${`${door} run ${i + 1}: written → painted`.padEnd(32)} ${fmt(r.painted)};  written → handler p50 ${r.arrived.p50.toFixed(2)} ms p99 ${r.arrived.p99.toFixed(2)} ms; ${r.behind} of ${r.batches} superseded`),
      );
    }
    const best = (door, k) => Math.min(...runs[door].map((r) => r.painted[k]));
    const gap = best('sse', 'p99') - best('wails', 'p99');
    console.log(
      `SSE − Wails at p99 (best runs): ${gap.toFixed(1)} ms (target ≤ ${TARGET_P99_GAP_MS} ms: ${gap <= TARGET_P99_GAP_MS ? 'met' : 'MISSED'}); ` +
        `at p50: ${(best('sse', 'p50') - best('wails', 'p50')).toFixed(1)} ms`,
    );
  } finally {
    await server.close();
  }
}

async function main() {
  const browser = await launchBrowser();
  try {
    const [load1] = loadavg();
    console.log(`Chromium ${browser.context.browser()?.version() ?? ''}, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`);
    await runSseBench(browser.context);
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
