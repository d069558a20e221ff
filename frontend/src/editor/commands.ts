/**
 * Editor commands: named verbs `(state, …args) → state`. A command that does not apply returns the
 * very same state object, so callers (and tests) can tell with `===`.
 *
 * Edge cases, decided here and tested in commands.test.ts:
 * - Navigation stops at both ends: Left on the first fragment and Right on `<new>` do nothing.
 * - `i` on fragment k inserts an empty fragment at k+1 (on `<new>`: at the end) and selects it.
 *   Enter with text keeps the new fragment selected; Enter with an empty text or Escape removes it
 *   and selects what was selected before `i`. Either way the abandoned insert leaves no undo step
 *   and no revision.
 * - Space on a fragment edits it. Enter with the same text changes nothing; with another text it
 *   replaces the text (one undo step, `edited` set); with an empty text it deletes the fragment
 *   (like `d`). Escape discards the draft.
 * - Space on `<new>` opens an empty textarea there. Enter with text appends it as a fragment and
 *   selects the next `<new>`; Enter with an empty text and Escape leave the document unchanged and
 *   `<new>` selected.
 * - A fragment's text is empty only when it has length zero: whitespace and newlines are text.
 *   Texts are never split or trimmed when typed; only outside text pasted with Ctrl+V is split.
 * - Delete, cut and moves do nothing on `<new>`. After a delete or cut the selection stays at the
 *   same position, i.e. on the next fragment (or `<new>`). Moves stop at the ends; a fragment never
 *   moves past `<new>`.
 * - Paste (`v`, Ctrl+V, `b`) inserts right of the selection (on `<new>`: at the end) and selects
 *   the (last) inserted fragment. `v` with an empty clipboard and Ctrl+V with empty text do nothing.
 * - Undo restores fragments, clipboard and the selection from before the change; redo the state
 *   from before the undo. Both apply in explore mode only (the textarea has its own draft undo).
 */
import { newDraft } from './draft';
import { splitSentences } from './segment';
import {
  applyEntry,
  historyEntry,
  insertAt,
  isOnNew,
  recordChange,
  removeAt,
  replaceAt,
  snapshotOf,
  spliceAt,
  takeIds,
} from './state';
import { type EditorState, type Fragment, type HistoryEntry, SECTION_BREAK } from './types';

const explore = (s: EditorState): boolean => s.mode === 'explore';

// ---- selection ----

export function select(state: EditorState, index: number): EditorState {
  if (!explore(state) || index < 0 || index > state.fragments.length || index === state.selection) return state;
  return { ...state, selection: index };
}

export const selectPrev = (s: EditorState): EditorState => select(s, s.selection - 1);
export const selectNext = (s: EditorState): EditorState => select(s, s.selection + 1);
export const selectFirst = (s: EditorState): EditorState => select(s, 0);
export const selectNew = (s: EditorState): EditorState => select(s, s.fragments.length);

// ---- entering and leaving the textarea ----

/** `i`: an empty fragment right of the selection (on `<new>`: at the end), in insert mode. */
export function startInsert(state: EditorState): EditorState {
  if (!explore(state)) return state;
  const at = isOnNew(state) ? state.fragments.length : state.selection + 1;
  const { ids, nextId } = takeIds(state, 1);
  const fragment: Fragment = { id: ids[0]!, text: '', source: { kind: 'typed' } };
  return {
    ...state,
    fragments: insertAt(state.fragments, at, [fragment]),
    selection: at,
    mode: 'insert',
    draft: newDraft('', state.selection),
    nextId,
  };
}

/** Space: edit the selected fragment; on `<new>` start an empty one. */
export function startEdit(state: EditorState): EditorState {
  if (!explore(state)) return state;
  const text = state.fragments[state.selection]?.text ?? '';
  return { ...state, mode: 'edit', draft: newDraft(text, state.selection) };
}

/** Enter in the textarea: save and return to explore mode. */
export function commitDraft(state: EditorState): EditorState {
  const d = state.draft;
  if (!d) return state;
  const text = d.text;
  const back: EditorState = { ...state, mode: 'explore', draft: null };
  if (state.mode === 'insert') {
    if (text === '') return abandonInsert(state);
    // Undo takes out the new fragment and selects where insert mode started.
    const undoEntry: HistoryEntry = { at: state.selection, count: 1, items: [], selection: d.origin, clipboard: state.clipboard };
    const current = state.fragments[state.selection]!;
    return recordChange(back, { fragments: replaceAt(state.fragments, state.selection, { ...current, text }) }, undoEntry);
  }
  if (isOnNew(state)) {
    if (text === '') return back;
    const { ids, nextId } = takeIds(state, 1);
    const fragment: Fragment = { id: ids[0]!, text, source: { kind: 'typed' } };
    return recordChange(back, {
      fragments: [...state.fragments, fragment],
      selection: state.fragments.length + 1,
      nextId,
    });
  }
  const current = state.fragments[state.selection]!;
  if (text === current.text) return back;
  if (text === '') return recordChange(back, { fragments: removeAt(state.fragments, state.selection) });
  // Editing by hand drops the token data (tokens.ts): the text is no longer the model's.
  const { tokens: _tokens, ...rest } = current;
  return recordChange(back, { fragments: replaceAt(state.fragments, state.selection, { ...rest, text, edited: true }) });
}

