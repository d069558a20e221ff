/**
 * Alternatives and provenance: the commands that put model text into the document and let a
 * fragment cycle through the texts it could have been. Pure, like commands.ts: a command that
 * does not apply returns the very same state.
 *
 * Decided here (tested in alternatives.test.ts):
 * - A suggestion chosen from a round is inserted right of the selection (on `<new>`: at the end)
 *   and selected; its source is the model that wrote it, and the round's texts (the chosen one
 *   included, in the round's order) become its alternatives, `alt` pointing at the chosen one. A
 *   round with a single text attaches no alternatives.
 * - A rewrite replaces the fragment's text (same id, one undo step); the text it had is kept as
 *   the first alternative with its own source, so Up/Down can bring it back.
 * - Up/Down (`cycleAlternative`) step through the alternatives in place, wrapping around, one undo
 *   step each; the fragment takes the alternative's source and is no longer `edited`. When the
 *   text was edited after it was inserted (it is none of the alternatives), the edited text is
 *   kept: it joins the alternatives right after the one it came from before the step.
 * - A fragment without at least two alternatives does not cycle.
 */
import { isOnNew, recordChange, replaceAt, insertAt, takeIds } from './state';
import type { EditorState, Fragment, FragmentSource, TokenProb } from './types';

/** One text a round offers, with where it came from. */
export interface Choice {
  readonly text: string;
  readonly source: FragmentSource;
  /** The model's tokens of the text, when the server sent probabilities. */
  readonly tokens?: readonly TokenProb[];
}

/** Inserts `choices[chosen]` right of the selection with the other choices as alternatives. */
export function insertChoice(state: EditorState, choices: readonly Choice[], chosen: number): EditorState {
  const pick = choices[chosen];
  if (state.mode !== 'explore' || !pick || pick.text === '') return state;
  const { ids, nextId } = takeIds(state, 1);
  const fragment: Fragment = { id: ids[0]!, text: pick.text, source: pick.source, ...tokensOf(pick), ...alternativesOf(choices, chosen) };
  const at = isOnNew(state) ? state.fragments.length : state.selection + 1;
  return recordChange(state, { fragments: insertAt(state.fragments, at, [fragment]), selection: at, nextId });
}

/**
 * Replaces the text of the fragment at `index` with `choices[chosen]`; the fragment's current text
 * becomes the first alternative. The selection moves to the fragment.
 */
export function replaceWithChoice(state: EditorState, index: number, choices: readonly Choice[], chosen: number): EditorState {
  const current = state.fragments[index];
  const pick = choices[chosen];
  if (state.mode !== 'explore' || !current || !pick || pick.text === '') return state;
  const original: Choice = { text: current.text, source: current.source ?? { kind: 'typed' }, ...tokensOf(current) };
  const all = [original, ...choices];
  const { edited: _edited, tokens: _tokens, ...rest } = current;
  const fragment: Fragment = { ...rest, text: pick.text, source: pick.source, ...tokensOf(pick), ...alternativesOf(all, chosen + 1) };
  return recordChange(state, { fragments: replaceAt(state.fragments, index, fragment), selection: index });
}

/** Up (-1) / Down (+1): the selected fragment shows its previous / next alternative. */
export function cycleAlternative(state: EditorState, dir: 1 | -1): EditorState {
  const f = state.fragments[state.selection];
  if (state.mode !== 'explore' || !f?.alternatives || f.alternatives.length < 2) return state;
  let alts = f.alternatives;
  let sources = f.altSources ?? alts.map(() => undefined);
  let tokens = f.altTokens ?? alts.map(() => undefined);
  let at = clampIndex(f.alt ?? 0, alts.length);
  if (alts[at] !== f.text) {
    // Edited after insertion: keep the edited text as an alternative of its own.
    alts = [...alts.slice(0, at + 1), f.text, ...alts.slice(at + 1)];
    sources = [...sources.slice(0, at + 1), f.source, ...sources.slice(at + 1)];
    tokens = [...tokens.slice(0, at + 1), f.tokens, ...tokens.slice(at + 1)];
    at += 1;
  } else if (f.tokens && !tokens[at]) {
    tokens = tokens.map((t, k) => (k === at ? f.tokens : t));
  }
  const next = (at + dir + alts.length) % alts.length;
  const { edited: _edited, tokens: _tokens, ...rest } = f;
  const nextTokens = tokens[next];
  const fragment: Fragment = {
    ...rest,
    text: alts[next]!,
    source: sources[next] ?? f.source,
    alternatives: alts,
    altSources: sources,
    altTokens: tokens,
    alt: next,
    ...(nextTokens ? { tokens: nextTokens } : {}),
  };
  return recordChange(state, { fragments: replaceAt(state.fragments, state.selection, fragment) });
}

/**
 * The counter shown on a fragment with alternatives: `2/6` while it shows the second of six;
 * `–/6` once its text was edited into none of them. Undefined without alternatives to cycle.
 */
export function altLabel(f: Fragment): string | undefined {
  const n = f.alternatives?.length ?? 0;
  if (n < 2) return undefined;
  const at = f.alt ?? 0;
  return f.alternatives![at] === f.text ? `${at + 1}/${n}` : `–/${n}`;
}

function alternativesOf(choices: readonly Choice[], chosen: number): Pick<Fragment, 'alternatives' | 'altSources' | 'altTokens' | 'alt'> {
  if (choices.length < 2) return {};
  const out = { alternatives: choices.map((c) => c.text), altSources: choices.map((c) => c.source), alt: chosen };
  return choices.some((c) => c.tokens) ? { ...out, altTokens: choices.map((c) => c.tokens) } : out;
}

function tokensOf(c: { readonly tokens?: readonly TokenProb[] }): Pick<Fragment, 'tokens'> {
  return c.tokens && c.tokens.length > 0 ? { tokens: c.tokens } : {};
}

function clampIndex(i: number, n: number): number {
  return Number.isInteger(i) && i >= 0 && i < n ? i : 0;
}
