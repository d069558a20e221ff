/**
 * What a suggestion request carries of a long document: not every fragment, only the end a prompt
 * can use. The Go side (backend/assist) trims the story to the model's context from the front, at
 * no more than BYTES_PER_TOKEN bytes per token of context; so of the text before the point of the
 * request (the selection, the rewritten or regenerated fragment) it never uses more than
 * BYTES_PER_TOKEN × the largest context of the models. The request starts at the latest fragment
 * that keeps more than that before the point (`first`: the Go side reads indices as the
 * document's). Counting UTF-16 code units (`length`), never more than the UTF-8 bytes Go counts,
 * keeps at least as much as Go could use.
 *
 * Go proves it: a request whose carried story fits the prompt whole, so that the prompt would have
 * gone on into the fragments left out, fails with `short_window` (say the model list changed
 * meanwhile), and the page then sends the whole document (see AssistController).
 */
import type { ModelInfo } from './types';

/** backend/assist bytesPerToken: the story budget is at most this many bytes per context token. */
export const BYTES_PER_TOKEN = 4;

/**
 * The most story text (bytes) the prompts of the active models can hold; null when that is not
 * known (no model list yet, or no context size for them): send everything. With no active model
 * (none discovered, or all switched off) no prompt is made and Go answers with that error, so the
 * bound is 0: the request carries the last fragment before the point, not the whole document (at
 * 100,000 fragments that was 8 MB through the bridge on every Tab). A model that comes up meanwhile
 * is still served right: Go finds the window short and the page sends the whole document.
 */
export function storyBound(models: readonly ModelInfo[] | null | undefined): number | null {
  if (!models) return null;
  let active = 0;
  let most = 0;
  for (const m of models) {
    if (!m.active) continue;
    active++;
    if (Number.isFinite(m.context_tokens) && m.context_tokens > most) most = m.context_tokens;
  }
  if (active === 0) return 0;
  return most > 0 ? most * BYTES_PER_TOKEN : null;
}

/**
 * The first fragment a request carries: the latest index with more than `bound` units of text in
 * fragments `first`..`point - 1` (0 when the whole start of the document is not more than that,
 * or bound is null).
 */
export function windowStart(fragments: readonly { readonly text: string }[], point: number, bound: number | null): number {
  if (bound === null) return 0;
  let sum = 0;
  for (let i = Math.min(point, fragments.length) - 1; i >= 0; i--) {
    sum += fragments[i]!.text.length;
    if (sum > bound) return i;
  }
  return 0;
}

/** The texts of fragments `first`..`end - 1`. */
export function textsOf(fragments: readonly { readonly text: string }[], first: number, end: number): string[] {
  const out: string[] = new Array(Math.max(0, end - first));
  for (let i = first; i < end; i++) out[i - first] = fragments[i]!.text;
  return out;
}
