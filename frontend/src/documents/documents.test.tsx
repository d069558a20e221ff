// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import * as bridge from '../bridge';
import { BAD_PATCH, BROWSER, BridgeError, bridgeMock, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from '../bridge/mock';
import type { DocFragment, DocPatch, DocumentFile, Listing, Meta, Snapshot } from './types';
import { THROTTLE_MS } from './useDocuments';

vi.mock('../bridge', () => import('../bridge/mock'));

const T0 = '2026-01-02T15:04:05.123456789Z';

function file(id: string, texts: string[], rest: Partial<DocumentFile> = {}): DocumentFile {
  return {
    format: 1,
    id,
    name: '',
    created: T0,
    modified: T0,
    fragments: texts.map((text): DocFragment => ({ text })),
    selection: texts.length,
    draft: null,
    ...rest,
  };
}

function metaOf(d: DocumentFile): Meta {
  const text = d.fragments.map((f) => f.text).join('');
  return {
    id: d.id,
    name: d.name,
    title: d.name || text.split(/\s+/).filter(Boolean).slice(0, 3).join(' ') || 'Untitled',
    created: d.created,
    modified: d.modified,
    fragments: d.fragments.length,
    words: text.split(/\s+/).filter(Boolean).length,
    size: text.length,
  };
}

/** The Go side of issue 6, faked: bound methods by name (the page's events go through bridgeMock). */
class FakeGo {
  docs = new Map<string, DocumentFile>();
  trash = new Map<string, DocumentFile>();
  history = new Map<string, { snap: Snapshot; doc: DocumentFile }[]>();
  problems: Listing['problems'] = [];
  startupProblems: string[] = [];
  last = '';
  /** Every call, in order: [method, ...args]. */
  calls: unknown[][] = [];
  nextId = 1;
  dialogPath = '/home/w/novel.txt';
  importDoc: DocumentFile | null = null;
  onReady: () => void = () => {};
  failStart: string | null = null;
  /** Count revisions and refuse stale saves, as the Go side of issue 11 does. */
  revisions = false;
  /** Hand-overs fail as if the server were down. */
  down = false;
  /** Patches are refused as if the server held no copy of their base (restarted). */
  forgetful = false;

  add(d: DocumentFile) {
    this.docs.set(d.id, d);
    if (!this.last) this.last = d.id;
    return d;
  }

  called(method: string): unknown[][] {
    return this.calls.filter((c) => c[0] === method).map((c) => c.slice(1));
  }

  emit(event: string, data: unknown) {
    act(() => bridgeMock.emit(event, data));
  }

  async handle(method: string, args: unknown[]): Promise<unknown> {
    this.calls.push([method, ...args]);
    const doc = (id: unknown) => {
      const d = this.docs.get(id as string);
      if (!d) throw new Error(`no such document: ${String(id)}`);
      return d;
    };
    const listing = (m: Map<string, DocumentFile>, problems: Listing['problems'] = null): Listing => ({
      documents: [...m.values()].map(metaOf).reverse(),
      problems,
    });
    switch (method) {
      case 'StartDocument':
        if (this.failStart) throw new Error(this.failStart);
        return structuredClone(doc(this.last));
      case 'StartupProblems':
        return this.startupProblems;
      case 'FrontendReady':
        this.onReady();
        return undefined;
      case 'DocumentChanged':
      case 'SaveDocument': {
        const d = structuredClone(args[0] as DocumentFile);
        if (this.down) {
          throw new BridgeError(`${method}: the server cannot be reached (Failed to fetch)`, UNREACHABLE);
        }
        if (this.revisions) {
          const stored = this.docs.get(d.id)?.revision ?? 0;
          if (d.revision !== stored) throw new BridgeError(`document ${d.id} changed since revision ${d.revision}`, STALE_REVISION);
          d.revision = stored + 1;
        }
        this.docs.set(d.id, d);
        return method === 'SaveDocument' ? { ...metaOf(d), revision: d.revision } : d.revision;
      }
      case 'DocumentPatched': {
        // As backend/documents Session.ChangedPatch: stale first, then the base, then the splice.
        const p = structuredClone(args[0] as DocPatch);
        if (this.down) throw new BridgeError(`${method}: the server cannot be reached (Failed to fetch)`, UNREACHABLE);
        const stored = this.docs.get(p.id);
        if (!stored || stored.revision !== p.base) throw new BridgeError(`document ${p.id} changed since revision ${p.base}`, STALE_REVISION);
        if (this.forgetful) throw new BridgeError('this server holds no copy of the revision the change is based on', UNKNOWN_BASE);
        if (p.at < 0 || p.remove < 0 || p.at + p.remove > stored.fragments.length) throw new BridgeError('the change does not fit the document', BAD_PATCH);
        const fragments = [...stored.fragments.slice(0, p.at), ...p.insert, ...stored.fragments.slice(p.at + p.remove)];
        const d: DocumentFile = { ...stored, fragments, name: p.name, selection: p.selection, draft: p.draft, notes: p.notes ?? null, revision: p.base + 1 };
        this.docs.set(d.id, d);
        return d.revision;
      }
      case 'ExportDocumentData': {
        const d = args[0] as DocumentFile;
        const text = d.fragments.map((f) => f.text).join('');
        return { name: `story.${String(args[1])}`, mime: 'text/plain; charset=utf-8', content: args[1] === 'json' ? JSON.stringify(d) : text };
      }
      case 'SaveDocumentAsCopy': {
        const d = this.add({ ...structuredClone(args[0] as DocumentFile), id: `new${this.nextId++}`, revision: 1 });
        this.last = d.id;
        return structuredClone(d);
      }
      case 'ImportDocumentData': {
        const d = this.add(file(`imp${this.nextId++}`, [String(args[1])], { name: String(args[0]) }));
        this.last = d.id;
        return structuredClone(d);
      }
      case 'OpenDocument':
        this.last = args[0] as string;
        return structuredClone(doc(args[0]));
      case 'NewDocument': {
        const d = this.add(file(`new${this.nextId++}`, [], this.revisions ? { revision: 0 } : {}));
        this.last = d.id;
        return structuredClone(d);
      }
      case 'ListDocuments':
        return listing(this.docs, this.problems);
      case 'ListTrash':
        return listing(this.trash);
      case 'RenameDocument': {
        const d = doc(args[0]);
        d.name = args[1] as string;
        return metaOf(d);
      }
      case 'DuplicateDocument': {
        const d = { ...structuredClone(doc(args[0])), id: `copy${this.nextId++}` };
        d.name = `${metaOf(doc(args[0])).title} (copy)`;
        this.docs.set(d.id, d);
        return d;
      }
      case 'DeleteDocument':
        this.trash.set(args[0] as string, doc(args[0]));
        this.docs.delete(args[0] as string);
        if (this.last === args[0]) this.last = [...this.docs.keys()][0] ?? this.add(file(`new${this.nextId++}`, [])).id;
        return undefined;
      case 'RestoreDocument': {
        const d = this.trash.get(args[0] as string)!;
        this.trash.delete(d.id);
        this.docs.set(d.id, d);
        return metaOf(d);
      }
      case 'DocumentHistory':
        return (this.history.get(args[0] as string) ?? []).map((h) => h.snap);
      case 'RestoreVersion': {
        const h = this.history.get(args[0] as string)!.find((x) => x.snap.id === args[1])!;
        this.docs.set(h.doc.id, structuredClone(h.doc));
        return structuredClone(h.doc);
      }
      case 'ExportDocument':
      case 'SaveDocumentCopy':
        return this.dialogPath;
      case 'ImportDocument': {
        if (!this.importDoc) return file('', []);
        this.add(this.importDoc);
        this.last = this.importDoc.id;
        return structuredClone(this.importDoc);
      }
    }
    throw new Error(`desktop method ${method} is not available`);
  }
}

let go: FakeGo;

beforeEach(() => {
  go = new FakeGo();
  // The desktop window (native dialogs), model features off.
  bridgeMock.reset({ kind: 'wails', ai: false, go: (name, args) => go.handle(name, args) });
});

afterEach(() => {
  vi.useRealTimers();
});

const listbox = () => screen.getByRole('listbox', { name: 'Fragments' });
const texts = () => within(listbox()).getAllByRole('option').map((o) => o.querySelector('textarea')?.value ?? o.textContent);
const mode = () => document.querySelector('[data-mode]')!.getAttribute('data-mode');
const lastChanged = () => go.called('DocumentChanged').at(-1)?.[0] as DocumentFile | undefined;
const library = () => screen.getByRole('dialog', { name: 'Document library' });
const libraryItems = () => within(within(library()).getByRole('listbox')).queryAllByRole('option');

async function start(docs: DocumentFile[] = [file('a1', ['It was late. ', 'The rain had stopped. '])]) {
  for (const d of docs) go.add(d);
  const user = userEvent.setup();
  render(<App />);
  await screen.findByRole('listbox', { name: 'Fragments' });
  await waitFor(() => expect(go.called('FrontendReady')).toHaveLength(1));
  return user;
}

describe('start-up', () => {
  it('shows a quiet loading state, then the last document, and says ready only after it rendered', async () => {
    let shownWhenReady: (string | null)[] = [];
    go.onReady = () => {
      shownWhenReady = texts();
    };
    go.add(file('a1', ['It was late. ', 'The rain had stopped. '], { selection: 0 }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bridgeMock.set({
      go: async (name, args) => {
        if (name === 'StartDocument') await gate;
        return go.handle(name, args);
      },
    });
    render(<App />);
    expect(screen.getByText('Opening…')).toBeInTheDocument();
    expect(screen.queryByRole('listbox', { name: 'Fragments' })).toBeNull();
    // No key reaches an editor before the document is there.
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(go.called('FrontendReady')).toEqual([]);
    release();
    await waitFor(() => expect(go.called('FrontendReady')).toHaveLength(1));
    expect(shownWhenReady).toEqual(['It was late. ', 'The rain had stopped. ', '<new>']);
    expect(within(listbox()).getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
    expect(mode()).toBe('explore');
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('It was late. The rain had… — FragmentEditor');
  });

  it('reopens the textarea with the draft of an edit, and of an insert', async () => {
    await start([file('a1', ['A. ', 'B. '], { selection: 1, draft: { index: 1, mode: 'edit', text: 'B, half' } })]);
    expect(mode()).toBe('edit');
    expect(screen.getByRole('textbox')).toHaveValue('B, half');
    expect(screen.getByRole('textbox')).toHaveFocus();
  });

  it('reopens an insert draft between the fragments', async () => {
    await start([file('a1', ['A. ', 'C. '], { selection: 0, draft: { index: 1, mode: 'insert', text: 'B. ' } })]);
    expect(mode()).toBe('insert');
    expect(texts()).toEqual(['A. ', 'B. ', 'C. ', '<new>']);
  });

  it('shows start-up problems in a banner that can be dismissed', async () => {
    go.startupProblems = ['the proxy cannot start: port 4000 in use'];
    const user = await start();
    const banner = screen.getByRole('alert');
    expect(banner).toHaveTextContent('the proxy cannot start: port 4000 in use');
    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/port 4000/)).toBeNull();
  });

  it('starts with an empty, unsaved editor and says so when the library cannot be opened', async () => {
    go.failStart = 'permission denied';
    go.last = 'x';
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(go.called('FrontendReady')).toHaveLength(1));
    expect(screen.getByRole('alert')).toHaveTextContent(/Documents cannot be opened \(permission denied\).*NOT saved/);
    await user.keyboard(' Hi{Enter}');
    expect(texts()).toEqual(['Hi', '<new>']);
    expect(go.called('DocumentChanged')).toEqual([]);
  });
});

describe('autosave', () => {
  it('sends the draft while typing and the fragment after Enter', async () => {
    const user = await start([file('a1', ['A. '])]);
    await user.keyboard(' Hello');
    await waitFor(() => expect(lastChanged()?.draft).toEqual({ index: 1, mode: 'edit', text: 'Hello' }));
    expect(screen.getByTestId('doc-status')).toHaveAttribute('data-state', 'pending');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(lastChanged()).toMatchObject({ id: 'a1', fragments: [{ text: 'A. ' }, { text: 'Hello' }], selection: 2, draft: null }));
    go.emit('documents:saved', metaOf(go.docs.get('a1')!));
    expect(screen.getByTestId('doc-status')).toHaveTextContent('saved');
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('A. Hello — FragmentEditor');
  });

  it('sends at most one change per throttle period, with the newest state', async () => {
    await start([file('a1', [])]);
    vi.useFakeTimers();
    fireEvent.keyDown(listbox(), { key: ' ' });
    const ta = screen.getByRole('textbox');
    for (let i = 1; i <= 20; i++) fireEvent.change(ta, { target: { value: 'x'.repeat(i) } });
    expect(go.called('DocumentChanged')).toEqual([]);
    await act(async () => {
      vi.advanceTimersByTime(THROTTLE_MS);
    });
    expect(go.called('DocumentChanged')).toHaveLength(1);
    expect(lastChanged()?.draft?.text).toBe('x'.repeat(20));
    await act(async () => {
      vi.advanceTimersByTime(THROTTLE_MS * 3);
    });
    expect(go.called('DocumentChanged')).toHaveLength(1);
  });

  it('Ctrl+S saves now and confirms; undo still works after it', async () => {
    const user = await start([file('a1', ['A. ', 'B. '], { selection: 1 })]);
    await user.keyboard('d');
    expect(texts()).toEqual(['A. ', '<new>']);
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(go.called('SaveDocument')).toHaveLength(1));
    expect(go.called('SaveDocument')[0]![0]).toMatchObject({ id: 'a1', fragments: [{ text: 'A. ' }] });
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(screen.getByTestId('doc-status')).toHaveTextContent('saved');
    await user.keyboard('u');
    expect(texts()).toEqual(['A. ', 'B. ', '<new>']);
  });

  it('shows a save error visibly until the document is saved', async () => {
    await start();
    go.emit('documents:save-error', { id: 'a1', message: 'no space left on device' });
    expect(screen.getByTestId('doc-status')).toHaveTextContent('NOT SAVED: no space left on device');
    expect(screen.getByRole('alert')).toHaveTextContent('NOT SAVED: no space left on device');
    go.emit('documents:saved', metaOf(go.docs.get('a1')!));
    expect(screen.getByTestId('doc-status')).toHaveTextContent(/^saved$/);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a failing Ctrl+S says NOT SAVED', async () => {
    const user = await start();
    bridgeMock.set({
      go: (name, args) => {
        if (name === 'SaveDocument') throw new Error('a.json: written by a newer version of FragmentEditor');
        return go.handle(name, args);
      },
    });
    await user.keyboard('{Control>}s{/Control}');
    expect(await screen.findByRole('alert')).toHaveTextContent('NOT SAVED: a.json: written by a newer version');
  });

  it("the window's close button: the pending change goes to Go, then the page says ReadyToQuit", async () => {
    const user = await start([file('a1', [])]);
    await user.keyboard(' Typed just before closing');
    go.emit('app:closing', null);
    await waitFor(() => expect(go.called('ReadyToQuit')).toHaveLength(1));
    const ready = go.calls.findIndex((c) => c[0] === 'ReadyToQuit');
    const changed = go.calls.findLastIndex((c, i) => c[0] === 'DocumentChanged' && i < ready);
    expect(changed).toBeGreaterThanOrEqual(0);
    expect((go.calls[changed]![1] as DocumentFile).draft?.text).toBe('Typed just before closing');
  });

  it('the close marker key (queued by Go behind the typed keys) hands over the text typed before it', async () => {
    const user = await start([file('a1', [])]);
    await user.keyboard(' Every key before the close');
    await user.keyboard('{F24}');
    await waitFor(() => expect(go.called('ReadyToQuit')).toHaveLength(1));
    expect(go.called('ClosingAlive')[0]).toEqual([true]);
    const ready = go.calls.findIndex((c) => c[0] === 'ReadyToQuit');
    const changed = go.calls.findLastIndex((c, i) => c[0] === 'DocumentChanged' && i < ready);
    expect(changed).toBeGreaterThanOrEqual(0);
    expect((go.calls[changed]![1] as DocumentFile).draft?.text).toBe('Every key before the close');
    expect(screen.getByRole('textbox')).toHaveValue('Every key before the close'); // the marker typed nothing
  });

  it("answers Go's pings while closing, so a slow page is waited for", async () => {
    await start([file('a1', [])]);
    go.emit('app:closing-ping', null);
    await waitFor(() => expect(go.called('ClosingAlive')).toEqual([[false]]));
  });

  it('Ctrl+Q hands the pending change to Go before quitting', async () => {
    const user = await start([file('a1', [])]);
    await user.keyboard(' Last words');
    await user.keyboard('{Escape}{Control>}q{/Control}');
    await waitFor(() => expect(bridge.quit).toHaveBeenCalledTimes(1));
    const i = go.calls.findIndex((c) => c[0] === 'DocumentChanged' && (c[1] as DocumentFile).draft === null);
    expect(i).toBeGreaterThanOrEqual(0);
  });
});

