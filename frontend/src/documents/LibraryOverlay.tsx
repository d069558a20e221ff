/**
 * The document library (Ctrl+O): documents newest first, the files that could not be read, the
 * trash and a document's history. Keyboard first (the `library` context of the keymap table) and
 * usable with the mouse (click selects, double-click opens, buttons). Keys pressed in the overlay
 * stay in it: explore commands never fire from here, except the few global ones listed in
 * PASS_THROUGH (new, save, export, import, quit, help, Ctrl+O itself).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ActionId, keyName, resolveKey } from '../editor';
import { documentsApi as api } from './api';
import { NO_SERVER, errorMessage, type LibraryController } from './useDocuments';
import type { Meta, Problem, Snapshot } from './types';

type View = 'documents' | 'trash' | 'history';

/** Explore actions that still work while the library has the keys. */
const PASS_THROUGH: ReadonlySet<ActionId> = new Set<ActionId>([
  'openLibrary',
  'newDocument',
  'saveDocument',
  'saveDocumentCopy',
  'exportDocument',
  'importDocument',
  'toggleHelp',
  'quit',
]);

interface Message {
  kind: 'info' | 'error';
  text: string;
}

interface Props {
  lib: LibraryController;
  onClose: () => void;
  /** For tests: the time relative times are measured from. */
  now?: () => number;
}

