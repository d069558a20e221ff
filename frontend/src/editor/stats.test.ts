import { describe, expect, it } from 'vitest';
import { documentStats } from './stats';
import type { Fragment } from './types';

const frags = (...texts: string[]): Fragment[] => texts.map((text, i) => ({ id: `f${i}`, text }));

describe('documentStats', () => {
  it.each([
    [[], 0, 0],
    [['Hello world. '], 2, 13],
    [['Hello ', 'world.'], 2, 12],
    [['Hel', 'lo'], 1, 5],
    [['One.', '\n\n---\n\n', 'Two.'], 3, 15],
    [['😀 ok'], 2, 4],
    [['', '  ', 'a'], 1, 3],
  ])('%j → %i words, %i chars', (texts, words, chars) => {
    expect(documentStats(frags(...(texts as string[])))).toEqual({ words, chars });
  });
});