describe('commands', () => {
  it('Ctrl+N starts a new document with a fresh history', async () => {
    const user = await start([file('a1', ['A. '], { selection: 0 })]);
    await user.keyboard('d');
    await user.keyboard('{Control>}n{/Control}');
    await waitFor(() => expect(texts()).toEqual(['<new>']));
    // The deletion reached Go before the new document was made.
    const changedAt = go.calls.findIndex((c) => c[0] === 'DocumentChanged');
    expect(changedAt).toBeGreaterThanOrEqual(0);
    expect(changedAt).toBeLessThan(go.calls.findIndex((c) => c[0] === 'NewDocument'));
    await user.keyboard('u');
    expect(texts()).toEqual(['<new>']);
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('Untitled — FragmentEditor');
  });

  it('Ctrl+E exports, Ctrl+Shift+S saves a copy, each through its dialog', async () => {
    const user = await start();
    await user.keyboard('{Control>}e{/Control}');
    await waitFor(() => expect(go.called('ExportDocument')).toHaveLength(1));
    expect(go.called('ExportDocument')[0]![0]).toMatchObject({ id: 'a1', fragments: [{ text: 'It was late. ' }, { text: 'The rain had stopped. ' }] });
    expect(await screen.findByText('Exported to /home/w/novel.txt')).toBeInTheDocument();
    go.dialogPath = '/home/w/copy.json';
    await user.keyboard('{Control>}{Shift>}s{/Shift}{/Control}');
    await waitFor(() => expect(go.called('SaveDocumentCopy')).toHaveLength(1));
    expect(await screen.findByText('Saved a copy as /home/w/copy.json')).toBeInTheDocument();
    go.dialogPath = '';
    await user.keyboard('{Control>}e{/Control}');
    await waitFor(() => expect(go.called('ExportDocument')).toHaveLength(2));
    expect(screen.queryByText(/Exported to $/)).toBeNull();
  });

  it('Ctrl+I imports and opens the document; cancelling changes nothing', async () => {
    const user = await start();
    await user.keyboard('{Control>}i{/Control}');
    await waitFor(() => expect(go.called('ImportDocument')).toHaveLength(1));
    expect(texts()).toEqual(['It was late. ', 'The rain had stopped. ', '<new>']);
    go.importDoc = file('imp', ['Imported one. ', 'Imported two.']);
    await user.keyboard('{Control>}i{/Control}');
    await waitFor(() => expect(texts()).toEqual(['Imported one. ', 'Imported two.', '<new>']));
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('Imported one. Imported two. — FragmentEditor');
  });
});

