/**
 * Token probabilities and token mode, as pure commands (like alternatives.ts).
 *
 * Decided here (tested in tokens.test.ts):
 * - A model's fragment keeps its tokens (`Fragment.tokens`); joined they are its text. Editing the
 *   text by hand drops them (commitDraft); cycling alternatives brings each one's own.
 * - Regenerating from token `i` with candidate `c` (token mode's Enter): the fragment's text
 *   becomes its tokens before `i` followed by `c` — the prefix — in one undo step; the text it had
 *   stays among its alternatives (added when it is not one yet), so ↑/↓ and undo bring it back.
 *   The continuation then streams in place (`streamInto`, no undo step of its own, the revision
 *   moves so autosave writes it) and, when final, joins the alternatives as the one shown
 *   (`finishRegenerate`).
 * - A streamed update applies only while the fragment still starts with the prefix (undo or an
 *   edit made meanwhile wins).
 */
import { recordChange, replaceAt } from './state';
import type { EditorState, Fragment, StoryNotes, TokenProb } from './types';

/** The probability shown for a token: 0–1 with two decimals (the `data-token-prob` attribute). */
export function probLabel(p: number): string {
  return (Math.round(Math.min(1, Math.max(0, p)) * 100) / 100).toFixed(2);
}

/** Heatmap shade of a probability: 0 (least likely) … 4 (likely, not shaded). */
export function probBucket(p: number): number {
  if (p < 0.1) return 0;
  if (p < 0.3) return 1;
  if (p < 0.5) return 2;
  if (p < 0.8) return 3;
  return 4;
}

/**
 * The candidates token mode lists for token `i`: the token itself first (with its probability),
 * then the server's other candidates, most likely first, without duplicates or empty texts.
 */
export function candidatesOf(tokens: readonly TokenProb[], i: number): TokenProb[] {
  const tok = tokens[i];
  if (!tok) return [];
  const out: TokenProb[] = [{ t: tok.t, p: tok.p }];
  const rest = [...(tok.top ?? [])].sort((a, b) => b.p - a.p);
  for (const c of rest) if (c.t !== '' && !out.some((o) => o.t === c.t)) out.push({ t: c.t, p: c.p });
  return out;
}

/** What Enter in token mode sends: the prefix (text) and its tokens (the chosen candidate last). */
export function regeneratePrefix(tokens: readonly TokenProb[], i: number, choice: TokenProb): { prefix: string; tokens: TokenProb[] } {
  const kept = tokens.slice(0, i);
  const chosen: TokenProb = { t: choice.t, p: choice.p, ...(tokens[i]?.top ? { top: tokens[i]!.top } : {}) };
  const all = [...kept, chosen];
  return { prefix: all.map((t) => t.t).join(''), tokens: all };
}

/** Token mode's Enter: the fragment `id` becomes `prefix` (one undo step), its text kept as an alternative. */
export function beginRegenerate(state: EditorState, id: string, prefix: string, tokens: readonly TokenProb[]): EditorState {
  const index = state.fragments.findIndex((f) => f.id === id);
  const f = state.fragments[index];
  if (state.mode !== 'explore' || !f || prefix === '') return state;
  let alts = f.alternatives ?? [];
  let sources = f.altSources ?? alts.map(() => undefined);
  let altTokens = f.altTokens ?? alts.map(() => undefined);
  let at = f.alt ?? 0;
  if (alts[at] !== f.text) {
    at = alts.length;
    alts = [...alts, f.text];
    sources = [...sources, f.source];
    altTokens = [...altTokens, f.tokens];
  } else if (f.tokens && !altTokens[at]) {
    altTokens = altTokens.map((t, k) => (k === at ? f.tokens : t));
  }
  const { edited: _edited, ...rest } = f;
  const next: Fragment = { ...rest, text: prefix, tokens, alternatives: alts, altSources: sources, altTokens, alt: at };
  return recordChange(state, { fragments: replaceAt(state.fragments, index, next), selection: index });
}

/**
 * A streamed update of a regenerated fragment: its text so far (the prefix and what followed).
 * Not an undo step; the revision moves (autosave). Ignored once the fragment no longer starts with
 * the prefix.
 */
export function streamInto(state: EditorState, id: string, prefix: string, text: string): EditorState {
  const index = state.fragments.findIndex((f) => f.id === id);
  const f = state.fragments[index];
  if (!f || !f.text.startsWith(prefix) || !text.startsWith(prefix) || f.text === text) return state;
  const { tokens: _tokens, ...rest } = f;
  const prefixTokens = tokensUpTo(f.tokens, prefix);
  const next: Fragment = prefixTokens ? { ...rest, text, tokens: prefixTokens } : { ...rest, text };
  return { ...state, fragments: replaceAt(state.fragments, index, next), revision: state.revision + 1 };
}

/**
 * The final text of a regenerated fragment: its tokens are the prefix's and the continuation's
 * (none when the server sent none), and the text joins the alternatives as the one shown.
 */
export function finishRegenerate(
  state: EditorState,
  id: string,
  prefix: string,
  prefixTokens: readonly TokenProb[],
  text: string,
  continuation: readonly TokenProb[] | undefined,
): EditorState {
  const index = state.fragments.findIndex((f) => f.id === id);
  const f = state.fragments[index];
  if (!f || !f.text.startsWith(prefix) || !text.startsWith(prefix)) return state;
  const tail = text.slice(prefix.length);
  const spelled = continuation?.map((t) => t.t).join('') ?? '';
  const tokens = tail === '' ? [...prefixTokens] : continuation && spelled === tail ? [...prefixTokens, ...continuation] : undefined;
  const alts = [...(f.alternatives ?? []), text];
  const sources = [...(f.altSources ?? (f.alternatives ?? []).map(() => undefined)), f.source];
  const altTokens = [...(f.altTokens ?? (f.alternatives ?? []).map(() => undefined)), tokens];
  const { tokens: _tokens, ...rest } = f;
  const next: Fragment = { ...rest, text, alternatives: alts, altSources: sources, altTokens, alt: alts.length - 1, ...(tokens ? { tokens } : {}) };
  return { ...state, fragments: replaceAt(state.fragments, index, next), revision: state.revision + 1 };
}

/** The tokens spelling exactly `prefix` at the start of `tokens`, or undefined. */
function tokensUpTo(tokens: readonly TokenProb[] | undefined, prefix: string): TokenProb[] | undefined {
  if (!tokens) return undefined;
  let text = '';
  const out: TokenProb[] = [];
  for (const t of tokens) {
    if (text === prefix) break;
    text += t.t;
    out.push(t);
  }
  return text === prefix ? out : undefined;
}

/** Replaces the story notes (saved with the document; not an undo step). Blank notes are none. */
export function setNotes(state: EditorState, notes: StoryNotes): EditorState {
  const empty = notes.memory.trim() === '' && notes.authorsNote.trim() === '';
  const cur = state.notes;
  if (cur && cur.memory === notes.memory && cur.authorsNote === notes.authorsNote && cur.depth === notes.depth) return state;
  if (empty && !cur) return state;
  const { notes: _notes, ...rest } = state;
  return empty ? { ...rest, revision: state.revision + 1 } : { ...state, notes, revision: state.revision + 1 };
}
