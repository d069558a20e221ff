import { commonEnds, type Fragment } from '../editor';

/**
 * The geometry of the windowed fragment list, without React or the DOM (FragmentList feeds it
 * measurements). The list is cut into blocks, each one a plain `display: block` box that can be
 * left out without changing how the others flow:
 * - a paragraph ends after a fragment whose text ends with a newline (under `white-space:
 *   pre-wrap` that fragment ends its line anyway);
 * - a paragraph of more than MAX_BLOCK fragments is cut into blocks of MAX_BLOCK (an even number,
 *   so the alternating fragment colours stay put); each cut starts a new line, the only place
 *   where the list's lines differ from the text's. MAX_BLOCK sentences are a dozen pages.
 * `<new>` closes the last block (a block of its own when the last fragment ends with a newline).
 *
 * Each block has a height: measured once it was rendered at the current width and font, else
 * estimated from its length (an estimate is kept like a measurement, so a new fragments array
 * estimates only the blocks that changed). Offsets are prefix sums of those heights, recomputed
 * lazily.
 */
export const MAX_BLOCK = 400;

export interface Block {
  /** Index of the first fragment (fragments.length for a block holding only `<new>`). */
  readonly start: number;
  /** One past the last fragment. */
  readonly end: number;
  /** `<new>` closes this block. */
  readonly hasNew: boolean;
}

/** What estimates are made of: the line height and how many characters fill a line (px). */
export interface Metrics {
  lineHeight: number;
  charsPerLine: number;
}

export const DEFAULT_METRICS: Metrics = { lineHeight: 33, charsPerLine: 80 };

/** The blocks of one fragments array (a FlowLayout's), which the next array's blocks start from. */
export interface Cut {
  readonly fragments: readonly Fragment[];
  readonly blocks: readonly Block[];
  /** The layout's heights of those blocks, kept up to date as they are measured. */
  readonly heights?: Float64Array;
}

/**
 * Which blocks blocksOf took from the earlier cut: the first `kept`, and from `restNew` on (-1:
 * none) the old blocks from `restOld` on, moved. Those blocks hold the same fragments as before.
 */
export interface Reuse {
  kept: number;
  restNew: number;
  restOld: number;
}

/**
 * Cuts the fragments into blocks. With `prev`, the blocks of an earlier array, only the part that
 * changed is cut again (fragments by identity, `commonEnds`): the blocks before the first changed
 * fragment stay, and once a cut after the last changed one falls where an old block started, the
 * old blocks from there on are the rest, moved by the change in length. The cut only depends on
 * where its block started and the fragments after, so that gives what cutting everything would.
 */
export function blocksOf(fragments: readonly Fragment[], prev?: Cut, reuse?: Reuse): Block[] {
  const n = fragments.length;
  const blocks: Block[] = [];
  let start = 0;
  let from = 0;
  // Old blocks from which on the rest may be taken, and how far they move.
  let rest = -1;
  let changedEnd = 0;
  let delta = 0;
  if (prev) {
    const a = prev.fragments;
    const { head, tail } = commonEnds(a, fragments);
    if (head === a.length && head === n) {
      if (reuse) Object.assign(reuse, { kept: prev.blocks.length, restNew: -1, restOld: 0 });
      return [...prev.blocks];
    }
    // Keep the blocks that end at or before the first change (not the last one: <new> closes it).
    let kept = 0;
    while (kept < prev.blocks.length - 1 && prev.blocks[kept]!.end <= head) kept++;
    for (let k = 0; k < kept; k++) blocks.push(prev.blocks[k]!);
    if (reuse) Object.assign(reuse, { kept, restNew: -1, restOld: 0 });
    start = from = kept > 0 ? prev.blocks[kept - 1]!.end : 0;
    rest = kept;
    changedEnd = n - tail;
    delta = n - a.length;
  }
  for (let i = from; i < n; i++) {
    if (fragments[i]!.text.endsWith('\n') || i + 1 - start === MAX_BLOCK) {
      blocks.push({ start, end: i + 1, hasNew: false });
      start = i + 1;
      if (prev && start >= changedEnd) {
        // An old block starting where this cut ends (in old indices)? The rest is the same.
        const old = prev.blocks;
        while (rest < old.length && old[rest]!.start < start - delta) rest++;
        if (rest < old.length && old[rest]!.start === start - delta) {
          if (reuse) Object.assign(reuse, { restNew: blocks.length, restOld: rest });
          for (let k = rest; k < old.length; k++) {
            const b = old[k]!;
            blocks.push(delta === 0 ? b : { start: b.start + delta, end: b.end + delta, hasNew: b.hasNew });
          }
          return blocks;
        }
      }
    }
  }
  blocks.push({ start, end: n, hasNew: true });
  return blocks;
}

