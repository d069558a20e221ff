import { describe, expect, it } from 'vitest';
import * as c from './commands';
import { parseList, showList } from './notation';
import { createState, documentText, replaceAt } from './state';
import { press, type } from './test-helpers';
import { type EditorState, SECTION_BREAK, UNDO_LIMIT } from './types';

const L = parseList;

describe('starting state', () => {
  it('is explore mode, an empty list, <new> selected', () => {
    const s = createState();
    expect(s.mode).toBe('explore');
    expect(s.fragments).toEqual([]);
    expect(showList(s)).toEqual(['[<new>]']);
    expect(s.revision).toBe(0);
  });
});

describe('navigation (Left/Right, Home/End)', () => {
  it.each([
    [['[A. ]', 'B. ', '<new>'], ['ArrowRight'], ['A. ', '[B. ]', '<new>']],
    [['A. ', '[B. ]', '<new>'], ['ArrowRight'], ['A. ', 'B. ', '[<new>]']],
    [['A. ', 'B. ', '[<new>]'], ['ArrowRight'], ['A. ', 'B. ', '[<new>]']],
    [['[A. ]', 'B. ', '<new>'], ['ArrowLeft'], ['[A. ]', 'B. ', '<new>']],
    [['A. ', 'B. ', '[<new>]'], ['ArrowLeft', 'ArrowLeft'], ['[A. ]', 'B. ', '<new>']],
    [['A. ', 'B. ', '[<new>]'], ['Home'], ['[A. ]', 'B. ', '<new>']],
    [['[A. ]', 'B. ', '<new>'], ['End'], ['A. ', 'B. ', '[<new>]']],
    [['[<new>]'], ['ArrowLeft', 'ArrowRight', 'Home', 'End'], ['[<new>]']],
  ])('%j + %j → %j', (start, keys, end) => {
    expect(showList(press(L(start), ...keys))).toEqual(end);
  });

  it('returns the same state when the selection cannot move (no wrap-around)', () => {
    const s = L(['A. ', '[<new>]']);
    expect(c.selectNext(s)).toBe(s);
    const t = L(['[A. ]', '<new>']);
    expect(c.selectPrev(t)).toBe(t);
  });

  it('does not change the revision', () => {
    expect(press(L(['[A. ]', '<new>']), 'ArrowRight').revision).toBe(0);
  });
});

describe('insert mode (i)', () => {
  it('inserts an empty fragment right of the selection and selects it', () => {
    const s = press(L(['[A. ]', 'B. ', '<new>']), 'i');
    expect(s.mode).toBe('insert');
    expect(showList(s)).toEqual(['A. ', '[{}]', 'B. ', '<new>']);
    expect(s.fragments[1]!.text).toBe('');
  });

  it('on <new> inserts at the end', () => {
    const s = press(L(['A. ', '[<new>]']), 'i');
    expect(showList(s)).toEqual(['A. ', '[{}]', '<new>']);
  });

  it('Enter saves the typed text, keeps it selected, one undo step', () => {
    const s = press(type(press(L(['[A. ]', 'B. ', '<new>']), 'i'), 'X. '), 'Enter');
    expect(s.mode).toBe('explore');
    expect(showList(s)).toEqual(['A. ', '[X. ]', 'B. ', '<new>']);
    expect(s.fragments[1]!.source).toEqual({ kind: 'typed' });
    expect(s.revision).toBe(1);
    expect(showList(press(s, 'u'))).toEqual(['[A. ]', 'B. ', '<new>']);
    expect(showList(press(s, 'u', 'Ctrl+Y'))).toEqual(['A. ', '[X. ]', 'B. ', '<new>']);
  });

  it('i, type, Enter repeatedly writes fragments in order', () => {
    let s = createState();
    for (const t of ['One. ', 'Two. ', 'Three.']) s = press(type(press(s, 'i'), t), 'Enter');
    expect(showList(s)).toEqual(['One. ', 'Two. ', '[Three.]', '<new>']);
    expect(documentText(s.fragments)).toBe('One. Two. Three.');
  });

  it('Escape removes the inserted fragment and restores the selection', () => {
    const start = L(['[A. ]', 'B. ', '<new>']);
    const s = press(type(press(start, 'i'), 'typed'), 'Escape');
    expect(showList(s)).toEqual(['[A. ]', 'B. ', '<new>']);
    expect(s.fragments).toEqual(start.fragments);
    expect(s.revision).toBe(0);
    expect(s.undo).toHaveLength(0);
  });

  it('Enter with an empty text removes the fragment and leaves the document unchanged', () => {
    const start = L(['A. ', '[<new>]']);
    const s = press(start, 'i', 'Enter');
    expect(showList(s)).toEqual(['A. ', '[<new>]']);
    expect(s.fragments).toEqual(start.fragments);
    expect(s.revision).toBe(0);
    expect(s.undo).toHaveLength(0);
  });

  it('i then Escape on an empty document returns to the starting state', () => {
    const s = press(createState(), 'i', 'Escape');
    expect(showList(s)).toEqual(['[<new>]']);
    expect(s.mode).toBe('explore');
  });
});

