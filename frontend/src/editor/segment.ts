/**
 * Splitting outside text into sentence fragments. The pieces always join back to the input byte
 * for byte (`splitSentences(t).join('') === t`) and none is empty: each sentence keeps the
 * whitespace that follows it, so the document reads exactly as the pasted text did.
 */

type SegmenterLike = { segment(text: string): Iterable<{ segment: string }> };

let cached: SegmenterLike | null | undefined;

function sentenceSegmenter(): SegmenterLike | null {
  if (cached === undefined) {
    const Seg = (Intl as { Segmenter?: new (locale?: string, o?: { granularity: 'sentence' }) => SegmenterLike }).Segmenter;
    cached = Seg ? new Seg(undefined, { granularity: 'sentence' }) : null;
  }
  return cached;
}

export function splitSentences(text: string): string[] {
  if (text === '') return [];
  const seg = sentenceSegmenter();
  if (!seg) return splitSentencesFallback(text);
  const out: string[] = [];
  for (const s of seg.segment(text)) push(out, s.segment);
  return out;
}

/** Whitespace alone (the second newline of a paragraph break) stays with the sentence before it. */
function push(out: string[], piece: string): void {
  if (piece === '') return;
  if (out.length > 0 && /^\s+$/.test(piece)) out[out.length - 1] += piece;
  else out.push(piece);
}

/**
 * For engines without Intl.Segmenter: a sentence ends after `.`, `!`, `?` or `…` (with closing
 * quotes or brackets) followed by whitespace, or after a newline; the whitespace after it stays
 * with it.
 */
export function splitSentencesFallback(text: string): string[] {
  const out: string[] = [];
  const re = /[^]*?(?:[.!?…]+["'”’)\]]*\s+|\n+|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[0] === '') break;
    push(out, m[0]);
  }
  return out;
}
