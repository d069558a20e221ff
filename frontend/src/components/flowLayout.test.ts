import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Fragment } from '../editor';
import { spliceRecorded } from '../editor/test-helpers';
import { blocksOf, FlowLayout, MAX_BLOCK, MeasureStore, segmentsOf, windowFor } from './flowLayout';

const frags = (texts: readonly string[]): Fragment[] => texts.map((text, i) => ({ id: `f${i + 1}`, text }));
const metrics = { lineHeight: 10, charsPerLine: 20 };

describe('blocksOf', () => {
  it.each([
    { name: 'empty document: <new> alone', texts: [], want: [[0, 0, true]] },
    { name: 'one paragraph, <new> closes it', texts: ['A. ', 'B. '], want: [[0, 2, true]] },
    { name: 'a newline ends a paragraph; <new> after it has a block of its own', texts: ['A.\n', 'B. ', 'C.\n\n'], want: [[0, 1, false], [1, 3, false], [3, 3, true]] },
    { name: 'a section break is a paragraph end too', texts: ['A. ', '\n\n---\n\n', 'B.'], want: [[0, 2, false], [2, 3, true]] },
    { name: 'a newline inside a fragment does not end it', texts: ['A.\nB. ', 'C.'], want: [[0, 2, true]] },
  ])('$name', ({ texts, want }) => {
    expect(blocksOf(frags(texts)).map((b) => [b.start, b.end, b.hasNew])).toEqual(want);
  });

  it('cuts a paragraph longer than MAX_BLOCK into blocks of MAX_BLOCK (an even number: the colours alternate on)', () => {
    const blocks = blocksOf(frags(Array.from({ length: 2 * MAX_BLOCK + 3 }, () => 'S. ')));
    expect(MAX_BLOCK % 2).toBe(0);
    expect(blocks.map((b) => b.end - b.start)).toEqual([MAX_BLOCK, MAX_BLOCK, 3]);
    expect(blocks.at(-1)!.hasNew).toBe(true);
  });
});