describe('edit mode (Space)', () => {
  it('starts with the fragment text and Enter saves a change (edited, one undo step)', () => {
    let s = press(L(['A. ', '[B. ]', '<new>']), 'Space');
    expect(s.mode).toBe('edit');
    expect(showList(s)).toEqual(['A. ', '[{B. }]', '<new>']);
    s = press(type(s, 'C'), 'Enter');
    expect(showList(s)).toEqual(['A. ', '[B. C]', '<new>']);
    expect(s.fragments[1]!.edited).toBe(true);
    expect(s.fragments[1]!.id).toBe('f2');
    expect(showList(press(s, 'u'))).toEqual(['A. ', '[B. ]', '<new>']);
  });

  it('Escape discards the changes', () => {
    const start = L(['A. ', '[B. ]', '<new>']);
    const s = press(type(press(start, 'Space'), 'zzz'), 'Escape');
    expect(showList(s)).toEqual(['A. ', '[B. ]', '<new>']);
    expect(s.fragments).toBe(start.fragments);
  });

  it('Enter with the unchanged text changes nothing', () => {
    const start = L(['A. ', '[B. ]', '<new>']);
    const s = press(start, 'Space', 'Enter');
    expect(s.fragments).toBe(start.fragments);
    expect(s.revision).toBe(0);
    expect(s.undo).toHaveLength(0);
  });

  it('Enter with an empty text deletes the fragment (undoable)', () => {
    let s = press(L(['A. ', '[B. ]', 'C. ', '<new>']), 'Space');
    s = c.commitDraft({ ...s, draft: { ...s.draft!, text: '' } });
    expect(showList(s)).toEqual(['A. ', '[C. ]', '<new>']);
    expect(showList(press(s, 'u'))).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
  });

  it('on <new> starts empty; Enter creates the fragment and selects the next <new>', () => {
    let s = press(L(['A. ', '[<new>]']), 'Space');
    expect(showList(s)).toEqual(['A. ', '[{}]']);
    s = press(type(s, 'B.'), 'Enter');
    expect(showList(s)).toEqual(['A. ', 'B.', '[<new>]']);
    expect(s.revision).toBe(1);
  });

  it('on <new> with an empty text, Enter stays on <new> and changes nothing', () => {
    const start = createState();
    const s = press(start, 'Space', 'Enter');
    expect(showList(s)).toEqual(['[<new>]']);
    expect(s.mode).toBe('explore');
    expect(s.revision).toBe(0);
  });

  it('on <new>, Escape leaves the document unchanged', () => {
    const s = press(type(press(createState(), 'Space'), 'abc'), 'Escape');
    expect(showList(s)).toEqual(['[<new>]']);
  });

  it('keeps newlines and whitespace-only texts as they are', () => {
    let s = press(createState(), 'Space');
    s = c.commitDraft({ ...s, draft: { ...s.draft!, text: 'line one\nline two\n' } });
    s = press(s, 'Space');
    s = c.commitDraft({ ...s, draft: { ...s.draft!, text: '\n' } });
    expect(showList(s)).toEqual(['line one\nline two\n', '\n', '[<new>]']);
  });

  it('explore commands do not apply in edit or insert mode', () => {
    const s = press(L(['[A. ]', '<new>']), 'Space');
    for (const cmd of [c.selectNext, c.deleteSelected, c.cutSelected, c.undo, c.startInsert, c.startEdit, c.insertSectionBreak]) {
      expect(cmd(s)).toBe(s);
    }
    expect(c.pasteText(s, 'Hello.')).toBe(s);
  });
});

describe('delete (d, Delete)', () => {
  it.each([
    [['A. ', '[B. ]', 'C. ', '<new>'], ['A. ', '[C. ]', '<new>']],
    [['A. ', '[B. ]', '<new>'], ['A. ', '[<new>]']],
    [['[A. ]', '<new>'], ['[<new>]']],
  ])('%j → %j', (start, end) => {
    expect(showList(press(L(start), 'd'))).toEqual(end);
    expect(showList(press(L(start), 'Delete'))).toEqual(end);
  });

  it('does nothing on <new>', () => {
    const s = L(['A. ', '[<new>]']);
    expect(press(s, 'd')).toBe(s);
  });
});