export function LibraryOverlay({ lib, onClose, now = Date.now }: Props) {
  const [view, setView] = useState<View>('documents');
  const [docs, setDocs] = useState<Meta[] | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [trash, setTrash] = useState<Meta[] | null>(null);
  const [history, setHistory] = useState<{ doc: Meta; snaps: Snapshot[] } | null>(null);
  const [sel, setSel] = useState(0);
  const [renaming, setRenaming] = useState<{ id: string; value: string } | null>(null);
  const [confirm, setConfirm] = useState<Snapshot | null>(null);
  const [lastDeleted, setLastDeleted] = useState<Meta | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  /** The rename in progress as the handlers see it (Enter, then the blur it causes, commit once). */
  const renamingRef = useRef(renaming);
  renamingRef.current = renaming;

  const items: readonly (Meta | Snapshot)[] = (view === 'documents' ? docs : view === 'trash' ? trash : history?.snaps) ?? [];
  const selected = items[Math.min(sel, items.length - 1)];

  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), []);

  /** One operation at a time; errors go to the message line. */
  const run = useCallback(async (op: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await op();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      busy.current = false;
    }
  }, []);

  const loadDocuments = useCallback(async (selectId?: string) => {
    await lib.flush();
    const listing = await api.list();
    const list = listing.documents ?? [];
    setDocs(list);
    setProblems(listing.problems ?? []);
    const at = selectId ? list.findIndex((d) => d.id === selectId) : -1;
    setSel(at >= 0 ? at : 0);
  }, [lib]);

  const loadTrash = useCallback(async () => {
    const listing = await api.listTrash();
    setTrash(listing.documents ?? []);
    setSel(0);
  }, []);

  useEffect(() => {
    focusList();
    if (!lib.served) return;
    const current = lib.currentId();
    void run(() => loadDocuments(current ?? undefined));
  }, [lib, run, loadDocuments, focusList]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [sel, view]);

  const switchView = (v: View) => {
    setView(v);
    setConfirm(null);
    setRenaming(null);
    focusList();
  };

  const act = (action: ActionId) => {
    if (!lib.served) {
      if (action === 'libraryBack') onClose();
      return;
    }
    const n = items.length;
    switch (action) {
      case 'libraryPrev':
        setConfirm(null);
        setSel((s) => Math.max(0, Math.min(s, n - 1) - 1));
        return;
      case 'libraryNext':
        setConfirm(null);
        setSel((s) => Math.min(n - 1, s + 1));
        return;
      case 'libraryFirst':
        setSel(0);
        return;
      case 'libraryLast':
        setSel(Math.max(0, n - 1));
        return;
      case 'libraryBack':
        if (confirm) setConfirm(null);
        else if (view !== 'documents') {
          switchView('documents');
          void run(() => loadDocuments(history?.doc.id));
        } else onClose();
        return;
      case 'libraryNew':
        void run(() => lib.create());
        return;
      case 'libraryTrash':
        if (view === 'trash') {
          switchView('documents');
          void run(() => loadDocuments());
        } else {
          switchView('trash');
          void run(loadTrash);
        }
        return;
      case 'libraryUndoDelete':
        if (!lastDeleted) return;
        void run(async () => {
          await api.restore(lastDeleted.id);
          setLastDeleted(null);
          setMessage({ kind: 'info', text: `Restored “${lastDeleted.title}”.` });
          if (view === 'trash') await loadTrash();
          else await loadDocuments(lastDeleted.id);
        });
        return;
    }
    if (!selected) return;
    if (view === 'documents') actOnDocument(action, selected as Meta);
    else if (view === 'trash') {
      const doc = selected as Meta;
      if (action === 'libraryEnter')
        void run(async () => {
          await api.restore(doc.id);
          setMessage({ kind: 'info', text: `Restored “${doc.title}” from the trash.` });
          await loadTrash();
        });
    } else if (view === 'history' && history && action === 'libraryEnter') {
      const snap = selected as Snapshot;
      if (snap.error) return;
      if (!confirm || confirm.id !== snap.id) {
        setConfirm(snap);
        return;
      }
      void run(async () => {
        await lib.flush();
        const doc = await api.restoreVersion(history.doc.id, snap.id);
        setConfirm(null);
        if (doc.id === lib.currentId()) {
          lib.show(doc);
          return;
        }
        setMessage({ kind: 'info', text: `Restored “${history.doc.title}” to the version of ${absoluteTime(snap.time)}.` });
        switchView('documents');
        await loadDocuments(history.doc.id);
      });
    }
  };

  const actOnDocument = (action: ActionId, doc: Meta) => {
    const isCurrent = doc.id === lib.currentId();
    switch (action) {
      case 'libraryEnter':
        if (isCurrent) onClose();
        else void run(() => lib.open(doc.id));
        return;
      case 'libraryRename':
        setRenaming({ id: doc.id, value: isCurrent ? lib.currentName() : doc.name });
        return;
      case 'libraryDuplicate':
        void run(async () => {
          await lib.flush();
          const copy = await api.duplicate(doc.id);
          setMessage({ kind: 'info', text: `Duplicated as “${copy.name || doc.title}”.` });
          await loadDocuments(copy.id);
        });
        return;
      case 'libraryDelete':
        void run(async () => {
          await lib.flush();
          await api.remove(doc.id);
          setLastDeleted(doc);
          setMessage({ kind: 'info', text: `Moved “${doc.title}” to the trash. Press u to undo.` });
          if (isCurrent) await lib.replaceDeleted();
          await loadDocuments(lib.currentId() ?? undefined);
        });
        return;
      case 'libraryHistory':
        void run(async () => {
          await lib.flush();
          const snaps = await api.history(doc.id);
          setHistory({ doc, snaps: snaps ?? [] });
          switchView('history');
          setSel(0);
        });
        return;
    }
  };

  const commitRename = () => {
    const r = renamingRef.current;
    if (!r) return;
    renamingRef.current = null;
    setRenaming(null);
    focusList();
    const name = r.value.trim();
    if (r.id === lib.currentId()) {
      lib.renameCurrent(name);
      setDocs((ds) => ds?.map((d) => (d.id === r.id ? { ...d, name, title: name || d.title } : d)) ?? ds);
      return;
    }
    void run(async () => {
      const meta = await api.rename(r.id, name);
      setDocs((ds) => ds?.map((d) => (d.id === r.id ? meta : d)) ?? ds);
    });
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const name = keyName(e.nativeEvent);
    if (e.target instanceof HTMLInputElement) {
      // The rename box keeps its keys; Enter and Escape finish it.
      e.stopPropagation();
      if (name === 'Enter') {
        e.preventDefault();
        commitRename();
      } else if (name === 'Escape') {
        e.preventDefault();
        renamingRef.current = null;
        setRenaming(null);
        focusList();
      }
      return;
    }
    const b = resolveKey('library', name);
    if (b) {
      e.preventDefault();
      e.stopPropagation();
      act(b.action);
      return;
    }
    const global = resolveKey('explore', name);
    if (global && PASS_THROUGH.has(global.action)) return;
    e.stopPropagation();
  };

  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  const button = (label: string, action: ActionId, disabled = false) => (
    <button type="button" tabIndex={-1} disabled={disabled} onMouseDown={keepFocus} onClick={() => act(action)}>
      {label}
    </button>
  );

  const currentId = lib.currentId();
  const t = now();

  return (
    <section className="overlay overlay--library" role="dialog" aria-label="Document library" onKeyDown={onKeyDown}>
      <header className="library-head">
        <h2>{view === 'documents' ? 'Documents' : view === 'trash' ? 'Trash' : `History of “${history?.doc.title ?? ''}”`}</h2>
        <button type="button" className="library-close" tabIndex={-1} aria-label="Close the library" onMouseDown={keepFocus} onClick={onClose}>
          ×
        </button>
      </header>
      {!lib.served ? (
        <p className="library-empty">The document library needs a server. {NO_SERVER}</p>
      ) : (
        <>
          <div className="library-tools">
            {view === 'documents' ? (
              <>
                {button('Open', 'libraryEnter', !selected)}
                {button('New', 'libraryNew')}
                {button('Rename', 'libraryRename', !selected)}
                {button('Duplicate', 'libraryDuplicate', !selected)}
                {button('Move to trash', 'libraryDelete', !selected)}
                {button('History', 'libraryHistory', !selected)}
                {button('Trash', 'libraryTrash')}
              </>
            ) : view === 'trash' ? (
              <>
                {button('Restore', 'libraryEnter', !selected)}
                {button('Documents', 'libraryTrash')}
              </>
            ) : (
              <>
                {button(confirm ? 'Confirm restore' : 'Restore this version', 'libraryEnter', !selected)}
                {button('Back', 'libraryBack')}
              </>
            )}
          </div>
          <div
            ref={listRef}
            className="library-list"
            role="listbox"
            tabIndex={0}
            aria-label={view === 'documents' ? 'Documents' : view === 'trash' ? 'Deleted documents' : 'Earlier versions'}
            aria-activedescendant={selected ? `library-item-${items.indexOf(selected)}` : undefined}
          >
            {items.length === 0 ? (
              <p className="library-empty">
                {(view === 'documents' ? docs : view === 'trash' ? trash : history) === null ? 'Loading…' : view === 'documents' ? 'No documents.' : view === 'trash' ? 'The trash is empty.' : 'No earlier versions yet (one is kept per minute of editing).'}
              </p>
            ) : (
              items.map((item, i) => {
                const isSel = item === selected;
                const pick = () => {
                  setSel(i);
                  setConfirm(null);
                  focusList();
                };
                return (
                  <div
                    key={item.id}
                    id={`library-item-${i}`}
                    role="option"
                    aria-selected={isSel}
                    className="library-item"
                    data-current={view === 'documents' && item.id === currentId ? 'true' : undefined}
                    onMouseDown={keepFocus}
                    onClick={pick}
                    onDoubleClick={() => {
                      pick();
                      act('libraryEnter');
                    }}
                  >
                    {view === 'history' ? (
                      <SnapshotRow snap={item as Snapshot} now={t} />
                    ) : renaming && renaming.id === item.id ? (
                      <input
                        className="library-rename"
                        aria-label="New name"
                        autoFocus
                        value={renaming.value}
                        placeholder="(title from the first words)"
                        onChange={(e) => setRenaming({ id: item.id, value: e.target.value })}
                        onBlur={commitRename}
                        onFocus={(e) => e.target.select()}
                      />
                    ) : (
                      <DocumentRow doc={item as Meta} now={t} current={view === 'documents' && item.id === currentId} />
                    )}
                  </div>
                );
              })
            )}
          </div>
          {confirm ? (
            <p className="library-confirm" role="alert">
              Restore the version of {absoluteTime(confirm.time)}? The current version stays in the history. Enter confirms, Esc cancels.
            </p>
          ) : null}
          {view === 'documents' && problems.length > 0 ? (
            <section className="library-problems" aria-label="Files that could not be read">
              <h3>Could not be read</h3>
              <ul>
                {problems.map((p) => (
                  <li key={p.path}>{p.message}</li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
      {message ? (
        <p className={`library-message library-message--${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
      <p className="overlay-hint">
        <kbd>↑</kbd> <kbd>↓</kbd> select · <kbd>Enter</kbd> {view === 'documents' ? 'open' : 'restore'} ·{' '}
        {view === 'documents' ? (
          <>
            <kbd>n</kbd> new · <kbd>r</kbd> rename · <kbd>c</kbd> duplicate · <kbd>Delete</kbd> trash · <kbd>h</kbd> history ·{' '}
          </>
        ) : null}
        <kbd>t</kbd> {view === 'trash' ? 'documents' : 'trash'} · <kbd>Esc</kbd> {view === 'documents' ? 'close' : 'back'}
      </p>
    </section>
  );
}

function DocumentRow({ doc, now, current }: { doc: Meta; now: number; current: boolean }) {
  return (
    <>
      <span className="library-title">
        {doc.title}
        {current ? <span className="library-badge">open</span> : null}
      </span>
      <span className="library-meta">
        <time dateTime={doc.modified} title={absoluteTime(doc.modified)}>
          {relativeTime(doc.modified, now)}
        </time>
        <span className="library-abs">{absoluteTime(doc.modified)}</span>
        <span>{plural(doc.words, 'word')}</span>
      </span>
    </>
  );
}

function SnapshotRow({ snap, now }: { snap: Snapshot; now: number }) {
  return (
    <>
      <span className="library-title">
        <time dateTime={snap.time}>{absoluteTime(snap.time)}</time>
      </span>
      <span className="library-meta">
        <span>{relativeTime(snap.time, now)}</span>
        {snap.error ? <span className="library-error">{snap.error}</span> : <span>{plural(snap.words, 'word')}</span>}
      </span>
    </>
  );
}

/** Go writes nanoseconds; Date reads milliseconds. */
function parseTime(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

export function absoluteTime(iso: string): string {
  const t = parseTime(iso);
  return Number.isNaN(t) ? iso : ABSOLUTE.format(t);
}

export function relativeTime(iso: string, now: number): string {
  const t = parseTime(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((t - now) / 1000);
  const a = Math.abs(s);
  if (a < 45) return 'just now';
  if (a < 3600) return RELATIVE.format(Math.round(s / 60), 'minute');
  if (a < 86400) return RELATIVE.format(Math.round(s / 3600), 'hour');
  if (a < 30 * 86400) return RELATIVE.format(Math.round(s / 86400), 'day');
  if (a < 365 * 86400) return RELATIVE.format(Math.round(s / (30 * 86400)), 'month');
  return RELATIVE.format(Math.round(s / (365 * 86400)), 'year');
}

const numbers = new Intl.NumberFormat('en');

function plural(n: number, word: string): string {
  return `${numbers.format(n)} ${word}${n === 1 ? '' : 's'}`;
}
