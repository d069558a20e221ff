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
 */
import { type Dispatch, type ReactNode, type RefObject, type SetStateAction, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as bridge from '../bridge';
import type { ActionId, EditorState } from '../editor';
import type { Overlay } from '../components/Editor';
import { documentsApi as api } from './api';
import './documents.css';
import { type DocumentInfo, documentTitle, fromDocument, infoOf, toDocument, windowTitle } from './convert';
import type { DocumentFile, Meta } from './types';

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

export const DESKTOP_ONLY = 'Documents are available in the desktop app.';

/** What the app started with (see useDocumentBoot). */
export interface DocumentSession {
  /** Inside the desktop app: documents are saved. */
  readonly desktop: boolean;
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
}

/** What the library overlay needs from the open document. */
export interface LibraryController {
  readonly desktop: boolean;
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
  perform(action: ActionId): void;
  /** Sends the pending change, then runs `then` (synchronously when nothing is pending). */
  beforeQuit(then: () => void): void;
  readonly library: LibraryController;
  /** The save indicator for the status bar. */
  readonly status: ReactNode;
  /** Notices floating over the list (errors, confirmations, start-up problems). */
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

export function useDocuments(
  session: DocumentSession | undefined,
  state: EditorState,
  apply: (fn: (s: EditorState) => EditorState) => void,
  setOverlay: Dispatch<SetStateAction<Overlay>>,
  listRef: RefObject<HTMLElement | null>,
): DocumentsUi {
  const desktop = session?.desktop === true;
  const [info, setInfo] = useState<DocumentInfo | null>(() => (session?.doc ? infoOf(session.doc) : null));
  const [status, setStatus] = useState<SaveStatus>(IDLE);
  const [notices, setNotices] = useState<readonly Notice[]>(() =>
    session && session.problems.length > 0 ? [{ key: 0, kind: 'problems', text: 'Problems at start', details: session.problems }] : [],
  );
  const stateRef = useRef(state);
  stateRef.current = state;
  const infoRef = useRef(info);
  infoRef.current = info;
  const lastKey = useRef<Key>(keyOf(state, info));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inflight = useRef<Promise<void>>(Promise.resolve());
  const throttle = useRef(THROTTLE_MS);
  const noticeKey = useRef(1);
  const busy = useRef(false);

  // ---- notices ----

  const notify = useCallback((kind: Notice['kind'], text: string, docId?: string) => {
    const key = noticeKey.current++;
    setNotices((ns) => [...ns.filter((n) => !(n.kind === kind && n.text === text)), { key, kind, text, docId }]);
    if (kind === 'info') setTimeout(() => setNotices((ns) => ns.filter((n) => n.key !== key)), NOTICE_MS);
  }, []);
  const dismiss = useCallback((key: number) => setNotices((ns) => ns.filter((n) => n.key !== key)), []);

  const saveFailed = useCallback(
    (id: string, message: string) => {
      if (id === infoRef.current?.id) setStatus({ kind: 'error', message });
      notify('error', `NOT SAVED: ${message}`, id);
    },
    [notify],
  );

  // ---- autosave ----

  const send = useCallback((): Promise<void> => {
    const inf = infoRef.current;
    if (!inf) return Promise.resolve();
    const t0 = performance.now();
    const doc = toDocument(stateRef.current, inf);
    // The bound method marshals its argument before it returns the promise: this is the cost.
    const p = api.changed(doc).catch((e: unknown) => saveFailed(inf.id, errorMessage(e)));
    throttle.current = Math.min(MAX_THROTTLE_MS, Math.max(THROTTLE_MS, 6 * (performance.now() - t0)));
    inflight.current = p;
    return p;
  }, [saveFailed]);

  const flush = useCallback(async () => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
      await send();
    } else await inflight.current;
  }, [send]);

  useEffect(() => {
    const key = keyOf(state, info);
    const changed = !sameKey(key, lastKey.current);
    lastKey.current = key;
    if (!changed || !desktop || !info) return;
    setStatus((s) => (s.kind === 'error' ? s : PENDING));
    if (timer.current === null) {
      timer.current = setTimeout(() => {
        timer.current = null;
        void send();
      }, throttle.current);
    }
  }, [state, info, desktop, send]);

  // Go reports each save of any document.
  useEffect(() => {
    if (!desktop) return;
    const offSaved = api.onSaved((meta: Meta) => {
      setNotices((ns) => ns.filter((n) => !(n.kind === 'error' && n.docId === meta.id)));
      if (meta.id === infoRef.current?.id && timer.current === null) setStatus(SAVED);
    });
    const offError = api.onSaveError((e) => saveFailed(e.id, e.message));
    return () => {
      offSaved();
      offError();
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        void send();
      }
    };
  }, [desktop, send, saveFailed]);

  // The desktop tests wait for "frontend ready" before typing: say it once the document has
  // rendered and the key handlers are attached (effects of this commit have all run by then).
  const readySent = useRef(false);
  useEffect(() => {
    if (!desktop || readySent.current) return;
    const t = setTimeout(() => {
      readySent.current = true;
      void api.frontendReady().catch(() => {});
    }, 0);
    return () => clearTimeout(t);
  }, [desktop]);

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

  /** Runs one documents operation at a time; failures become notices. */
  const run = useCallback(
    async (what: string, op: () => Promise<void>) => {
      if (busy.current) return;
      busy.current = true;
      try {
        await op();
      } catch (e) {
        notify('error', `${what}: ${errorMessage(e)}`);
      } finally {
        busy.current = false;
      }
    },
    [notify],
  );

  const library = useMemo<LibraryController>(
    () => ({
      desktop,
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
    [desktop, flush, load, closeLibrary],
  );

  const perform = useCallback(
    (action: ActionId) => {
      if (action === 'openLibrary') {
        setOverlay((o) => (o === 'library' ? null : 'library'));
        return;
      }
      if (!desktop || !infoRef.current) {
        notify('info', desktop ? 'Documents are unavailable: see the start-up problems.' : DESKTOP_ONLY);
        return;
      }
      const current = () => toDocument(stateRef.current, infoRef.current!);
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
            const id = infoRef.current!.id;
            try {
              await api.save(current());
            } catch (e) {
              saveFailed(id, errorMessage(e));
              return;
            }
            setNotices((ns) => ns.filter((n) => !(n.kind === 'error' && n.docId === id)));
            setStatus(SAVED);
            notify('info', 'Saved');
          });
          return;
        case 'saveDocumentCopy':
          void run('Save a copy', async () => {
            const path = await api.saveCopy(current());
            if (path) notify('info', `Saved a copy as ${path}`);
          });
          return;
        case 'exportDocument':
          void run('Export', async () => {
            const path = await api.exportFile(current());
            if (path) notify('info', `Exported to ${path}`);
          });
          return;
        case 'importDocument':
          void run('Import', async () => {
            await flush();
            const doc = await api.importFile();
            if (!doc || !doc.id) return; // cancelled
            load(doc);
            closeLibrary();
            notify('info', 'Imported');
          });
          return;
      }
    },
    [desktop, flush, load, run, notify, saveFailed, closeLibrary, setOverlay],
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

  // The window's close button: Go waits (briefly) for the last change before it quits.
  useEffect(() => {
    if (!desktop) return;
    return api.onClosing(() => beforeQuit(() => void api.readyToQuit().catch(() => {})));
  }, [desktop, beforeQuit]);

  const statusNode = useMemo(() => (session ? <SaveIndicator status={status} desktop={desktop} /> : null), [session, status, desktop]);
  const noticesNode = useMemo(() => <DocumentNotices notices={notices} onDismiss={dismiss} />, [notices, dismiss]);

  return { perform, beforeQuit, library, status: statusNode, notices: noticesNode };
}

function SaveIndicator({ status, desktop }: { status: SaveStatus; desktop: boolean }) {
  if (!desktop) {
    return (
      <span className="doc-status status-muted" data-testid="doc-status" data-state="browser" title={DESKTOP_ONLY}>
        not saved (browser)
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
