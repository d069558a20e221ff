import { describe, expect, it } from 'vitest';
import { documentStats, StatsCounter } from './stats';
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

describe('StatsCounter', () => {
  it('gives the same counts as a full count through a series of edits', () => {
    const c = new StatsCounter();
    let list = frags('Hello ', 'wor', 'ld. ', 'Second sentence here. ');
    expect(c.count(list)).toEqual(documentStats(list));
    const edits: ((l: Fragment[]) => Fragment[])[] = [
      (l) => [...l.slice(0, 1), { id: 'x', text: 'big ' }, ...l.slice(1)],
      (l) => l.slice(1),
      (l) => [...l, { id: 'y', text: '😀 end' }],
      (l) => l.map((f, i) => (i === 2 ? { ...f, text: '' } : f)),
      () => [],
      (l) => [...l, { id: 'z', text: 'one two' }],
    ];
    for (const edit of edits) {
      list = edit(list);
      expect(c.count(list)).toEqual(documentStats(list));
    }
  });
});
