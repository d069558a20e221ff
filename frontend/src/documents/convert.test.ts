import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commitDraft,
  createState,
  cutSelected,
  deleteSelected,
  discardDraft,
  type EditorState,
  type Fragment,
  moveLeft,
  moveRight,
  pasteClipboard,
  redo,
  startEdit,
  startInsert,
  setDraftText,
  draftUndo,
  insertTexts,
  undo,
} from '../editor';
import { parseList, showList } from '../editor/notation';
import { CURRENT_FORMAT, deriveTitle, type DocumentInfo, documentTitle, fileView, fromDocument, infoOf, toDocument, toPatch } from './convert';
import type { DocFragment, DocPatch, DocumentFile } from './types';

const INFO: DocumentInfo = {
  format: 1,
  id: 'k3v9q2m7x8c4b1n5',
  name: '',
  created: '2026-01-02T15:04:05.123456789Z',
  modified: '2026-01-02T15:09:41.5Z',
};

function doc(fragments: DocFragment[], rest: Partial<DocumentFile> = {}): DocumentFile {
  return { ...INFO, format: CURRENT_FORMAT, fragments, selection: fragments.length, draft: null, ...rest };
}

/** What survives a save: texts, provenance, flags, selection, mode, draft text (not ids). */
function persisted(s: EditorState) {
  return {
    fragments: s.fragments.map(({ id: _id, ...rest }) => rest),
    selection: s.selection,
    mode: s.mode,
    draft: s.draft ? { text: s.draft.text, origin: s.draft.origin } : null,
  };
}

const roundTrip = (s: EditorState) => fromDocument(JSON.parse(JSON.stringify(toDocument(s, INFO))) as DocumentFile);

describe('editor state → document', () => {
  it('writes the format, the info and the fragments with provenance', () => {
    const fragments: Fragment[] = [
      { id: 'f1', text: 'It was late. ', source: { kind: 'typed' } },
      { id: 'f2', text: 'The rain had stopped. ', source: { kind: 'model', model: 'qwen3-8b' }, edited: true, alternatives: ['The rain stopped. ', 'Nobody came. '], alt: 1 },
      { id: 'f3', text: 'Pasted. ' },
    ];
    const d = toDocument(createState({ fragments, selection: 1 }), { ...INFO, format: 0, name: 'Novel' });
    expect(d).toEqual({
      format: CURRENT_FORMAT,
      id: INFO.id,
      name: 'Novel',
      created: INFO.created,
      modified: INFO.modified,
      fragments: [
        { text: 'It was late. ' },
        { text: 'The rain had stopped. ', source: 'model:qwen3-8b', edited: true, alternatives: ['The rain stopped. ', 'Nobody came. '], alt: 1 },
        { text: 'Pasted. ' },
      ],
      selection: 1,
      draft: null,
    });
  });

  it('leaves out alt 0 and alt that does not index the alternatives', () => {
    const fragments: Fragment[] = [
      { id: 'f1', text: 'A', alternatives: ['A', 'B'], alt: 0 },
      { id: 'f2', text: 'C', alternatives: ['C'], alt: 5 },
      { id: 'f3', text: 'D', alternatives: [], alt: 1 },
    ];
    expect(toDocument(createState({ fragments }), INFO).fragments).toEqual([
      { text: 'A', alternatives: ['A', 'B'] },
      { text: 'C', alternatives: ['C'] },
      { text: 'D' },
    ]);
  });

  it('stores an edit draft with the edited index, and one on <new>', () => {
    const s = setDraftText(startEdit(parseList(['A. ', '[B. ]', '<new>'])), 'B, rewritten');
    expect(toDocument(s, INFO)).toMatchObject({ selection: 1, draft: { index: 1, mode: 'edit', text: 'B, rewritten' } });
    const onNew = setDraftText(startEdit(parseList(['A. ', '[<new>]'])), 'Half a sen');
    expect(toDocument(onNew, INFO)).toMatchObject({ fragments: [{ text: 'A. ' }], selection: 1, draft: { index: 1, mode: 'edit', text: 'Half a sen' } });
  });

  it('stores an insert draft without the empty fragment, and the selection from before i', () => {
    const s = setDraftText(startInsert(parseList(['[A. ]', 'C. ', '<new>'])), 'B');
    expect(showList(s)).toEqual(['A. ', '[{B}]', 'C. ', '<new>']);
    const d = toDocument(s, INFO);
    expect(d.fragments.map((f) => f.text)).toEqual(['A. ', 'C. ']);
    expect(d.selection).toBe(0);
    expect(d.draft).toEqual({ index: 1, mode: 'insert', text: 'B' });
  });

  it('reuses the converted list while only the draft or the selection changes', () => {
    const s0 = startEdit(parseList(['A. ', '[B. ]', '<new>']));
    const a = toDocument(s0, INFO);
    const b = toDocument(setDraftText(s0, 'Bx'), INFO);
    expect(b.fragments).toBe(a.fragments);
    // A change converts only the fragment objects it made.
    const moved = moveLeft(commitDraft(s0));
    const c = toDocument(moved, INFO);
    expect(c.fragments).not.toBe(a.fragments);
    expect(c.fragments[1]).toBe(a.fragments[0]);
  });
});

