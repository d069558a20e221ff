import { describe, expect, it } from 'vitest';
import { findAll, fragmentAt, matchIndex, nextMatch, searchIndex } from './search';
import type { Fragment } from './types';

const frags = (...texts: string[]): Fragment[] => texts.map((text, i) => ({ id: `f${i}`, text }));

describe('search', () => {
  const doc = frags('The cat sat. ', 'A Cat ran. ', 'Dogs. ', 'Con', 'catenate.');
  const index = searchIndex(doc);
  const fragmentsOf = (ms: number[], idx = index) => ms.map((at) => fragmentAt(idx, at));

  it('finds matches case-insensitively, across fragment boundaries', () => {
    expect(fragmentsOf(findAll(index, 'cat'))).toEqual([0, 1, 4]);
    expect(fragmentsOf(findAll(index, 'CONCAT'))).toEqual([3]);
    expect(findAll(index, '')).toEqual([]);
    expect(findAll(index, 'zebra')).toEqual([]);
  });

  it('finds matches that do not overlap', () => {
    expect(findAll(searchIndex(frags('aaaa', 'a')), 'aa')).toEqual([0, 2]);
  });

  it('builds the index once per fragments array', () => {
    expect(searchIndex(doc)).toBe(index);
    expect(searchIndex([...doc])).not.toBe(index);
  });

  it('starts are those of the lowercased text, whose length may differ', () => {
    // 'İ' (U+0130) lowercases to two code units: the next fragment still starts where it is.
    const turkish = searchIndex(frags('İstanbul. ', 'Ankara.'));
    expect(turkish.starts).toEqual([0, 11, 18]);
    expect(fragmentsOf(findAll(turkish, 'ankara'), turkish)).toEqual([1]);
  });

  it('fragmentAt skips empty fragments and finds the one holding the character', () => {
    const idx = searchIndex(frags('ab', '', 'cde'));
    expect(idx.starts).toEqual([0, 2, 2, 5]);
    expect([0, 1, 2, 4].map((at) => fragmentAt(idx, at))).toEqual([0, 0, 2, 2]);
  });

  it('nextMatch goes forward from an offset and wraps around', () => {
    const ms = findAll(index, 'cat');
    expect(fragmentAt(index, nextMatch(ms, -1)!)).toBe(0);
    expect(fragmentAt(index, nextMatch(ms, ms[0]!)!)).toBe(1);
    expect(fragmentAt(index, nextMatch(ms, ms[0]! + 1)!)).toBe(1);
    expect(fragmentAt(index, nextMatch(ms, ms[2]!)!)).toBe(0);
    expect(nextMatch([], 0)).toBeNull();
  });

  it('matchIndex finds a match offset, and nothing else', () => {
    const ms = findAll(index, 'cat');
    expect(ms.map((at) => matchIndex(ms, at))).toEqual([0, 1, 2]);
    expect(matchIndex(ms, ms[1]! + 1)).toBe(-1);
    expect(matchIndex(ms, -1)).toBe(-1);
    expect(matchIndex([], 0)).toBe(-1);
  });
});