/** Measured height of a block, remembered on its first fragment (see FlowLayout). */
interface Measured {
  readonly last: Fragment | undefined;
  readonly count: number;
  readonly height: number;
}

/**
 * Blocks and their heights for one fragments array. Measurements outlive it: they are kept per
 * block in a store keyed by the block's first fragment object (and checked against its length and
 * last fragment), so a new array after an edit reuses every measurement of the blocks that did
 * not change. A block whose middle changed keeps its old height until it is rendered and measured
 * again; edits happen at the selection, which is always rendered, so that is rare and only moves
 * the scrollbar a little.
 */
export class FlowLayout {
  readonly blocks: Block[];
  private readonly heights: Float64Array;
  /** Prefix sums of the heights (offsets[b]: the top of block b), valid up to index `valid`. */
  private offsets: Float64Array | null = null;
  private valid = 0;
  /** Block index by fragment index: the block ends, for a binary search. */
  private readonly ends: Int32Array;

  constructor(
    readonly fragments: readonly Fragment[],
    private readonly store: MeasureStore,
  ) {
    const prev = store.lastCut ?? undefined;
    const reuse: Reuse = { kept: 0, restNew: -1, restOld: 0 };
    this.blocks = blocksOf(fragments, prev, reuse);
    this.heights = new Float64Array(this.blocks.length);
    this.ends = new Int32Array(this.blocks.length);
    // The blocks taken from the last cut hold the same fragments: their heights carry over
    // (looking each one up in the store costs a few ms per edit at 100,000 fragments).
    const old = prev?.heights;
    const restNew = old && reuse.restNew >= 0 ? reuse.restNew : this.blocks.length;
    const kept = old ? reuse.kept : 0;
    // (Not the block of `<new>` alone: it is looked up by the fragment before it, see held.)
    for (let b = 0; b < this.blocks.length; b++) {
      const { start, end } = this.blocks[b]!;
      this.ends[b] = end;
      if (b < kept) this.heights[b] = old![b]!;
      else if (b >= restNew && start < end) this.heights[b] = old![b - restNew + reuse.restOld]!;
      else this.heights[b] = this.stored(b) ?? this.estimated(b);
    }
    store.lastCut = { fragments, blocks: this.blocks, heights: this.heights };
  }

  get size(): number {
    return this.blocks.length;
  }

  /** The block holding fragment i (i = fragments.length: `<new>`, the last block). */
  blockOf(i: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > i) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  height(b: number): number {
    return this.heights[b]!;
  }

  /** Top of block b from the top of the first one; offsetOf(size) is the total height. */
  offsetOf(b: number): number {
    return this.sums()[b]!;
  }

  /**
   * The offsets, made valid to the end: a measurement that changed a block's height invalidates
   * only the offsets after it, so an edit in the middle sums half the blocks again, not all of
   * them, and into the same array (at 100,000 fragments each full pass with its allocation took
   * about 0.5 ms, three times per Enter).
   */
  private sums(): Float64Array {
    const n = this.blocks.length;
    const o = (this.offsets ??= new Float64Array(n + 1));
    for (let k = this.valid; k < n; k++) o[k + 1] = o[k]! + this.heights[k]!;
    this.valid = n;
    return o;
  }

  get total(): number {
    return this.offsetOf(this.blocks.length);
  }