describe('document → editor state', () => {
  it('reads fragments, provenance and selection, with fresh ids and no history', () => {
    const s = fromDocument(
      doc(
        [
          { text: 'It was late. ' },
          { text: 'Rain. ', source: 'model:qwen3-8b', edited: true, alternatives: ['Rain. ', 'Snow. '], alt: 1 },
          { text: 'Typed. ', source: 'typed' },
        ],
        { selection: 1 },
      ),
    );
    expect(s.fragments).toEqual([
      { id: 'f1', text: 'It was late. ', source: { kind: 'typed' } },
      { id: 'f2', text: 'Rain. ', source: { kind: 'model', model: 'qwen3-8b' }, edited: true, alternatives: ['Rain. ', 'Snow. '], alt: 1 },
      { id: 'f3', text: 'Typed. ', source: { kind: 'typed' } },
    ]);
    expect(s).toMatchObject({ selection: 1, mode: 'explore', draft: null, undo: [], redo: [], revision: 0, nextId: 4 });
  });

  it('reopens an edit draft; its undo goes back to the fragment text', () => {
    const s = fromDocument(doc([{ text: 'A. ' }, { text: 'B. ' }], { selection: 0, draft: { index: 1, mode: 'edit', text: 'B, half' } }));
    expect(s.mode).toBe('edit');
    expect(showList(s)).toEqual(['A. ', '[{B, half}]', '<new>']);
    expect(showList(draftUndo(s))).toEqual(['A. ', '[{B. }]', '<new>']);
    // Enter saves the draft into the fragment.
    expect(showList(commitDraft(s))).toEqual(['A. ', '[B, half]', '<new>']);
  });

  it('reopens an insert draft; Escape returns to the selection from before i', () => {
    const s = fromDocument(doc([{ text: 'A. ' }, { text: 'C. ' }], { selection: 0, draft: { index: 1, mode: 'insert', text: 'B. ' } }));
    expect(s.mode).toBe('insert');
    expect(showList(s)).toEqual(['A. ', '[{B. }]', 'C. ', '<new>']);
    expect(s.nextId).toBe(4);
    expect(showList(commitDraft(s))).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
    expect(showList(discardDraft(s))).toEqual(['[A. ]', 'C. ', '<new>']);
  });

  it('clamps out-of-range selection, draft index and alt', () => {
    const s = fromDocument(doc([{ text: 'A', alternatives: ['A'], alt: 3 }], { selection: 99, draft: { index: -4, mode: 'edit', text: 'x' } }));
    expect(s.selection).toBe(0);
    expect(s.fragments[0]).toEqual({ id: 'f1', text: 'A', source: { kind: 'typed' }, alternatives: ['A'] });
    expect(fromDocument(doc([{ text: 'A' }], { selection: Number.NaN })).selection).toBe(1);
    expect(fromDocument({ ...doc([]), fragments: null as unknown as DocFragment[] }).fragments).toEqual([]);
  });

  it('keeps a source it does not know through edits and moves', () => {
    const d = doc([{ text: 'Mine. ', source: 'human:ana' }, { text: 'B. ' }], { selection: 0 });
    let s = fromDocument(d);
    expect(s.fragments[0]!.source).toBeUndefined();
    s = commitDraft(setDraftText(startEdit(s), 'Mine, edited. '));
    s = moveLeft({ ...s, selection: 1 });
    expect(toDocument(s, INFO).fragments).toEqual([{ text: 'B. ' }, { text: 'Mine, edited. ', source: 'human:ana', edited: true }]);
  });
});

