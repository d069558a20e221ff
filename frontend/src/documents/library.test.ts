import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../editor';
import {
  INITIAL_LIBRARY,
  isLibraryAction,
  LIBRARY_ACTIONS,
  type LibraryActionId,
  type LibraryContext,
  type LibraryEffect,
  type LibraryEvent,
  type LibraryState,
  libraryStep,
  selectedItem,
  shownList,
} from './library';
import { absoluteTime } from './time';
import type { DocumentFile, Meta, Snapshot } from './types';

const T = '2026-01-02T15:04:05.123456789Z';

const meta = (id: string, over: Partial<Meta> = {}): Meta => ({
  id,
  name: '',
  title: `Title ${id}`,
  created: T,
  modified: T,
  fragments: 1,
  words: 2,
  size: 10,
  ...over,
});
const snap = (id: string, over: Partial<Snapshot> = {}): Snapshot => ({ id, time: '2026-01-02T15:08:00Z', size: 10, fragments: 1, words: 2, ...over });
const fileOf = (id: string): DocumentFile => ({ format: 2, id, name: '', created: T, modified: T, fragments: [], selection: 0, draft: null });

/** The open document is `a` unless a test says otherwise. */
const CTX: LibraryContext = { served: true, currentId: 'a', currentName: 'My novel' };

const A = meta('a', { name: 'Stored name' });
const B = meta('b');
const C = meta('c');

/** Runs events from a state; returns the last state and every effect asked for, in order. */
function run(state: LibraryState, events: readonly LibraryEvent[], ctx: LibraryContext = CTX) {
  let s = state;
  const effects: LibraryEffect[] = [];
  for (const e of events) {
    const step = libraryStep(s, e, ctx);
    s = step.state;
    if (step.effect) effects.push(step.effect);
  }
  return { state: s, effects };
}

const act = (action: LibraryActionId): LibraryEvent => ({ type: 'action', action });
const keys = (...actions: LibraryActionId[]) => actions.map(act);

/** The documents view listing `docs` (newest first), `select` selected; no operation running. */
function listed(docs: readonly Meta[], select?: string): LibraryState {
  return run(INITIAL_LIBRARY, [{ type: 'documentsListed', listing: { documents: [...docs], problems: null }, select }]).state;
}

/** The shown list in compact notation: ids, the selected one in brackets. */
function shown(s: LibraryState): string[] {
  const sel = selectedItem(s);
  return (shownList(s) ?? []).map((x) => (x === sel ? `[${x.id}]` : x.id));
}

/** The history view of `a` with two versions (the older one unreadable), the newest selected. */
function inHistory(): LibraryState {
  const s = run(listed([A, B], 'a'), [act('libraryHistory')]).state;
  return run(s, [{ type: 'historyListed', doc: A, snaps: [snap('s2'), snap('s1', { error: 'unreadable' })] }]).state;
}

function inTrash(trash: readonly Meta[] = [C]): LibraryState {
  const s = run(listed([A, B]), [act('libraryTrash')]).state;
  return run(s, [{ type: 'trashListed', listing: { documents: [...trash], problems: null } }]).state;
}

