/**
 * The documents side of the editor (issue 6): autosave of every change and of the open draft,
 * Ctrl+S / Ctrl+Shift+S / Ctrl+E / Ctrl+I / Ctrl+N, the window title, the save indicator, the
 * notices, and the controller the library overlay works through.
 *
 * Decisions apart from effects: what the page shows of the documents (the open document, the save
 * indicator, the notices, the conflict and export dialogs) and every decision about it (patch or
 * whole document, what a failure means, when the indicator says saved) are in saving.ts, pure and
 * tested in saving.test.ts; this hook holds the effects: the autosave timer, the hand-overs one at
 * a time, the Go calls, the editor state.
 *
 * Autosave: every change of the document, the selection, the mode, the draft text or the name
 * schedules one hand-over (DocumentPatched, or DocumentChanged) at most THROTTLE_MS later (trailing, not pushed back by
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
import { errorCode } from '../bridge';
import type { DocumentAction, EditorState } from '../editor';
import type { Overlay } from '../components/Editor';
import { documentsApi as api } from './api';
import './documents.css';
import { type DocumentInfo, documentTitle, fileView, fromDocument, infoOf, toDocument, toPatch, windowTitle } from './convert';
import { type ConflictChoice, ConflictDialog, ExportDialog } from './dialogs';
import { DocumentNotices, SaveIndicator } from './notices';
import { download, pickFile } from './files';
import {
  type Acked,
  ackedBy,
  copyName,
  type DocsEvent,
  type DocsState,
  docsStep,
  expiringNotices,
  failureOf,
  listedAsSaved,
  initialDocs,
  type Key,
  keyOf,
  type Notice,
  NOTICE_MS,
  patchRefused,
  planHandOver,
  reloadedMessage,
  RETRY_MS,
  revisionOf,
  sameKey,
  THROTTLE_MS,
  throttleFor,
  unavailable,
  withRevision,
} from './saving';
import type { DocumentFile, ExportFormat, Listing, Meta } from './types';

export { MAX_THROTTLE_MS, MY_VERSION, NO_SERVER, type Notice, NOTICE_MS, RETRY_MS, revisionOf, type SaveStatus, THROTTLE_MS } from './saving';

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

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function useDocuments(
  session: DocumentSession | undefined,
  state: EditorState,
  apply: (fn: (s: EditorState) => EditorState) => void,
  setOverlay: Dispatch<SetStateAction<Overlay>>,
  listRef: RefObject<HTMLElement | null>,
): DocumentsUi {
  const served = session?.served === true;
  const [docs, docsRef, dispatch] = useDocsState(() => initialDocs(session?.doc ? infoOf(session.doc) : null, session?.problems ?? []));
  const { info, status, notices, conflict, exporting } = docs;
  const stateRef = useRef(state);
  useLatest(stateRef, state);
  const lastKey = useRef<Key>(keyOf(state, info));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef<Promise<void>>(Promise.resolve());
  const throttle = useRef(THROTTLE_MS);
  const queue = useRef<Promise<void>>(Promise.resolve());
  /** The revision Go last answered per document (only those this page wrote or opened). */
  const revisions = useRef(new Map<string, number>(session?.doc?.revision === undefined ? [] : [[session.doc.id, session.doc.revision]]));
  /** Go's copy the next hand-over patches; null: send the whole document. */
  const acked = useRef<Acked | null>(
    session?.doc?.revision !== undefined && session.initial ? { id: session.doc.id, revision: session.doc.revision, view: fileView(session.initial) } : null,
  );
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);

  /** The open document's info, as the last event left it. */
  const openInfo = useCallback(() => docsRef.current.info, [docsRef]);
  /** Autosave of `id` waits for the conflict dialog's answer. */
  const inConflict = useCallback((id: string | undefined) => id !== undefined && docsRef.current.conflict?.id === id, [docsRef]);

  const stopTimer = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  // ---- notices ----

  const notify = useCallback((kind: Notice['kind'], text: string) => dispatch({ type: 'notify', kind, text }), [dispatch]);
  const dismiss = useCallback((key: number) => dispatch({ type: 'dismiss', key }), [dispatch]);
  const saveFailed = useCallback(
    (id: string, message: string, unreachable = false) => dispatch({ type: 'saveFailed', id, message, unreachable }),
    [dispatch],
  );

  // ---- autosave ----

  /** The open document as Go stores it, with the revision it is based on. */
  const current = useCallback((): DocumentFile => {
    const doc = toDocument(stateRef.current, openInfo()!);
    return withRevision(doc, revisions.current.get(doc.id));
  }, [openInfo]);

  /** Takes Go's answer to a hand-over (or save) of `s`: its revision, and `s`'s fragments as the next patch's base. */
  const took = useCallback((id: string, s: EditorState, answer: unknown) => {
    const r = revisionOf(answer);
    if (r !== undefined) revisions.current.set(id, r);
    acked.current = ackedBy(id, fileView(s), answer);
  }, []);

  /** Go refused a save of `id` as stale: stop saving it and ask what to keep. */
  const stale = useCallback(
    (id: string, message: string) => {
      if (id === openInfo()?.id) stopTimer();
      dispatch({ type: 'stale', id, message });
    },
    [dispatch, openInfo, stopTimer],
  );

  const sendRef = useRef<() => Promise<void>>(() => Promise.resolve());

  /** A hand-over failed: a stale one opens the conflict; no server is retried; anything else is reported. */
  const handOverFailed = useCallback(
    (id: string, e: unknown) => {
      const failure = failureOf(errorCode(e));
      if (failure === 'stale') return stale(id, errorMessage(e));
      saveFailed(id, errorMessage(e), failure === 'unreachable');
      if (failure === 'unreachable' && retry.current === null && id === openInfo()?.id) {
        retry.current = setTimeout(() => {
          retry.current = null;
          void sendRef.current();
        }, RETRY_MS);
      }
    },
    [saveFailed, stale, openInfo],
  );

  /**
   * Hands `s` over: a patch of Go's copy when there is one of the revision this page is based on,
   * else the whole document; a patch Go cannot apply is followed by the whole document.
   */
  const handOver = useCallback((s: EditorState, inf: DocumentInfo): Promise<unknown> => {
    const rev = revisions.current.get(inf.id);
    const whole = () => api.changed(withRevision(toDocument(s, inf), rev));
    const plan = planHandOver(acked.current, inf.id, rev);
    if (plan.kind === 'whole') return whole();
    return api.patched(toPatch(plan.base.view, plan.base.revision, s, inf)).catch((e: unknown) => {
      if (!patchRefused(errorCode(e))) throw e;
      acked.current = null;
      return whole();
    });
  }, []);

  /** Hands the open document to Go: one hand-over at a time, each with the revision the previous one got. */
  const send = useCallback((): Promise<void> => {
    const inf = openInfo();
    if (!inf) return inflight.current;
    // What the page shows now (the document may be switched before the previous hand-over ends).
    const s = stateRef.current;
    const p = inflight.current.then(async () => {
      if (inConflict(inf.id)) return;
      const t0 = performance.now();
      // The bound method marshals its argument before it returns the promise: this is the cost.
      const call = handOver(s, inf);
      throttle.current = throttleFor(performance.now() - t0);
      try {
        took(inf.id, s, await call);
      } catch (e) {
        handOverFailed(inf.id, e);
        return;
      }
      dispatch({ type: 'handedOver', id: inf.id, waiting: timer.current !== null });
    });
    inflight.current = p;
    return p;
  }, [openInfo, inConflict, handOver, took, handOverFailed, dispatch]);
  useLayoutEffect(() => {
    sendRef.current = send;
  }, [send]);

  const flush = useCallback(async () => {
    // A change is pending when its timer runs, and also when it is rendered but the autosave
    // effect below has not seen it yet: keys handled in one burst right before the window closes
    // (measured: the close hand-over then sent a draft without its last characters).
    const key = keyOf(stateRef.current, openInfo());
    const unseen = !sameKey(key, lastKey.current) && !inConflict(openInfo()?.id);
    if (timer.current === null && !unseen) {
      await inflight.current;
      return;
    }
    stopTimer();
    lastKey.current = key;
    await send();
  }, [send, openInfo, inConflict, stopTimer]);

  useEffect(() => {
    const key = keyOf(state, info);
    const changed = !sameKey(key, lastKey.current);
    lastKey.current = key;
    if (!changed || !served || !info || inConflict(info.id)) return;
    dispatch({ type: 'changed' });
    if (timer.current === null) {
      timer.current = setTimeout(() => {
        timer.current = null;
        void send();
      }, throttle.current);
    }
  }, [state, info, served, send, inConflict, dispatch]);

  /** Back online with the open document's save unconfirmed: ask Go whether it is written (see listedAsSaved). */
  const confirmSaved = useCallback(async () => {
    await inflight.current;
    const inf = openInfo();
    if (!inf || docsRef.current.status.kind !== 'pending' || timer.current !== null || retry.current !== null) return;
    let listing: Listing;
    try {
      listing = await api.list();
    } catch (e) {
      if (failureOf(errorCode(e)) !== 'unreachable') saveFailed(inf.id, errorMessage(e)); // Go saves before it lists
      return;
    }
    if (inf.id === openInfo()?.id && listedAsSaved(listing, inf.id, revisions.current.get(inf.id))) {
      dispatch({ type: 'saved', id: inf.id, waiting: timer.current !== null });
    }
  }, [openInfo, docsRef, saveFailed, dispatch]);

  // Go reports each save of any document.
  useEffect(() => {
    if (!served) return;
    const offSaved = api.onSaved((meta: Meta) => dispatch({ type: 'saved', id: meta.id, waiting: timer.current !== null }));
    const offError = api.onSaveError((e) => (failureOf(e.code ?? '') === 'stale' ? stale(e.id, e.message) : saveFailed(e.id, e.message)));
    // Back from an outage: what failed to reach Go goes now; a save Go reported while the event
    // stream was down is asked for.
    const offConnection = bridge.onConnection((online) => {
      if (!online) return;
      if (retry.current !== null) {
        clearTimeout(retry.current);
        retry.current = null;
        void send();
      }
      void confirmSaved();
    });
    return () => {
      offSaved();
      offError();
      offConnection();
      if (retry.current !== null) clearTimeout(retry.current);
      retry.current = null;
      if (timer.current !== null) {
        stopTimer();
        void send();
      }
    };
  }, [served, send, confirmSaved, saveFailed, stale, dispatch, stopTimer]);

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
        stopTimer();
        void send();
      }
      const s = fromDocument(doc);
      const inf = infoOf(doc);
      lastKey.current = keyOf(s, inf);
      if (doc.revision !== undefined) revisions.current.set(doc.id, doc.revision);
      // Go holds what it handed over (when it does not, its answer says so and the whole document goes).
      acked.current = ackedBy(doc.id, fileView(s), doc.revision);
      dispatch({ type: 'opened', info: inf });
      apply(() => s);
    },
    [apply, send, dispatch, stopTimer],
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
      currentId: () => openInfo()?.id ?? null,
      currentName: () => openInfo()?.name ?? '',
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
      renameCurrent: (name) => dispatch({ type: 'renamed', name }),
      replaceDeleted: async () => {
        // Nothing of the deleted document may be saved any more.
        stopTimer();
        load(await api.start());
      },
      close: closeLibrary,
    }),
    [served, flush, load, closeLibrary, openInfo, dispatch, stopTimer],
  );

  const perform = useCallback(
    (action: DocumentAction) => {
      if (action === 'openLibrary') {
        setOverlay((o) => (o === 'library' ? null : 'library'));
        return;
      }
      const why = unavailable(served, openInfo());
      if (why) {
        notify('info', why);
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
            stopTimer();
            await inflight.current;
            const id = openInfo()!.id;
            if (inConflict(id)) return; // the dialog asks first
            try {
              const s = stateRef.current;
              took(id, s, await api.save(withRevision(toDocument(s, openInfo()!), revisions.current.get(id))));
            } catch (e) {
              if (failureOf(errorCode(e)) === 'stale') stale(id, errorMessage(e));
              else saveFailed(id, errorMessage(e));
              return;
            }
            dispatch({ type: 'savedNow', id });
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
            dispatch({ type: 'exporting', open: true });
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
        default: {
          const unhandled: never = action; // a DocumentAction without a case fails tsc here
          throw new Error(`no handler for the document action ${String(unhandled)}`);
        }
      }
    },
    [served, flush, load, run, notify, saveFailed, stale, took, current, closeLibrary, setOverlay, openInfo, inConflict, dispatch, stopTimer],
  );

  const exportAs = useCallback(
    (format: ExportFormat) => {
      dispatch({ type: 'exporting', open: false });
      listRef.current?.focus({ preventScroll: true });
      void run('Export', async () => {
        const file = await api.exportData(current(), format);
        download(file);
        notify('info', `Exported ${file.name}`);
      });
    },
    [run, current, notify, listRef, dispatch],
  );
  const closeExport = useCallback(() => {
    dispatch({ type: 'exporting', open: false });
    listRef.current?.focus({ preventScroll: true });
  }, [listRef, dispatch]);

  /**
   * The conflict's way out. This page's version (draft included) becomes a new document first, in
   * both cases; then either it stays open (copy), or it goes to the trash and the other version
   * opens (reload).
   */
  const resolveConflict = useCallback(
    (choice: ConflictChoice) => {
      void run(choice === 'copy' ? 'Keep my version' : 'Reload', async () => {
        const c = docsRef.current.conflict;
        const inf = openInfo();
        if (!c || !inf || c.id !== inf.id) return;
        const name = copyName(inf, stateRef.current.fragments);
        const copy = await api.saveAsCopy({ ...toDocument(stateRef.current, inf), name });
        if (choice === 'reload') {
          await api.remove(copy.id);
          load(await api.open(c.id));
          listRef.current?.focus({ preventScroll: true });
          notify('problems', reloadedMessage(name));
          return;
        }
        // The page keeps its state (and its undo history); from now on it is the copy.
        if (copy.revision !== undefined) revisions.current.set(copy.id, copy.revision);
        const next: DocumentInfo = infoOf(copy);
        lastKey.current = keyOf(stateRef.current, next);
        dispatch({ type: 'keptAsCopy', info: next, name });
        if (stateRef.current.mode === 'explore') listRef.current?.focus({ preventScroll: true });
      });
    },
    [run, load, notify, listRef, docsRef, openInfo, dispatch],
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

/**
 * The documents state (saving.ts decides every change) with a dispatcher that handlers may call
 * before React renders: the ref always holds what the last event left. Confirmations expire
 * after NOTICE_MS.
 */
function useDocsState(init: () => DocsState): [DocsState, RefObject<DocsState>, (e: DocsEvent) => void] {
  const [docs, setDocs] = useState(init);
  const ref = useRef(docs);
  const dispatch = useCallback((e: DocsEvent) => {
    const step = (ev: DocsEvent): void => {
      const prev = ref.current;
      const next = docsStep(prev, ev);
      if (next === prev) return;
      ref.current = next;
      setDocs(next);
      for (const n of expiringNotices(prev, next)) setTimeout(() => step({ type: 'dismiss', key: n.key }), NOTICE_MS);
    };
    step(e);
  }, []);
  return [docs, ref, dispatch];
}
