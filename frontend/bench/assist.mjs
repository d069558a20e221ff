// Browser benchmark of the suggestion stream: a mocked Wails bridge (window.go / window.runtime,
// installed before the page loads) answers AssistSuggest and emits `assist:batch` events the way
// the Go side does — one batch per 16 ms carrying every stream that changed, each with its whole
// text so far, JSON-decoded like a Wails event — for 32 concurrent streams at 50 tokens/s each
// (the grid shows the first ten; the other 22 still travel and are applied).
//
// Measured inside the page: from the moment a batch is handed to the page's event handler to a
// task posted from the first requestAnimationFrame after which the grid's DOM shows that batch's
// text (i.e. once that frame's style, layout and paint are done). "Behind" counts batches that
// were not yet on screen when the next one was emitted, and the first and second halves of the run
// are compared so a growing lag shows.
//
// Usage: npm run bench (after the list benchmark), or node bench/assist.mjs after a build.
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

const STREAMS = 32;
const MODELS = 4;
const TOKENS_PER_SECOND = 50;
const SECONDS = 5;
const FLUSH_MS = 16;

const here = dirname(fileURLToPath(import.meta.url));

/** Runs in the page before the app's scripts: a fake desktop shell with only the assist methods. */
function installFakeShell({ models }) {
  const handlers = new Map();
  let rounds = 0;
  const palette = ['#2f7ed8', '#e4572e', '#29a36a', '#9b5de5'];
  const info = Array.from({ length: models }, (_, i) => ({
    name: `model-${i + 1}`,
    active: true,
    context_tokens: 8192,
    context_from_server: true,
    settings: {
      active: true,
      mode: 'chat',
      template: 'raw',
      system_prompt: '',
      temperature: 0.8,
      top_p: 0.95,
      max_tokens: 400,
      suggestions: 8,
      stop_at_sentence: false,
      color: palette[i % palette.length],
      context_tokens: 8192,
    },
  }));
  window.runtime = {
    EventsOn(name, cb) {
      if (!handlers.has(name)) handlers.set(name, new Set());
      handlers.get(name).add(cb);
      return () => handlers.get(name)?.delete(cb);
    },
    Quit() {},
    WindowSetTitle() {},
  };
  window.go = {
    main: {
      App: {
        AssistModels: async () => info,
        AssistSettings: async () => ({ models: {}, active_chosen: false, instructions: [] }),
        AssistSuggest: async () => `round-${++rounds}`,
        AssistCancel: async () => {},
        AssistCancelAll: async () => {},
        AssistSetModelSettings: async () => {},
      },
    },
  };
  /** Delivers an event as Wails does: a JSON message decoded, then every handler called. */
  window.__emit = (name, json) => {
    const data = JSON.parse(json);
    for (const cb of handlers.get(name) ?? []) cb(data);
  };
  window.__rounds = () => rounds;
}

