import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonEnds, compareEnds, createState, insertAt, removeAt, replaceAt } from './state';

const withIds = (...ids: string[]) => createState({ fragments: ids.map((id) => ({ id, text: 'x' })) });

describe('createState', () => {
  it.each([
    [[], 1],
    [['f1', 'f2', 'f3'], 4],
    [['f9', 'f10', 'f2'], 11],
    [['f007'], 8],
    [['f', 'fx1', 'f12a', 'g5', 'F3', 'f-1', ' f4'], 1],
    [['f5', 'other', 'f12'], 13],
  ])('ids %j: the next new fragment gets f%i', (ids, next) => {
    expect(withIds(...ids).nextId).toBe(next);
  });
});

describe('commonEnds', () => {
  type Step = { kind: 'insert' | 'remove' | 'replace' | 'replaceSame' | 'copy'; at: number };
  const step = fc.record({ kind: fc.constantFrom('insert', 'remove', 'replace', 'replaceSame', 'copy'), at: fc.nat(30) }) as fc.Arbitrary<Step>;
  let made = 0;
  /** One edit as the commands make them; `copy` makes a list no helper recorded. */
  const apply = (list: readonly object[], s: Step): object[] => {
    const at = Math.min(s.at, list.length);
    switch (s.kind) {
      case 'insert':
        return insertAt(list, at, [{ n: made++ }]);
      case 'remove':
        return removeAt(list, at);
      case 'replace':
        return replaceAt(list, at, { n: made++ });
      case 'replaceSame':
        return at < list.length ? replaceAt(list, at, list[at]!) : [...list];
      case 'copy':
        return [...list];
    }
  };

  it('claims only items that are common, and all of them after one splice of new items', () => {
    fc.assert(
      fc.property(fc.nat(25), fc.array(step, { maxLength: 12 }), (length, steps) => {
        const first = Array.from({ length }, () => ({ n: made++ }));
        const lists: (readonly object[])[] = [first];
        for (const s of steps) lists.push(apply(lists.at(-1)!, s));
        for (let i = 0; i < lists.length; i++) {
          for (let j = i; j < lists.length; j++) {
            const [prev, next] = [lists[i]!, lists[j]!];
            const got = commonEnds(prev, next);
            const want = compareEnds(prev, next);
            // What it claims is common is common.
            for (let k = 0; k < got.head; k++) expect(next[k]).toBe(prev[k]);
            for (let k = 0; k < got.tail; k++) expect(next[next.length - 1 - k]).toBe(prev[prev.length - 1 - k]);
            expect(got.head + got.tail).toBeLessThanOrEqual(Math.min(prev.length, next.length));
            const kind = steps[j - 1]?.kind;
            if (j === i + 1 && (kind === 'insert' || kind === 'remove' || kind === 'replace')) expect(got).toEqual(want);
          }
        }
      }),
    );
  });

  it('follows recorded splices instead of comparing', () => {
    const list = Array.from({ length: 10 }, (_, n) => ({ n }));
    const next = replaceAt(insertAt(list, 3, [{ n: 99 }]), 7, { n: 98 });
    expect(commonEnds(list, next)).toEqual({ head: 3, tail: 3 });
    // Break the contract (lists are never changed in place): comparing sees it, the record does not.
    list[0] = { n: -1 };
    expect(compareEnds(list, next)).toEqual({ head: 0, tail: 3 });
    expect(commonEnds(list, next)).toEqual({ head: 3, tail: 3 });
  });
});