describe('moving (Ctrl+Left/Right)', () => {
  it.each([
    [['A. ', '[B. ]', 'C. ', '<new>'], 'Ctrl+ArrowLeft', ['[B. ]', 'A. ', 'C. ', '<new>']],
    [['A. ', '[B. ]', 'C. ', '<new>'], 'Ctrl+ArrowRight', ['A. ', 'C. ', '[B. ]', '<new>']],
  ])('%j + %s → %j', (start, key, end) => {
    expect(showList(press(L(start), key))).toEqual(end);
  });

  it.each([
    [['[A. ]', 'B. ', '<new>'], 'Ctrl+ArrowLeft'],
    [['A. ', '[B. ]', '<new>'], 'Ctrl+ArrowRight'],
    [['A. ', '[<new>]'], 'Ctrl+ArrowLeft'],
    [['A. ', '[<new>]'], 'Ctrl+ArrowRight'],
  ])('%j + %s does nothing', (start, key) => {
    const s = L(start);
    expect(press(s, key)).toBe(s);
  });
});

describe('fragment clipboard (x, v)', () => {
  it('x cuts to the end of the clipboard, v pastes the first item right of the selection', () => {
    let s = press(L(['[A. ]', 'B. ', 'C. ', '<new>']), 'x', 'x');
    expect(showList(s)).toEqual(['[C. ]', '<new>']);
    expect(s.clipboard.map((f) => f.text)).toEqual(['A. ', 'B. ']);
    s = press(s, 'End', 'v');
    expect(showList(s)).toEqual(['C. ', '[A. ]', '<new>']);
    expect(s.clipboard.map((f) => f.text)).toEqual(['B. ']);
    s = press(s, 'Home', 'v');
    expect(showList(s)).toEqual(['C. ', '[B. ]', 'A. ', '<new>']);
    expect(s.clipboard).toEqual([]);
  });

  it('keeps the fragment (id, provenance) through cut and paste', () => {
    const start = L(['[A. ]', '<new>']);
    const s = press(start, 'x', 'v');
    expect(s.fragments[0]).toBe(start.fragments[0]);
  });

  it('x on <new> and v with an empty clipboard do nothing', () => {
    const s = L(['A. ', '[<new>]']);
    expect(press(s, 'x')).toBe(s);
    expect(press(s, 'v')).toBe(s);
  });

  it('undo of x puts the fragment back and takes it off the clipboard', () => {
    const s = press(L(['[A. ]', 'B. ', '<new>']), 'x', 'u');
    expect(showList(s)).toEqual(['[A. ]', 'B. ', '<new>']);
    expect(s.clipboard).toEqual([]);
  });
});

describe('section break (b) and pasted text (Ctrl+V)', () => {
  it('b inserts the section break right of the selection and selects it', () => {
    expect(showList(press(L(['[A. ]', 'B. ', '<new>']), 'b'))).toEqual(['A. ', `[${SECTION_BREAK}]`, 'B. ', '<new>']);
    expect(showList(press(L(['A. ', '[<new>]']), 'b'))).toEqual(['A. ', `[${SECTION_BREAK}]`, '<new>']);
  });

  it('pasteText splits into sentences, inserts right of the selection, selects the last', () => {
    const s = c.pasteText(L(['[A. ]', 'Z.', '<new>']), 'One. Two? Three!');
    expect(showList(s)).toEqual(['A. ', 'One. ', 'Two? ', '[Three!]', 'Z.', '<new>']);
    expect(s.undo).toHaveLength(1);
    expect(showList(press(s, 'u'))).toEqual(['[A. ]', 'Z.', '<new>']);
  });

  it('pasteText with empty text does nothing', () => {
    const s = L(['[<new>]']);
    expect(c.pasteText(s, '')).toBe(s);
  });

  it('new fragments get fresh unique ids', () => {
    const s = c.pasteText(press(L(['[A. ]', '<new>']), 'b'), 'X. Y.');
    expect(new Set(s.fragments.map((f) => f.id)).size).toBe(s.fragments.length);
  });
});