  /** The first block whose bottom is below y (the last block for y past the end). */
  blockAt(y: number): number {
    const o = this.sums();
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (o[mid + 1]! > y) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Blocks [start, end) covering the pixel range [top, bottom), at least one. */
  range(top: number, bottom: number): [number, number] {
    const start = this.blockAt(top);
    const end = Math.max(start + 1, this.blockAt(Math.max(top, bottom - 0.5)) + 1);
    return [start, end];
  }

  /** Records a rendered block's height; returns whether it changed. */
  measure(b: number, height: number): boolean {
    const block = this.blocks[b]!;
    const first = this.fragments[block.start];
    this.store.set(first, { last: this.fragments[block.end - 1], count: block.end - block.start, height });
    if (Math.abs(this.heights[b]! - height) < 0.5) return false;
    this.heights[b] = height;
    this.valid = Math.min(this.valid, b);
    return true;
  }

  private stored(b: number): number | undefined {
    return this.held(b, this.store.get(this.fragments[this.blocks[b]!.start]));
  }

  /** The estimate of a block not measured, made once per block content (see MeasureStore). */
  private estimated(b: number): number {
    const block = this.blocks[b]!;
    const first = this.fragments[block.start];
    const kept = first ? this.held(b, this.store.estimateOf(first)) : undefined;
    if (kept !== undefined) return kept;
    const height = this.estimate(b);
    if (first) this.store.setEstimate(first, { last: this.fragments[block.end - 1], count: block.end - block.start, height });
    return height;
  }

  /** m's height when it is of block b as it is now (same length and last fragment). */
  private held(b: number, m: Measured | undefined): number | undefined {
    const block = this.blocks[b]!;
    if (!m || m.count !== block.end - block.start || m.last !== this.fragments[block.end - 1]) return undefined;
    return m.height;
  }

  /**
   * Lines of text, from the characters (ceil(chars / charsPerLine)) plus one per extra newline at
   * the block's end (a paragraph ending in "\n\n" has an empty line). Newlines inside fragments
   * are not counted: the estimate only has to be close, and it costs one pass over the fragments.
   */
  private estimate(b: number): number {
    const { start, end, hasNew } = this.blocks[b]!;
    const { lineHeight, charsPerLine } = this.store.metrics;
    let chars = hasNew ? 6 : 0;
    for (let i = start; i < end; i++) chars += this.fragments[i]!.text.length;
    let lines = Math.max(1, Math.ceil(chars / charsPerLine));
    const last = end > start ? this.fragments[end - 1]!.text : '';
    for (let k = last.length - 2; k >= 0 && last[k] === '\n'; k--) lines++;
    return lines * lineHeight;
  }
}

/**
 * Measured block heights for one width and font (keyed by the block's first fragment object, or
 * `undefined` for the block holding only `<new>`), plus the metrics estimates use. A new width or
 * font makes a new store.
 */
export class MeasureStore {
  /** The blocks last cut at this width and font: the next fragments array is cut from them. */
  lastCut: Cut | null = null;
  private readonly byFirst = new WeakMap<Fragment, Measured>();
  private readonly estimates = new WeakMap<Fragment, Measured>();
  private newOnly: Measured | undefined;

  constructor(
    readonly metrics: Metrics = DEFAULT_METRICS,
    /** What the measurements depend on (width, font); a different key means a new store. */
    readonly key: string = '',
  ) {}

  get(first: Fragment | undefined): Measured | undefined {
    return first ? this.byFirst.get(first) : this.newOnly;
  }

  set(first: Fragment | undefined, m: Measured): void {
    if (first) this.byFirst.set(first, m);
    else this.newOnly = m;
  }

  /** The estimate made for the block starting with `first` (estimates depend on the metrics too: one store per metrics). */
  estimateOf(first: Fragment): Measured | undefined {
    return this.estimates.get(first);
  }

  setEstimate(first: Fragment, m: Measured): void {
    this.estimates.set(first, m);
  }
}

/**
 * The blocks to render: [start, end) for the view, plus the selected block when it is outside
 * them (`island`, else -1), so that the listbox's active descendant always exists.
 */
export interface FlowWindow {
  start: number;
  end: number;
  island: number;
}

/** The window for a view (a pixel range from the top of the first block) and a selection. */
export function windowFor(layout: FlowLayout, view: { top: number; bottom: number }, selection: number): FlowWindow {
  const [start, end] = layout.range(Math.max(0, view.top), view.bottom);
  const sel = layout.blockOf(selection);
  return { start, end, island: sel < start || sel >= end ? sel : -1 };
}

/** The rendered blocks in order, and the heights of the gaps before each one and after the last. */
export function segmentsOf(layout: FlowLayout, w: FlowWindow): { blocks: number[]; gaps: number[] } {
  const blocks: number[] = [];
  if (w.island >= 0 && w.island < w.start) blocks.push(w.island);
  for (let b = w.start; b < w.end; b++) blocks.push(b);
  if (w.island >= w.end) blocks.push(w.island);
  const gaps: number[] = [];
  let y = 0;
  for (const b of blocks) {
    gaps.push(layout.offsetOf(b) - y);
    y = layout.offsetOf(b + 1);
  }
  gaps.push(layout.total - y);
  return { blocks, gaps };
}
