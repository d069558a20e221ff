import { describe, expect, it } from 'vitest';
import { findAll, fragmentOffsets, nextMatch } from './search';
import type { Fragment } from './types';

const frags = (...texts: string[]): Fragment[] => texts.map((text, i) => ({ id: `f${i}`, text }));

describe('search', () => {
  const doc = frags('The cat sat. ', 'A Cat ran. ', 'Dogs. ', 'Con', 'catenate.');

  it('finds matches case-insensitively, across fragment boundaries', () => {
    expect(findAll(doc, 'cat').map((m) => m.fragment)).toEqual([0, 1, 4]);
    expect(findAll(doc, 'concat').map((m) => m.fragment)).toEqual([3]);
    expect(findAll(doc, '')).toEqual([]);
    expect(findAll(doc, 'zebra')).toEqual([]);
  });

  it('nextMatch goes forward from an offset and wraps around', () => {
    const ms = findAll(doc, 'cat');
    expect(nextMatch(ms, -1)?.fragment).toBe(0);
    expect(nextMatch(ms, ms[0]!.offset)?.fragment).toBe(1);
    expect(nextMatch(ms, ms[2]!.offset)?.fragment).toBe(0);
    expect(nextMatch([], 0)).toBeNull();
  });

  it('fragmentOffsets gives each start and the total length', () => {
    expect(fragmentOffsets(frags('ab', '', 'cde'))).toEqual([0, 2, 2, 5]);
  });
});
