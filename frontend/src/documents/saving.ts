/**
 * The documents side's state and decisions (useDocuments.tsx performs the effects): pure, no
 * React, no bridge, tested in saving.test.ts.
 *
 * - `DocsState` is what the page shows of the documents: the open document's info, the save
 *   indicator, the notices, the conflict dialog, the export dialog. `docsStep(state, event)` is
 *   the one place it changes; an event that changes nothing returns the same object.
 * - The save indicator: a change seen → `pending` (an error stays until a hand-over gets through
 *   with nothing else waiting); Go's `saved` for the open document with nothing waiting → `saved`;
 *   a failure of the open document → `error` with Go's message; opening a document → `idle`.
 * - Notices: one per kind and text (the newest replaces an equal one); a document's save errors
 *   go when Go saves it; "cannot reach the server" errors go when a hand-over gets through.
 *   Passing confirmations (`info`) expire (the hook's timer), the others are dismissed.
 * - Stale (Go refused a save: the document changed elsewhere): of the open document it stops
 *   autosave (the hook) and opens the conflict dialog, the first conflict kept; of a document
 *   left behind, an error notice.
 * - Hand-overs: a patch of the revision Go last answered when Go holds that revision's copy for
 *   this document, else the whole document (`planHandOver`); a patch Go cannot apply
 *   (`unknown_base`, `bad_patch`) is followed by the whole document; a failure is stale, a server
 *   not reached (retried) or anything else (reported) (`failureOf`).
 * - A change is what a save stores (`Key`): the fragment list, selection, mode, draft text, name
 *   and document; a change of any part is a change to save.
 */
import { BAD_PATCH, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from '../bridge/errors';
import type { EditorState } from '../editor';
import { type DocumentInfo, documentTitle, type FileView } from './convert';
import type { DocumentFile, Listing } from './types';

/** How long a change waits in the page before it is handed to Go (small documents). */
export const THROTTLE_MS = 150;
/**
 * The wait grows with the cost of one hand-over (marshalling on the main thread), so autosave
 * takes at most a sixth of the main thread while typing; never beyond this, which with Go's
 * 0.5 s keeps a change on disk within a second.
 */
export const MAX_THROTTLE_MS = 350;
/** How long a passing confirmation ("Saved") stays. */
export const NOTICE_MS = 2500;
/** How long a hand-over that found no server waits before it tries again. */
export const RETRY_MS = 1000;
/** Appended to the name of this page's version when it is kept as a copy. */
export const MY_VERSION = ' (my version)';

export const NO_SERVER = 'Nothing is saved: this page is not served by FragmentEditor or llproxy.';
export const UNAVAILABLE = 'Documents are unavailable: see the start-up problems.';

export type SaveStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'saved' }
  | { readonly kind: 'error'; readonly message: string };

export interface Notice {
  readonly key: number;
  readonly kind: 'info' | 'error' | 'problems';
  readonly text: string;
  /** More lines (start-up problems). */
  readonly details?: readonly string[];
  /** Save errors of this document go away once it is saved. */
  readonly docId?: string;
  /** The server could not be reached: goes away once a hand-over gets through. */
  readonly unreachable?: boolean;
}

/** A document Go refused to save over (it changed elsewhere). */
export interface Conflict {
  readonly id: string;
  readonly message: string;
}

export interface DocsState {
  /** The open document; null when there is none (no server, or the library failed at start). */
  readonly info: DocumentInfo | null;
  readonly status: SaveStatus;
  readonly notices: readonly Notice[];
  readonly conflict: Conflict | null;
  /** The export format dialog (a browser's export) is open. */
  readonly exporting: boolean;
  /** The key the next notice gets. */
  readonly nextKey: number;
}

const IDLE: SaveStatus = { kind: 'idle' };
const PENDING: SaveStatus = { kind: 'pending' };
const SAVED: SaveStatus = { kind: 'saved' };
/** The save indicator while a conflict waits for an answer. */
export const CHANGED_ELSEWHERE = 'changed elsewhere: not saved over';

/** The state at start: the session's document, and its start-up problems as a notice. */
export function initialDocs(info: DocumentInfo | null, problems: readonly string[]): DocsState {
  const notices: Notice[] = problems.length > 0 ? [{ key: 0, kind: 'problems', text: 'Problems at start', details: problems }] : [];
  return { info, status: IDLE, notices, conflict: null, exporting: false, nextKey: 1 };
}

