// @vitest-environment jsdom
// The textarea's height where the engine has no `field-sizing` (WebKitGTK 2.50; jsdom too).
// jsdom lays nothing out, so the textarea gets a tiny layout of its own here: 20 px a line of its
// text, 2 px borders, and a content box as tall as its style says (auto: one line).
import { render } from '@testing-library/react';
import { createRef } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftTextarea, onlyAdded } from './DraftTextarea';

const LINE = 20;
const BORDERS = 4;
const lines = (ta: HTMLTextAreaElement) => ta.value.split('\n').length;
const contentBox = (ta: HTMLTextAreaElement) => (ta.style.height && ta.style.height !== 'auto' ? parseFloat(ta.style.height) - BORDERS : LINE);
const layout: Record<string, (this: HTMLTextAreaElement) => number> = {
  scrollHeight() {
    return Math.max(lines(this) * LINE, contentBox(this));
  },
  clientHeight() {
    return contentBox(this);
  },
  offsetHeight() {
    return contentBox(this) + BORDERS;
  },
};
const saved = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const [name, get] of Object.entries(layout)) {
    saved.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLTextAreaElement.prototype, name, { configurable: true, get });
  }
});
afterAll(() => {
  for (const name of Object.keys(layout)) delete (HTMLTextAreaElement.prototype as unknown as Record<string, unknown>)[name];
});

/** Renders the textarea with `text`, and records every style its textarea and option are given. */
function setup(text: string) {
  const textareaRef = createRef<HTMLTextAreaElement>();
  const caretRef = { current: null as number | null };
  const draft = (value: string) => (
    <DraftTextarea value={value} onChange={() => {}} textareaRef={textareaRef} caretRef={caretRef} mode="edit" optionId="o1" isNew={false} posinset={1} setsize={2} />
  );
  const { rerender } = render(draft(text));
  const ta = textareaRef.current!;
  const option = ta.parentElement!;
  // Each style given, in order: a record holds the value before its change, so the value it set
  // is the next record's old value (or, for the last one, the value now).
  const styles: string[] = [];
  const observer = new MutationObserver((records) => {
    records.forEach((r, i) => {
      const next = records.slice(i + 1).find((n) => n.target === r.target);
      const value = next ? next.oldValue : (r.target as HTMLElement).getAttribute('style');
      styles.push(`${r.target === ta ? 'textarea' : 'option'} ${value ?? ''}`);
    });
  });
  const options = { attributes: true, attributeOldValue: true, attributeFilter: ['style'] };
  observer.observe(ta, options);
  observer.observe(option, options);
  const type = (value: string) => rerender(draft(value));
  // Mutation records arrive in a microtask: wait for them.
  return { ta, option, styles, type, flush: () => new Promise((r) => setTimeout(r, 0)) };
}

describe('DraftTextarea height without field-sizing', () => {
  it('fits a new textarea to its text', () => {
    const { ta } = setup('one\ntwo\nthree');
    expect(ta.style.height).toBe(`${3 * LINE + BORDERS}px`);
  });

  it('typing never collapses the textarea: it grows only when a line is added', async () => {
    const { ta, styles, type, flush } = setup('Half a sentence');
    const before = ta.style.height;
    for (const text of ['Half a sentence.', 'Half a sentence. An', 'Half a sentence. And']) type(text);
    await flush();
    expect(styles).toEqual([]);
    expect(ta.style.height).toBe(before);
    type('Half a sentence. And\nmore');
    await flush();
    expect(styles).toEqual([`textarea height: ${2 * LINE + BORDERS}px;`]);
  });

  it('text removed is measured collapsed, with the option held so nothing after it moves', async () => {
    const { ta, option, styles, type, flush } = setup('one\ntwo\nthree');
    type('one\ntwo');
    await flush();
    expect(ta.style.height).toBe(`${2 * LINE + BORDERS}px`);
    expect(option.style.minHeight).toBe('');
    // The hold comes first and goes last; the collapse happens inside it.
    expect(styles[0]).toMatch(/^option min-height: /);
    expect(styles.at(-1)).toBe('option ');
    expect(styles.slice(1, -1)).toEqual(['textarea height: auto;', `textarea height: ${2 * LINE + BORDERS}px;`]);
  });
});

describe('onlyAdded', () => {
  it.each([
    ['', '', true],
    ['', 'a', true],
    ['abc', 'abcd', true],
    ['abc', 'xabc', true],
    ['abc', 'abXYc', true],
    ['aaa', 'aaaa', true],
    ['abc', 'ab', false],
    ['abc', 'abd', false],
    ['abc', 'xbc!', false],
    ['a\nb', 'a b', false],
  ])('%j → %j: %s', (prev, next, want) => {
    expect(onlyAdded(prev, next)).toBe(want);
  });
});
