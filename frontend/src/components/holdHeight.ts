/** The list's height held after it shrank (see holdHeight). */
export interface Held {
  /** Extra space under the bottom gap (its bottom padding), in pixels. */
  slack: number;
  /** The flow's height with the slack, as last painted. */
  height: number;
  /** Gives the slack back once the list is still. */
  timer: ReturnType<typeof setTimeout> | null;
}

/** How long the list must be still before a held height is given back. */
export const HOLD_MS = 1000;

/**
 * Keeps the flow's height when it shrinks, for a moment. WebKitGTK resizes the scroller's
 * composited content layer whenever the list's height changes, and under software GL that costs
 * the frame about 10 ms (README, benchmarks): Enter closes the textarea (the list shrinks), the next
 * edit opens one (it grows back). So a shrink of up to one viewport is held as extra space under
 * the bottom gap, which the next growth takes first; a second after the last change, with the
 * extra space out of view, it is given back (a shown one waits, so the text never jumps).
 */
export function holdHeight(
  list: Pick<HTMLElement, 'clientHeight' | 'scrollTop' | 'scrollHeight'>,
  flow: Pick<HTMLElement, 'offsetHeight'>,
  bottom: { readonly style: Pick<CSSStyleDeclaration, 'paddingBottom'>; readonly isConnected: boolean },
  held: Held,
) {
  if (list.clientHeight === 0) return; // not laid out (jsdom, a hidden window)
  const natural = flow.offsetHeight - held.slack;
  const slack = Math.max(0, Math.min(held.height - natural, list.clientHeight));
  if (slack !== held.slack) {
    bottom.style.paddingBottom = slack > 0 ? `${slack}px` : '';
    held.slack = slack;
  }
  held.height = natural + slack;
  if (held.timer !== null) clearTimeout(held.timer);
  held.timer = null;
  if (slack === 0) return;
  const release = () => {
    held.timer = null;
    if (!bottom.isConnected) return;
    // The extra space is in view (the end of the document is shown): keep it until it is not.
    if (list.scrollTop + list.clientHeight > list.scrollHeight - held.slack) {
      held.timer = setTimeout(release, HOLD_MS);
      return;
    }
    bottom.style.paddingBottom = '';
    held.slack = 0;
    held.height = flow.offsetHeight;
  };
  held.timer = setTimeout(release, HOLD_MS);
}
