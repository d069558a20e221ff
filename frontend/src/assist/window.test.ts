import { describe, expect, it } from 'vitest';
import type { ModelInfo } from './types';
import { BYTES_PER_TOKEN, storyBound, textsOf, windowStart } from './window';

const frag = (text: string) => ({ text });
const info = (context_tokens: number, active = true) => ({ context_tokens, active }) as ModelInfo;

describe('storyBound', () => {
  it.each([
    ['unknown list: send everything', null, null],
    ['no models: no prompt is made, carry nothing before the point', [], 0],
    ['no active model: the same', [info(8192, false), info(4096, false)], 0],
    ['the largest context counts', [info(2048), info(8192), info(4096)], 8192 * BYTES_PER_TOKEN],
    ['only the active models count', [info(2048), info(8192, false)], 2048 * BYTES_PER_TOKEN],
    ['nonsense contexts are ignored: not known, send everything', [info(Number.NaN), info(-5), info(0)], null],
  ] as const)('%s', (_, models, want) => {
    expect(storyBound(models as ModelInfo[] | null)).toBe(want);
  });
});

describe('windowStart', () => {
  const doc = ['aaaa', 'bb', 'cccccc', 'd', 'eee'].map(frag); // 4, 2, 6, 1, 3
  it.each([
    ['no bound: the whole document', 5, null, 0],
    ['everything before the point fits: from the start', 5, 16, 0],
    ['more than the bound from fragment 2 on (6 + 1 + 3 = 10 > 9)', 5, 9, 2],
    ['exactly the bound is not more: one more fragment', 5, 10, 1],
    ['the point limits what counts', 3, 5, 2],
    ['one fragment longer than the bound alone', 3, 1, 2],
    ['a point past the end counts to the end (3 + 1 > 3)', 99, 3, 3],
    ['nothing before the point', 0, 3, 0],
    ['a bound of 0: the last fragment before the point', 4, 0, 3],
  ] as const)('%s', (_, point, bound, want) => {
    expect(windowStart(doc, point, bound)).toBe(want);
  });

  it('counts UTF-16 units, never more than the UTF-8 bytes Go counts', () => {
    const text = 'é水🙂';
    expect(text.length).toBeLessThanOrEqual(new TextEncoder().encode(text).length);
  });
});

describe('textsOf', () => {
  it('the texts of a range', () => {
    expect(textsOf(['a', 'b', 'c', 'd'].map(frag), 1, 3)).toEqual(['b', 'c']);
    expect(textsOf([frag('a')], 1, 1)).toEqual([]);
  });
});