describe('opening', () => {
  it('lists the documents, the open one selected, the pending change sent first (listDocuments)', () => {
    const start = libraryStep(INITIAL_LIBRARY, { type: 'start' }, CTX);
    expect(start.effect).toEqual({ kind: 'listDocuments', select: 'a' });
    expect(start.state.busy).toBe(true);
    expect(shownList(start.state)).toBeNull(); // "Loading…"
    const s = run(start.state, [{ type: 'documentsListed', listing: { documents: [C, B, A], problems: [{ id: 'x', path: '/x.json', message: 'bad' }] }, select: 'a' }]).state;
    expect(shown(s)).toEqual(['c', 'b', '[a]']);
    expect(s.problems).toHaveLength(1);
    expect(s.busy).toBe(false);
  });

  it.each([
    ['no open document', { ...CTX, currentId: null }, undefined],
    ['an open document', CTX, 'a'],
  ])('with %s selects %s', (_, ctx, select) => {
    expect(libraryStep(INITIAL_LIBRARY, { type: 'start' }, ctx).effect).toEqual({ kind: 'listDocuments', select });
  });

  it.each([
    ['a selected id not in the list selects the first', [C, B], 'zz', ['[c]', 'b']],
    ['no selected id selects the first', [C, B], undefined, ['[c]', 'b']],
    ['an empty library', [], 'a', []],
  ])('%s', (_, docs, select, want) => {
    expect(shown(listed(docs, select))).toEqual(want);
  });

  it('reads null lists from Go as empty', () => {
    const s = run(INITIAL_LIBRARY, [{ type: 'documentsListed', listing: { documents: null, problems: null } }]).state;
    expect(shownList(s)).toEqual([]);
    expect(s.problems).toEqual([]);
  });

  it('does nothing without a server, except Escape, which closes', () => {
    const none: LibraryContext = { served: false, currentId: null, currentName: '' };
    for (const event of [{ type: 'start' }, ...keys('libraryNext', 'libraryEnter', 'libraryNew', 'libraryTrash', 'libraryUndoDelete')] as LibraryEvent[]) {
      const step = libraryStep(INITIAL_LIBRARY, event, none);
      expect(step).toEqual({ state: INITIAL_LIBRARY, effect: null });
      expect(step.state).toBe(INITIAL_LIBRARY);
    }
    expect(libraryStep(INITIAL_LIBRARY, act('libraryBack'), none).effect).toEqual({ kind: 'close' });
  });
});

describe('moving the selection', () => {
  it.each<[string[], LibraryActionId[], string[]]>([
    [['[a]', 'b', 'c'], ['libraryNext'], ['a', '[b]', 'c']],
    [['[a]', 'b', 'c'], ['libraryNext', 'libraryNext', 'libraryNext'], ['a', 'b', '[c]']],
    [['a', 'b', '[c]'], ['libraryPrev'], ['a', '[b]', 'c']],
    [['[a]', 'b', 'c'], ['libraryPrev'], ['[a]', 'b', 'c']],
    [['[a]', 'b', 'c'], ['libraryLast'], ['a', 'b', '[c]']],
    [['a', 'b', '[c]'], ['libraryFirst'], ['[a]', 'b', 'c']],
    [[], ['libraryNext', 'libraryPrev', 'libraryLast', 'libraryFirst'], []],
  ])('%j + %j → %j', (start, actions, want) => {
    const ids = start.map((x) => x.replace(/[[\]]/g, ''));
    const sel = start.find((x) => x.startsWith('['))?.slice(1, -1);
    const s = run(listed(ids.map((id) => meta(id)), sel), keys(...actions)).state;
    expect(shown(s)).toEqual(want);
  });

  it.each<LibraryActionId>(['libraryPrev', 'libraryFirst'])('%s at the first item returns the same state (no wrap-around)', (action) => {
    const s = listed([A, B]);
    expect(libraryStep(s, act(action), CTX).state).toBe(s);
  });

  it.each<LibraryActionId>(['libraryNext', 'libraryLast'])('%s at the last item returns the same state', (action) => {
    const s = listed([A, B], 'b');
    expect(libraryStep(s, act(action), CTX).state).toBe(s);
  });

  it('a click selects that item; a click outside the list does nothing', () => {
    const s = listed([A, B, C]);
    expect(shown(run(s, [{ type: 'pick', index: 2 }]).state)).toEqual(['a', 'b', '[c]']);
    expect(libraryStep(s, { type: 'pick', index: 3 }, CTX).state).toBe(s);
    expect(libraryStep(s, { type: 'pick', index: -1 }, CTX).state).toBe(s);
  });
});

