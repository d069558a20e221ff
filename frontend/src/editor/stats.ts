/**
 * Word and character counts of the document, shown in the status bar. A word is a run of
 * non-whitespace characters of the joined document (a word may span two fragments); characters
 * are Unicode code points.
 *
 * `StatsCounter` keeps per-fragment counts between calls and recounts only the fragments between
 * the unchanged head and tail of the list (by identity: `commonEnds`, which knows them from the
 * edit that made the list, without comparing), and changes the totals by what those fragments
 * add between their neighbours: after an edit in a 100,000-fragment document it counts one
 * fragment, without summing the others again.
 */
import { commonEnds } from './state';
import type { Fragment } from './types';

export interface DocumentStats {
  readonly words: number;
  readonly chars: number;
}

interface Counts {
  readonly words: number;
  readonly chars: number;
  readonly startsInWord: boolean;
  readonly endsInWord: boolean;
}

/**
 * One fragment's counts, in one pass over its char codes. For 100,000 fragments: 38–52 ms in
 * JavaScriptCore (the desktop window) against 141–367 ms with a regex match each; in V8 the same.
 */
function countFragment(f: Fragment): Counts {
  const t = f.text;
  let words = 0;
  let pairs = 0;
  let inWord = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (isSpace(c)) inWord = false;
    else {
      if (!inWord) words++;
      inWord = true;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          pairs++;
          i++;
        }
      }
    }
  }
  const n = t.length;
  return { words, chars: n - pairs, startsInWord: n > 0 && !isSpace(t.charCodeAt(0)), endsInWord: n > 0 && !isSpace(t.charCodeAt(n - 1)) };
}

/** JavaScript's `\s`: the white space and line terminators of ECMAScript. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function total(counts: readonly Counts[]): DocumentStats {
  let words = 0;
  let chars = 0;
  let prevEndsInWord = false;
  for (const c of counts) {
    if (c.chars === 0) continue;
    words += c.words;
    chars += c.chars;
    if (prevEndsInWord && c.startsInWord) words -= 1;
    prevEndsInWord = c.endsInWord;
  }
  return { words, chars };
}

export class StatsCounter {
  private fragments: readonly Fragment[] = [];
  private counts: Counts[] = [];
  private result: DocumentStats = { words: 0, chars: 0 };

  count(fragments: readonly Fragment[]): DocumentStats {
    if (fragments === this.fragments) return this.result;
    const prev = this.fragments;
    const { head, tail } = commonEnds(prev, fragments);
    const middle: Counts[] = [];
    for (let i = head; i < fragments.length - tail; i++) middle.push(countFragment(fragments[i]!));
    // The totals change only around the middle: between the nearest fragments with text on
    // either side of it (a word may join across the middle's ends), which stay as they were.
    const old = this.counts;
    const oldEnd = old.length - tail;
    const left = nonEmptyBefore(old, head);
    const right = nonEmptyFrom(old, oldEnd);
    const before = around(left, old.slice(head, oldEnd), right);
    const after = around(left, middle, right);
    // In place (a few fragments) or anew (a new document: too many to pass as arguments).
    if (middle.length < 1024) old.splice(head, oldEnd - head, ...middle);
    else this.counts = old.slice(0, head).concat(middle, old.slice(oldEnd));
    this.fragments = fragments;
    this.result = { words: this.result.words - before.words + after.words, chars: this.result.chars - before.chars + after.chars };
    return this.result;
  }
}

const nonEmptyBefore = (counts: readonly Counts[], i: number): Counts | undefined => {
  while (--i >= 0) if (counts[i]!.chars > 0) return counts[i];
  return undefined;
};

const nonEmptyFrom = (counts: readonly Counts[], i: number): Counts | undefined => {
  for (; i < counts.length; i++) if (counts[i]!.chars > 0) return counts[i];
  return undefined;
};

/** What `middle` adds to the totals between its neighbours `left` and `right` (which are counted elsewhere). */
function around(left: Counts | undefined, middle: readonly Counts[], right: Counts | undefined): DocumentStats {
  const seq = [...(left ? [left] : []), ...middle, ...(right ? [right] : [])];
  const t = total(seq);
  return {
    words: t.words - (left?.words ?? 0) - (right?.words ?? 0),
    chars: t.chars - (left?.chars ?? 0) - (right?.chars ?? 0),
  };
}

/** One-off count (tests, exports). */
export function documentStats(fragments: readonly Fragment[]): DocumentStats {
  return total(fragments.map(countFragment));
}
