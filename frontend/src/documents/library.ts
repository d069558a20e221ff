/**
 * The document library's state and decisions (the Ctrl+O overlay): pure, no React, no bridge.
 * `libraryStep(state, event, ctx)` returns the next state and at most one effect, a description
 * of work for the outside world (a Go call, opening a document, closing the overlay). The runner
 * (useLibrary.ts) performs it and reports the outcome back as another event, so every decision
 * is made here and tested in library.test.ts; LibraryOverlay.tsx only renders and dispatches.
 *
 * Decided here:
 * - Three views: the documents (newest first, with the files that could not be read), the
 *   trash, and one document's history. A list is null until it has been read ("Loading…").
 * - The selection is an index into the list shown, within it; it starts on the open document
 *   and, after an operation, lands on the document it concerned (the copy, the restored one).
 *   Moves stop at both ends; a move that cannot move changes nothing.
 * - One operation (a Go call) at a time: while one runs, an action that needs another is ignored
 *   whole, view change included. Moving the selection, renaming and closing still work.
 * - Enter: documents: opens the selected document (the open one: closes the library); trash:
 *   restores it; history: asks first (a confirmation naming the version), and a second Enter on
 *   the same version restores it. A version Go could not read cannot be restored. Any change of
 *   the selection or of the view drops the confirmation.
 * - Rename (`r`): a name box with the current name (the open document's as the page holds it).
 *   Enter or leaving the box commits once, trimmed (empty: the title comes from the first words);
 *   Escape cancels. The open document is renamed in the page (autosave writes it), another
 *   through Go. While an operation runs, a commit waits: the box stays open with the text.
 * - Delete moves the selected document to the trash and remembers it for `u` (undo, in any view);
 *   deleting the open document opens what Go starts with. The documents are listed again after
 *   every change, the pending change of the open document sent first.
 * - Escape: drops the confirmation, else goes back to the documents (selecting the document whose
 *   history was shown), else closes the library. `t` switches between the documents and the trash.
 * - Without a server nothing can be listed: only Escape acts (it closes).
 * - A failed operation ends it and shows Go's message on the message line; the message line keeps
 *   the last message until the next one.
 */
import type { ActionId } from '../editor';
import { absoluteTime } from './time';
import type { DocumentFile, Listing, Meta, Problem, Snapshot } from './types';

export type LibraryView = 'documents' | 'trash' | 'history';

/** The keymap actions of the `library` context. */
export type LibraryActionId = Extract<ActionId, `library${string}`>;

