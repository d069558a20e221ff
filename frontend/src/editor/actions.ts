/**
 * The keymap actions that are pure state changes. The rest (copy, paste from the system
 * clipboard, overlays, font size, quit, newline at the caret) need the outside world and are
 * performed by the Editor component.
 */
import * as c from './commands';
import { draftRedo, draftUndo } from './draft';
import type { ActionId } from './keymap';
import type { EditorState } from './types';

export const PURE_ACTIONS: Partial<Record<ActionId, (s: EditorState) => EditorState>> = {
  selectPrev: c.selectPrev,
  selectNext: c.selectNext,
  selectFirst: c.selectFirst,
  selectNew: c.selectNew,
  startInsert: c.startInsert,
  startEdit: c.startEdit,
  moveLeft: c.moveLeft,
  moveRight: c.moveRight,
  deleteSelected: c.deleteSelected,
  cutSelected: c.cutSelected,
  pasteClipboard: c.pasteClipboard,
  insertSectionBreak: c.insertSectionBreak,
  undo: c.undo,
  redo: c.redo,
  commitDraft: c.commitDraft,
  discardDraft: c.discardDraft,
  draftUndo,
  draftRedo,
};
