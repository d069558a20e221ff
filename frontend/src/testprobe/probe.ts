import { callApp, transportKind } from '../bridge';
import { afterPaint } from '../tasks/tasks';

/**
 * The desktop tests' probe (backend/desktoptest): a Go test drives the real window with X key
 * presses and cannot read the page, so when the Go side's `TestProbe` says the tests run
 * (FRAGMENTEDITOR_TEST_PROBE is set) the page reports to the app's log what it shows, once it has
 * been painted, and the tests wait for that line instead of sleeping. Each report is read from the
 * DOM (never from what Go sent), as JSON:
 * - `suggestions`: the suggestion grid shows a finished round, every slot done or failed:
 *   `{"round": id, "texts": [slot texts in reading order]}`;
 * - `heatmap`: the probability heatmap shows (its legend is up): `{"tokens": token spans in the fragments}`;
 * - `token-popup`: token mode's popup shows, placed: `{"token": n, "of": count, "choice": index}`
 *   (`Token n of count`, the selected candidate's index).
 * A state is reported again only after it changed (or went away and came back). Otherwise
 * (always, outside the desktop tests) it installs nothing.
 */
export async function startTestProbe(): Promise<void> {
  if (transportKind() !== 'wails') return; // TestProbe is a desktop-only method
  let on: boolean;
  try {
    on = await callApp<boolean>('TestProbe', 'probe', '');
  } catch {
    return;
  }
  if (!on) return;
  const report = (event: string, detail: string) => void callApp('TestProbe', event, detail).catch(() => {});
  const watch = watcher(report);
  let queued = false;
  const check = () => {
    queued = false;
    watch();
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(check);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  check();
}

/** What the probe reads: event name → the state shown now as JSON, or null when not shown. */
export const READERS: Readonly<Record<string, (doc: Document) => string | null>> = {
  suggestions: readSuggestions,
  heatmap: readHeatmap,
  'token-popup': readTokenPopup,
};

/**
 * Returns a check that reads every state and, for each that changed, reports it after the next
 * frame is painted if it still holds then.
 */
export function watcher(report: (event: string, detail: string) => void, doc: Document = document, afterPaintFn = afterPaint): () => void {
  const last = new Map<string, string | null>();
  return () => {
    for (const [event, read] of Object.entries(READERS)) {
      const now = read(doc);
      if (now === (last.get(event) ?? null)) continue;
      last.set(event, now);
      if (now === null) continue;
      afterPaintFn(() => {
        if (read(doc) === now && last.get(event) === now) report(event, now);
      });
    }
  };
}

export function readSuggestions(doc: Document): string | null {
  const grid = doc.querySelector('[role="dialog"][aria-label="Suggestions"], [role="dialog"][aria-label="Rewrites"]');
  if (!grid || grid.getAttribute('data-running') !== 'false') return null;
  const slots = [...grid.querySelectorAll('.suggestion')];
  if (slots.length === 0 || slots.some((s) => !['done', 'error'].includes(s.getAttribute('data-state') ?? ''))) return null;
  const texts = slots.map((s) => s.querySelector('.suggestion-text')?.textContent ?? '');
  return JSON.stringify({ round: grid.getAttribute('data-round') ?? '', texts });
}

export function readHeatmap(doc: Document): string | null {
  if (!doc.querySelector('.heatmap-legend') || !doc.querySelector('style[data-token-styles]')) return null;
  return JSON.stringify({ tokens: doc.querySelectorAll('.fragment .token[data-token-bucket]').length });
}

export function readTokenPopup(doc: Document): string | null {
  const popup = doc.querySelector<HTMLElement>('[data-testid="token-popup"]');
  if (!popup || popup.style.top === '') return null; // not placed under its token yet
  const head = /Token (\d+) of (\d+)/.exec(popup.querySelector('.token-popup-head')?.textContent ?? '');
  const options = [...popup.querySelectorAll('[role="option"]')];
  const choice = options.findIndex((o) => o.getAttribute('aria-selected') === 'true');
  if (!head || choice < 0) return null;
  return JSON.stringify({ token: Number(head[1]), of: Number(head[2]), choice });
}
