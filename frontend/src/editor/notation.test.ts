import { describe, expect, it } from 'vitest';
import { parseList, showList } from './notation';

describe('compact notation', () => {
  it('round-trips', () => {
    for (const l of [['[<new>]'], ['A. ', '[B. ]', '<new>'], ['[A. ]', '<new>'], ['A. ', '[<new>]']]) {
      expect(showList(parseList(l))).toEqual(l);
    }
  });

  it('rejects malformed lists', () => {
    expect(() => parseList(['A. '])).toThrow(/<new>/);
    expect(() => parseList(['A. ', '<new>'])).toThrow(/no selection/);
    expect(() => parseList(['[A. ]', '[<new>]'])).toThrow(/two/);
  });
});
