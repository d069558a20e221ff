import { describe, expect, it } from 'vitest';
import { BAD_PATCH, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from '../bridge/errors';
import { createState, type Fragment } from '../editor';
import type { DocumentInfo } from './convert';
import {
  type Acked,
  ackedBy,
  CHANGED_ELSEWHERE,
  copyName,
  type DocsEvent,
  type DocsState,
  docsStep,
  expiringNotices,
  failureOf,
  initialDocs,
  keyOf,
  listedAsSaved,
  MAX_THROTTLE_MS,
  NO_SERVER,
  patchRefused,
  planHandOver,
  revisionOf,
  sameKey,
  type SaveStatus,
  THROTTLE_MS,
  throttleFor,
  UNAVAILABLE,
  unavailable,
  withRevision,
} from './saving';
import type { DocumentFile, Meta } from './types';

const T = '2026-01-02T15:04:05Z';
const info = (id: string, name = ''): DocumentInfo => ({ format: 2, id, name, created: T, modified: T });
const A = info('a1');

/** Runs events from a state. */
const run = (s: DocsState, ...events: DocsEvent[]) => events.reduce(docsStep, s);
const open = (status: SaveStatus = { kind: 'idle' }): DocsState => ({ ...initialDocs(A, []), status });
const texts = (s: DocsState) => s.notices.map((n) => `${n.kind}: ${n.text}`);

const PENDING: SaveStatus = { kind: 'pending' };
const SAVED: SaveStatus = { kind: 'saved' };
const IDLE: SaveStatus = { kind: 'idle' };
const err = (message: string): SaveStatus => ({ kind: 'error', message });

describe('start', () => {
  it('shows the start-up problems as one notice, the indicator idle', () => {
    const s = initialDocs(A, ['port 4000 in use', 'no models']);
    expect(s.notices).toEqual([{ key: 0, kind: 'problems', text: 'Problems at start', details: ['port 4000 in use', 'no models'] }]);
    expect(s.status).toEqual(IDLE);
    expect(initialDocs(null, []).notices).toEqual([]);
  });
});

describe('the save indicator', () => {
  it.each<[string, SaveStatus, DocsEvent, SaveStatus]>([
    ['a change: saving…', IDLE, { type: 'changed' }, PENDING],
    ['a change after a save', SAVED, { type: 'changed' }, PENDING],
    ['a change keeps an error shown', err('disk full'), { type: 'changed' }, err('disk full')],
    ['Go saved the open document, nothing waiting', PENDING, { type: 'saved', id: 'a1', waiting: false }, SAVED],
    ['Go saved it while another change waits: still saving', PENDING, { type: 'saved', id: 'a1', waiting: true }, PENDING],
    ['Go saved another document', PENDING, { type: 'saved', id: 'b2', waiting: false }, PENDING],
    ['a hand-over through after an error, nothing waiting: saving…', err('unreachable'), { type: 'handedOver', id: 'a1', waiting: false }, PENDING],
    ['a hand-over through while another change waits keeps the error', err('unreachable'), { type: 'handedOver', id: 'a1', waiting: true }, err('unreachable')],
    ['a hand-over through does not mark saved (Go says when)', PENDING, { type: 'handedOver', id: 'a1', waiting: false }, PENDING],
    ['a failure of the open document', PENDING, { type: 'saveFailed', id: 'a1', message: 'disk full' }, err('disk full')],
    ['a failure of another document', PENDING, { type: 'saveFailed', id: 'b2', message: 'disk full' }, PENDING],
    ['stale: changed elsewhere', PENDING, { type: 'stale', id: 'a1', message: 'changed since 3' }, err(CHANGED_ELSEWHERE)],
    ['Ctrl+S', err('disk full'), { type: 'savedNow', id: 'a1' }, SAVED],
    ['another document opens', err('disk full'), { type: 'opened', info: info('b2') }, IDLE],
  ])('%s', (_, from, event, want) => {
    expect(docsStep(open(from), event).status).toEqual(want);
  });

  it('an event that changes nothing returns the same state', () => {
    for (const [s, e] of [
      [open(PENDING), { type: 'changed' }],
      [open(err('x')), { type: 'changed' }],
      [open(SAVED), { type: 'saved', id: 'a1', waiting: false }],
      [open(PENDING), { type: 'handedOver', id: 'a1', waiting: false }],
      [open(), { type: 'dismiss', key: 99 }],
      [open(), { type: 'exporting', open: false }],
      [initialDocs(null, []), { type: 'renamed', name: 'x' }],
    ] as [DocsState, DocsEvent][]) {
      expect(docsStep(s, e)).toBe(s);
    }
  });
});

describe('notices', () => {
  it('an equal notice replaces the older one, with a new key', () => {
    const s = run(open(), { type: 'notify', kind: 'info', text: 'Saved' }, { type: 'notify', kind: 'error', text: 'x' }, { type: 'notify', kind: 'info', text: 'Saved' });
    expect(texts(s)).toEqual(['error: x', 'info: Saved']);
    expect(s.notices.map((n) => n.key)).toEqual([2, 3]);
  });

  it('dismiss takes one away', () => {
    const s = run(open(), { type: 'notify', kind: 'error', text: 'one' }, { type: 'notify', kind: 'error', text: 'two' }, { type: 'dismiss', key: 1 });
    expect(texts(s)).toEqual(['error: two']);
  });

  it("a document's save errors go when Go saves it; others stay", () => {
    const s = run(
      open(),
      { type: 'saveFailed', id: 'a1', message: 'disk full' },
      { type: 'saveFailed', id: 'b2', message: 'read-only' },
      { type: 'notify', kind: 'error', text: 'Export: no' },
      { type: 'saved', id: 'a1', waiting: false },
    );
    expect(texts(s)).toEqual(['error: NOT SAVED: read-only', 'error: Export: no']);
  });

  it('"cannot reach the server" goes when a hand-over of that document gets through; other errors wait for the save', () => {
    const s = run(
      open(),
      { type: 'saveFailed', id: 'a1', message: 'no space', unreachable: false },
      { type: 'saveFailed', id: 'a1', message: 'the server cannot be reached', unreachable: true },
      { type: 'saveFailed', id: 'b2', message: 'the server cannot be reached (b2)', unreachable: true },
      { type: 'handedOver', id: 'a1', waiting: false },
    );
    expect(texts(s)).toEqual(['error: NOT SAVED: no space', 'error: NOT SAVED: the server cannot be reached (b2)']);
  });

  it('Ctrl+S clears the errors of the document and confirms', () => {
    const s = run(open(), { type: 'saveFailed', id: 'a1', message: 'disk full' }, { type: 'savedNow', id: 'a1' });
    expect(texts(s)).toEqual(['info: Saved']);
  });

  it('only new confirmations expire by themselves', () => {
    const a = run(open(), { type: 'notify', kind: 'info', text: 'Old' });
    const b = run(a, { type: 'notify', kind: 'info', text: 'New' }, { type: 'notify', kind: 'error', text: 'Stays' });
    expect(expiringNotices(a, b).map((n) => n.text)).toEqual(['New']);
    expect(expiringNotices(b, b)).toEqual([]);
  });
});

describe('stale saves and the conflict', () => {
  it('of the open document: the conflict dialog, the first conflict kept', () => {
    const s = run(open(), { type: 'stale', id: 'a1', message: 'first' }, { type: 'stale', id: 'a1', message: 'second' });
    expect(s.conflict).toEqual({ id: 'a1', message: 'first' });
    expect(s.notices).toEqual([]);
  });

  it('of a document left behind: an error notice, no dialog', () => {
    const s = docsStep(open(PENDING), { type: 'stale', id: 'old', message: 'changed since 2' });
    expect(s.conflict).toBeNull();
    expect(s.status).toEqual(PENDING);
    expect(texts(s)).toEqual(['error: NOT SAVED: a document you left was changed elsewhere (changed since 2)']);
  });

  it('keep my version: the page is the copy now, saved; the errors of the old one go', () => {
    const s = run(open(), { type: 'saveFailed', id: 'a1', message: 'x' }, { type: 'stale', id: 'a1', message: 'y' }, { type: 'keptAsCopy', info: info('new1', 'Story (my version)'), name: 'Story (my version)' });
    expect(s.info?.id).toBe('new1');
    expect(s.conflict).toBeNull();
    expect(s.status).toEqual(SAVED);
    expect(texts(s)).toEqual(['info: Your version is now “Story (my version)”; the other one stays as it was.']);
  });

  it('opening a document ends the conflict', () => {
    const s = run(open(), { type: 'stale', id: 'a1', message: 'y' }, { type: 'opened', info: A });
    expect(s.conflict).toBeNull();
  });

  it('the copy is named after the title, marked as mine', () => {
    const fragments: Fragment[] = [{ id: 'f1', text: 'It was late. ', source: { kind: 'typed' } }];
    expect(copyName(info('a1'), fragments)).toBe('It was late. (my version)');
    expect(copyName(info('a1', 'Chapter One'), fragments)).toBe('Chapter One (my version)');
  });
});

describe('commands', () => {
  it.each([
    [false, A, NO_SERVER],
    [false, null, NO_SERVER],
    [true, null, UNAVAILABLE],
    [true, A, null],
  ])('served %s, open document %j: %s', (served, inf, why) => {
    expect(unavailable(served, inf)).toBe(why);
  });

  it('rename changes the open name; export opens and closes its dialog', () => {
    expect(docsStep(open(), { type: 'renamed', name: 'My Novel' }).info?.name).toBe('My Novel');
    expect(run(open(), { type: 'exporting', open: true }).exporting).toBe(true);
    expect(run(open(), { type: 'exporting', open: true }, { type: 'exporting', open: false }).exporting).toBe(false);
  });
});

describe('what counts as a change', () => {
  const s = createState({ fragments: [{ id: 'f1', text: 'A. ', source: { kind: 'typed' } }] });
  it.each<[string, (k: ReturnType<typeof keyOf>) => ReturnType<typeof keyOf>, boolean]>([
    ['nothing', (k) => ({ ...k }), true],
    ['the fragment list', (k) => ({ ...k, fragments: [...k.fragments] }), false],
    ['the selection', (k) => ({ ...k, selection: 0 }), false],
    ['the mode', (k) => ({ ...k, mode: 'edit' }), false],
    ['the draft', (k) => ({ ...k, draft: 'x' }), false],
    ['the name', (k) => ({ ...k, name: 'x' }), false],
    ['the document', (k) => ({ ...k, id: 'b2' }), false],
  ])('%s changed: same %s', (_, change, same) => {
    const k = keyOf(s, A);
    expect(sameKey(k, change(k))).toBe(same);
  });
});

describe('hand-overs', () => {
  const view = { fragments: [], skip: -1 };
  const acked: Acked = { id: 'a1', revision: 4, view };
  it.each<[string, Acked | null, string, number | undefined, 'patch' | 'whole']>([
    ['Go holds the revision this page is based on: a patch', acked, 'a1', 4, 'patch'],
    ['Go holds none: the whole document', null, 'a1', 4, 'whole'],
    ['Go holds another document', acked, 'b2', 4, 'whole'],
    ['Go holds an older revision', acked, 'a1', 5, 'whole'],
    ['no revision known', acked, 'a1', undefined, 'whole'],
    ['revision 0 (never saved)', { ...acked, revision: 0 }, 'a1', 0, 'whole'],
  ])('%s', (_, a, id, rev, kind) => {
    const plan = planHandOver(a, id, rev);
    expect(plan.kind).toBe(kind);
    if (plan.kind === 'patch') expect(plan.base).toBe(a);
  });

  it.each([
    [STALE_REVISION, 'stale', false],
    [UNREACHABLE, 'unreachable', false],
    [UNKNOWN_BASE, 'failed', true],
    [BAD_PATCH, 'failed', true],
    ['', 'failed', false],
  ])('code %j: %s, patch refused %s', (code, failure, refused) => {
    expect(failureOf(code)).toBe(failure);
    expect(patchRefused(code)).toBe(refused);
  });

  it.each([
    [0, THROTTLE_MS],
    [10, THROTTLE_MS],
    [40, 240],
    [200, MAX_THROTTLE_MS],
  ])('a hand-over costing %i ms: the next waits %i ms', (cost, wait) => {
    expect(throttleFor(cost)).toBe(wait);
  });

  it.each<[string, unknown, number | undefined]>([
    ['a number', 7, 7],
    ['a Meta or document', { id: 'a1', revision: 3 }, 3],
    ['nothing', undefined, undefined],
    ['not a number', { revision: '3' }, undefined],
    ['NaN', Number.NaN, undefined],
  ])('the revision of %s', (_, answer, rev) => {
    expect(revisionOf(answer)).toBe(rev);
    expect(ackedBy('a1', view, answer)).toEqual(rev === undefined ? null : { id: 'a1', revision: rev, view });
  });

  it('a document carries the revision it is based on, when one is known', () => {
    const doc = { id: 'a1', revision: 1 } as DocumentFile;
    expect(withRevision(doc, 5).revision).toBe(5);
    expect(withRevision(doc, undefined)).toBe(doc);
  });
});

describe('back online: was the save Go reported while the event stream was down written?', () => {
  const meta = (id: string, revision?: number): Meta => ({ id, name: '', title: '', created: T, modified: T, fragments: 0, words: 0, size: 0, revision });
  it.each<[string, Meta[] | null, number | undefined, boolean]>([
    ['listed at the revision of the last hand-over', [meta('b2', 9), meta('a1', 4)], 4, true],
    ['listed at a later one', [meta('a1', 5)], 4, true],
    ['listed at an older one: not yet', [meta('a1', 3)], 4, false],
    ['not listed (deleted elsewhere)', [meta('b2', 4)], 4, false],
    ['an empty library', null, 4, false],
    ['this page knows no revision', [meta('a1', 1)], undefined, true],
    ['Go counts none', [meta('a1')], 4, true],
  ])('%s: %s', (_, documents, revision, want) => {
    expect(listedAsSaved({ documents }, 'a1', revision)).toBe(want);
  });
});