describe('the library', () => {
  const three = () => [
    file('a1', ['Oldest text here. ']),
    file('b2', ['Middle document. ']),
    file('c3', ['Newest words of all. ']),
  ];

  it('lists documents newest first with problems; Enter opens one', async () => {
    go.problems = [{ id: 'bad', path: '/lib/bad.json', message: '/lib/bad.json: not a readable document' }];
    const user = await start(three());
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    expect(libraryItems().map((o) => o.querySelector('.library-title')!.textContent)).toEqual(['Newest words of', 'Middle document.', 'Oldest text here.open']);
    expect(within(library()).getByText('/lib/bad.json: not a readable document')).toBeInTheDocument();
    // The open document is selected first.
    expect(libraryItems()[2]).toHaveAttribute('aria-selected', 'true');
    expect(libraryItems()[2]).toHaveTextContent('2 words'.replace('2', '3'));
    await user.keyboard('{ArrowUp}{ArrowUp}{Enter}');
    await waitFor(() => expect(texts()).toEqual(['Newest words of all. ', '<new>']));
    expect(go.called('OpenDocument')).toEqual([['c3']]);
    expect(screen.queryByRole('dialog', { name: 'Document library' })).toBeNull();
    expect(listbox()).toHaveFocus();
  });

  it('keys in the library never reach the fragments', async () => {
    const user = await start();
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(1));
    await user.keyboard('xbv{ArrowLeft}');
    expect(texts()).toEqual(['It was late. ', 'The rain had stopped. ', '<new>']);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Document library' })).toBeNull();
  });

  it('renames another document through Go and the open one in the page', async () => {
    const user = await start(three());
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    await user.keyboard('{Home}r');
    const input = within(library()).getByRole('textbox', { name: 'New name' });
    expect(input).toHaveFocus();
    await user.keyboard('Chapter One{Enter}');
    await waitFor(() => expect(go.called('RenameDocument')).toEqual([['c3', 'Chapter One']]));
    await waitFor(() => expect(libraryItems()[0]).toHaveTextContent('Chapter One'));
    // The open document: no RenameDocument, the name goes out with the next autosave.
    await user.keyboard('{End}r');
    await user.clear(within(library()).getByRole('textbox', { name: 'New name' }));
    await user.keyboard('My Novel{Enter}');
    await waitFor(() => expect(lastChanged()).toMatchObject({ id: 'a1', name: 'My Novel' }));
    expect(go.called('RenameDocument')).toHaveLength(1);
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('My Novel — FragmentEditor');
  });

  it('duplicates, moves to the trash with undo, and restores from the trash view', async () => {
    const user = await start(three());
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    await user.keyboard('{Home}c');
    await waitFor(() => expect(libraryItems()).toHaveLength(4));
    expect(go.called('DuplicateDocument')).toEqual([['c3']]);
    expect(libraryItems().find((o) => o.getAttribute('aria-selected') === 'true')).toHaveTextContent('(copy)');
    await user.keyboard('{Delete}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    expect(within(library()).getByRole('status')).toHaveTextContent(/to the trash\. Press u to undo/);
    await user.keyboard('u');
    await waitFor(() => expect(libraryItems()).toHaveLength(4));
    expect(go.called('RestoreDocument')).toHaveLength(1);
    // Trash view: delete, look, restore.
    await user.keyboard('{Home}d');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    await user.keyboard('t');
    await waitFor(() => expect(within(library()).getByRole('heading', { name: 'Trash' })).toBeInTheDocument());
    await waitFor(() => expect(libraryItems()).toHaveLength(1));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(libraryItems()).toHaveLength(0));
    expect(go.called('RestoreDocument')).toHaveLength(2);
    await user.keyboard('{Escape}');
    await waitFor(() => expect(libraryItems()).toHaveLength(4));
  });

  it('deleting the open document opens what Go starts with', async () => {
    const user = await start(three());
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    await user.keyboard('{End}{Delete}');
    await waitFor(() => expect(texts()).toEqual(['Middle document. ', '<new>']));
    expect(go.called('DeleteDocument')).toEqual([['a1']]);
  });

  it('is usable with the mouse', async () => {
    const user = await start(three());
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(3));
    await user.click(libraryItems()[1]!);
    expect(libraryItems()[1]).toHaveAttribute('aria-selected', 'true');
    await user.click(within(library()).getByRole('button', { name: 'Open' }));
    await waitFor(() => expect(texts()).toEqual(['Middle document. ', '<new>']));
  });

  it('History: Enter asks, Enter again restores that version of the open document', async () => {
    const user = await start([file('a1', ['Now. '])]);
    const old = file('a1', ['Then. ', 'Deleted later. ']);
    go.history.set('a1', [
      { snap: { id: 's2', time: '2026-01-02T15:08:00Z', size: 40, fragments: 2, words: 3 }, doc: old },
      { snap: { id: 's1', time: '2026-01-02T15:05:00Z', size: 20, fragments: 1, words: 1 }, doc: file('a1', ['First. ']) },
    ]);
    await user.keyboard('{Control>}o{/Control}');
    await waitFor(() => expect(libraryItems()).toHaveLength(1));
    await user.keyboard('h');
    await waitFor(() => expect(libraryItems()).toHaveLength(2));
    expect(libraryItems()[0]).toHaveTextContent('3 words');
    await user.keyboard('{Enter}');
    expect(within(library()).getByRole('alert')).toHaveTextContent(/The current version stays in the history/);
    expect(go.called('RestoreVersion')).toEqual([]);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(texts()).toEqual(['Then. ', 'Deleted later. ', '<new>']));
    expect(go.called('RestoreVersion')).toEqual([['a1', 's2']]);
  });
});