describe('Enter', () => {
  it.each<[string, () => LibraryState, LibraryContext, LibraryEffect | null]>([
    ['opens another document', () => listed([B, A], 'b'), CTX, { kind: 'open', id: 'b' }],
    ['on the open document closes the library', () => listed([B, A], 'a'), CTX, { kind: 'close' }],
    ['in an empty library does nothing', () => listed([]), CTX, null],
    ['restores from the trash', () => inTrash(), CTX, { kind: 'restore', doc: C, undo: false }],
    ['in an empty trash does nothing', () => inTrash([]), CTX, null],
  ])('%s', (_, from, ctx, effect) => {
    expect(libraryStep(from(), act('libraryEnter'), ctx).effect).toEqual(effect);
  });

  it('opening, and creating (n), are operations: the library waits for them', () => {
    for (const a of ['libraryEnter', 'libraryNew'] as const) {
      const step = libraryStep(listed([B, A], 'b'), act(a), CTX);
      expect(step.state.busy).toBe(true);
      expect(run(step.state, [{ type: 'done' }]).state.busy).toBe(false);
    }
    expect(libraryStep(listed([B, A]), act('libraryNew'), CTX).effect).toEqual({ kind: 'create' });
  });
});

describe('rename (r)', () => {
  it.each([
    ['another document: its stored name', 'b', 'Old name'],
    ['the open document: the name the page holds, not the stored one', 'a', 'My novel'],
  ])('opens the name box on %s', (_, select, value) => {
    const s = run(listed([meta('b', { name: 'Old name' }), A], select), [act('libraryRename')]).state;
    expect(s.renaming).toEqual({ id: select, value });
  });

  it('another document: Enter renames it through Go (trimmed); the list shows what Go answers', () => {
    const { state, effects } = run(listed([B, A], 'b'), [act('libraryRename'), { type: 'renameInput', value: '  Chapter One ' }, { type: 'renameCommit' }]);
    expect(effects).toEqual([{ kind: 'rename', id: 'b', name: 'Chapter One' }]);
    expect(state.renaming).toBeNull();
    expect(state.busy).toBe(true);
    const after = run(state, [{ type: 'renamed', meta: { ...B, name: 'Chapter One', title: 'Chapter One' } }]).state;
    expect(after.docs!.map((d) => d.title)).toEqual(['Chapter One', 'Title a']);
    expect(after.busy).toBe(false);
  });

  it.each([
    ['a name', 'My Novel ', 'My Novel', 'My Novel'],
    ['an empty name: the title stays (from the first words)', '   ', '', 'Title a'],
  ])('the open document with %s: renamed in the page, at once in the list', (_, typed, name, title) => {
    const { state, effects } = run(listed([B, A], 'a'), [act('libraryRename'), { type: 'renameInput', value: typed }, { type: 'renameCommit' }]);
    expect(effects).toEqual([{ kind: 'renameCurrent', name }]);
    expect(state.docs!.find((d) => d.id === 'a')).toMatchObject({ name, title });
    expect(state.busy).toBe(false);
  });

  it('commits once: the blur that follows Enter changes nothing', () => {
    const committed = run(listed([B, A], 'b'), [act('libraryRename'), { type: 'renameCommit' }]).state;
    const again = libraryStep(committed, { type: 'renameCommit' }, CTX);
    expect(again.state).toBe(committed);
    expect(again.effect).toBeNull();
  });

  it('Escape cancels: nothing is renamed', () => {
    const { state, effects } = run(listed([B, A], 'b'), [act('libraryRename'), { type: 'renameInput', value: 'X' }, { type: 'renameCancel' }, { type: 'renameCommit' }]);
    expect(state.renaming).toBeNull();
    expect(effects).toEqual([]);
  });

  it('while an operation runs, the commit waits with the text in the box; after it, Enter renames', () => {
    const busy = run(listed([B, A], 'b'), [act('libraryRename'), { type: 'renameInput', value: 'Kept' }, act('libraryDuplicate')]).state;
    expect(busy.busy).toBe(true);
    const waiting = libraryStep(busy, { type: 'renameCommit' }, CTX);
    expect(waiting).toEqual({ state: busy, effect: null });
    const after = run(busy, [{ type: 'failed', message: 'x' }, { type: 'renameCommit' }]);
    expect(after.effects.at(-1)).toEqual({ kind: 'rename', id: 'b', name: 'Kept' });
  });

  it('typing without a name box open changes nothing', () => {
    const s = listed([A]);
    expect(libraryStep(s, { type: 'renameInput', value: 'x' }, CTX).state).toBe(s);
    expect(libraryStep(s, { type: 'renameCancel' }, CTX).state).toBe(s);
  });
});

