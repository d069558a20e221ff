/**
 * The desktop window's close hand-over (Go side: backend/handover). When the window closes, Go
 * queues a marker key (F24) behind every key the user already pressed, so the page sees it only
 * after those keys have reached the textarea. The page then hands its last change to Go and says
 * `ReadyToQuit`. While Go waits it pings (`app:closing-ping`); the page answers `ClosingAlive`, so
 * a slow page is waited for and only a hung one is given up on. `app:closing` is Go asking
 * directly, when the marker did not arrive (no keyboard focus, or a platform without the marker).
 */
import { callApp, onEvent } from './index';

/** The key Go queues when the window closes; no editor key uses it. */
export const CLOSE_MARKER_KEY = 'F24';

/**
 * F24's Windows virtual-key code. WebKitGTK names no key past F12: its F24 arrives as
 * `key: 'Unidentified'` with this `keyCode`. Matching only `key === 'F24'` (what Chromium and
 * jsdom send) missed every marker in the desktop window, and the close fell back to Go's direct
 * ask, which overtakes keys still on their way to the page.
 */
const F24_KEY_CODE = 135;

/** Is this key event the close marker? */
export function isCloseMarker(e: Pick<KeyboardEvent, 'key' | 'keyCode'>): boolean {
  return e.key === CLOSE_MARKER_KEY || (e.key === 'Unidentified' && e.keyCode === F24_KEY_CODE);
}

/**
 * Runs `handOver` (save the last change) when the window closes, then tells Go it may quit.
 * Returns the unsubscribe function.
 */
export function onWindowClosing(handOver: () => Promise<void>): () => void {
  let handing = false;
  const alive = (seen: boolean) => void callApp('ClosingAlive', seen).catch(() => {});
  const start = () => {
    if (handing) return;
    handing = true;
    alive(true);
    void handOver()
      .catch(() => {}) // Go still saves what it holds
      .finally(() => {
        handing = false;
        void callApp('ReadyToQuit').catch(() => {});
      });
  };
  const onKey = (e: KeyboardEvent) => {
    if (!isCloseMarker(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (e.type === 'keydown' && !e.repeat) start();
  };
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('keyup', onKey, true);
  const offDirect = onEvent('app:closing', start);
  const offPing = onEvent('app:closing-ping', () => alive(handing));
  return () => {
    window.removeEventListener('keydown', onKey, true);
    window.removeEventListener('keyup', onKey, true);
    offDirect();
    offPing();
  };
}