describe('in a plain browser', () => {
  it('on a page no server serves: starts empty; documents features say nothing is saved', async () => {
    bridgeMock.reset({ kind: 'none' });
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(texts()).toEqual(['<new>']));
    await user.keyboard(' Typed here.{Enter}');
    await user.keyboard('{Control>}s{/Control}');
    expect(await screen.findByText('Nothing is saved: this page is not served by FragmentEditor or llproxy.')).toBeInTheDocument();
    await user.keyboard('{Control>}o{/Control}');
    expect(library()).toHaveTextContent('The document library needs a server.');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Document library' })).toBeNull();
    expect(bridge.callApp).not.toHaveBeenCalled();
    expect(bridge.setWindowTitle).toHaveBeenLastCalledWith('Typed here. — FragmentEditor');
    expect(screen.getByTestId('doc-status')).toHaveTextContent('not saved (no server)');
  });
});

describe('two tabs on one document (revisions)', () => {
  /** Starts on a1 at revision 1, with a textarea open at <new> holding `typed`; then another tab saves a1. */
  async function conflicted(typed: string) {
    go.revisions = true;
    const user = await start([file('a1', ['It was late. '], { revision: 1 })]);
    await user.keyboard(' ');
    await user.keyboard(typed);
    // The other tab saved while this page was typing.
    go.docs.set('a1', file('a1', ['It was late. ', 'Theirs. '], { revision: go.docs.get('a1')!.revision! + 1 }));
    await user.keyboard('!');
    const dialog = await screen.findByRole('alertdialog', { name: 'Changed in another tab or window' });
    return { user, dialog };
  }

  it('each hand-over is a patch of the revision Go answered last', async () => {
    go.revisions = true;
    const user = await start([file('a1', ['It was late. '], { revision: 4 })]);
    await user.keyboard(' One.{Enter}');
    await waitFor(() => expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'One.']));
    expect(go.docs.get('a1')!.draft).toBeNull();
    expect(go.called('DocumentChanged')).toEqual([]);
    const bases = go.called('DocumentPatched').map((c) => (c[0] as DocPatch).base);
    expect(bases).toEqual(bases.map((_, i) => 4 + i));
    expect(go.docs.get('a1')!.revision).toBe(4 + bases.length);
    // Only what changed travels: never the fragment that was there.
    for (const [p] of go.called('DocumentPatched') as [DocPatch][]) expect(p.insert.map((f) => f.text)).not.toContain('It was late. ');
    await user.keyboard('{Control>}s{/Control}');
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect((go.called('SaveDocument')[0]![0] as DocumentFile).revision).toBe(4 + bases.length);
    // After Ctrl+S the next change patches the revision it wrote.
    await user.keyboard('{ArrowLeft}');
    await waitFor(() => expect(go.docs.get('a1')!.selection).toBe(1));
    expect((go.called('DocumentPatched').at(-1)![0] as DocPatch).base).toBe(5 + bases.length);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('a patch Go cannot apply (it restarted) is followed by the whole document, then patches again', async () => {
    go.revisions = true;
    const user = await start([file('a1', ['It was late. '], { revision: 2 })]);
    go.forgetful = true;
    await user.keyboard(' One.');
    await waitFor(() => expect(go.docs.get('a1')!.draft?.text).toBe('One.'));
    // Each refused patch was followed by the whole document (one hand-over or more: a loaded
    // machine types slower than the autosave throttle).
    const handOvers = go.calls.map((c) => c[0]).filter((m) => m === 'DocumentPatched' || m === 'DocumentChanged');
    expect(handOvers.length).toBeGreaterThan(0);
    expect(handOvers).toEqual(handOvers.map((_, i) => (i % 2 === 0 ? 'DocumentPatched' : 'DocumentChanged')));
    const wholes = go.called('DocumentChanged').length;
    go.forgetful = false;
    await user.keyboard(' Two.{Enter}');
    await waitFor(() => expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'One. Two.']));
    expect(go.called('DocumentChanged')).toHaveLength(wholes);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a stale save is refused: the page says so, stops saving over it, and keeps what was typed', async () => {
    const { user, dialog } = await conflicted('Mine');
    expect(dialog).toHaveTextContent('was saved from another tab or window');
    expect(screen.getByTestId('doc-status')).toHaveTextContent('NOT SAVED: changed elsewhere');
    expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Theirs. ']);
    // While the text is being typed, the keys stay with it.
    expect(dialog).toHaveTextContent('Finish the text you are typing (Enter)');
    await user.keyboard(' more');
    expect(texts()).toEqual(['It was late. ', 'Mine! more']);
    // Enter ends it; then the dialog has the focus, on the safe choice.
    await user.keyboard('{Enter}');
    await waitFor(() => expect(document.activeElement).toHaveTextContent('Keep my version as a copy'));
    expect(texts()).toEqual(['It was late. ', 'Mine! more', '<new>']);
    expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Theirs. ']);
  });

  it('Keep my version as a copy: a new document with this version and its draft, the other untouched', async () => {
    const { user } = await conflicted('Mine');
    await user.click(screen.getByRole('button', { name: 'Keep my version as a copy' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    const [copy] = go.called('SaveDocumentAsCopy').at(-1)! as [DocumentFile];
    expect(copy.id).toBe('a1');
    expect(go.docs.get('new1')!.draft).toEqual({ index: 1, mode: 'edit', text: 'Mine!' });
    expect(copy.name).toBe('It was late. Mine! (my version)'.replace('Mine! ', ''));
    expect(copy.fragments.map((f) => f.text)).toEqual(['It was late. ']);
    expect(copy.draft).toEqual({ index: 1, mode: 'edit', text: 'Mine!' });
    expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Theirs. ']);
    // Typing goes on into the copy.
    await user.keyboard(' more{Enter}');
    await waitFor(() => expect(go.docs.get('new1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Mine! more']));
    expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Theirs. ']);
  });

  it('Reload the other version: it opens here, and this version waits in the trash', async () => {
    const { user } = await conflicted('Mine');
    await user.click(screen.getByRole('button', { name: 'Reload the other version' }));
    await waitFor(() => expect(texts()).toEqual(['It was late. ', 'Theirs. ', '<new>']));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    const trashed = [...go.trash.values()];
    expect(trashed).toHaveLength(1);
    expect(trashed[0]!.draft?.text).toBe('Mine!');
    expect(screen.getByText(/Yours is in the trash as “It was late\. \(my version\)”/)).toBeInTheDocument();
    // Saving goes on, based on the reloaded revision.
    await user.keyboard('iMore. {Enter}');
    await waitFor(() => expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['It was late. ', 'Theirs. ', 'More. ']));
  });
});

