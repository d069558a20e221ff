import { describe, expect, it } from 'vitest';
import { applyBatch, choicesFor, colorMap, errorHint, fieldErrors, groupSlots, newRound, type RoundView } from './round';
import type { Batch, ModelInfo, SlotUpdate } from './types';

const slot = (model: string, slotNo: number, text = '', extra: Partial<SlotUpdate> = {}): SlotUpdate => ({
  model,
  index: 0,
  slot: slotNo,
  number: (slotNo + 1) % 10,
  text,
  done: false,
  ...extra,
});

const batch = (round: string, seq: number, updates: SlotUpdate[], extra: Partial<Batch> = {}): Batch => ({
  round,
  seq,
  kind: 'continue',
  target: 0,
  updates,
  status: null,
  finished: false,
  cancelled: false,
  ...extra,
});

const started = (): RoundView => ({ ...newRound(1, 'continue', 'f1'), id: 'r1' });

describe('applyBatch', () => {
  it('lays out batch 0 and replaces changed slots with their full text', () => {
    let r = applyBatch(started(), batch('r1', 0, [slot('a', 0), slot('a', 1), slot('b', 2)]));
    expect(r.slots.map((s) => s.text)).toEqual(['', '', '']);
    r = applyBatch(r, batch('r1', 1, [slot('b', 2, ' Hello')]));
    expect(r.slots.map((s) => s.text)).toEqual(['', '', ' Hello']);
    const unchanged = r.slots[0];
    r = applyBatch(r, batch('r1', 2, [slot('b', 2, ' Hello there.', { done: true })], { finished: true }));
    expect(r.slots[2]).toMatchObject({ text: ' Hello there.', done: true });
    expect(r.slots[0]).toBe(unchanged);
    expect(r.finished).toBe(true);
  });

  it('ignores batches of other rounds and stale seq numbers (same object back)', () => {
    const r = applyBatch(started(), batch('r1', 3, [slot('a', 0, 'x')]));
    expect(applyBatch(r, batch('r0', 9, [slot('a', 0, 'old')]))).toBe(r);
    expect(applyBatch(r, batch('r1', 2, [slot('a', 0, 'late')]))).toBe(r);
    const pending = newRound(2, 'continue', null);
    expect(applyBatch(pending, batch('r1', 0, []))).toBe(pending);
  });

  it('keeps the status list until a batch brings a new one', () => {
    let r = applyBatch(started(), batch('r1', 0, [], { status: [{ model: 'a', state: 'waiting', tps: 0 }] }));
    r = applyBatch(r, batch('r1', 1, [slot('a', 0, 'x')]));
    expect(r.status).toEqual([{ model: 'a', state: 'waiting', tps: 0 }]);
  });
});

describe('groupSlots', () => {
  it('groups by model in status order, slots in reading order, with colours', () => {
    let r = applyBatch(
      started(),
      batch('r1', 0, [slot('b', 2), slot('a', 1), slot('a', 0)], {
        status: [
          { model: 'a', state: 'streaming', tps: 3 },
          { model: 'b', state: 'waiting', tps: 0 },
        ],
      }),
    );
    r = applyBatch(r, batch('r1', 1, [slot('c', 3, 'z')]));
    const g = groupSlots(r, new Map([['a', '#111111']]));
    expect(g.map((x) => [x.model, x.color, x.slots.map((s) => s.number)])).toEqual([
      ['a', '#111111', [1, 2]],
      ['b', '#8a8378', [3]],
      ['c', '#8a8378', [4]],
    ]);
    expect(g[0]!.status?.state).toBe('streaming');
  });

  it('colorMap reads each model colour', () => {
    const m = { name: 'x', settings: { color: '#abcdef' } } as ModelInfo;
    expect(colorMap([m]).get('x')).toBe('#abcdef');
    expect(colorMap(null).size).toBe(0);
  });
});

describe('choicesFor', () => {
  const round = applyBatch(
    started(),
    batch('r1', 0, [slot('a', 0, ' One.'), slot('a', 1, ''), slot('b', 2, ' Two.'), slot('b', 3, ' One.'), slot('b', 4, '', { error: 'boom' })]),
  );

  it('offers the non-empty texts in reading order, the picked one among them, duplicates once', () => {
    expect(choicesFor(round, 3)).toEqual({
      choices: [
        { text: ' One.', source: { kind: 'model', model: 'a' } },
        { text: ' Two.', source: { kind: 'model', model: 'b' } },
      ],
      chosen: 1,
    });
    expect(choicesFor(round, 4)?.chosen).toBe(0);
  });

  it('is null for an empty, failed or missing number', () => {
    expect(choicesFor(round, 2)).toBeNull();
    expect(choicesFor(round, 5)).toBeNull();
    expect(choicesFor(round, 9)).toBeNull();
  });
});

describe('messages', () => {
  it('splits validation errors per field', () => {
    expect(fieldErrors('invalid model settings: temperature: must be between 0 and 2\ntop_p: must be between 0 and 1')).toEqual({
      temperature: 'must be between 0 and 2',
      top_p: 'must be between 0 and 1',
    });
    expect(fieldErrors('settings file is read-only')).toEqual({ '': 'settings file is read-only' });
  });

  it('gives a fix for the errors a new user meets', () => {
    expect(errorHint('no models discovered: start an LLM server or add its address to the proxy config')).toMatch(/Ctrl\+P/);
    expect(errorHint('no active models: switch one on in the model panel (m)')).toMatch(/m/);
    expect(errorHint('upstream 500')).toBeNull();
  });
});
