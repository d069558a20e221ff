import { describe, expect, it } from 'vitest';
import { classifyEdit, draftInsertText, draftRedo, draftUndo, setDraftText } from './draft';
import { parseList } from './notation';
import { press, type } from './test-helpers';

const editing = (text = '') => press(parseList(text ? [`[${text}]`, '<new>'] : ['[<new>]']), 'Space');

describe('classifyEdit', () => {
  it.each([
    ['ab', 'abc', 'typeWord'],
    ['ab', 'a b', 'typeSpace'],
    ['ab', 'ab\n', 'typeSpace'],
    ['abc', 'ab', 'delete'],
    ['abc', 'ac', 'delete'],
    ['abc', 'aXYc', 'other'],
    ['abc', '', 'other'],
    ['aa', 'aaa', 'typeWord'],
  ] as const)('%j → %j is %s', (before, after, kind) => {
    expect(classifyEdit(before, after)).toBe(kind);
  });
});

describe('draft undo', () => {
  it('undoes typing word by word and redoes it', () => {
    let s = type(editing(), 'Hello big world');
    s = press(s, 'Ctrl+Z');
    expect(s.draft!.text).toBe('Hello big');
    s = press(s, 'Ctrl+Z');
    expect(s.draft!.text).toBe('Hello');
    s = press(s, 'Ctrl+Z');
    expect(s.draft!.text).toBe('');
    expect(press(s, 'Ctrl+Z')).toBe(s);
    s = press(s, 'Ctrl+Shift+Z', 'Ctrl+Y');
    expect(s.draft!.text).toBe('Hello big');
  });

  it('groups a run of deletions into one step', () => {
    let s = editing('abcdef');
    for (const t of ['abcde', 'abcd', 'abc']) s = setDraftText(s, t);
    expect(draftUndo(s).draft!.text).toBe('abcdef');
  });

  it('a newline (Ctrl+Enter) is a step of its own', () => {
    let s = type(editing(), 'ab');
    s = draftInsertText(s, 1, 1, '\n');
    expect(s.draft!.text).toBe('a\nb');
    expect(draftUndo(s).draft!.text).toBe('ab');
  });

  it('typing after an undo clears redo', () => {
    let s = type(editing(), 'ab cd');
    s = type(draftUndo(s), 'X');
    expect(draftRedo(s)).toBe(s);
  });

  it('draft undo never reaches document history: it stops at the text the draft opened with', () => {
    const s = editing('Old.');
    expect(draftUndo(s)).toBe(s);
  });

  it('does not apply outside edit/insert mode', () => {
    const s = parseList(['[<new>]']);
    expect(setDraftText(s, 'x')).toBe(s);
    expect(draftInsertText(s, 0, 0, '\n')).toBe(s);
    expect(draftUndo(s)).toBe(s);
  });
});