describe('blocksOf after an edit', () => {
  const shape = (blocks: readonly { start: number; end: number; hasNew: boolean }[]) => blocks.map((b) => [b.start, b.end, b.hasNew]);

  it('cuts only what changed and gives what cutting everything gives', () => {
    let next = 0;
    const frag = (text: string): Fragment => ({ id: `g${next++}`, text });
    const text = fc.constantFrom('A. ', 'B. ', 'C.\n', '\n\n', '');
    // Long runs without a newline too, so that the MAX_BLOCK cuts move.
    const doc = fc.oneof(
      fc.array(text, { maxLength: 40 }),
      fc.integer({ min: MAX_BLOCK - 5, max: 2 * MAX_BLOCK + 5 }).map((n) => Array.from({ length: n }, (_, i) => (i % 97 === 96 ? 'P.\n' : 'S. '))),
    );
    // Edits made as the editor makes them (recorded splices, see commonEnds) or as a new array.
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(4), insert: fc.array(text, { maxLength: 4 }), recorded: fc.boolean() });
    fc.assert(
      fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 5 }), (texts, edits) => {
        let list = texts.map(frag);
        let cut = { fragments: list, blocks: blocksOf(list) };
        for (const e of edits) {
          const at = e.at % (list.length + 1);
          const insert = e.insert.map(frag);
          const whole = [...list.slice(0, at), ...insert, ...list.slice(at + e.remove)];
          if (e.recorded) {
            list = spliceRecorded(list, at, e.remove, insert);
            expect(list).toEqual(whole);
          } else list = whole;
          const blocks = blocksOf(list, cut);
          expect(shape(blocks)).toEqual(shape(blocksOf(list)));
          cut = { fragments: list, blocks };
        }
      }),
    );
  });

  it('reports which blocks it took from the earlier cut: they hold the same fragments', () => {
    let next = 0;
    const frag = (text: string): Fragment => ({ id: `r${next++}`, text });
    const text = fc.constantFrom('A. ', 'B.\n', '\n\n', '');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(4), insert: fc.array(text, { maxLength: 4 }) });
    const held = (list: readonly Fragment[], b: { start: number; end: number; hasNew: boolean }) => [...list.slice(b.start, b.end), b.hasNew];
    fc.assert(
      fc.property(fc.array(text, { maxLength: 60 }), fc.array(edit, { minLength: 1, maxLength: 5 }), (texts, edits) => {
        let list = texts.map(frag);
        let cut = { fragments: list, blocks: blocksOf(list) };
        for (const e of edits) {
          const at = e.at % (list.length + 1);
          const edited = [...list.slice(0, at), ...e.insert.map(frag), ...list.slice(at + e.remove)];
          const reuse = { kept: -1, restNew: -1, restOld: -1 };
          const blocks = blocksOf(edited, cut, reuse);
          expect(reuse.kept).toBeGreaterThanOrEqual(0);
          for (let b = 0; b < reuse.kept; b++) expect(held(edited, blocks[b]!)).toEqual(held(list, cut.blocks[b]!));
          if (reuse.restNew >= 0)
            for (let b = reuse.restNew; b < blocks.length; b++)
              expect(held(edited, blocks[b]!)).toEqual(held(list, cut.blocks[b - reuse.restNew + reuse.restOld]!));
          list = edited;
          cut = { fragments: list, blocks };
        }
      }),
    );
  });

  it('keeps the blocks around an edit in a long document (the same objects before it)', () => {
    const doc = frags(Array.from({ length: 2000 }, (_, i) => (i % 8 === 7 ? 'P.\n' : 'S. ')));
    const before = blocksOf(doc);
    const edited = doc.map((f, i) => (i === 1000 ? { ...f, text: 'Changed. ' } : f));
    const after = blocksOf(edited, { fragments: doc, blocks: before });
    expect(shape(after)).toEqual(shape(blocksOf(edited)));
    expect(after[0]).toBe(before[0]);
    expect(after[124]).toBe(before[124]);
  });
});

