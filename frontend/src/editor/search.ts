/**
 * Document search: matches are found in the joined document (so a phrase may span fragments),
 * case-insensitively, and reported by their offset in the search text; the fragment containing a
 * match's first character is `fragmentAt(offset)`.
 *
 * The search text (every fragment lowercased, joined) is built once per fragments array and kept
 * while that array lives: each key typed into the search box only scans it. Building it for a
 * novel (100,000 fragments) costs tens of milliseconds; doing that on every key queued the keys up.
 */
import type { Fragment } from './types';

export interface SearchIndex {
  /** The search text: each fragment lowercased, joined. */
  readonly text: string;
  /** Where each fragment starts in `text`, plus its length at the end. */
  readonly starts: readonly number[];
}

const indexes = new WeakMap<readonly Fragment[], SearchIndex>();

/** The search index of `fragments`, built on first use and cached while the array lives. */
export function searchIndex(fragments: readonly Fragment[]): SearchIndex {
  let index = indexes.get(fragments);
  if (!index) {
    // Lowercased one fragment at a time: lowercasing may change a text's length (İ → i̇), and the
    // starts must be those of the lowercased text.
    const lower = fragments.map((f) => f.text.toLowerCase());
    const starts = new Array<number>(lower.length + 1);
    let at = 0;
    for (let i = 0; i < lower.length; i++) {
      starts[i] = at;
      at += lower[i]!.length;
    }
    starts[lower.length] = at;
    index = { text: lower.join(''), starts };
    indexes.set(fragments, index);
  }
  return index;
}

/** Every match offset of `query` in the search text, non-overlapping, in order. */
export function findAll(index: SearchIndex, query: string): number[] {
  if (query === '') return [];
  const needle = query.toLowerCase();
  const out: number[] = [];
  for (let at = index.text.indexOf(needle); at !== -1; at = index.text.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

/** The index of the fragment containing the character at `offset` of the search text. */
export function fragmentAt(index: SearchIndex, offset: number): number {
  const { starts } = index;
  // The last fragment starting at or before offset (empty fragments share their start with the next).
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first of `matches` (sorted) above `offset`: matches.length when none is. */
function firstAbove(matches: readonly number[], offset: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `offset` is among `matches` (sorted): its index, or -1. */
export function matchIndex(matches: readonly number[], offset: number): number {
  const i = firstAbove(matches, offset) - 1;
  return i >= 0 && matches[i] === offset ? i : -1;
}

/**
 * The match Enter jumps to: the first one after `after` (an offset, or -1 to start at the top),
 * wrapping around to the first match. Null when there is none.
 */
export function nextMatch(matches: readonly number[], after: number): number | null {
  if (matches.length === 0) return null;
  return matches[firstAbove(matches, after)] ?? matches[0]!;
}