export interface LibraryMessage {
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export interface LibraryState {
  readonly view: LibraryView;
  /** The documents, newest first; null until listed. */
  readonly docs: readonly Meta[] | null;
  /** Files the library could not read. */
  readonly problems: readonly Problem[];
  /** null until listed. */
  readonly trash: readonly Meta[] | null;
  /** The document whose history is (or was last) shown, with its versions, newest first. */
  readonly history: { readonly doc: Meta; readonly snaps: readonly Snapshot[] } | null;
  /** Index into the list shown (0 when it is empty). */
  readonly sel: number;
  /** The name box: which document, what is typed. */
  readonly renaming: { readonly id: string; readonly value: string } | null;
  /** The version a second Enter restores. */
  readonly confirm: Snapshot | null;
  /** What `u` restores. */
  readonly lastDeleted: Meta | null;
  readonly message: LibraryMessage | null;
  /** An operation runs. */
  readonly busy: boolean;
}

/** What the library knows of the open document, read when each event is handled. */
export interface LibraryContext {
  /** A Go side serves the documents. */
  readonly served: boolean;
  readonly currentId: string | null;
  /** The open document's name as the page holds it (renamed ones included). */
  readonly currentName: string;
}

/** Work through Go, asynchronous; its outcome comes back as one event (or `failed`). */
export type LibraryOp =
  /** Send the open document's pending change, then list the documents; select `select` (else the first). */
  | { readonly kind: 'listDocuments'; readonly select?: string }
  | { readonly kind: 'listTrash' }
  /** Open a document (the library closes). */
  | { readonly kind: 'open'; readonly id: string }
  /** Create and open a new document (the library closes). */
  | { readonly kind: 'create' }
  /** Rename a document that is not open. */
  | { readonly kind: 'rename'; readonly id: string; readonly name: string }
  | { readonly kind: 'duplicate'; readonly doc: Meta }
  | { readonly kind: 'delete'; readonly doc: Meta }
  /** The open document went to the trash: open what Go starts with now. */
  | { readonly kind: 'replaceDeleted' }
  /** From the trash; `undo`: it was the last one deleted (`u`). */
  | { readonly kind: 'restore'; readonly doc: Meta; readonly undo: boolean }
  | { readonly kind: 'history'; readonly doc: Meta }
  | { readonly kind: 'restoreVersion'; readonly doc: Meta; readonly snap: Snapshot };

/** Work done at once: close the library, rename the open document, show a restored version of it (closes). */
export type LibraryEffect =
  | LibraryOp
  | { readonly kind: 'close' }
  | { readonly kind: 'renameCurrent'; readonly name: string }
  | { readonly kind: 'show'; readonly doc: DocumentFile };

const OPS: ReadonlySet<LibraryEffect['kind']> = new Set<LibraryOp['kind']>([
  'listDocuments',
  'listTrash',
  'open',
  'create',
  'rename',
  'duplicate',
  'delete',
  'replaceDeleted',
  'restore',
  'history',
  'restoreVersion',
]);

export function isOp(effect: LibraryEffect | null): effect is LibraryOp {
  return effect !== null && OPS.has(effect.kind);
}

export type LibraryEvent =
  /** The overlay opened. */
  | { readonly type: 'start' }
  | { readonly type: 'action'; readonly action: LibraryActionId }
  /** A click on the item at `index`. */
  | { readonly type: 'pick'; readonly index: number }
  | { readonly type: 'renameInput'; readonly value: string }
  | { readonly type: 'renameCommit' }
  | { readonly type: 'renameCancel' }
  // outcomes of operations
  | { readonly type: 'documentsListed'; readonly listing: Listing; readonly select?: string }
  | { readonly type: 'trashListed'; readonly listing: Listing }
  | { readonly type: 'historyListed'; readonly doc: Meta; readonly snaps: readonly Snapshot[] | null }
  | { readonly type: 'renamed'; readonly meta: Meta }
  | { readonly type: 'duplicated'; readonly doc: Meta; readonly copy: { readonly id: string; readonly name: string } }
  | { readonly type: 'deleted'; readonly doc: Meta }
  | { readonly type: 'replaced' }
  | { readonly type: 'restored'; readonly doc: Meta; readonly undo: boolean }
  | { readonly type: 'versionRestored'; readonly doc: Meta; readonly snap: Snapshot; readonly file: DocumentFile }
  /** An operation ended with nothing to show (open and create close the library). */
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string };

export interface LibraryStep {
  readonly state: LibraryState;
  readonly effect: LibraryEffect | null;
}

export const INITIAL_LIBRARY: LibraryState = {
  view: 'documents',
  docs: null,
  problems: [],
  trash: null,
  history: null,
  sel: 0,
  renaming: null,
  confirm: null,
  lastDeleted: null,
  message: null,
  busy: false,
};

/** The list the view shows; null while it has not been read. */
export function shownList(s: LibraryState): readonly (Meta | Snapshot)[] | null {
  switch (s.view) {
    case 'documents':
      return s.docs;
    case 'trash':
      return s.trash;
    case 'history':
      return s.history?.snaps ?? null;
  }
}

export function shownItems(s: LibraryState): readonly (Meta | Snapshot)[] {
  return shownList(s) ?? [];
}

export function selectedItem(s: LibraryState): Meta | Snapshot | undefined {
  const items = shownItems(s);
  return items[Math.min(s.sel, items.length - 1)];
}

/** The next state, and the work it needs. */
export function libraryStep(state: LibraryState, event: LibraryEvent, ctx: LibraryContext): LibraryStep {
  switch (event.type) {
    case 'start':
    case 'action':
    case 'pick':
    case 'renameInput':
    case 'renameCommit':
    case 'renameCancel': {
      const step = userStep(state, event, ctx);
      // One operation at a time: what needs another waits for nothing, it is ignored whole.
      if (state.busy && isOp(step.effect)) return to(state);
      return busyWith(step);
    }
    default:
      return busyWith(outcomeStep({ ...state, busy: false }, event, ctx));
  }
}