describe('round trips', () => {
  it('editor → document → editor keeps everything a save promises', () => {
    let s = parseList(['[A. ]', 'B. ', '<new>']);
    s = insertTexts(s, ['Model one. ', 'Model two. '], { kind: 'model', model: 'm' });
    s = commitDraft(setDraftText(startEdit(s), 'Model two, edited. '));
    s = { ...s, fragments: s.fragments.map((f, i) => (i === 1 ? { ...f, alternatives: ['Other. ', 'Model two, edited. '], alt: 1 } : f)) };
    for (const state of [s, startEdit(s), setDraftText(startEdit(s), 'changed'), setDraftText(startInsert(s), 'ins'), startInsert({ ...s, selection: s.fragments.length })]) {
      expect(persisted(roundTrip(state))).toEqual(persisted(state));
    }
  });

  it('document → editor → document is the identity (property)', () => {
    const fragment = fc.record(
      {
        text: fc.string({ unit: 'grapheme', maxLength: 12 }),
        source: fc.constantFrom('model:a', 'model:qwen3-8b', 'human:x'),
        edited: fc.constant(true),
        alternatives: fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ['text'] },
    );
    const arb = fc
      .array(fragment, { maxLength: 8 })
      .chain((fragments) =>
        fc.record({
          fragments: fc.constant(fragments as DocFragment[]),
          selection: fc.integer({ min: 0, max: fragments.length }),
          draft: fc.option(
            fc.record({ index: fc.integer({ min: 0, max: fragments.length }), mode: fc.constantFrom('edit' as const, 'insert' as const), text: fc.string({ maxLength: 10 }) }),
          ),
          alts: fc.array(fc.nat(5), { minLength: fragments.length, maxLength: fragments.length }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ fragments, selection, draft, alts }) => {
        const frs = fragments.map((f, i) => (f.alternatives && alts[i]! > 0 && alts[i]! < f.alternatives.length ? { ...f, alt: alts[i] } : f));
        // In edit mode the saved selection is the edited index.
        const sel = draft?.mode === 'edit' ? draft.index : selection;
        const d = doc(frs, { selection: sel, draft });
        expect(toDocument(fromDocument(d), infoOf(d))).toEqual(d);
      }),
    );
  });

  it('converts 12,000 fragments in linear time (no quadratic step)', () => {
    const fragments: DocFragment[] = Array.from({ length: 12_000 }, (_, i) => ({ text: `Sentence number ${i} of the novel. ` }));
    const d = doc(fragments, { selection: 6000, draft: { index: 6000, mode: 'insert', text: 'New.' } });
    const s = fromDocument(d);
    expect(s.fragments).toHaveLength(12_001);
    const back = toDocument(s, INFO);
    expect(back.fragments).toHaveLength(12_000);
    expect(back.draft).toEqual({ index: 6000, mode: 'insert', text: 'New.' });
    expect(toDocument(fromDocument(back), INFO)).toEqual(d);
  });

  it('undo history survives conversion of the state (saving never touches it)', () => {
    let s = parseList(['[A. ]', '<new>']);
    s = commitDraft(setDraftText(startEdit(s), 'A, edited. '));
    toDocument(s, INFO);
    expect(showList(undo(s))).toEqual(['[A. ]', '<new>']);
  });
});

describe('titles', () => {
  it.each([
    ['', ''],
    ['   \n ', ''],
    ['# The Long Night\n\nIt was late.', 'The Long Night It was late.'],
    ['It was late, and the rain had stopped at last.', 'It was late, and the rain…'],
    ['One two three four five six', 'One two three four five six'],
    ['One two three four five six, seven', 'One two three four five six…'],
    ['Hello, ', 'Hello'],
    ['- item one', 'item one'],
    ['a'.repeat(70), `${'a'.repeat(60)}…`],
  ])('deriveTitle(%j) = %j', (text, title) => {
    expect(deriveTitle(text)).toBe(title);
  });

  it('documentTitle: the name, else the first non-blank line, else Untitled', () => {
    const fr = (...texts: string[]): Fragment[] => texts.map((text, i) => ({ id: `f${i}`, text }));
    expect(documentTitle('  My novel ', fr('Text.'))).toBe('My novel');
    expect(documentTitle('', fr('\n', '\n', 'Chapter ', 'one\n', 'It was late.'))).toBe('Chapter one');
    expect(documentTitle('', [])).toBe('Untitled');
    expect(documentTitle('   ', fr('  '))).toBe('Untitled');
  });
});

