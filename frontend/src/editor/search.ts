/**
 * Document search: matches are found in the joined document (so a phrase may span fragments),
 * case-insensitively, and reported as the fragment containing the match's first character.
 */
import type { Fragment } from './types';

export interface Match {
  /** Offset of the match in the document text. */
  readonly offset: number;
  /** Index of the fragment containing the first character of the match. */
  readonly fragment: number;
}

/** Start offset of every fragment in the document, plus the document length at the end. */
export function fragmentOffsets(fragments: readonly Fragment[]): number[] {
  const out = new Array<number>(fragments.length + 1);
  let at = 0;
  for (let i = 0; i < fragments.length; i++) {
    out[i] = at;
    at += fragments[i]!.text.length;
  }
  out[fragments.length] = at;
  return out;
}

/** All match offsets of `query` in the document, non-overlapping, in order. */
export function findAll(fragments: readonly Fragment[], query: string): Match[] {
  if (query === '') return [];
  const hay = fragments.map((f) => f.text).join('').toLowerCase();
  const needle = query.toLowerCase();
  const offsets = fragmentOffsets(fragments);
  const out: Match[] = [];
  let k = 0;
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
    while (offsets[k + 1]! <= at) k++;
    out.push({ offset: at, fragment: k });
  }
  return out;
}

/**
 * The match Enter jumps to: the first one after `after` (an offset, or -1 to start at the top),
 * wrapping around to the first match. Null when there is none.
 */
export function nextMatch(matches: readonly Match[], after: number): Match | null {
  if (matches.length === 0) return null;
  return matches.find((m) => m.offset > after) ?? matches[0]!;
}
