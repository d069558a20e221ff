/**
 * Tasks posted to the page's own event loop, without `MessageChannel`.
 *
 * In WebKit (the desktop window's WebKitGTK) a `MessagePort` does not deliver its messages by
 * itself: the page asks WebKit's network process for them, one IPC round trip per delivery
 * (`WebMessagePortChannelProvider::takeAllMessagesForPort` in WebKit 2.50). In the desktop window
 * a message posted from an animation frame arrived 10–16 ms (median) after a `window.postMessage`
 * posted beside it, 4.5 ms after on a bare page (README, Benchmarks). `window.postMessage` to the
 * page itself is a task of the page's own event loop in every engine, and unlike `setTimeout` it
 * is never clamped to 4 ms when tasks chain.
 */

const TAG = 'fragmenteditor:task';
const queue: (() => void)[] = [];
let listening = false;

/** Runs `cb` in a task of its own, after the current one and what is already queued. */
export function postTask(cb: () => void): void {
  if (!listening) {
    window.addEventListener('message', onMessage);
    listening = true;
  }
  queue.push(cb);
  window.postMessage(TAG, '*');
}

function onMessage(e: MessageEvent) {
  if (e.data !== TAG) return;
  e.stopImmediatePropagation();
  queue.shift()?.();
}

/**
 * Calls `cb` in a task posted from the next animation frame: in every engine that task runs
 * once the frame's style, layout and paint are done on the page's thread (what the engine's
 * compositor does after that, the desktop bench measures on screen).
 */
export function afterPaint(cb: () => void): void {
  requestAnimationFrame(() => postTask(cb));
}

/**
 * Whether this engine's `MessageChannel` asks another process for every message: WebKit's (the
 * desktop window's WebKitGTK), not Chromium's, whose user agent also says AppleWebKit, nor
 * Firefox's.
 */
export function messagesCrossProcesses(userAgent: string): boolean {
  return /AppleWebKit\//.test(userAgent) && !/Chrome\/|Chromium\//.test(userAgent);
}

/**
 * Gives a WebKit page a `setImmediate` made of `postTask`, so that React's scheduler, which
 * prefers `setImmediate` to `MessageChannel`, schedules its deferred renders (the status bar's
 * counts, streamed suggestions, answers from Go) without WebKit's IPC round trip. Elsewhere (and
 * where a `setImmediate` exists) it leaves the page as it is: Chromium has no such round trip to
 * save. Must run before React is loaded: the scheduler picks its way once, when its module is
 * evaluated.
 */
export function installSetImmediate(global: object = globalThis, userAgent = navigator.userAgent): void {
  const g = global as { setImmediate?: unknown };
  if (typeof g.setImmediate === 'function' || !messagesCrossProcesses(userAgent)) return;
  g.setImmediate = (cb: (...args: unknown[]) => void, ...args: unknown[]) => postTask(() => cb(...args));
}