describe('duplicate, trash and undo', () => {
  it.each([
    ['the name Go gave the copy', { id: 'b-copy', name: 'Title b (copy)' }, 'Duplicated as “Title b (copy)”.'],
    ['the original title when the copy has no name', { id: 'b-copy', name: '' }, 'Duplicated as “Title b”.'],
  ])('c duplicates; the message names %s and the copy is selected', (_, copy, text) => {
    const { state, effects } = run(listed([B, A], 'b'), [act('libraryDuplicate'), { type: 'duplicated', doc: B, copy }]);
    expect(effects).toEqual([{ kind: 'duplicate', doc: B }, { kind: 'listDocuments', select: 'b-copy' }]);
    expect(state.message).toEqual({ kind: 'info', text });
    expect(state.busy).toBe(true); // listing
  });

  it('Delete moves another document to the trash, remembers it for u, and lists again on the open one', () => {
    const { state, effects } = run(listed([B, A], 'b'), [act('libraryDelete'), { type: 'deleted', doc: B }]);
    expect(effects).toEqual([{ kind: 'delete', doc: B }, { kind: 'listDocuments', select: 'a' }]);
    expect(state.lastDeleted).toBe(B);
    expect(state.message).toEqual({ kind: 'info', text: 'Moved “Title b” to the trash. Press u to undo.' });
  });

  it('deleting the open document opens what Go starts with, then selects that one', () => {
    const deleted = run(listed([B, A], 'a'), [act('libraryDelete'), { type: 'deleted', doc: A }]);
    expect(deleted.effects.at(-1)).toEqual({ kind: 'replaceDeleted' });
    const replaced = run(deleted.state, [{ type: 'replaced' }], { ...CTX, currentId: 'b' });
    expect(replaced.effects).toEqual([{ kind: 'listDocuments', select: 'b' }]);
  });

  it.each<[string, () => LibraryState, LibraryEffect]>([
    ['in the documents: lists them with it selected', () => listed([A]), { kind: 'listDocuments', select: 'b' }],
    ['in the trash: lists the trash', () => inTrash([B]), { kind: 'listTrash' }],
  ])('u restores the last deleted document; %s', (_, from, then) => {
    const s = { ...from(), lastDeleted: B };
    const { state, effects } = run(s, [act('libraryUndoDelete'), { type: 'restored', doc: B, undo: true }]);
    expect(effects).toEqual([{ kind: 'restore', doc: B, undo: true }, then]);
    expect(state.lastDeleted).toBeNull();
    expect(state.message).toEqual({ kind: 'info', text: 'Restored “Title b”.' });
  });

  it('u with nothing deleted does nothing', () => {
    const s = listed([A]);
    expect(libraryStep(s, act('libraryUndoDelete'), CTX)).toEqual({ state: s, effect: null });
  });

  it('t shows the trash; Enter restores; t goes back to the documents', () => {
    const toTrash = libraryStep(listed([A, B], 'b'), act('libraryTrash'), CTX);
    expect(toTrash.state.view).toBe('trash');
    expect(toTrash.effect).toEqual({ kind: 'listTrash' });
    expect(shownList(toTrash.state)).toBeNull(); // "Loading…"
    const trash = inTrash([C, B]);
    expect(shown(trash)).toEqual(['[c]', 'b']);
    const restored = run(trash, [act('libraryEnter'), { type: 'restored', doc: C, undo: false }]);
    expect(restored.effects).toEqual([{ kind: 'restore', doc: C, undo: false }, { kind: 'listTrash' }]);
    expect(restored.state.message).toEqual({ kind: 'info', text: 'Restored “Title c” from the trash.' });
    const back = run(restored.state, [{ type: 'trashListed', listing: { documents: [B], problems: null } }, act('libraryTrash')]);
    expect(back.state.view).toBe('documents');
    expect(back.effects.at(-1)).toEqual({ kind: 'listDocuments' });
  });

  it.each<LibraryActionId>(['libraryRename', 'libraryDuplicate', 'libraryDelete', 'libraryHistory'])('%s acts only on documents, not in the trash', (action) => {
    const s = inTrash();
    expect(libraryStep(s, act(action), CTX)).toEqual({ state: s, effect: null });
  });

  it.each<LibraryActionId>(['libraryEnter', 'libraryRename', 'libraryDuplicate', 'libraryDelete', 'libraryHistory'])('%s in an empty library does nothing', (action) => {
    const s = listed([]);
    expect(libraryStep(s, act(action), CTX)).toEqual({ state: s, effect: null });
  });
});

