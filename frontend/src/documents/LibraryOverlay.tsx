/**
 * The document library (Ctrl+O): documents newest first, the files that could not be read, the
 * trash and a document's history. Keyboard first (the `library` context of the keymap table) and
 * usable with the mouse (click selects, double-click opens, buttons). Keys pressed in the overlay
 * stay in it: explore commands never fire from here, except the few global ones the keymap's
 * KEEPS_KEYS lets through (new, save, export, import, quit, help, Ctrl+O itself).
 *
 * A view only: its state and every decision live in library.ts (pure, tested in library.test.ts),
 * the Go calls in useLibrary.ts; this renders the state and dispatches what the user does.
 */
import { useCallback, useEffect, useRef } from 'react';
import { overlayKeyDown } from '../editor';
import { type LibraryActionId, selectedItem, shownItems, shownList } from './library';
import { absoluteTime, plural, relativeTime } from './time';
import type { Meta, Snapshot } from './types';
import { NO_SERVER, type LibraryController } from './useDocuments';
import { useLibrary } from './useLibrary';

interface Props {
  lib: LibraryController;
  onClose: () => void;
  /** For tests: the time relative times are measured from. */
  now?: () => number;
}

export function LibraryOverlay({ lib, onClose, now = Date.now }: Props) {
  const [state, dispatch] = useLibrary(lib, onClose);
  const { view, history, confirm, renaming, message, problems } = state;
  const listRef = useRef<HTMLDivElement>(null);
  const items = shownItems(state);
  const selected = selectedItem(state);

  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), []);

  useEffect(() => {
    dispatch({ type: 'start' });
  }, [dispatch]);

  // The list has the keys: on opening, in every view, and once the name box is done.
  useEffect(() => {
    if (!renaming) focusList();
  }, [view, renaming, focusList]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [state.sel, view]);

  const act = (action: LibraryActionId) => dispatch({ type: 'action', action });

  const onKeyDown = (e: React.KeyboardEvent) => {
    // The rename box has its own keys (Enter, Escape) and keeps the rest.
    if (e.target instanceof HTMLInputElement)
      overlayKeyDown('rename', { commit: () => dispatch({ type: 'renameCommit' }), cancel: () => dispatch({ type: 'renameCancel' }) }, e);
    else overlayKeyDown('library', { act }, e);
  };

  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  const button = (label: string, action: LibraryActionId, disabled = false) => (
    <button type="button" tabIndex={-1} disabled={disabled} onMouseDown={keepFocus} onClick={() => act(action)}>
      {label}
    </button>
  );

  const currentId = lib.currentId();
  const t = now();

  return (
    <section className="overlay overlay--library" role="dialog" aria-label="Document library" tabIndex={-1} onKeyDown={onKeyDown}>
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
                {shownList(state) === null ? 'Loading…' : view === 'documents' ? 'No documents.' : view === 'trash' ? 'The trash is empty.' : 'No earlier versions yet (one is kept per minute of editing).'}
              </p>
            ) : (
              items.map((item, i) => {
                const isSel = item === selected;
                const pick = () => {
                  dispatch({ type: 'pick', index: i });
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
                        onChange={(e) => dispatch({ type: 'renameInput', value: e.target.value })}
                        onBlur={() => dispatch({ type: 'renameCommit' })}
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