type UserEvent = Extract<LibraryEvent, { type: 'start' | 'action' | 'pick' | 'renameInput' | 'renameCommit' | 'renameCancel' }>;

function userStep(s: LibraryState, event: UserEvent, ctx: LibraryContext): LibraryStep {
  switch (event.type) {
    case 'start':
      return ctx.served ? { state: s, effect: { kind: 'listDocuments', select: ctx.currentId ?? undefined } } : to(s);
    case 'action':
      if (!ctx.served) return event.action === 'libraryBack' ? { state: s, effect: { kind: 'close' } } : to(s);
      return LIBRARY_ACTIONS[event.action](s, ctx);
    case 'pick':
      return event.index >= 0 && event.index < shownItems(s).length ? selectAt(s, event.index) : to(s);
    case 'renameInput':
      return s.renaming ? to({ ...s, renaming: { ...s.renaming, value: event.value } }) : to(s);
    case 'renameCancel':
      return s.renaming ? to({ ...s, renaming: null }) : to(s);
    case 'renameCommit':
      return commitRename(s, ctx);
  }
}

type Command = (s: LibraryState, ctx: LibraryContext) => LibraryStep;

/** Every library action's handler; a new action without one does not compile. */
export const LIBRARY_ACTIONS: { readonly [A in LibraryActionId]: Command } = {
  libraryPrev: (s) => selectAt(s, Math.max(0, s.sel - 1)),
  libraryNext: (s) => selectAt(s, Math.min(shownItems(s).length - 1, s.sel + 1)),
  libraryFirst: (s) => selectAt(s, 0),
  libraryLast: (s) => selectAt(s, shownItems(s).length - 1),
  libraryBack: (s) => {
    if (s.confirm) return to({ ...s, confirm: null });
    if (s.view === 'documents') return { state: s, effect: { kind: 'close' } };
    const back = s.view === 'history' ? s.history?.doc.id : undefined;
    return { state: switchView(s, 'documents'), effect: { kind: 'listDocuments', select: back } };
  },
  libraryNew: (s) => ({ state: s, effect: { kind: 'create' } }),
  libraryTrash: (s) =>
    s.view === 'trash'
      ? { state: switchView(s, 'documents'), effect: { kind: 'listDocuments' } }
      : { state: switchView(s, 'trash'), effect: { kind: 'listTrash' } },
  libraryUndoDelete: (s) => (s.lastDeleted ? { state: s, effect: { kind: 'restore', doc: s.lastDeleted, undo: true } } : to(s)),
  libraryEnter: (s, ctx) => {
    const item = selectedItem(s);
    if (!item) return to(s);
    switch (s.view) {
      case 'documents':
        return item.id === ctx.currentId ? { state: s, effect: { kind: 'close' } } : { state: s, effect: { kind: 'open', id: item.id } };
      case 'trash':
        return { state: s, effect: { kind: 'restore', doc: item as Meta, undo: false } };
      case 'history': {
        const snap = item as Snapshot;
        if (snap.error || !s.history) return to(s);
        if (s.confirm?.id !== snap.id) return to({ ...s, confirm: snap });
        return { state: s, effect: { kind: 'restoreVersion', doc: s.history.doc, snap } };
      }
    }
  },
  libraryRename: onDocument((s, doc, ctx) =>
    to({ ...s, renaming: { id: doc.id, value: doc.id === ctx.currentId ? ctx.currentName : doc.name } }),
  ),
  libraryDuplicate: onDocument((s, doc) => ({ state: s, effect: { kind: 'duplicate', doc } })),
  libraryDelete: onDocument((s, doc) => ({ state: s, effect: { kind: 'delete', doc } })),
  libraryHistory: onDocument((s, doc) => ({ state: s, effect: { kind: 'history', doc } })),
};

/** A command on the selected document of the documents view; elsewhere, or with none, it does nothing. */
function onDocument(run: (s: LibraryState, doc: Meta, ctx: LibraryContext) => LibraryStep): Command {
  return (s, ctx) => {
    const doc = s.view === 'documents' ? (selectedItem(s) as Meta | undefined) : undefined;
    return doc ? run(s, doc, ctx) : to(s);
  };
}