export type DocsEvent =
  /** A notice to show. */
  | { readonly type: 'notify'; readonly kind: Notice['kind']; readonly text: string; readonly docId?: string; readonly unreachable?: boolean }
  | { readonly type: 'dismiss'; readonly key: number }
  /** A change to save was seen (autosave scheduled). */
  | { readonly type: 'changed' }
  /** A hand-over of `id` got through; `waiting`: another change waits for its turn. */
  | { readonly type: 'handedOver'; readonly id: string; readonly waiting: boolean }
  /** Go wrote `id` (its `documents:saved` event). */
  | { readonly type: 'saved'; readonly id: string; readonly waiting: boolean }
  /** Saving `id` failed; `unreachable`: the server did not answer. */
  | { readonly type: 'saveFailed'; readonly id: string; readonly message: string; readonly unreachable?: boolean }
  /** Go refused to save `id` over a newer version. */
  | { readonly type: 'stale'; readonly id: string; readonly message: string }
  /** Ctrl+S wrote `id`. */
  | { readonly type: 'savedNow'; readonly id: string }
  /** Another document is open now (opened, created, imported, reloaded, restored). */
  | { readonly type: 'opened'; readonly info: DocumentInfo }
  /** The open document's new name. */
  | { readonly type: 'renamed'; readonly name: string }
  /** The conflict's "keep my version": the page's version is now the copy `info`, named `name`. */
  | { readonly type: 'keptAsCopy'; readonly info: DocumentInfo; readonly name: string }
  | { readonly type: 'exporting'; readonly open: boolean };

export function docsStep(s: DocsState, e: DocsEvent): DocsState {
  switch (e.type) {
    case 'notify':
      return notify(s, e.kind, e.text, e.docId, e.unreachable);
    case 'dismiss':
      return withNotices(s, s.notices.filter((n) => n.key !== e.key));
    case 'changed':
      return s.status.kind === 'error' || s.status.kind === 'pending' ? s : { ...s, status: PENDING };
    case 'handedOver': {
      // Through again after an outage: Go has it now (its "saved" follows).
      const t = withNotices(s, s.notices.filter((n) => !(n.unreachable && n.docId === e.id)));
      return isOpen(t, e.id) && t.status.kind === 'error' && !e.waiting ? { ...t, status: PENDING } : t;
    }
    case 'saved': {
      const t = withNotices(s, withoutErrorsOf(s.notices, e.id));
      return isOpen(t, e.id) && !e.waiting && t.status.kind !== 'saved' ? { ...t, status: SAVED } : t;
    }
    case 'saveFailed': {
      const t = isOpen(s, e.id) ? { ...s, status: { kind: 'error', message: e.message } as const } : s;
      return notify(t, 'error', `NOT SAVED: ${e.message}`, e.id, e.unreachable);
    }
    case 'stale':
      if (!isOpen(s, e.id)) {
        // Left behind already (another document is open): say so; the library has both versions' history.
        return notify(s, 'error', `NOT SAVED: a document you left was changed elsewhere (${e.message})`, e.id);
      }
      return { ...s, status: { kind: 'error', message: CHANGED_ELSEWHERE }, conflict: s.conflict ?? { id: e.id, message: e.message } };
    case 'savedNow':
      return notify({ ...s, notices: withoutErrorsOf(s.notices, e.id), status: SAVED }, 'info', 'Saved');
    case 'opened':
      return { ...s, info: e.info, conflict: null, status: IDLE };
    case 'renamed':
      return s.info ? { ...s, info: { ...s.info, name: e.name } } : s;
    case 'keptAsCopy': {
      const from = s.conflict?.id ?? s.info?.id;
      const t: DocsState = { ...s, info: e.info, conflict: null, status: SAVED, notices: from === undefined ? s.notices : withoutErrorsOf(s.notices, from) };
      return notify(t, 'info', `Your version is now “${e.name}”; the other one stays as it was.`);
    }
    case 'exporting':
      return s.exporting === e.open ? s : { ...s, exporting: e.open };
  }
}

const isOpen = (s: DocsState, id: string) => s.info?.id === id;

function notify(s: DocsState, kind: Notice['kind'], text: string, docId?: string, unreachable?: boolean): DocsState {
  const notice: Notice = { key: s.nextKey, kind, text, docId, unreachable };
  return { ...s, notices: [...s.notices.filter((n) => !(n.kind === kind && n.text === text)), notice], nextKey: s.nextKey + 1 };
}

function withNotices(s: DocsState, notices: readonly Notice[]): DocsState {
  return notices.length === s.notices.length ? s : { ...s, notices };
}

function withoutErrorsOf(notices: readonly Notice[], id: string): readonly Notice[] {
  const kept = notices.filter((n) => !(n.kind === 'error' && n.docId === id));
  return kept.length === notices.length ? notices : kept;
}

