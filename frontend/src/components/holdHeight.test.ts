import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Held, HOLD_MS, holdHeight } from './holdHeight';

/**
 * A list of `content` pixels of text (plus the bottom gap's padding, as a browser lays it out),
 * `viewport` pixels high, scrolled to `scrollTop`.
 */
function fakeList(content: number, viewport = 600) {
  const bottom = { style: { paddingBottom: '' }, isConnected: true };
  const padding = () => parseFloat(bottom.style.paddingBottom) || 0;
  const page = {
    content,
    flow: { get offsetHeight() { return page.content + padding(); } },
    list: { clientHeight: viewport, scrollTop: 0, get scrollHeight() { return page.content + padding(); } },
    bottom,
    held: { slack: 0, height: 0, timer: null } as Held,
    hold: () => holdHeight(page.list, page.flow, page.bottom, page.held),
  };
  return page;
}

describe('holdHeight', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds a shrink as padding, and a growth takes it back first', () => {
    const p = fakeList(10_000);
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('');
    p.content -= 65; // Enter: the textarea closed
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('65px');
    expect(p.flow.offsetHeight).toBe(10_000);
    p.content += 40; // the next edit opens a textarea
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('25px');
    expect(p.flow.offsetHeight).toBe(10_000);
    p.content += 100; // grows past the held height: nothing to hold
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('');
    expect(p.flow.offsetHeight).toBe(10_075);
  });

  it('gives the space back once the list is still, when it is out of view', () => {
    const p = fakeList(10_000);
    p.hold();
    p.content -= 65;
    p.hold();
    vi.advanceTimersByTime(HOLD_MS - 1);
    expect(p.bottom.style.paddingBottom).toBe('65px');
    p.hold(); // another commit: the second starts again
    vi.advanceTimersByTime(HOLD_MS - 1);
    expect(p.bottom.style.paddingBottom).toBe('65px');
    vi.advanceTimersByTime(1);
    expect(p.bottom.style.paddingBottom).toBe('');
    expect(p.held).toMatchObject({ slack: 0, height: 9_935, timer: null });
  });

  it('keeps space that is in view until it is not, so the text never jumps', () => {
    const p = fakeList(10_000);
    p.list.scrollTop = 10_000 - 600; // the end of the document is shown
    p.hold();
    p.content -= 65;
    p.hold();
    vi.advanceTimersByTime(3 * HOLD_MS);
    expect(p.bottom.style.paddingBottom).toBe('65px');
    p.list.scrollTop = 5_000;
    vi.advanceTimersByTime(HOLD_MS);
    expect(p.bottom.style.paddingBottom).toBe('');
  });

  it('holds at most one viewport', () => {
    const p = fakeList(10_000, 600);
    p.hold();
    p.content -= 5_000;
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('600px');
  });

  it('does nothing in a list that is not laid out', () => {
    const p = fakeList(0, 0);
    p.hold();
    p.hold();
    expect(p.bottom.style.paddingBottom).toBe('');
    expect(p.held.timer).toBeNull();
  });
});
