/**
 * Word and character counts of the document, shown in the status bar. A word is a run of
 * non-whitespace characters of the joined document (a word may span two fragments); characters
 * are Unicode code points. Per-fragment counts are cached by fragment object, so after an edit
 * only the changed fragment is counted again.
 */
import type { Fragment } from './types';

interface Counts {
  words: number;
  chars: number;
  startsInWord: boolean;
  endsInWord: boolean;
}

const cache = new WeakMap<Fragment, Counts>();

function countFragment(f: Fragment): Counts {
  let c = cache.get(f);
  if (!c) {
    const t = f.text;
    const words = t.match(/\S+/g)?.length ?? 0;
    const surrogates = t.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
    c = { words, chars: t.length - surrogates, startsInWord: /^\S/.test(t), endsInWord: /\S$/.test(t) };
    cache.set(f, c);
  }
  return c;
}

export function documentStats(fragments: readonly Fragment[]): { words: number; chars: number } {
  let words = 0;
  let chars = 0;
  let prevEndsInWord = false;
  for (const f of fragments) {
    const c = countFragment(f);
    if (f.text === '') continue;
    words += c.words;
    chars += c.chars;
    if (prevEndsInWord && c.startsInWord) words -= 1;
    prevEndsInWord = c.endsInWord;
  }
  return { words, chars };
}
