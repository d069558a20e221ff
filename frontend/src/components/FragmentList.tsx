import { type MouseEvent, type RefObject, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Fragment, Mode } from '../editor';
import { FlowLayout, type FlowWindow, MeasureStore, segmentsOf, windowFor } from './flowLayout';
import { FlowBlock } from './FragmentFlow';
import { NEW_OPTION_ID, optionId } from './FragmentView';
import { type Held, holdHeight } from './holdHeight';

interface Props {
  fragments: readonly Fragment[];
  selection: number;
  mode: Mode;
  listRef: RefObject<HTMLDivElement | null>;
  /** A click or double-click on the option at this index. */
  onPick: (index: number, double: boolean) => void;
}

/** A view in pixels from the top of the first block: what the window must cover. */
interface View {
  top: number;
  bottom: number;
}

/**
 * The fragment list: a listbox of fragments flowing like text, `<new>` last. It always fills its
 * box (95% of the window, set in CSS); overlays float above it and never reflow it.
 *
 * Only the blocks (paragraphs, flowLayout.ts) near the viewport are rendered, about one viewport
 * above and below it, between two spacers that stand for the rest; the selected option is always
 * rendered (a selection far away moves the window there, then the list scrolls to it). Options
 * carry `aria-posinset`/`aria-setsize`, so assistive technology knows where it is in the whole
 * list. Rendered blocks are measured after each commit; the first block in view is kept in place
 * when blocks come or go above it, so estimated heights never make the text jump. When the list
 * gets shorter (an edit closes its textarea), its height is held for a moment (holdHeight.ts).
 */
export function FragmentList({ fragments, selection, mode, listRef, onPick }: Props) {
  const n = fragments.length;
  const editing = mode !== 'explore';
  const selectedId = selection < n ? optionId(fragments[selection]!) : NEW_OPTION_ID;

  const [store, setStore] = useState(() => new MeasureStore());
  const layout = useMemo(() => new FlowLayout(fragments, store), [fragments, store]);
  const [view, setView] = useState<View>(() => ({ top: 0, bottom: 2 * viewportFallback() }));
  const win = windowFor(layout, view, selection);
  const { blocks, gaps } = segmentsOf(layout, win);
  const flowRef = useRef<HTMLDivElement>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  const held = useRef<Held>({ slack: 0, height: 0, timer: null });
  const live = useRef<Live>({ layout, win, store, anchor: null, shown: '', shape: '' });

  /**
   * On scroll: remembers the first block in view, and moves the window when the viewport comes
   * near its edges.
   */
  const follow = useCallback(() => {
    const list = listRef.current;
    const flow = flowRef.current;
    // Not laid out (a hidden list; jsdom): no viewport to follow, the window stays where it is.
    if (!list || !flow || list.clientHeight === 0) return;
    live.current.anchor = anchorOf(list, flow);
    const { layout: l, win: w } = live.current;
    const v = viewportOf(list, flow);
    const overscan = overscanOf(list);
    const margin = overscan / 2;
    const covered =
      (w.start === 0 || v.top - margin >= l.offsetOf(w.start)) && (w.end === l.size || v.bottom + margin <= l.offsetOf(w.end));
    if (!covered) setView({ top: v.top - overscan, bottom: v.bottom + overscan });
  }, [listRef]);

  // After every commit, by design: it measures what was just rendered. It sets state only when
  // the measured width or font changed (a new MeasureStore), which the next run then matches, so
  // the chain ends.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const list = listRef.current;
    const flow = flowRef.current;
    live.current.layout = layout;
    live.current.win = win;
    live.current.store = store;
    if (!list || !flow) return;
    // Blocks came or went, or the gaps changed size: keep the first block in view where it was.
    const shape = `${blocks.join()}|${gaps.join()}`;
    if (live.current.shape !== shape) restoreAnchor(list, live.current.anchor);
    live.current.shape = shape;
    const next = measure(flow, layout, blocks, store);
    if (next) {
      // New width or font: every height changes; render again with the new estimates.
      live.current.anchor = anchorOf(list, flow);
      setStore(next);
      return;
    }
    const shown = `${selectedId}:${editing}`;
    if (live.current.shown !== shown) {
      live.current.shown = shown;
      scrollIntoView(list, selectedId);
      if (win.island >= 0) {
        // The selection jumped out of the window (Home, End, search…): the list scrolled to it;
        // render the view around it.
        live.current.anchor = anchorOf(list, flow);
        const overscan = overscanOf(list);
        setView({ top: layout.offsetOf(win.island) - overscan, bottom: layout.offsetOf(win.island + 1) + overscan });
        return;
      }
    }
    follow();
    // Last: it reads the layout the lines above left clean, and its write is laid out with the frame.
    if (bottomRef.current) holdHeight(list, flow, bottomRef.current, held.current);
  });

  useLayoutEffect(() => {
    const h = held.current;
    return () => {
      if (h.timer !== null) clearTimeout(h.timer);
    };
  }, []);

  // A new width or font (window resize, text size) changes every height: measure again. A taller
  // list needs more blocks: follow.
  useLayoutEffect(() => {
    const flow = flowRef.current;
    const list = listRef.current;
    if (!flow || !list || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (measureKey(flow) !== live.current.store.key) setView((v) => ({ ...v }));
      else follow();
    });
    ro.observe(flow);
    ro.observe(list);
    return () => ro.disconnect();
  }, [listRef, follow]);

  const pick = (e: MouseEvent, double: boolean) => {
    const target = e.target as HTMLElement;
    if (target.closest('textarea')) return;
    const option = target.closest<HTMLElement>('[role="option"]');
    if (!option) return;
    const index = option.dataset.virtual === 'new' ? n : fragments.findIndex((f) => f.id === option.dataset.id);
    if (index >= 0) onPick(index, double);
  };

  const children = [<div key="<top>" role="none" aria-hidden className="flow-gap" style={{ height: gaps[0] }} />];
  blocks.forEach((b, k) => {
    const { start, end, hasNew } = layout.blocks[b]!;
    const key = start < n ? fragments[start]!.id : '<new>';
    const inside = selection >= start && (selection < end || (hasNew && selection === n));
    if (k > 0 && gaps[k]! > 0) children.push(<div key={`<gap>${key}`} role="none" aria-hidden className="flow-gap" style={{ height: gaps[k] }} />);
    children.push(
      <FlowBlock
        key={key}
        fragments={fragments}
        start={start}
        end={end}
        hasNew={hasNew}
        selected={inside ? selection : -1}
        editing={inside && editing}
      />,
    );
  });
  children.push(<div key="<bottom>" ref={bottomRef} role="none" aria-hidden className="flow-gap" style={{ height: gaps[blocks.length] }} />);

  return (
    <div
      ref={listRef}
      role="listbox"
      aria-label="Fragments"
      aria-activedescendant={selectedId}
      tabIndex={0}
      className="fragment-list"
      onClick={(e) => pick(e, false)}
      onDoubleClick={(e) => pick(e, true)}
      onScroll={follow}
    >
      <div className="fragment-flow" ref={flowRef}>
        {children}
      </div>
    </div>
  );
}

