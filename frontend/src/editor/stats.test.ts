import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentStats, StatsCounter } from './stats';
import { spliceRecorded } from './test-helpers';
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

describe('documentStats against the regex definition', () => {
  // A word is a run of \S in the joined text; characters are code points, counted per fragment
  // (a surrogate pair split across two fragments counts as two).
  const reference = (texts: string[]) => ({
    words: texts.join('').match(/\S+/g)?.length ?? 0,
    chars: texts.reduce((n, t) => n + t.length - (t.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0), 0),
  });
  // Every \s character JavaScript knows, some neighbours that are not, pairs and lone surrogates.
  const pieces = ['a', 'Z', '.', ' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029',
    '\u202f', '\u205f', '\u3000', '\ufeff', '\u180e', '😀', '\ud83d', '\ude00', 'é'];

  it('counts every white space JavaScript knows, and surrogate pairs', () => {
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), (texts) => {
        expect(documentStats(frags(...texts))).toEqual(reference(texts));
      }),
    );
  });
});

describe('StatsCounter', () => {
  it('gives the same counts as a full count after edits made as the editor makes them, or as new arrays', () => {
    let next = 0;
    const frag = (text: string): Fragment => ({ id: `g${next++}`, text });
    const text = fc.constantFrom('a ', 'b', ' c', '', '  ', '😀', 'x.\n');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(3), insert: fc.array(text, { maxLength: 3 }), recorded: fc.boolean() });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 30 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (texts, edits) => {
        const c = new StatsCounter();
        let list = texts.map(frag);
        expect(c.count(list)).toEqual(documentStats(list));
        for (const e of edits) {
          const at = e.at % (list.length + 1);
          const insert = e.insert.map(frag);
          list = e.recorded ? spliceRecorded(list, at, e.remove, insert) : [...list.slice(0, at), ...insert, ...list.slice(at + e.remove)];
          expect(c.count(list)).toEqual(documentStats(list));
        }
      }),
    );
  });

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

describe('StatsCounter at random', () => {
  it('matches a full count after any edits, empty fragments and words across fragments included', () => {
    const texts = fc.constantFrom('', ' ', 'a', 'b ', ' c', 'two words', '\n\n', '😀', 'x\n');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(3), insert: fc.array(texts, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(texts, { maxLength: 12 }), fc.array(edit, { maxLength: 8 }), (start, edits) => {
        const c = new StatsCounter();
        let next = 0;
        let list: Fragment[] = start.map((text) => ({ id: `s${next++}`, text }));
        expect(c.count(list)).toEqual(documentStats(list));
        for (const e of edits) {
          const at = e.at % (list.length + 1);
          list = [...list.slice(0, at), ...e.insert.map((text) => ({ id: `e${next++}`, text })), ...list.slice(at + e.remove)];
          expect(c.count(list)).toEqual(documentStats(list));
        }
      }),
    );
  });

  it('counts a new document of 100,000 fragments at once', () => {
    const list = frags(...Array.from({ length: 100_000 }, (_, i) => `Word ${i}. `));
    expect(new StatsCounter().count(list)).toEqual({ words: 200_000, chars: documentStats(list).chars });
  });
});