describe('history (h)', () => {
  it('lists the versions of the selected document, newest first, the first selected', () => {
    const asked = libraryStep(listed([B, A], 'b'), act('libraryHistory'), CTX);
    expect(asked.effect).toEqual({ kind: 'history', doc: B });
    const s = inHistory();
    expect(s.view).toBe('history');
    expect(shown(s)).toEqual(['[s2]', 's1']);
    expect(s.history!.doc).toBe(A);
  });

  it('Go answering null means no versions yet', () => {
    const s = run(listed([A]), [act('libraryHistory'), { type: 'historyListed', doc: A, snaps: null }]).state;
    expect(shownList(s)).toEqual([]);
  });

  it('Enter asks first; Enter again restores that version', () => {
    const ask = libraryStep(inHistory(), act('libraryEnter'), CTX);
    expect(ask.effect).toBeNull();
    expect(ask.state.confirm?.id).toBe('s2');
    const yes = libraryStep(ask.state, act('libraryEnter'), CTX);
    expect(yes.effect).toEqual({ kind: 'restoreVersion', doc: A, snap: snap('s2') });
  });

  it.each<[string, LibraryEvent[]]>([
    ['moving away', [act('libraryNext'), act('libraryPrev')]],
    ['a click on another version', [{ type: 'pick', index: 1 }, { type: 'pick', index: 0 }]],
    ['Escape', [act('libraryBack')]],
  ])('%s drops the confirmation: the next Enter asks again', (_, between) => {
    const { state, effects } = run(inHistory(), [act('libraryEnter'), ...between, act('libraryEnter')]);
    expect(state.confirm?.id).toBe('s2');
    expect(effects).toEqual([]);
  });

  it('a version Go could not read cannot be restored', () => {
    const { state, effects } = run(inHistory(), [act('libraryLast'), act('libraryEnter'), act('libraryEnter')]);
    expect(state.confirm).toBeNull();
    expect(effects).toEqual([]);
  });

  it('a restored version of the open document is shown in the editor (the library closes)', () => {
    const file = fileOf('a');
    const { state, effects } = run(inHistory(), [act('libraryEnter'), act('libraryEnter'), { type: 'versionRestored', doc: A, snap: snap('s2'), file }]);
    expect(effects.at(-1)).toEqual({ kind: 'show', doc: file });
    expect(state.confirm).toBeNull();
    expect(state.busy).toBe(false);
  });

  it('a restored version of another document: back to the documents, with it selected, and a message', () => {
    const s = run(listed([B, A], 'b'), [act('libraryHistory'), { type: 'historyListed', doc: B, snaps: [snap('s9')] }]).state;
    const { state, effects } = run(s, [act('libraryEnter'), act('libraryEnter'), { type: 'versionRestored', doc: B, snap: snap('s9'), file: fileOf('b') }]);
    expect(state.view).toBe('documents');
    expect(effects.at(-1)).toEqual({ kind: 'listDocuments', select: 'b' });
    expect(state.message).toEqual({ kind: 'info', text: `Restored “Title b” to the version of ${absoluteTime(snap('s9').time)}.` });
  });
});