/** What the list's callbacks read between renders. */
interface Live {
  layout: FlowLayout;
  win: FlowWindow;
  store: MeasureStore;
  /** The first block in view and where it was, to keep it there across the next commit. */
  anchor: Anchor | null;
  /** The selection (and mode) last scrolled into view. */
  shown: string;
  /** The rendered blocks and gaps of the last commit. */
  shape: string;
}

interface Anchor {
  el: Element;
  top: number;
}

/** Before the first layout (and in jsdom, where nothing has a size): the window's height. */
const viewportFallback = () => (typeof window === 'undefined' ? 800 : window.innerHeight || 800);

/** How far beyond the viewport blocks are rendered: one viewport (at least 400 px). */
const overscanOf = (list: HTMLElement | null) => Math.max(400, list?.clientHeight || viewportFallback());

/** The list's viewport in pixels from the top of the first block (the top spacer's top). */
function viewportOf(list: HTMLElement, flow: HTMLElement): View {
  const origin = (flow.firstElementChild as HTMLElement).offsetTop;
  const top = list.scrollTop - origin;
  return { top, bottom: top + (list.clientHeight || viewportFallback()) };
}

/** The first rendered block in view (its bottom below the list's top), and its top on screen. */
function anchorOf(list: HTMLElement, flow: HTMLElement): Anchor | null {
  const box = list.getBoundingClientRect();
  const blocks = blockElements(flow);
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid]!.getBoundingClientRect().bottom > box.top) hi = mid;
    else lo = mid + 1;
  }
  const el = blocks[lo];
  const r = el?.getBoundingClientRect();
  return el && r && r.top < box.bottom ? { el, top: r.top } : null;
}

const blockElements = (flow: HTMLElement) => flow.querySelectorAll<HTMLElement>(':scope > .paragraph');

function restoreAnchor(list: HTMLElement, anchor: Anchor | null) {
  if (!anchor || !anchor.el.isConnected) return;
  const delta = anchor.el.getBoundingClientRect().top - anchor.top;
  if (Math.abs(delta) >= 0.5) list.scrollTop += delta;
}

/** What measured heights depend on: the flow's width and line height. */
function measureKey(flow: HTMLElement): string {
  return `${flow.clientWidth}:${getComputedStyle(flow).lineHeight}`;
}

/**
 * Records the rendered blocks' heights in the layout. Returns a new measure store when the width
 * or the font changed since the store was made (every height changes then), else null.
 */
function measure(flow: HTMLElement, layout: FlowLayout, blocks: readonly number[], store: MeasureStore): MeasureStore | null {
  if (flow.clientWidth === 0) return null; // not laid out (jsdom, a hidden window): keep the estimates
  const key = measureKey(flow);
  if (store.key !== key) {
    const style = getComputedStyle(flow);
    const fontSize = parseFloat(style.fontSize) || 19;
    const lineHeight = parseFloat(style.lineHeight) || 1.75 * fontSize;
    const width = flow.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
    return new MeasureStore({ lineHeight, charsPerLine: Math.max(10, width / (0.47 * fontSize)) }, key);
  }
  const els = blockElements(flow);
  blocks.forEach((b, k) => {
    const h = els[k]?.getBoundingClientRect().height ?? 0;
    if (h > 0) layout.measure(b, h);
  });
  return null;
}

/** Scrolls the list the least that shows the selected option, with a margin. */
function scrollIntoView(list: HTMLElement, selectedId: string) {
  const el = list.ownerDocument.getElementById(selectedId);
  if (!el) return;
  const box = list.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const margin = Math.min(48, box.height / 4);
  if (r.top < box.top + margin) list.scrollTop -= box.top + margin - r.top;
  else if (r.bottom > box.bottom - margin) list.scrollTop += r.bottom - (box.bottom - margin);
}