/** Escape in the textarea: edit mode discards the draft; insert mode removes the inserted fragment. */
export function discardDraft(state: EditorState): EditorState {
  if (!state.draft) return state;
  if (state.mode === 'insert') return abandonInsert(state);
  return { ...state, mode: 'explore', draft: null };
}

function abandonInsert(state: EditorState): EditorState {
  return {
    ...state,
    fragments: removeAt(state.fragments, state.selection),
    selection: state.draft!.origin,
    mode: 'explore',
    draft: null,
  };
}

// ---- structure ----

/** `d`, Delete. */
export function deleteSelected(state: EditorState): EditorState {
  if (!explore(state) || isOnNew(state)) return state;
  return recordChange(state, { fragments: removeAt(state.fragments, state.selection) });
}

/** Ctrl+←. */
export function moveLeft(state: EditorState): EditorState {
  return swapWith(state, state.selection - 1);
}

/** Ctrl+→. */
export function moveRight(state: EditorState): EditorState {
  return swapWith(state, state.selection + 1);
}

function swapWith(state: EditorState, other: number): EditorState {
  const n = state.fragments.length;
  if (!explore(state) || state.selection >= n || other < 0 || other >= n || other === state.selection) return state;
  const [lo, hi] = state.selection < other ? [state.selection, other] : [other, state.selection];
  const list = state.fragments;
  const fragments = spliceAt(list, lo, hi - lo + 1, [list[hi]!, ...list.slice(lo + 1, hi), list[lo]!]);
  return recordChange(state, { fragments, selection: other });
}

/** `x`: the selected fragment goes to the end of the fragment clipboard. */
export function cutSelected(state: EditorState): EditorState {
  if (!explore(state) || isOnNew(state)) return state;
  const cut = state.fragments[state.selection]!;
  return recordChange(state, {
    fragments: removeAt(state.fragments, state.selection),
    clipboard: [...state.clipboard, cut],
  });
}

/** `v`: the clipboard's first fragment leaves it and goes right of the selection. */
export function pasteClipboard(state: EditorState): EditorState {
  const first = state.clipboard[0];
  if (!explore(state) || !first) return state;
  const at = insertionPoint(state);
  return recordChange(state, {
    fragments: insertAt(state.fragments, at, [first]),
    clipboard: state.clipboard.slice(1),
    selection: at,
  });
}

/** `b`: a section break fragment right of the selection. */
export function insertSectionBreak(state: EditorState): EditorState {
  return insertTexts(state, [SECTION_BREAK], { kind: 'typed' });
}

/** Ctrl+V: outside text, split into sentence fragments, right of the selection. */
export function pasteText(state: EditorState, text: string): EditorState {
  return insertTexts(state, splitSentences(text));
}

/**
 * Inserts new fragments right of the selection and selects the last. Also the entry point for
 * model suggestions (with `source`).
 */
export function insertTexts(state: EditorState, texts: readonly string[], source?: Fragment['source']): EditorState {
  if (!explore(state) || texts.length === 0) return state;
  const { ids, nextId } = takeIds(state, texts.length);
  const added = texts.map((text, i): Fragment => (source ? { id: ids[i]!, text, source } : { id: ids[i]!, text }));
  const at = insertionPoint(state);
  return recordChange(state, {
    fragments: insertAt(state.fragments, at, added),
    selection: at + added.length - 1,
    nextId,
  });
}

function insertionPoint(state: EditorState): number {
  return isOnNew(state) ? state.fragments.length : state.selection + 1;
}

// ---- history ----

export function undo(state: EditorState): EditorState {
  const prev = state.undo.at(-1);
  if (!explore(state) || !prev) return state;
  const restored = applyEntry(state.fragments, prev);
  return {
    ...state,
    ...restored,
    undo: state.undo.slice(0, -1),
    redo: [...state.redo, historyEntry(restored.fragments, snapshotOf(state))],
    revision: state.revision + 1,
  };
}

export function redo(state: EditorState): EditorState {
  const next = state.redo.at(-1);
  if (!explore(state) || !next) return state;
  const restored = applyEntry(state.fragments, next);
  return {
    ...state,
    ...restored,
    undo: [...state.undo, historyEntry(restored.fragments, snapshotOf(state))],
    redo: state.redo.slice(0, -1),
    revision: state.revision + 1,
  };
}
