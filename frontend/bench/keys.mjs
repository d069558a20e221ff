// Key-press latency in a page, shared by the editor benchmarks (run.mjs and documents.mjs in
// Chromium with Playwright, firefox.mjs in Firefox with Puppeteer).
//
// Each key is timed from its keydown event to a task posted from the next animation frame, i.e.
// once that frame's style, layout and paint are done. Keys come as a person's do: 100–140 ms after
// the frame that showed the previous one, at a random point of the 60 Hz frame interval.
//
// Chromium here paces frames at 60 Hz whatever its flags say: a bare requestAnimationFrame loop
// runs 58–61 times a second with or without --disable-frame-rate-limit --disable-gpu-vsync
// (--run-all-compositor-stages-before-draw does unthrottle it, but stalled our page). When the
// page has been idle, the frame after a key starts at once; a key pressed right after a frame
// waits for the next tick instead. Pressing each key as soon as the previous frame was painted,
// as these benchmarks did before, added about 8 ms to every sample: a bare page measured 12.3 ms
// median that way and 4.4 ms with keys 100–200 ms apart. `floor` measures such a bare page with
// the same keys: what the engine and this machine take when the page does almost nothing.

/** How long after the previous key's frame the next key comes: at least, and the random part on top (ms). */
const PAUSE_MS = 100;
const PAUSE_SPREAD_MS = 40;

/**
 * The in-page probe (for page.addInitScript): window.__keys.samples gets the time from each
 * keydown of window.__keys.measureKey to the next painted frame. Self-contained: it runs in the page.
 */
export function keyProbe() {
  const keys = { measureKey: null, samples: [] };
  window.__keys = keys;
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key !== keys.measureKey) return;
      const t0 = e.timeStamp;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => keys.samples.push(performance.now() - t0);
        ch.port2.postMessage(null);
      });
    },
    true,
  );
}

/** Waits until the page has painted twice: the previous key's work is done, as between a person's key presses. */
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok()))));

/** Presses key 100–140 ms after the previous frame; returns the ms from its keydown to the next painted frame. */
export async function measureKey(page, key) {
  await settle(page);
  const count = await page.evaluate((k) => {
    window.__keys.measureKey = k;
    return window.__keys.samples.length;
  }, key);
  await new Promise((ok) => setTimeout(ok, PAUSE_MS + Math.random() * PAUSE_SPREAD_MS));
  await page.keyboard.press(key);
  // (Waiting in the page, not with waitForFunction: Playwright's and Puppeteer's differ.)
  await page.evaluate(
    (c) =>
      new Promise((ok) => {
        const check = () => (window.__keys.samples.length > c ? ok() : requestAnimationFrame(check));
        check();
      }),
    count,
  );
  return page.evaluate(() => {
    window.__keys.measureKey = null;
    return window.__keys.samples.at(-1);
  });
}

/** The same measure on a bare page that shows the last key pressed (n presses), in a page of its own of `context`. */
export async function floor(context, n) {
  const page = await context.newPage();
  try {
    await page.addInitScript(keyProbe);
    const html = '<p id="key">-</p><script>addEventListener("keydown", (e) => (document.getElementById("key").textContent = e.key));</script>';
    await page.goto(`data:text/html,${encodeURIComponent(html)}`);
    const out = [];
    for (let i = 0; i < n; i++) out.push(await measureKey(page, 'abcdefghij'[i % 10]));
    return out;
  } finally {
    await page.close();
  }
}

/** Runs `step` warmup + n times (with the run's index) and keeps the last n results. */
export async function sample(n, warmup, step) {
  const out = [];
  for (let i = 0; i < warmup + n; i++) {
    const ms = await step(i);
    if (i >= warmup) out.push(ms);
  }
  return out;
}

/** n, median, p95 and max of samples. */
export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s.at(-1) };
}