describe('FlowLayout', () => {
  // Ten paragraphs of 40 characters: two lines each (20 px) by the estimate.
  const doc = frags(Array.from({ length: 10 }, (_, i) => `${'x'.repeat(38)}${i}\n`));

  it('estimates heights from the length and the extra newlines at the end', () => {
    const l = new FlowLayout(frags(['x'.repeat(45), 'y\n\n\n', 'z']), new MeasureStore(metrics));
    // 45 + 4 characters: 3 lines, plus 2 empty lines; then "z" and <new>: 1 line.
    expect([l.height(0), l.height(1)]).toEqual([50, 10]);
    expect(l.total).toBe(60);
  });

  it('finds blocks by fragment and by offset', () => {
    const l = new FlowLayout(doc, new MeasureStore(metrics));
    expect(l.size).toBe(11);
    expect([l.blockOf(0), l.blockOf(3), l.blockOf(10)]).toEqual([0, 3, 10]);
    expect([l.blockAt(0), l.blockAt(19.9), l.blockAt(20), l.blockAt(1e9)]).toEqual([0, 0, 1, 10]);
    expect(l.range(25, 65)).toEqual([1, 4]);
    expect(l.range(25, 25)).toEqual([1, 2]);
  });

  it('keeps its offsets right through any measurements and queries in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(10), fc.integer({ min: 1, max: 90 }), fc.nat(11), fc.nat(300)), { maxLength: 20 }),
        (steps) => {
          const l = new FlowLayout(doc, new MeasureStore(metrics));
          const heights = Array.from({ length: l.size }, (_, b) => l.height(b));
          for (const [b, h, q, y] of steps) {
            l.measure(b, h);
            heights[b] = h;
            // Sums of the heights as they are now: what each query must see.
            const sums = [0];
            for (const x of heights) sums.push(sums.at(-1)! + x);
            expect(l.offsetOf(q)).toBe(sums[q]);
            // The first block whose bottom is below y; the last one for y past the end.
            const below = sums.findIndex((o) => o > y);
            expect(l.blockAt(y)).toBe(below < 0 ? l.size - 1 : Math.min(l.size - 1, below - 1));
          }
          expect(l.total).toBe(heights.reduce((a, b) => a + b, 0));
        },
      ),
    );
  });

  it('keeps measurements across edits for the blocks that did not change', () => {
    const store = new MeasureStore(metrics);
    const a = new FlowLayout(doc, store);
    a.measure(2, 33);
    a.measure(5, 44);
    // A new array: fragment 5 edited (a new object), the rest the same objects.
    const edited = doc.map((f, i) => (i === 5 ? { ...f, text: 'short\n' } : f));
    const b = new FlowLayout(edited, store);
    expect(b.height(2)).toBe(33);
    expect(b.height(5)).toBe(10);
    // Fragment 2 now joins fragment 3 (no newline): another block, estimated again.
    const joined = doc.map((f, i) => (i === 2 ? { ...f, text: 'joined ' } : f));
    expect(new FlowLayout(joined, store).height(2)).toBe(30);
  });

  it('carries the heights of the blocks an edit left alone: the same as looking each one up', () => {
    let next = 0;
    const frag = (text: string): Fragment => ({ id: `h${next++}`, text });
    const text = fc.constantFrom('A. ', 'Bb bb. ', 'C.\n', '\n\n', '');
    const edit = fc.record({ at: fc.nat(), remove: fc.nat(4), insert: fc.array(text, { maxLength: 4 }), measure: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 200 })), { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 60 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (texts, edits) => {
        const store = new MeasureStore(metrics);
        let list = texts.map(frag);
        let layout = new FlowLayout(list, store);
        for (const e of edits) {
          for (const [b, h] of e.measure) layout.measure(b % layout.size, h);
          const at = e.at % (list.length + 1);
          list = [...list.slice(0, at), ...e.insert.map(frag), ...list.slice(at + e.remove)];
          layout = new FlowLayout(list, store);
          const cut = store.lastCut;
          store.lastCut = null;
          const fresh = new FlowLayout(list, store);
          store.lastCut = cut;
          expect(Array.from({ length: layout.size }, (_, b) => layout.height(b))).toEqual(Array.from({ length: fresh.size }, (_, b) => fresh.height(b)));
        }
      }),
    );
  });

  it('estimates each block once: a new array after an edit estimates only the block that changed', () => {
    const store = new MeasureStore(metrics);
    const a = new FlowLayout(doc, store);
    const estimates = vi.spyOn(store, 'setEstimate');
    const edited = doc.map((f, i) => (i === 5 ? { ...f, text: `${'y'.repeat(50)}\n` } : f));
    const b = new FlowLayout(edited, store);
    expect(estimates).toHaveBeenCalledTimes(1);
    expect(b.height(5)).toBe(30);
    expect([b.height(4), b.height(6)]).toEqual([a.height(4), a.height(6)]);
    // Another width or font is another store: everything is estimated again, with its metrics.
    const wide = new FlowLayout(edited, new MeasureStore({ lineHeight: 10, charsPerLine: 100 }));
    expect(wide.height(5)).toBe(10);
  });

  it('windows the view and adds the selected block when it is outside', () => {
    const l = new FlowLayout(doc, new MeasureStore(metrics));
    expect(windowFor(l, { top: 40, bottom: 80 }, 2)).toEqual({ start: 2, end: 4, island: -1 });
    const w = windowFor(l, { top: 40, bottom: 80 }, 10);
    expect(w).toEqual({ start: 2, end: 4, island: 10 });
    expect(segmentsOf(l, w)).toEqual({ blocks: [2, 3, 10], gaps: [40, 0, 120, 0] });
    expect(segmentsOf(l, windowFor(l, { top: 40, bottom: 80 }, 0))).toEqual({ blocks: [0, 2, 3], gaps: [0, 20, 0, 130] });
  });
});