describe('an unreachable server', () => {
  it('says NOT SAVED and hands the change over again until the server answers', async () => {
    const user = await start([file('a1', [])]);
    go.down = true;
    await user.keyboard(' Typed while the server restarts{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(/NOT SAVED: DocumentChanged: the server cannot be reached/);
    const tries = go.called('DocumentChanged').length;
    await waitFor(() => expect(go.called('DocumentChanged').length).toBeGreaterThan(tries), { timeout: 5000 });
    expect(go.docs.get('a1')!.fragments).toEqual([]);
    go.down = false;
    await waitFor(() => expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['Typed while the server restarts']), { timeout: 8000 });
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByTestId('doc-status')).not.toHaveTextContent('NOT SAVED');
  });

  it("a save Go reported while the page's event stream was still down: back online, the page asks and says saved", async () => {
    const user = await start([file('a1', [])]);
    go.down = true;
    act(() => bridgeMock.setOnline(false));
    await user.keyboard(' Typed while the server restarts{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(/NOT SAVED/);
    // The server is back; the hand-over gets through before the event stream does, so Go's
    // "saved" goes to no one (this fake Go sends none).
    go.down = false;
    await waitFor(() => expect(go.docs.get('a1')!.fragments.map((f) => f.text)).toEqual(['Typed while the server restarts']), { timeout: 8000 });
    await waitFor(() => expect(screen.getByTestId('doc-status')).toHaveAttribute('data-state', 'pending'));
    const lists = go.called('ListDocuments').length;
    act(() => bridgeMock.setOnline(true));
    await waitFor(() => expect(screen.getByTestId('doc-status')).toHaveAttribute('data-state', 'saved'));
    expect(go.called('ListDocuments').length).toBe(lists + 1);
  });
});