describe('undo and redo', () => {
  it('undo/redo walk through every change, with the selection of the moment', () => {
    let s = press(L(['[A. ]', 'B. ', 'C. ', '<new>']), 'd', 'Ctrl+ArrowRight', 'b');
    const after = showList(s);
    expect(after).toEqual(['C. ', 'B. ', `[${SECTION_BREAK}]`, '<new>']);
    s = press(s, 'u', 'u', 'u');
    expect(showList(s)).toEqual(['[A. ]', 'B. ', 'C. ', '<new>']);
    s = press(s, 'Ctrl+Shift+Z', 'Ctrl+Y', 'Ctrl+Shift+Z');
    expect(showList(s)).toEqual(after);
    expect(s.revision).toBe(9);
  });

  it('a new change clears redo', () => {
    const s = press(L(['[A. ]', 'B. ', '<new>']), 'd', 'u', 'b');
    expect(press(s, 'Ctrl+Y')).toBe(s);
  });

  it('undo with no history and redo with no future do nothing', () => {
    const s = L(['[A. ]', '<new>']);
    expect(press(s, 'u')).toBe(s);
    expect(press(s, 'Ctrl+Y')).toBe(s);
  });

  it('keeps what each change replaced, not copies of the list', () => {
    const fragments = Array.from({ length: 1000 }, (_, i) => ({ id: `f${i}`, text: `Sentence ${i}. ` }));
    let s = createState({ fragments, selection: 500 });
    s = press(s, 'd', 'Ctrl+ArrowRight', 'b', 'x', 'v', 'i');
    s = press(type(s, 'New. '), 'Enter', 'Space');
    s = press(type(s, '!'), 'Enter');
    expect(s.undo).toHaveLength(7);
    for (const e of s.undo) expect(e.items.length + e.count).toBeLessThanOrEqual(4);
    s = press(s, 'u', 'u', 'u', 'u', 'u', 'u', 'u');
    expect(s.fragments).toEqual(fragments);
    for (const e of s.redo) expect(e.items.length + e.count).toBeLessThanOrEqual(4);
  });

  it('undo and redo give back every list of a long random walk, selection and clipboard too', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const edits: ((s: EditorState) => EditorState)[] = [
      (s) => press(s, 'd'),
      (s) => press(s, 'Ctrl+ArrowLeft'),
      (s) => press(s, 'Ctrl+ArrowRight'),
      (s) => press(s, 'b'),
      (s) => press(s, 'x'),
      (s) => press(s, 'v'),
      (s) => press(type(press(s, 'i'), `Typed ${s.revision}. `), 'Enter'),
      (s) => press(type(press(s, 'Space'), '!'), 'Enter'),
      (s) => press(s, 'ArrowLeft'),
      (s) => press(s, 'ArrowRight'),
      (s) => press(s, 'End'),
    ];
    let s = createState({ fragments: Array.from({ length: 40 }, (_, i) => ({ id: `f${i}`, text: `S${i}. ` })), selection: 20 });
    const seen = [s];
    for (let k = 0; k < 300; k++) {
      const next = edits[random(edits.length)]!(s);
      if (next.undo.length > s.undo.length) seen.push(next);
      s = next;
    }
    expect(seen.length).toBeGreaterThan(100);
    const same = (a: EditorState, b: EditorState) => {
      expect(a.fragments).toEqual(b.fragments);
      expect(a.clipboard).toEqual(b.clipboard);
    };
    for (let k = seen.length - 2; k >= 0; k--) {
      s = press(s, 'u');
      same(s, seen[k]!);
      expect(s.selection).toBe(seen[k + 1]!.undo.at(-1)!.selection);
    }
    for (let k = 1; k < seen.length; k++) {
      s = press(s, 'Ctrl+Y');
      same(s, seen[k]!);
    }
  });

  it('a change that is not recorded (token data) outlives undoing a change elsewhere', () => {
    let s = press(L(['A. ', 'B. ', '[C. ]', '<new>']), 'd');
    const marked = { ...s.fragments[0]!, tokens: [{ t: 'A. ', p: 0.5 }] };
    s = { ...s, fragments: replaceAt(s.fragments, 0, marked), revision: s.revision + 1 };
    s = press(s, 'u');
    expect(s.fragments[0]).toBe(marked);
    expect(showList(s)).toEqual(['A. ', 'B. ', '[C. ]', '<new>']);
  });

  it(`keeps at most ${UNDO_LIMIT} steps`, () => {
    let s = createState();
    for (let i = 0; i < UNDO_LIMIT + 20; i++) s = press(s, 'b');
    expect(s.undo).toHaveLength(UNDO_LIMIT);
    for (let i = 0; i < UNDO_LIMIT + 5; i++) s = press(s, 'u');
    expect(s.fragments).toHaveLength(20);
  });
});