/** Runs in the page: streams for `seconds`, measures, resolves to the samples. */
function streamAndMeasure({ streams, models, tps, seconds, flushMs, k }) {
  const words = ['the', 'harbour', 'light', 'moved', 'slowly', 'across', 'water', 'and', 'she', 'watched', 'boats', 'return'];
  const round = `round-${window.__rounds()}`;
  const perModel = Math.ceil(streams / models);
  /** @type {{ model: string, index: number, slot: number, number: number, text: string, done: boolean, tokens?: { t: string, p: number, top: { t: string, p: number }[] }[] }[]} */
  const slots = Array.from({ length: streams }, (_, i) => ({
    model: `model-${Math.floor(i / perModel) + 1}`,
    index: i % perModel,
    slot: i,
    number: i < 10 ? (i + 1) % 10 : -1,
    text: '',
    done: false,
  }));
  // Each stream starts at its own phase so tokens spread over the batches as real streams do.
  const phase = Array.from({ length: streams }, (_, i) => (i * 997) % 1000 / 1000);
  const tokens = new Array(streams).fill(0);
  const status = Array.from({ length: models }, (_, i) => ({ model: `model-${i + 1}`, state: 'streaming', tps: tps * perModel }));
  const samples = [];
  const applied = [];
  let painted = -1;
  let seq = 0;
  let behind = 0;
  let lastPending = null;
  const visible = (i) => document.querySelector(`.overlay--suggestions [data-number="${(i + 1) % 10}"] .suggestion-text`);

  /** Polls after each frame until the grid shows `text` in slot `i`, then records the latency. */
  function watch(i, text, t0, s) {
    const check = () => {
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          if (visible(i)?.textContent === text) {
            samples.push({ seq: s, ms: performance.now() - t0 });
            painted = Math.max(painted, s);
            if (lastPending === s) lastPending = null;
          } else if (painted < s) check(); // else a newer batch reached the screen first
        };
        ch.port2.postMessage(null);
      });
    };
    check();
  }

  function emit(updates, finished) {
    const batch = { round, seq, kind: 'continue', target: 0, updates, status, finished, cancelled: false };
    const json = JSON.stringify(batch);
    if (lastPending !== null) behind++;
    const t0 = performance.now();
    window.__emit('assist:batch', json);
    // A task after the handler and React's microtask render: the batch is decoded, applied and in the DOM.
    const ch = new MessageChannel();
    ch.port1.onmessage = () => applied.push(performance.now() - t0);
    ch.port2.postMessage(null);
    const shown = updates.filter((u) => u.slot < 10).at(-1);
    if (shown) {
      lastPending = seq;
      watch(shown.slot, shown.text, t0, seq);
    }
    seq++;
  }

  return new Promise((resolve) => {
    emit(slots.map((s) => ({ ...s })), false);
    const start = performance.now();
    const tick = () => {
      const now = performance.now();
      const elapsed = (now - start) / 1000;
      const updates = [];
      for (let i = 0; i < streams; i++) {
        const want = Math.min(Math.floor(elapsed * tps + phase[i]), seconds * tps);
        if (want === tokens[i]) continue;
        let t = slots[i].text;
        for (let k = tokens[i]; k < want; k++) t += ` ${words[(i * 7 + k * 3) % words.length]}`;
        tokens[i] = want;
        const done = want === seconds * tps;
        slots[i] = { ...slots[i], text: t, done };
        // With probabilities on, the final text carries its tokens (as the Go side sends them).
        if (done && k > 0) {
          const parts = t.match(/ [^ ]+/g) ?? [];
          slots[i].tokens = parts.map((w, j) => ({
            t: w,
            p: ((j * 37) % 100) / 100,
            top: Array.from({ length: k }, (_, c) => ({ t: c === 0 ? w : ` ${words[(j + c) % words.length]}`, p: 1 / (c + 2) })),
          }));
        }
        updates.push(slots[i]);
      }
      const last = elapsed >= seconds;
      if (updates.length > 0 || last) emit(updates, last);
      if (!last) setTimeout(tick, flushMs);
      else {
        // Let the last batch reach the screen, then report.
        const finalText = slots.slice(0, 10).map((s) => s.text);
        const waitPainted = () =>
          requestAnimationFrame(() =>
            setTimeout(() => {
              const ok = finalText.every((t, i) => visible(i)?.textContent === t);
              if (!ok) return waitPainted();
              resolve({ samples, applied, batches: seq, behind, finalChars: finalText.reduce((n, t) => n + t.length, 0) });
            }, 0),
          );
        waitPainted();
      }
    };
    setTimeout(tick, flushMs);
  });
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), p99: q(0.99), max: s.at(-1) };
}

const fmt = (s) => `n=${s.n}  median ${s.median.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`;

/** Opens a page of its own on `serverUrl` in `context` and prints the numbers. */
export async function runAssistBench(context, serverUrl, k = 0) {
  const page = await context.newPage();
  try {
    await page.addInitScript(installFakeShell, { models: MODELS });
    await page.goto(serverUrl);
    await page.getByRole('listbox', { name: 'Fragments' }).waitFor();
    await page.getByTestId('assist-status').waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await page.locator('.overlay--suggestions').waitFor();
    await page.waitForFunction(() => document.querySelector('.overlay--suggestions')?.getAttribute('data-round'));
    const r = await page.evaluate(streamAndMeasure, {
      streams: STREAMS,
      models: MODELS,
      tps: TOKENS_PER_SECOND,
      seconds: SECONDS,
      flushMs: FLUSH_MS,
      k,
    });
    const all = stats(r.samples.map((x) => x.ms));
    const half = r.batches / 2;
    const first = stats(r.samples.filter((x) => x.seq < half).map((x) => x.ms));
    const second = stats(r.samples.filter((x) => x.seq >= half).map((x) => x.ms));
    console.log(
      `suggestion stream benchmark: ${STREAMS} streams × ${TOKENS_PER_SECOND} tokens/s for ${SECONDS} s, ` +
        `${MODELS} models, a batch per ${FLUSH_MS} ms (${r.batches} batches, ${r.finalChars} characters on screen at the end), ` +
        (k > 0 ? `probabilities on (K = ${k}, tokens with the final texts)` : 'probabilities off'),
    );
    console.log(`${'batch emitted → in the DOM (decode+render)'.padEnd(40)} ${fmt(stats(r.applied))}`);
    console.log(`${'batch emitted → painted in the grid'.padEnd(40)} ${fmt(all)}`);
    console.log(`${'  first half'.padEnd(40)} ${fmt(first)}`);
    console.log(`${'  second half'.padEnd(40)} ${fmt(second)}`);
    console.log(
      `${'not yet painted when the next came'.padEnd(40)} ${r.behind} of ${r.batches} batches ` +
        `(${r.behind === 0 ? 'never fell behind' : 'a later batch superseded them; the last one is always painted'})`,
    );
  } finally {
    await page.close();
  }
}

async function main() {
  const server = await serveStatic(join(here, '..', 'dist'));
  const browser = await launchBrowser();
  try {
    const [load1] = loadavg();
    console.log(`Chromium ${browser.context.browser()?.version() ?? ''}, ${cpus().length} CPUs, load average ${load1.toFixed(1)}`);
    await runAssistBench(browser.context, server.url);
    await runAssistBench(browser.context, server.url, 5);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