/** The notices `next` added to `prev` that expire by themselves (the confirmations). */
export function expiringNotices(prev: DocsState, next: DocsState): readonly Notice[] {
  if (prev.notices === next.notices) return [];
  const old = new Set(prev.notices);
  return next.notices.filter((n) => n.kind === 'info' && !old.has(n));
}

/** Why a documents command cannot run, or null when it can. */
export function unavailable(served: boolean, info: DocumentInfo | null): string | null {
  if (!served) return NO_SERVER;
  return info ? null : UNAVAILABLE;
}

// ---- changes ----

/** What a save stores; a change of any part is a change to save. */
export interface Key {
  readonly fragments: EditorState['fragments'];
  readonly selection: number;
  readonly mode: EditorState['mode'];
  readonly draft: string | null;
  readonly name: string | null;
  readonly id: string | null;
}

export function keyOf(s: EditorState, info: DocumentInfo | null): Key {
  return { fragments: s.fragments, selection: s.selection, mode: s.mode, draft: s.draft?.text ?? null, name: info?.name ?? null, id: info?.id ?? null };
}

export function sameKey(a: Key, b: Key): boolean {
  return a.fragments === b.fragments && a.selection === b.selection && a.mode === b.mode && a.draft === b.draft && a.name === b.name && a.id === b.id;
}

/** The wait before the next hand-over, after one that cost `costMs` on the main thread. */
export function throttleFor(costMs: number): number {
  return Math.min(MAX_THROTTLE_MS, Math.max(THROTTLE_MS, 6 * costMs));
}

// ---- hand-overs and revisions ----

/** The revision in what Go answered (a number, a Meta, a Document), if any. */
export function revisionOf(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'object' && x !== null && typeof (x as { revision?: unknown }).revision === 'number') return (x as { revision: number }).revision;
  return undefined;
}

/** What Go holds of a document: the revision it last answered and that revision's fragments (the base of the next patch). */
export interface Acked {
  readonly id: string;
  readonly revision: number;
  readonly view: FileView;
}

/** What Go holds after answering `answer` about `id` whose fragments were `view`; null when the answer has no revision. */
export function ackedBy(id: string, view: FileView, answer: unknown): Acked | null {
  const revision = revisionOf(answer);
  return revision === undefined ? null : { id, revision, view };
}

/**
 * How to hand `id` over: a patch of Go's copy when Go holds one of exactly the revision this page
 * is based on (`revision`, the one it last answered), else the whole document.
 */
export function planHandOver(acked: Acked | null, id: string, revision: number | undefined): { readonly kind: 'patch'; readonly base: Acked } | { readonly kind: 'whole' } {
  if (!acked || acked.id !== id || revision === undefined || revision <= 0 || acked.revision !== revision) return { kind: 'whole' };
  return { kind: 'patch', base: acked };
}

/** A patch Go could not apply: the whole document follows. */
export function patchRefused(code: string): boolean {
  return code === UNKNOWN_BASE || code === BAD_PATCH;
}

/** What a failed hand-over means: stale (the conflict), the server not reached (retry), or anything else (report it). */
export function failureOf(code: string): 'stale' | 'unreachable' | 'failed' {
  if (code === STALE_REVISION) return 'stale';
  return code === UNREACHABLE ? 'unreachable' : 'failed';
}

/**
 * Back online after an outage, with the open document's save unconfirmed: did Go write it? Go's
 * "saved" for a hand-over that got through while the page's event stream was still down went to
 * no one (in a browser the stream comes back after its own pause, the calls at once). So the page
 * lists the library, which Go answers only after saving what it holds, and reads the document's
 * revision there: saved when it is the one Go gave the last hand-over, or later (or when either
 * side counts no revisions).
 */
export function listedAsSaved(listing: Pick<Listing, 'documents'>, id: string, revision: number | undefined): boolean {
  const meta = listing.documents?.find((m) => m.id === id);
  return meta !== undefined && (revision === undefined || meta.revision === undefined || meta.revision >= revision);
}

/** A document with the revision this page based it on (none known: as it is). */
export function withRevision(doc: DocumentFile, revision: number | undefined): DocumentFile {
  return revision === undefined ? doc : { ...doc, revision };
}

// ---- the conflict's way out ----

/** The name this page's version gets as a copy. */
export function copyName(info: DocumentInfo, fragments: EditorState['fragments']): string {
  return documentTitle(info.name, fragments) + MY_VERSION;
}

export function reloadedMessage(copy: string): string {
  return `Reloaded the other version. Yours is in the trash as “${copy}” (Ctrl+O, then Trash, to restore it).`;
}