describe('Escape (back)', () => {
  it.each<[string, () => LibraryState, LibraryEffect, string]>([
    ['in the documents closes the library', () => listed([A]), { kind: 'close' }, 'documents'],
    ['in the history goes back to the documents, selecting that document', inHistory, { kind: 'listDocuments', select: 'a' }, 'documents'],
    ['in the trash goes back to the documents', () => inTrash(), { kind: 'listDocuments', select: undefined }, 'documents'],
  ])('%s', (_, from, effect, view) => {
    const step = libraryStep(from(), act('libraryBack'), CTX);
    expect(step.effect).toEqual(effect);
    expect(step.state.view).toBe(view);
  });

  it('after a visit to a history, the trash goes back without selecting that document', () => {
    const s = run(inHistory(), [act('libraryBack'), { type: 'documentsListed', listing: { documents: [A, B], problems: null }, select: 'a' }, act('libraryTrash'), { type: 'trashListed', listing: { documents: [], problems: null } }]).state;
    expect(libraryStep(s, act('libraryBack'), CTX).effect).toEqual({ kind: 'listDocuments', select: undefined });
  });

  it('leaving a view closes its name box', () => {
    const s = run(listed([B, A], 'b'), [act('libraryRename'), act('libraryTrash')]).state;
    expect(s.renaming).toBeNull();
  });
});

describe('one operation at a time', () => {
  const busy = () => libraryStep(listed([B, A], 'b'), act('libraryDuplicate'), CTX).state;

  it.each<LibraryActionId>(['libraryEnter', 'libraryNew', 'libraryDuplicate', 'libraryDelete', 'libraryHistory', 'libraryTrash'])(
    '%s while one runs is ignored whole (no view change)',
    (action) => {
      const s = busy();
      expect(libraryStep(s, act(action), CTX)).toEqual({ state: s, effect: null });
    },
  );

  it('moving, renaming and closing still work', () => {
    const s = busy();
    expect(shown(run(s, [act('libraryNext')]).state)).toEqual(['b', '[a]']);
    expect(run(s, [act('libraryRename')]).state.renaming).not.toBeNull();
    expect(run({ ...s, view: 'documents' }, [act('libraryBack')]).effects).toEqual([{ kind: 'close' }]);
  });

  it('a failure ends the operation and shows the message; the next one can run', () => {
    const failed = run(busy(), [{ type: 'failed', message: 'no such document: b' }]).state;
    expect(failed.busy).toBe(false);
    expect(failed.message).toEqual({ kind: 'error', text: 'no such document: b' });
    expect(libraryStep(failed, act('libraryDelete'), CTX).effect).toEqual({ kind: 'delete', doc: B });
  });

  it('a second start (React mounting twice) lists once', () => {
    const { effects } = run(INITIAL_LIBRARY, [{ type: 'start' }, { type: 'start' }]);
    expect(effects).toEqual([{ kind: 'listDocuments', select: 'a' }]);
  });
});

describe('the action table', () => {
  it('has a handler for every action the keymap binds in the library', () => {
    const bound = KEYMAP.filter((b) => b.context === 'library').map((b) => b.action);
    expect(bound.filter((a) => !isLibraryAction(a))).toEqual([]);
    expect(Object.keys(LIBRARY_ACTIONS).sort()).toEqual([...new Set(bound)].sort());
  });

  it('is not fooled by other actions', () => {
    expect(isLibraryAction('selectNext')).toBe(false);
    expect(isLibraryAction('openLibrary')).toBe(false);
  });
});