describe('in a browser (no native dialogs)', () => {
  let downloads: { name: string; href: string }[];
  beforeEach(() => {
    bridgeMock.set({ capabilities: BROWSER });
    downloads = [];
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:test/1'), revokeObjectURL: vi.fn() });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, href: this.href });
    });
  });

  it('Ctrl+E asks the format and downloads what Go exports; Escape cancels', async () => {
    const user = await start();
    await user.keyboard('{Control>}e{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Text (.txt)t', 'Markdown (.md)m', 'Document file (.json)j', 'Cancel Esc']);
    await user.keyboard('m');
    await waitFor(() => expect(downloads).toEqual([{ name: 'story.md', href: 'blob:test/1' }]));
    expect(go.called('ExportDocumentData')[0]![1]).toBe('md');
    expect(go.called('ExportDocument')).toEqual([]);
    expect(screen.queryByRole('dialog', { name: 'Export' })).toBeNull();
    // Enter takes the focused choice; the keys never reach the fragments.
    await user.keyboard('{Control>}e{/Control}');
    await screen.findByRole('dialog', { name: 'Export' });
    await user.keyboard('{ArrowLeft}{Enter}');
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['story.md', 'story.txt']));
    expect(texts()).toEqual(['It was late. ', 'The rain had stopped. ', '<new>']);
    await user.keyboard('{Control>}e{/Control}');
    await screen.findByRole('dialog', { name: 'Export' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Export' })).toBeNull();
    expect(downloads).toHaveLength(2);
  });

  it('Tab moves between the dialog\'s buttons and asks no model; Enter takes the one it reached', async () => {
    const user = await start();
    await user.keyboard('{Control>}e{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Export' });
    expect(within(dialog).getByRole('button', { name: /Text/ })).toHaveFocus();
    await user.keyboard('{Tab}');
    expect(within(dialog).getByRole('button', { name: /Markdown/ })).toHaveFocus();
    expect(go.called('AssistSuggest')).toEqual([]);
    await user.keyboard('{Tab}{Enter}');
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['story.json']));
    // Enter on Cancel cancels (it took the first choice).
    await user.keyboard('{Control>}e{/Control}');
    await screen.findByRole('dialog', { name: 'Export' });
    await user.keyboard('{Tab}{Tab}{Tab}');
    expect(screen.getByRole('button', { name: /Cancel/ })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: 'Export' })).toBeNull();
    expect(downloads).toHaveLength(1);
  });

  it('Ctrl+Shift+S downloads the document file', async () => {
    const user = await start();
    await user.keyboard('{Control>}{Shift>}s{/Shift}{/Control}');
    await waitFor(() => expect(downloads.map((d) => d.name)).toEqual(['story.json']));
    expect(go.called('SaveDocumentCopy')).toEqual([]);
    expect(await screen.findByText('Downloaded a copy: story.json')).toBeInTheDocument();
  });

  it('Ctrl+I uploads a file through the browser and opens what Go imported; cancelling changes nothing', async () => {
    const user = await start();
    const click = vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(() => {});
    await user.keyboard('{Control>}i{/Control}');
    const input = await waitFor(() => document.querySelector<HTMLInputElement>('input[type="file"]')!);
    expect(click).toHaveBeenCalled();
    expect(input).toHaveAttribute('aria-label', 'Import a file');
    fireEvent(input, new Event('cancel'));
    expect(go.called('ImportDocumentData')).toEqual([]);
    await user.keyboard('{Control>}i{/Control}');
    // The next pick replaces the input: one at a time.
    await waitFor(() => expect(document.querySelector('input[type="file"]')).not.toBe(input));
    expect(document.querySelectorAll('input[type="file"]')).toHaveLength(1);
    const again = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(again, new File(['Uploaded words.'], 'words.txt', { type: 'text/plain' }));
    await waitFor(() => expect(texts()).toEqual(['Uploaded words.', '<new>']));
    expect(go.called('ImportDocumentData')).toEqual([['words.txt', 'Uploaded words.']]);
    expect(go.called('ImportDocument')).toEqual([]);
    expect(document.querySelector('input[type="file"]')).toBeNull();
    click.mockRestore();
  });
});
