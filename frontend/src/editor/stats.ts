/**
 * Word and character counts of the document, shown in the status bar. A word is a run of
 * non-whitespace characters of the joined document (a word may span two fragments); characters
 * are Unicode code points.
 *
 * `StatsCounter` keeps per-fragment counts between calls and recounts only the fragments between
 * the unchanged head and tail of the list (compared by identity), so after an edit in a
 * 10,000-fragment document it counts one fragment and sums numbers.
 */
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

function countFragment(f: Fragment): Counts {
  const t = f.text;
  const words = t.match(/\S+/g)?.length ?? 0;
  const surrogates = t.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return { words, chars: t.length - surrogates, startsInWord: /^\S/.test(t), endsInWord: /\S$/.test(t) };
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
    const max = Math.min(prev.length, fragments.length);
    let head = 0;
    while (head < max && prev[head] === fragments[head]) head++;
    let tail = 0;
    while (tail < max - head && prev[prev.length - 1 - tail] === fragments[fragments.length - 1 - tail]) tail++;
    const middle: Counts[] = [];
    for (let i = head; i < fragments.length - tail; i++) middle.push(countFragment(fragments[i]!));
    this.counts = [...this.counts.slice(0, head), ...middle, ...this.counts.slice(this.counts.length - tail)];
    this.fragments = fragments;
    this.result = total(this.counts);
    return this.result;
  }
}

/** One-off count (tests, exports). */
export function documentStats(fragments: readonly Fragment[]): DocumentStats {
  return total(fragments.map(countFragment));
}
