// The library's runner: each operation's Go calls, in order (the open document's pending change
// first wherever Go reads the library), and the event that reports its outcome.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeMock } from '../bridge/mock';
import type { LibraryEvent, LibraryOp } from './library';
import type { DocumentFile, Meta, Snapshot } from './types';
import type { LibraryController } from './useDocuments';
import { contextOf, runLibraryOp } from './useLibrary';

vi.mock('../bridge', () => import('../bridge/mock'));

const T = '2026-01-02T15:04:05Z';
const meta = (id: string): Meta => ({ id, name: '', title: `Title ${id}`, created: T, modified: T, fragments: 1, words: 1, size: 1 });
const file = (id: string): DocumentFile => ({ format: 2, id, name: '', created: T, modified: T, fragments: [], selection: 0, draft: null });
const snap: Snapshot = { id: 's1', time: T, size: 1, fragments: 1, words: 1 };
const LISTING = { documents: [meta('a1')], problems: null };

/** Every step, in order: the controller's (`lib.flush`) and Go's (`go.ListDocuments a1`). */
let steps: string[];

function controller(): LibraryController {
  const step = (name: string) => async (...args: unknown[]) => void steps.push(['lib.' + name, ...args].join(' '));
  return {
    served: true,
    currentId: () => 'a1',
    currentName: () => 'My novel',
    flush: step('flush'),
    open: step('open'),
    create: step('create'),
    show: (doc) => void steps.push(`lib.show ${doc.id}`),
    renameCurrent: (name) => void steps.push(`lib.renameCurrent ${name}`),
    replaceDeleted: step('replaceDeleted'),
    close: () => void steps.push('lib.close'),
  };
}

beforeEach(() => {
  steps = [];
  const go = (name: string, answer: unknown) => (...args: unknown[]) => {
    steps.push(['go.' + name, ...args].join(' '));
    return answer;
  };
  bridgeMock.reset({
    kind: 'wails',
    go: {
      ListDocuments: go('ListDocuments', LISTING),
      ListTrash: go('ListTrash', LISTING),
      RenameDocument: go('RenameDocument', meta('b2')),
      DuplicateDocument: go('DuplicateDocument', file('b2-copy')),
      DeleteDocument: go('DeleteDocument', undefined),
      RestoreDocument: go('RestoreDocument', meta('b2')),
      DocumentHistory: go('DocumentHistory', [snap]),
      RestoreVersion: go('RestoreVersion', file('b2')),
    },
  });
});

describe('runLibraryOp', () => {
  const B = meta('b2');
  it.each<[LibraryOp, string[], LibraryEvent]>([
    [{ kind: 'listDocuments', select: 'a1' }, ['lib.flush', 'go.ListDocuments'], { type: 'documentsListed', listing: LISTING, select: 'a1' }],
    [{ kind: 'listTrash' }, ['go.ListTrash'], { type: 'trashListed', listing: LISTING }],
    [{ kind: 'open', id: 'b2' }, ['lib.open b2'], { type: 'done' }],
    [{ kind: 'create' }, ['lib.create'], { type: 'done' }],
    [{ kind: 'rename', id: 'b2', name: 'New' }, ['go.RenameDocument b2 New'], { type: 'renamed', meta: B }],
    [{ kind: 'duplicate', doc: B }, ['lib.flush', 'go.DuplicateDocument b2'], { type: 'duplicated', doc: B, copy: file('b2-copy') }],
    [{ kind: 'delete', doc: B }, ['lib.flush', 'go.DeleteDocument b2'], { type: 'deleted', doc: B }],
    [{ kind: 'replaceDeleted' }, ['lib.replaceDeleted'], { type: 'replaced' }],
    [{ kind: 'restore', doc: B, undo: true }, ['go.RestoreDocument b2'], { type: 'restored', doc: B, undo: true }],
    [{ kind: 'history', doc: B }, ['lib.flush', 'go.DocumentHistory b2'], { type: 'historyListed', doc: B, snaps: [snap] }],
    [{ kind: 'restoreVersion', doc: B, snap }, ['lib.flush', 'go.RestoreVersion b2 s1'], { type: 'versionRestored', doc: B, snap, file: file('b2') }],
  ])('%j', async (op, want, event) => {
    await expect(runLibraryOp(op, controller())).resolves.toEqual(event);
    expect(steps).toEqual(want);
  });

  it("rejects with Go's error (the overlay shows it)", async () => {
    bridgeMock.methods({
      DeleteDocument: () => {
        throw new Error('no such document: b2');
      },
    });
    await expect(runLibraryOp({ kind: 'delete', doc: meta('b2') }, controller())).rejects.toThrow('no such document: b2');
  });

  it('reads what the decisions need of the open document', () => {
    expect(contextOf(controller())).toEqual({ served: true, currentId: 'a1', currentName: 'My novel' });
  });
});