function commitRename(s: LibraryState, ctx: LibraryContext): LibraryStep {
  const r = s.renaming;
  if (!r) return to(s);
  const name = r.value.trim();
  const done = { ...s, renaming: null };
  if (r.id !== ctx.currentId) return { state: done, effect: { kind: 'rename', id: r.id, name } };
  // The open document: the page holds its name; the list shows it at once.
  const docs = s.docs?.map((d) => (d.id === r.id ? { ...d, name, title: name || d.title } : d)) ?? null;
  return { state: { ...done, docs }, effect: { kind: 'renameCurrent', name } };
}

type Outcome = Exclude<LibraryEvent, UserEvent>;

function outcomeStep(s: LibraryState, event: Outcome, ctx: LibraryContext): LibraryStep {
  switch (event.type) {
    case 'documentsListed': {
      const docs = event.listing.documents ?? [];
      const at = event.select === undefined ? -1 : docs.findIndex((d) => d.id === event.select);
      return to({ ...s, docs, problems: event.listing.problems ?? [], sel: Math.max(0, at) });
    }
    case 'trashListed':
      return to({ ...s, trash: event.listing.documents ?? [], sel: 0 });
    case 'historyListed':
      return to({ ...switchView(s, 'history'), history: { doc: event.doc, snaps: event.snaps ?? [] }, sel: 0 });
    case 'renamed':
      return to({ ...s, docs: s.docs?.map((d) => (d.id === event.meta.id ? event.meta : d)) ?? null });
    case 'duplicated':
      return {
        state: info(s, `Duplicated as “${event.copy.name || event.doc.title}”.`),
        effect: { kind: 'listDocuments', select: event.copy.id },
      };
    case 'deleted': {
      const state = { ...info(s, `Moved “${event.doc.title}” to the trash. Press u to undo.`), lastDeleted: event.doc };
      if (event.doc.id === ctx.currentId) return { state, effect: { kind: 'replaceDeleted' } };
      return { state, effect: { kind: 'listDocuments', select: ctx.currentId ?? undefined } };
    }
    case 'replaced':
      return { state: s, effect: { kind: 'listDocuments', select: ctx.currentId ?? undefined } };
    case 'restored': {
      if (!event.undo) return { state: info(s, `Restored “${event.doc.title}” from the trash.`), effect: { kind: 'listTrash' } };
      const state = { ...info(s, `Restored “${event.doc.title}”.`), lastDeleted: null };
      return { state, effect: s.view === 'trash' ? { kind: 'listTrash' } : { kind: 'listDocuments', select: event.doc.id } };
    }
    case 'versionRestored': {
      const state = { ...s, confirm: null };
      // A version of the open document: the editor shows it (and the library closes).
      if (event.file.id === ctx.currentId) return { state, effect: { kind: 'show', doc: event.file } };
      const text = `Restored “${event.doc.title}” to the version of ${absoluteTime(event.snap.time)}.`;
      return { state: info(switchView(state, 'documents'), text), effect: { kind: 'listDocuments', select: event.doc.id } };
    }
    case 'done':
      return to(s);
    case 'failed':
      return to({ ...s, message: { kind: 'error', text: event.message } });
  }
}

function selectAt(s: LibraryState, index: number): LibraryStep {
  const at = Math.max(0, index);
  return at === s.sel ? to(s) : to({ ...s, sel: at, confirm: null });
}

function switchView(s: LibraryState, view: LibraryView): LibraryState {
  return { ...s, view, confirm: null, renaming: null };
}

function info(s: LibraryState, text: string): LibraryState {
  return { ...s, message: { kind: 'info', text } };
}

function busyWith(step: LibraryStep): LibraryStep {
  return isOp(step.effect) && !step.state.busy ? { ...step, state: { ...step.state, busy: true } } : step;
}

/** A state without work: the same object when nothing applies (tests tell with `===`). */
function to(state: LibraryState): LibraryStep {
  return { state, effect: null };
}

export function isLibraryAction(action: ActionId): action is LibraryActionId {
  return Object.hasOwn(LIBRARY_ACTIONS, action);
}
