/**
 * The library overlay's runner: holds its state (library.ts decides every change) and performs
 * the effects the decisions ask for: Go calls through documentsApi, the open document through the
 * LibraryController. Each operation's outcome goes back through `libraryStep` as an event.
 */
import { useCallback, useRef, useState } from 'react';
import { documentsApi as api } from './api';
import { INITIAL_LIBRARY, isOp, type LibraryContext, type LibraryEffect, type LibraryEvent, type LibraryOp, type LibraryState, libraryStep } from './library';
import { errorMessage, type LibraryController } from './useDocuments';

/** What the decisions read of the open document, now. */
export function contextOf(lib: LibraryController): LibraryContext {
  return { served: lib.served, currentId: lib.currentId(), currentName: lib.currentName() };
}

/** Performs one operation; resolves to the event that reports its outcome (rejects with Go's error). */
export async function runLibraryOp(op: LibraryOp, lib: LibraryController): Promise<LibraryEvent> {
  switch (op.kind) {
    case 'listDocuments':
      // Go reads the library: the open document's pending change goes first.
      await lib.flush();
      return { type: 'documentsListed', listing: await api.list(), select: op.select };
    case 'listTrash':
      return { type: 'trashListed', listing: await api.listTrash() };
    case 'open':
      await lib.open(op.id);
      return { type: 'done' };
    case 'create':
      await lib.create();
      return { type: 'done' };
    case 'rename':
      return { type: 'renamed', meta: await api.rename(op.id, op.name) };
    case 'duplicate': {
      await lib.flush();
      const copy = await api.duplicate(op.doc.id);
      return { type: 'duplicated', doc: op.doc, copy };
    }
    case 'delete':
      await lib.flush();
      await api.remove(op.doc.id);
      return { type: 'deleted', doc: op.doc };
    case 'replaceDeleted':
      await lib.replaceDeleted();
      return { type: 'replaced' };
    case 'restore':
      await api.restore(op.doc.id);
      return { type: 'restored', doc: op.doc, undo: op.undo };
    case 'history': {
      await lib.flush();
      return { type: 'historyListed', doc: op.doc, snaps: await api.history(op.doc.id) };
    }
    case 'restoreVersion': {
      await lib.flush();
      const file = await api.restoreVersion(op.doc.id, op.snap.id);
      return { type: 'versionRestored', doc: op.doc, snap: op.snap, file };
    }
  }
}

/** The library's state and its dispatcher. `onClose` closes the overlay. */
export function useLibrary(lib: LibraryController, onClose: () => void): [LibraryState, (event: LibraryEvent) => void] {
  const [state, setState] = useState(INITIAL_LIBRARY);
  // The state as the last event left it: events handled before React renders (Enter in the name
  // box, then the blur it causes) see each other's changes.
  const latest = useRef(state);

  const dispatch = useCallback(
    (event: LibraryEvent) => {
      const handle = (ev: LibraryEvent): void => {
        const { state: next, effect } = libraryStep(latest.current, ev, contextOf(lib));
        if (next !== latest.current) {
          latest.current = next;
          setState(next);
        }
        if (!effect) return;
        if (isOp(effect)) {
          runLibraryOp(effect, lib).then(handle, (e: unknown) => handle({ type: 'failed', message: errorMessage(e) }));
          return;
        }
        performNow(effect, lib, onClose);
      };
      handle(event);
    },
    [lib, onClose],
  );

  return [state, dispatch];
}

function performNow(effect: Exclude<LibraryEffect, LibraryOp>, lib: LibraryController, onClose: () => void): void {
  switch (effect.kind) {
    case 'close':
      onClose();
      return;
    case 'renameCurrent':
      lib.renameCurrent(effect.name);
      return;
    case 'show':
      lib.show(effect.doc);
      return;
  }
}
