/**
 * The draft: the text of the open textarea, with its own undo history (WebKitGTK has no native
 * undo in a textarea). Runs of typing merge into one undo step per word, as in most editors: a
 * space starts a new step, the letters after it join that step; runs of single-character
 * deletions form one step; anything else (paste, newline, replacing a selection) is a step alone.
 */
import type { Draft, DraftEditKind, EditorState } from './types';

/** Most draft undo steps kept. */
export const DRAFT_UNDO_LIMIT = 300;

export function newDraft(text: string, origin: number): Draft {
  return { text, past: [], future: [], lastEdit: null, origin };
}

/** Classifies the change from `before` to `after` by its one differing region. */
export function classifyEdit(before: string, after: string): DraftEditKind {
  const { removed, inserted } = diffRegion(before, after);
  if (removed === '' && inserted.length === 1) return /\s/.test(inserted) ? 'typeSpace' : 'typeWord';
  if (inserted === '' && removed.length === 1) return 'delete';
  return 'other';
}

/**
 * The region where two strings differ: `start` is the common prefix length; `removed` and
 * `inserted` are what lies between the common prefix and the common suffix.
 */
export function diffRegion(before: string, after: string): { start: number; removed: string; inserted: string } {
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { start: p, removed: before.slice(p, before.length - s), inserted: after.slice(p, after.length - s) };
}

function merges(kind: DraftEditKind, last: DraftEditKind | null): boolean {
  if (kind === 'typeWord') return last === 'typeWord' || last === 'typeSpace';
  if (kind === 'delete') return last === 'delete';
  return false;
}

function withDraft(state: EditorState, draft: Draft): EditorState {
  return { ...state, draft };
}

/** The textarea's new value. Does not apply outside edit/insert mode or when nothing changed. */
export function setDraftText(state: EditorState, text: string): EditorState {
  const d = state.draft;
  if (!d || d.text === text) return state;
  const kind = classifyEdit(d.text, text);
  const past = merges(kind, d.lastEdit) ? d.past : [...d.past, d.text].slice(-DRAFT_UNDO_LIMIT);
  return withDraft(state, { ...d, text, past, future: [], lastEdit: kind });
}

/** Replaces `start…end` of the draft with `insert` as one undo step (Ctrl+Enter's newline). */
export function draftInsertText(state: EditorState, start: number, end: number, insert: string): EditorState {
  const d = state.draft;
  if (!d) return state;
  const text = d.text.slice(0, start) + insert + d.text.slice(end);
  if (text === d.text) return state;
  return withDraft(state, {
    ...d,
    text,
    past: [...d.past, d.text].slice(-DRAFT_UNDO_LIMIT),
    future: [],
    lastEdit: 'other',
  });
}

/** Ctrl+Z in the textarea. Does not apply with no earlier text (it never reaches document undo). */
export function draftUndo(state: EditorState): EditorState {
  const d = state.draft;
  const prev = d?.past.at(-1);
  if (!d || prev === undefined) return state;
  return withDraft(state, { ...d, text: prev, past: d.past.slice(0, -1), future: [...d.future, d.text], lastEdit: null });
}

/** Ctrl+Shift+Z / Ctrl+Y in the textarea. */
export function draftRedo(state: EditorState): EditorState {
  const d = state.draft;
  const next = d?.future.at(-1);
  if (!d || next === undefined) return state;
  return withDraft(state, { ...d, text: next, past: [...d.past, d.text], future: d.future.slice(0, -1), lastEdit: null });
}