describe('format 2: tokens and notes', () => {
  const tokens = [
    { t: 'Hé', p: 0.904, top: [{ t: 'Hé', p: 0.904 }, { t: 'She', p: 0.05 }, { t: 'It', p: 0.004 }] },
    { t: ' left', p: 0.5 },
    { t: '.', p: 1, top: [{ t: '!', p: 0.001 }] },
  ];
  const f: Fragment = { id: 'f1', text: 'Hé left.', source: { kind: 'model', model: 'm' }, tokens };

  it('quantises: code-point lengths, whole percents, alternatives only worth inspecting', () => {
    const d = toDocument(createState({ fragments: [f] }), INFO);
    expect(d.format).toBe(2);
    expect(d.fragments[0]!.tokens).toEqual({ len: [2, 5, 1], p: [90, 50, 100], alts: [[0, 'She', 5]] });
  });

  it('reads tokens back, dropping those that do not spell the text', () => {
    const back = fromDocument(doc([{ text: 'Hé left.', source: 'model:m', tokens: { len: [2, 5, 1], p: [90, 50, 100], alts: [[0, 'She', 5]] } }]));
    expect(back.fragments[0]!.tokens).toEqual([
      { t: 'Hé', p: 0.9, top: [{ t: 'She', p: 0.05 }] },
      { t: ' left', p: 0.5 },
      { t: '.', p: 1 },
    ]);
    const bad = fromDocument(doc([{ text: 'Hé left!!', source: 'model:m', tokens: { len: [2, 5, 1], p: [90, 50, 100] } }]));
    expect(bad.fragments[0]!.text).toBe('Hé left!!');
    expect(bad.fragments[0]!.tokens).toBeUndefined();
  });

  it('reads a version-1 file (no tokens, no notes) and writes version 2', () => {
    const v1 = { ...doc([{ text: 'A. ' }, { text: 'B.', source: 'model:m', alternatives: ['B.', 'C.'] }]), format: 1 };
    const s = fromDocument(v1);
    expect(s.notes).toBeUndefined();
    const out = toDocument(s, infoOf(v1));
    expect(out).toEqual({ ...v1, format: 2 });
  });

  it('carries the story notes', () => {
    const d = doc([], { notes: { memory: 'Mara is a detective.', authors_note: '[terse]', depth: 2 } });
    const s = fromDocument(d);
    expect(s.notes).toEqual({ memory: 'Mara is a detective.', authorsNote: '[terse]', depth: 2 });
    expect(toDocument(s, infoOf(d))).toEqual(d);
  });
});

describe('toPatch: what changed, applied to what Go holds, gives the whole document', () => {
  /** Go's Patch.apply (backend/documents/patch.go). */
  function applyPatch(base: DocumentFile, p: DocPatch): DocumentFile {
    expect(p.at).toBeGreaterThanOrEqual(0);
    expect(p.remove).toBeGreaterThanOrEqual(0);
    expect(p.at + p.remove).toBeLessThanOrEqual(base.fragments.length);
    const fragments = [...base.fragments.slice(0, p.at), ...p.insert, ...base.fragments.slice(p.at + p.remove)];
    const { notes: _notes, ...rest } = base;
    return { ...rest, fragments, name: p.name, selection: p.selection, draft: p.draft, ...(p.notes ? { notes: p.notes } : {}) };
  }

  const commands: ((s: EditorState) => EditorState)[] = [
    moveLeft,
    moveRight,
    startEdit,
    startInsert,
    commitDraft,
    discardDraft,
    deleteSelected,
    cutSelected,
    pasteClipboard,
    undo,
    redo,
    draftUndo,
    (s) => (s.draft ? setDraftText(s, `${s.draft.text}x`) : s),
    (s) => insertTexts(s, ['Model one. ', 'Model two. '], { kind: 'model', model: 'm' }),
  ];

  it('for any run of editor commands between two hand-overs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(commands.length - 1), { maxLength: 12 }),
        fc.array(fc.nat(commands.length - 1), { maxLength: 12 }),
        (before, between) => {
          let s = parseList(['A. ', 'B. ', 'C. ', '[D. ]', 'E. ', '<new>']);
          for (const c of before) s = commands[c]!(s);
          const held = toDocument(s, INFO);
          let t = s;
          for (const c of between) t = commands[c]!(t);
          const patch = toPatch(fileView(s), 7, t, INFO);
          expect(patch.base).toBe(7);
          const { modified: _m, ...want } = toDocument(t, INFO);
          const { modified: _n, ...got } = applyPatch(held, JSON.parse(JSON.stringify(patch)) as DocPatch);
          expect(got).toEqual(want);
          // Fragments that stayed are not sent again.
          expect(patch.insert.length).toBeLessThanOrEqual(toDocument(t, INFO).fragments.length);
          if (t.fragments === s.fragments && fileView(t).skip === fileView(s).skip) expect(patch.insert).toEqual([]);
        },
      ),
    );
  });

  it('sends one fragment for a change of one in a long document, and none for typing in the textarea', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `Sentence ${i}. `);
    let s = createState({ fragments: texts.map((text, i): Fragment => ({ id: `f${i + 1}`, text, source: { kind: 'typed' } })), selection: 500 });
    s = setDraftText(startEdit(s), 'Changed. ');
    const typing = toPatch(fileView(s), 1, setDraftText(s, 'Changed, more. '), INFO);
    expect(typing).toMatchObject({ at: 1000, remove: 0, insert: [], draft: { index: 500, mode: 'edit', text: 'Changed, more. ' } });
    const committed = commitDraft(s);
    expect(toPatch(fileView(s), 1, committed, INFO)).toMatchObject({ at: 500, remove: 1, insert: [{ text: 'Changed. ' }], draft: null });
  });
});
