import { callApp, transportKind } from '../bridge';
import { OPEN_MARKS } from '../documents/boot';
import { afterPaint, postTask } from '../tasks/tasks';

/**
 * The desktop benchmark's probe (`make bench`, backend/desktoptest): when the Go side's
 * `BenchReport` says a benchmark runs (FRAGMENTEDITOR_BENCH is set), the page reports to the
 * app's log
 * - `open`: from DOMContentLoaded to the first painted frame showing a document (an option with
 *   `aria-setsize`), i.e. loading the document from Go, converting and rendering it, and its
 *   parts, each from DOMContentLoaded too: `open-answered` (Go's answer parsed),
 *   `open-converted` (the editor's state made), `open-rendered` (the options in the page); then
 *   `rendered-options`, and `idle-frames-per-second` (animation frames in the next second: the
 *   frame rate the engine gives this window, which bounds every key's number);
 * - `counts:<key>` for a key that changed the status bar's character count (Enter, ending an
 *   edit; the textarea's draft is not counted): from its keydown to the frame that painted the new
 *   count (`watchCounts`);
 * - `key:<key>` for every key press: from the keydown event (its time stamp, or where that is
 *   not on the page's clock, the first keydown listener) to a task posted from the next animation
 *   frame, which runs once that frame's style, layout and paint are done on the page's thread
 *   (`afterPaint`; the measure of the browser benchmark, bench/run.mjs, which Chromium's
 *   `MessageChannel` gives there, and WebKit's does not: see src/tasks); and its parts, from the
 *   same keydown: `script:<key>`, to the end of the page's handling of the key, and `frame:<key>`,
 *   to the start of that next frame (`watchHandlers`).
 * When the benchmark is `floor`, it first replaces the app (`unmountApp`) with a bare page that
 * shows the last key pressed, and measures the same keys there: what WebKitGTK and this machine
 * take for a frame when the page does almost nothing (bench/keys.mjs's floor, for Chromium).
 * Otherwise (always, outside benchmarks) it installs nothing.
 */
export async function startBenchProbe(unmountApp: () => void): Promise<void> {
  if (transportKind() !== 'wails') return; // BenchReport is a desktop-only method
  let mode: string;
  try {
    mode = await callApp<string>('BenchReport', 'probe', 0);
  } catch {
    return;
  }
  if (!mode) return;
  const report = (event: string, ms: number) => void callApp('BenchReport', event, Math.round(ms * 100) / 100).catch(() => {});
  const idleFrames = () => countFrames(1000, (n) => report('idle-frames-per-second', n));

  if (mode === 'floor') {
    showBarePage(unmountApp);
    afterPaint(idleFrames);
  } else {
    const loaded = () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? 0;
    const waitForDocument = () => {
      if (document.querySelector('[role="option"][aria-setsize]:not([aria-setsize="1"])')) {
        const rendered = performance.now();
        afterPaint(() => {
          report('open', performance.now() - loaded());
          for (const [name, mark] of [['answered', OPEN_MARKS.answered], ['converted', OPEN_MARKS.converted]] as const) {
            const at = performance.getEntriesByName(mark, 'mark')[0]?.startTime;
            if (at !== undefined) report(`open-${name}`, at - loaded());
          }
          report('open-rendered', rendered - loaded());
          report('rendered-options', document.querySelectorAll('[role="option"]').length);
          idleFrames();
        });
      } else requestAnimationFrame(waitForDocument);
    };
    waitForDocument();
  }

  const counts = mode === 'floor' ? null : watchCounts((key, ms) => report(`counts:${key}`, ms));
  const handled = watchHandlers();
  window.addEventListener(
    'keydown',
    (e) => {
      // The event's time where it is on the page's clock (Chromium); WebKitGTK stamps key events
      // with the X server's time, so there it is this listener's time, the first one to run.
      const now = performance.now();
      const t0 = e.timeStamp <= now && now - e.timeStamp < 5000 ? e.timeStamp : now;
      handled.last = now;
      requestAnimationFrame(() => {
        const frame = performance.now();
        const script = handled.last;
        postTask(() => {
          report(`script:${e.key}`, script - t0);
          report(`frame:${e.key}`, frame - t0);
          report(`key:${e.key}`, performance.now() - t0);
        });
      });
      if (counts) counts.pending = { key: e.key, t0 };
    },
    true,
  );
}

/**
 * When the page last finished handling a key: the end of the last `keydown`, `keypress` or
 * `input` listener (and of the microtasks they queued, where React renders and commits what the
 * key changed), taken by a listener on the window that runs last, in the bubble phase. A key's
 * `script:` number is that time; then the page waits for its next animation frame (`frame:`,
 * when that frame's first callback runs: the engine's frame clock, and tasks queued before it),
 * and the frame's style, layout and paint take the rest of `key:`. A handler that stops the
 * event's propagation hides its end; the editor's do not.
 */
function watchHandlers() {
  const state = { last: 0 };
  const end = () => queueMicrotask(() => (state.last = performance.now()));
  for (const type of ['keydown', 'keypress', 'input']) window.addEventListener(type, end);
  return state;
}

/**
 * Reports, for a key that changed the status bar's character count, the time from its keydown to
 * the frame that painted the new count: the count comes in a deferred render of its own, which
 * React's scheduler starts (src/tasks).
 */
function watchCounts(report: (key: string, ms: number) => void) {
  const state: { pending: { key: string; t0: number } | null } = { pending: null };
  const observer = new MutationObserver(() => {
    const p = state.pending;
    if (!p) return;
    state.pending = null;
    afterPaint(() => report(p.key, performance.now() - p.t0));
  });
  const attach = () => {
    const chars = document.querySelector('[data-testid="status-chars"]');
    if (chars) observer.observe(chars, { characterData: true, childList: true, subtree: true });
    else setTimeout(attach, 100);
  };
  attach();
  return state;
}

/** Replaces the app with one line of text that shows the last key pressed, as the key comes. */
function showBarePage(unmountApp: () => void) {
  unmountApp();
  const line = document.createElement('p');
  line.id = 'bench-floor';
  line.textContent = '-';
  document.getElementById('root')!.replaceChildren(line);
  window.addEventListener('keydown', (e) => (line.textContent = e.key));
}

/** Counts animation frames for `ms` (how often the engine runs frames here when asked to). */
function countFrames(ms: number, done: (n: number) => void) {
  const end = performance.now() + ms;
  let n = 0;
  const tick = () => {
    n++;
    if (performance.now() < end) requestAnimationFrame(tick);
    else done(n);
  };
  requestAnimationFrame(tick);
}
