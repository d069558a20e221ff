/**
 * The documents side of the editor (issue 6): autosave of every change and of the open draft,
 * Ctrl+S / Ctrl+Shift+S / Ctrl+E / Ctrl+I / Ctrl+N, the window title, the save indicator, the
 * notices, and the controller the library overlay works through.
 *
 * Autosave: every change of the document, the selection, the mode, the draft text or the name
 * schedules one DocumentChanged call at most THROTTLE_MS later (trailing, not pushed back by
 * further changes; up to MAX_THROTTLE_MS for large documents); Go coalesces again and writes
 * within 0.5 s. So a change is on disk within about 0.7 s (0.9 s for a novel). Conversion reuses the converted fragment list while it has not changed (convert.ts).
 * Before anything that makes Go read the library (open, new, list, history…) the pending change is
 * sent and awaited, so Go never reads an older version than the page shows.
 *
 * The editor's undo history is the editor's: saving never touches the state; opening another
 * document replaces the state with a fresh one (no history).
 *
 * Patches: a hand-over sends only what changed since the revision Go last answered (a splice of
 * the fragments, found by identity, plus the name, selection, draft and notes: convert.ts
 * toPatch), not the whole document: at novel length the whole one is megabytes of JSON on the
 * main thread every few hundred milliseconds. Go applies it to its copy of that revision (the one
 * it answered, or the document it opened for this page); when it holds none (`unknown_base`:
 * restarted, or the copy was dropped) or the patch does not fit (`bad_patch`), the page sends the
 * whole document once, and patches again from its answer.
 *
 * Revisions: every hand-over carries the revision the page's version is based on (the one Go
 * last answered for this document), one hand-over at a time. When Go refuses it as stale (another
 * tab or window saved in between), autosave of this document stops and a dialog offers to keep
 * this version as a copy or to reload the other one (this version then goes to the trash): what
 * was typed here, the open draft included, is never dropped. An unreachable server (restarting,
 * network gone) is retried until it answers.
 *
 * In a browser (no native dialogs) export is a download of what Go exports, import a file picked
 * with the browser's file input, and "save a copy as" a download of the document file.
 */
import { useLatest } from '../hooks/useLatest';
import { type Dispatch, type ReactNode, type RefObject, type SetStateAction, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import * as bridge from '../bridge';
import { BAD_PATCH, errorCode, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from '../bridge';
import type { DocumentAction, EditorState } from '../editor';
import type { Overlay } from '../components/Editor';
import { documentsApi as api } from './api';
import './documents.css';
import { type DocumentInfo, documentTitle, type FileView, fileView, fromDocument, infoOf, toDocument, toPatch, windowTitle } from './convert';
import { type ConflictChoice, ConflictDialog, ExportDialog } from './dialogs';
import { download, pickFile } from './files';
import type { DocumentFile, ExportFormat, Meta } from './types';

/** How long a change waits in the page before it is handed to Go (small documents). */
export const THROTTLE_MS = 150;
/**
 * The wait grows with the cost of one hand-over (Wails marshals the whole document on the main
 * thread: about 30 ms for 12,000 fragments on a slow machine), so autosave takes at most a sixth
 * of the main thread while typing; never beyond this, which with Go's 0.5 s keeps a change on disk
 * within a second.
 */
export const MAX_THROTTLE_MS = 350;
/** How long a passing confirmation ("Saved") stays. */
export const NOTICE_MS = 2500;
/** How long a hand-over that found no server waits before it tries again. */
export const RETRY_MS = 1000;
/** Appended to the name of this page's version when it is kept as a copy. */
export const MY_VERSION = ' (my version)';

export const NO_SERVER = 'Nothing is saved: this page is not served by FragmentEditor or llproxy.';

/** What the app started with (see useDocumentBoot). */
export interface DocumentSession {
  /** A Go side serves the documents (the desktop window, or this page over HTTP): they are saved. */
  readonly served: boolean;
  /** The document opened at start; null in a browser or when the library is unavailable. */
  readonly doc: DocumentFile | null;
  /** The editor state for `doc`. */
  readonly initial: EditorState | undefined;
  /** Start-up problems to show (dismissable). */
  readonly problems: readonly string[];
}

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

/** What the library overlay needs from the open document. */
export interface LibraryController {
  readonly served: boolean;
  currentId(): string | null;
  currentName(): string;
  /** Sends the pending change and waits for it. */
  flush(): Promise<void>;
  /** Opens a document (closing the library). */
  open(id: string): Promise<void>;
  /** Creates and opens a new document (closing the library). */
  create(): Promise<void>;
  /** Shows a document Go returned (a restored version of the open one). */
  show(doc: DocumentFile): void;
  /** Renames the open document (autosave writes it). */
  renameCurrent(name: string): void;
  /** After the open document went to the trash: open what Go starts with now. */
  replaceDeleted(): Promise<void>;
  close(): void;
}

export interface DocumentsUi {
  /** Performs a documents action of the explore context. */
  perform(action: DocumentAction): void;
  /** Sends the pending change, then runs `then` (synchronously when nothing is pending). */
  beforeQuit(then: () => void): void;
  readonly library: LibraryController;
  /** The save indicator for the status bar. */
  readonly status: ReactNode;
  /** Notices floating over the list (errors, confirmations, start-up problems) and the documents' dialogs (export format, conflict). */
  readonly notices: ReactNode;
}

const IDLE: SaveStatus = { kind: 'idle' };
const PENDING: SaveStatus = { kind: 'pending' };
const SAVED: SaveStatus = { kind: 'saved' };

/** What a save stores; a change of any part is a change to save. */
interface Key {
  fragments: EditorState['fragments'];
  selection: number;
  mode: EditorState['mode'];
  draft: string | null;
  name: string | null;
  id: string | null;
}

const keyOf = (s: EditorState, info: DocumentInfo | null): Key => ({
  fragments: s.fragments,
  selection: s.selection,
  mode: s.mode,
  draft: s.draft?.text ?? null,
  name: info?.name ?? null,
  id: info?.id ?? null,
});

const sameKey = (a: Key, b: Key) =>
  a.fragments === b.fragments && a.selection === b.selection && a.mode === b.mode && a.draft === b.draft && a.name === b.name && a.id === b.id;

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The revision in what Go answered (a number, a Meta, a Document), if any. */
export function revisionOf(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'object' && x !== null && typeof (x as { revision?: unknown }).revision === 'number') return (x as { revision: number }).revision;
  return undefined;
}

/** What Go holds of a document: the revision it last answered and that revision's fragments (the base of the next patch). */
interface Acked {
  readonly id: string;
  readonly revision: number;
  readonly view: FileView;
}

/** A document Go refused to save over (it changed elsewhere). */
interface Conflict {
  readonly id: string;
  readonly message: string;
}

export function useDocuments(
  session: DocumentSession | undefined,
  state: EditorState,
  apply: (fn: (s: EditorState) => EditorState) => void,
  setOverlay: Dispatch<SetStateAction<Overlay>>,
  listRef: RefObject<HTMLElement | null>,
): DocumentsUi {
  const served = session?.served === true;
  const [info, setInfo] = useState<DocumentInfo | null>(() => (session?.doc ? infoOf(session.doc) : null));
  const [status, setStatus] = useState<SaveStatus>(IDLE);
  const [notices, setNotices] = useState<readonly Notice[]>(() =>
    session && session.problems.length > 0 ? [{ key: 0, kind: 'problems', text: 'Problems at start', details: session.problems }] : [],
  );
  const stateRef = useRef(state);
  useLatest(stateRef, state);
  const infoRef = useRef(info);
  useLatest(infoRef, info);
  const lastKey = useRef<Key>(keyOf(state, info));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef<Promise<void>>(Promise.resolve());
  const throttle = useRef(THROTTLE_MS);
  const noticeKey = useRef(1);
  const queue = useRef<Promise<void>>(Promise.resolve());
  /** The revision Go last answered per document (only those this page wrote or opened). */
  const revisions = useRef(new Map<string, number>(session?.doc?.revision === undefined ? [] : [[session.doc.id, session.doc.revision]]));
  /** Go's copy the next hand-over patches; null: send the whole document. */
  const acked = useRef<Acked | null>(
    session?.doc?.revision !== undefined && session.initial ? { id: session.doc.id, revision: session.doc.revision, view: fileView(session.initial) } : null,
  );
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const conflictRef = useRef(conflict);
  useLatest(conflictRef, conflict);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [exporting, setExporting] = useState(false);

  // ---- notices ----

  const notify = useCallback((kind: Notice['kind'], text: string, docId?: string, unreachable?: boolean) => {
    const key = noticeKey.current++;
    setNotices((ns) => [...ns.filter((n) => !(n.kind === kind && n.text === text)), { key, kind, text, docId, unreachable }]);
    if (kind === 'info') setTimeout(() => setNotices((ns) => ns.filter((n) => n.key !== key)), NOTICE_MS);
  }, []);
  const dismiss = useCallback((key: number) => setNotices((ns) => ns.filter((n) => n.key !== key)), []);

  const saveFailed = useCallback(
    (id: string, message: string, unreachable = false) => {
      if (id === infoRef.current?.id) setStatus({ kind: 'error', message });
      notify('error', `NOT SAVED: ${message}`, id, unreachable);
    },
    [notify],
  );

  // ---- autosave ----

  /** A document with the revision this page based it on. */
  const based = useCallback((doc: DocumentFile): DocumentFile => {
    const r = revisions.current.get(doc.id);
    return r === undefined ? doc : { ...doc, revision: r };
  }, []);
  /** The open document as Go stores it, with the revision it is based on. */
  const current = useCallback((): DocumentFile => based(toDocument(stateRef.current, infoRef.current!)), [based]);

  /** Takes the revision of Go's answer about a document. */
  const adopt = useCallback((id: string, answer: unknown) => {
    const r = revisionOf(answer);
    if (r !== undefined) revisions.current.set(id, r);
  }, []);

  /** Go refused a save of `id` as stale: stop saving it and ask what to keep. */
  const stale = useCallback(
    (id: string, message: string) => {
      if (id !== infoRef.current?.id) {
        // Left behind already (another document is open): say so; the library has both versions' history.
        notify('error', `NOT SAVED: a document you left was changed elsewhere (${message})`, id);
        return;
      }
      if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
      setStatus({ kind: 'error', message: 'changed elsewhere: not saved over' });
      setConflict((c) => c ?? { id, message });
    },
    [notify],
  );

  const sendRef = useRef<() => Promise<void>>(() => Promise.resolve());

  /** A hand-over failed: a stale one opens the conflict; no server is retried; anything else is reported. */
  const handOverFailed = useCallback(
    (id: string, e: unknown) => {
      const code = errorCode(e);
      if (code === STALE_REVISION) return stale(id, errorMessage(e));
      saveFailed(id, errorMessage(e), code === UNREACHABLE);
      if (code === UNREACHABLE && retry.current === null && id === infoRef.current?.id) {
        retry.current = setTimeout(() => {
          retry.current = null;
          void sendRef.current();
        }, RETRY_MS);
      }
    },
    [saveFailed, stale],
  );

  /** Takes Go's answer to a hand-over of `s`: its revision, and `s`'s fragments as the next patch's base. */
  const took = useCallback(
    (id: string, s: EditorState, answer: unknown) => {
      adopt(id, answer);
      const revision = revisionOf(answer);
      acked.current = revision === undefined ? null : { id, revision, view: fileView(s) };
    },
    [adopt],
  );

  /**
   * Hands `s` over: a patch of Go's copy when there is one of the revision this page is based on,
   * else the whole document; a patch Go cannot apply is followed by the whole document.
   */
  const handOver = useCallback(
    (s: EditorState, inf: DocumentInfo): Promise<unknown> => {
      const base = acked.current;
      const rev = revisions.current.get(inf.id);
      if (!base || base.id !== inf.id || rev === undefined || rev <= 0 || base.revision !== rev) return api.changed(based(toDocument(s, inf)));
      return api.patched(toPatch(base.view, rev, s, inf)).catch((e: unknown) => {
        const code = errorCode(e);
        if (code !== UNKNOWN_BASE && code !== BAD_PATCH) throw e;
        acked.current = null;
        return api.changed(based(toDocument(s, inf)));
      });
    },
    [based],
  );

  /** Hands the open document to Go: one hand-over at a time, each with the revision the previous one got. */
  const send = useCallback((): Promise<void> => {
    const inf = infoRef.current;
    if (!inf) return inflight.current;
    // What the page shows now (the document may be switched before the previous hand-over ends).
    const s = stateRef.current;
    const p = inflight.current.then(async () => {
      if (conflictRef.current?.id === inf.id) return;
      const t0 = performance.now();
      // The bound method marshals its argument before it returns the promise: this is the cost.
      const call = handOver(s, inf);
      throttle.current = Math.min(MAX_THROTTLE_MS, Math.max(THROTTLE_MS, 6 * (performance.now() - t0)));
      try {
        took(inf.id, s, await call);
      } catch (e) {
        handOverFailed(inf.id, e);
        return;
      }
      // Through again after an outage: Go has it now (its "saved" follows).
      setNotices((ns) => (ns.some((n) => n.unreachable && n.docId === inf.id) ? ns.filter((n) => !(n.unreachable && n.docId === inf.id)) : ns));
      if (inf.id === infoRef.current?.id) setStatus((s) => (s.kind === 'error' && timer.current === null ? PENDING : s));
    });
    inflight.current = p;
    return p;
  }, [handOver, took, handOverFailed]);
  useLayoutEffect(() => {
    sendRef.current = send;
  }, [send]);

  const flush = useCallback(async () => {
    // A change is pending when its timer runs, and also when it is rendered but the autosave
    // effect below has not seen it yet: keys handled in one burst right before the window closes
    // (measured: the close hand-over then sent a draft without its last characters).
    const key = keyOf(stateRef.current, infoRef.current);
    const unseen = !sameKey(key, lastKey.current) && conflictRef.current?.id !== infoRef.current?.id;
    if (timer.current === null && !unseen) {
      await inflight.current;
      return;
    }
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    lastKey.current = key;
    await send();
  }, [send]);

  useEffect(() => {
    const key = keyOf(state, info);
    const changed = !sameKey(key, lastKey.current);
    lastKey.current = key;
    if (!changed || !served || !info || conflictRef.current?.id === info.id) return;
    setStatus((s) => (s.kind === 'error' ? s : PENDING));
    if (timer.current === null) {
      timer.current = setTimeout(() => {
        timer.current = null;
        void send();
      }, throttle.current);
    }
  }, [state, info, served, send]);

  // Go reports each save of any document.
  useEffect(() => {
    if (!served) return;
    const offSaved = api.onSaved((meta: Meta) => {
      setNotices((ns) => ns.filter((n) => !(n.kind === 'error' && n.docId === meta.id)));
      if (meta.id === infoRef.current?.id && timer.current === null) setStatus(SAVED);
    });
    const offError = api.onSaveError((e) => (e.code === STALE_REVISION ? stale(e.id, e.message) : saveFailed(e.id, e.message)));
    // Back from an outage: what failed to reach Go goes now.
    const offConnection = bridge.onConnection((online) => {
      if (!online || retry.current === null) return;
      clearTimeout(retry.current);
      retry.current = null;
      void send();
    });
    return () => {
      offSaved();
      offError();
      offConnection();
      if (retry.current !== null) clearTimeout(retry.current);
      retry.current = null;
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        void send();
      }
    };
  }, [served, send, saveFailed, stale]);

  // The desktop tests wait for "frontend ready" before typing: say it once the document has
  // rendered and the key handlers are attached (effects of this commit have all run by then).
  const readySent = useRef(false);
  useEffect(() => {
    if (!served || readySent.current) return;
    const t = setTimeout(() => {
      readySent.current = true;
      void api.frontendReady().catch(() => {});
    }, 0);
    return () => clearTimeout(t);
  }, [served]);

  // ---- the window title ----

  const title = useMemo(() => documentTitle(info?.name ?? '', state.fragments), [info?.name, state.fragments]);
  useEffect(() => {
    if (session) bridge.setWindowTitle(windowTitle(title));
  }, [session, title]);

  // ---- switching documents ----

  const load = useCallback(
    (doc: DocumentFile) => {
      // The open document's last change goes out first (it is still the old document).
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        void send();
      }
      const s = fromDocument(doc);
      const inf = infoOf(doc);
      lastKey.current = keyOf(s, inf);
      infoRef.current = inf;
      if (doc.revision !== undefined) revisions.current.set(doc.id, doc.revision);
      // Go holds what it handed over (when it does not, its answer says so and the whole document goes).
      acked.current = doc.revision === undefined ? null : { id: doc.id, revision: doc.revision, view: fileView(s) };
      conflictRef.current = null;
      setConflict(null);
      setInfo(inf);
      apply(() => s);
      setStatus(IDLE);
    },
    [apply, send],
  );

  const closeLibrary = useCallback(() => {
    setOverlay((o) => (o === 'library' ? null : o));
    listRef.current?.focus({ preventScroll: true });
  }, [setOverlay, listRef]);

  /**
   * Runs documents operations one at a time, in the order asked (an import asked while an export
   * is still running waits for it instead of being dropped); failures become notices.
   */
  const run = useCallback(
    (what: string, op: () => Promise<void>): Promise<void> => {
      const p = queue.current.then(op).catch((e: unknown) => notify('error', `${what}: ${errorMessage(e)}`));
      queue.current = p;
      return p;
    },
    [notify],
  );

  const library = useMemo<LibraryController>(
    () => ({
      served,
      currentId: () => infoRef.current?.id ?? null,
      currentName: () => infoRef.current?.name ?? '',
      flush,
      open: async (id) => {
        await flush();
        const doc = await api.open(id);
        load(doc);
        closeLibrary();
      },
      create: async () => {
        await flush();
        const doc = await api.create();
        load(doc);
        closeLibrary();
      },
      show: (doc) => {
        load(doc);
        closeLibrary();
      },
      renameCurrent: (name) => {
        const inf = infoRef.current;
        if (inf) setInfo({ ...inf, name });
      },
      replaceDeleted: async () => {
        // Nothing of the deleted document may be saved any more.
        if (timer.current !== null) clearTimeout(timer.current);
        timer.current = null;
        load(await api.start());
      },
      close: closeLibrary,
    }),
    [served, flush, load, closeLibrary],
  );

  const perform = useCallback(
    (action: DocumentAction) => {
      if (action === 'openLibrary') {
        setOverlay((o) => (o === 'library' ? null : 'library'));
        return;
      }
      if (!served || !infoRef.current) {
        notify('info', served ? 'Documents are unavailable: see the start-up problems.' : NO_SERVER);
        return;
      }
      const native = bridge.capabilities().nativeFiles;
      switch (action) {
        case 'newDocument':
          void run('New document', async () => {
            await flush();
            load(await api.create());
            closeLibrary();
          });
          return;
        case 'saveDocument':
          void run('Save', async () => {
            if (timer.current !== null) clearTimeout(timer.current);
            timer.current = null;
            await inflight.current;
            const id = infoRef.current!.id;
            if (conflictRef.current?.id === id) return; // the dialog asks first
            try {
              const s = stateRef.current;
              took(id, s, await api.save(based(toDocument(s, infoRef.current!))));
            } catch (e) {
              if (errorCode(e) === STALE_REVISION) stale(id, errorMessage(e));
              else saveFailed(id, errorMessage(e));
              return;
            }
            setNotices((ns) => ns.filter((n) => !(n.kind === 'error' && n.docId === id)));
            setStatus(SAVED);
            notify('info', 'Saved');
          });
          return;
        case 'saveDocumentCopy':
          void run('Save a copy', async () => {
            if (native) {
              const path = await api.saveCopy(current());
              if (path) notify('info', `Saved a copy as ${path}`);
              return;
            }
            const file = await api.exportData(current(), 'json');
            download(file);
            notify('info', `Downloaded a copy: ${file.name}`);
          });
          return;
        case 'exportDocument':
          if (!native) {
            setExporting(true);
            return;
          }
          void run('Export', async () => {
            const path = await api.exportFile(current());
            if (path) notify('info', `Exported to ${path}`);
          });
          return;
        case 'importDocument': {
          const opened = (doc: DocumentFile) => {
            load(doc);
            closeLibrary();
            notify('info', 'Imported');
          };
          if (!native) {
            // The browser opens its file picker only while the key is being handled: at once.
            pickFile((picked) =>
              void run('Import', async () => {
                const file = await picked;
                await flush();
                opened(await api.importData(file.name, file.content));
              }),
            );
            return;
          }
          void run('Import', async () => {
            await flush();
            const doc = await api.importFile();
            if (doc?.id) opened(doc); // else cancelled
          });
          return;
        }
      }
    },
    [served, flush, load, run, notify, saveFailed, stale, took, based, current, closeLibrary, setOverlay],
  );

  const exportAs = useCallback(
    (format: ExportFormat) => {
      setExporting(false);
      listRef.current?.focus({ preventScroll: true });
      void run('Export', async () => {
        const file = await api.exportData(current(), format);
        download(file);
        notify('info', `Exported ${file.name}`);
      });
    },
    [run, current, notify, listRef],
  );
  const closeExport = useCallback(() => {
    setExporting(false);
    listRef.current?.focus({ preventScroll: true });
  }, [listRef]);

  /**
   * The conflict's way out. This page's version (draft included) becomes a new document first, in
   * both cases; then either it stays open (copy), or it goes to the trash and the other version
   * opens (reload).
   */
  const resolveConflict = useCallback(
    (choice: ConflictChoice) => {
      void run(choice === 'copy' ? 'Keep my version' : 'Reload', async () => {
        const c = conflictRef.current;
        const inf = infoRef.current;
        if (!c || !inf || c.id !== inf.id) return;
        const name = documentTitle(inf.name, stateRef.current.fragments) + MY_VERSION;
        const copy = await api.saveAsCopy({ ...toDocument(stateRef.current, inf), name });
        if (choice === 'reload') {
          await api.remove(copy.id);
          load(await api.open(c.id));
          listRef.current?.focus({ preventScroll: true });
          notify('problems', `Reloaded the other version. Yours is in the trash as “${name}” (Ctrl+O, then Trash, to restore it).`);
          return;
        }
        // The page keeps its state (and its undo history); from now on it is the copy.
        if (copy.revision !== undefined) revisions.current.set(copy.id, copy.revision);
        const next: DocumentInfo = infoOf(copy);
        infoRef.current = next;
        lastKey.current = keyOf(stateRef.current, next);
        conflictRef.current = null;
        setConflict(null);
        setInfo(next);
        setStatus(SAVED);
        setNotices((ns) => ns.filter((n) => !(n.kind === 'error' && n.docId === c.id)));
        if (stateRef.current.mode === 'explore') listRef.current?.focus({ preventScroll: true });
        notify('info', `Your version is now “${name}”; the other one stays as it was.`);
      });
    },
    [run, load, notify, listRef],
  );

  const beforeQuit = useCallback(
    (then: () => void) => {
      if (timer.current === null) {
        then();
        return;
      }
      // Hand the last change to Go (it saves what it holds on quit); do not hang on it.
      void Promise.race([flush(), new Promise((r) => setTimeout(r, 1000))]).finally(then);
    },
    [flush],
  );

  // The window's close button: Go waits for the last change (every key pressed before the close
  // included) for as long as the page answers, then quits.
  useEffect(() => {
    if (!served) return;
    return api.onClosing(flush);
  }, [served, flush]);

  const statusNode = useMemo(() => (session ? <SaveIndicator status={status} served={served} /> : null), [session, status, served]);
  const conflictName = conflict ? documentTitle(info?.name ?? '', state.fragments) : '';
  const noticesNode = useMemo(
    () => (
      <>
        <DocumentNotices notices={notices} onDismiss={dismiss} />
        {exporting || conflict ? (
          <div className="doc-notices doc-dialogs">
            {conflict ? <ConflictDialog name={conflictName} typing={state.mode !== 'explore'} onPick={resolveConflict} /> : null}
            {exporting && !conflict ? <ExportDialog onPick={exportAs} onClose={closeExport} /> : null}
          </div>
        ) : null}
      </>
    ),
    [notices, dismiss, exporting, conflict, conflictName, state.mode, resolveConflict, exportAs, closeExport],
  );

  return { perform, beforeQuit, library, status: statusNode, notices: noticesNode };
}

function SaveIndicator({ status, served }: { status: SaveStatus; served: boolean }) {
  if (!served) {
    return (
      <span className="doc-status status-muted" data-testid="doc-status" data-state="no-server" title={NO_SERVER}>
        not saved (no server)
      </span>
    );
  }
  const label = status.kind === 'pending' ? 'saving…' : status.kind === 'saved' ? 'saved' : status.kind === 'error' ? `NOT SAVED: ${status.message}` : '';
  return (
    <span className="doc-status" data-testid="doc-status" data-state={status.kind} title={label}>
      {label}
    </span>
  );
}

function DocumentNotices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (key: number) => void }) {
  if (notices.length === 0) return null;
  return (
    <div className="doc-notices">
      {notices.map((n) => (
        <div key={n.key} className={`overlay doc-notice doc-notice--${n.kind}`} role={n.kind === 'info' ? 'status' : 'alert'}>
          <div className="doc-notice-text">
            {n.text}
            {n.details ? (
              <ul>
                {n.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </div>
          {n.kind === 'info' ? null : (
            <button type="button" className="doc-notice-close" aria-label="Dismiss" tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={() => onDismiss(n.key)}>
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
