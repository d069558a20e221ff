/**
 * A suggestion round as the page sees it, and the pure functions that move it along: applying a
 * batch, grouping slots per model, turning slots into the choices a digit inserts. No React.
 */
import type { Choice } from '../editor';
import type { Batch, ModelInfo, ModelStatus, SlotUpdate } from './types';

export type RoundKind = 'continue' | 'rewrite';

export interface RoundView {
  /** Local number of the round, increasing with every Tab / rewrite. */
  readonly key: number;
  /** The Go side's round id, null until AssistSuggest resolved. */
  readonly id: string | null;
  readonly kind: RoundKind;
  /** The fragment rewritten (rewrite) or continued (continue; null on `<new>`). */
  readonly targetId: string | null;
  /** Slots by their reading-order place (`slot`); holes until batch 0 arrives. */
  readonly slots: readonly SlotUpdate[];
  /** Every model of the round, in model order. */
  readonly status: readonly ModelStatus[];
  readonly finished: boolean;
  readonly cancelled: boolean;
  /** Why the round could not start (AssistSuggest rejected). */
  readonly error: string | null;
  /** Seq of the last batch applied; -1 before the first. */
  readonly seq: number;
}

export function newRound(key: number, kind: RoundKind, targetId: string | null): RoundView {
  return { key, id: null, kind, targetId, slots: [], status: [], finished: false, cancelled: false, error: null, seq: -1 };
}

/**
 * Applies one batch of the round: changed slots replace theirs (the text is the whole text so
 * far), the status list is replaced. Batches of another round, or older than the last one
 * applied, leave the round as it is (the same object).
 */
export function applyBatch(round: RoundView, b: Batch): RoundView {
  if (round.id !== b.round || b.seq <= round.seq) return round;
  let slots = round.slots;
  if (b.updates && b.updates.length > 0) {
    const next = slots.slice();
    for (const u of b.updates) if (u.slot >= 0 && u.slot < MAX_SLOTS) next[u.slot] = u;
    slots = next;
  }
  return {
    ...round,
    slots,
    status: b.status ?? round.status,
    finished: round.finished || b.finished,
    cancelled: round.cancelled || b.cancelled,
    seq: b.seq,
  };
}

/** Slots the grid shows: numbers 1–9, 0 (the Go side never sends more; extra ones are ignored). */
export const MAX_SLOTS = 10;

export interface SlotGroup {
  readonly model: string;
  readonly color: string;
  readonly status: ModelStatus | undefined;
  /** The model's slots in reading order. */
  readonly slots: readonly SlotUpdate[];
}

/**
 * One group per model of the round, in the round's model order (models that have slots but no
 * status follow, in slot order); each group's slots in reading order.
 */
export function groupSlots(round: RoundView, colors: ReadonlyMap<string, string>): SlotGroup[] {
  const order: string[] = round.status.map((s) => s.model);
  const bySlot = round.slots.filter((s): s is SlotUpdate => s !== undefined).sort((a, b) => a.slot - b.slot);
  for (const s of bySlot) if (!order.includes(s.model)) order.push(s.model);
  return order.map((model) => ({
    model,
    color: colors.get(model) ?? FALLBACK_COLOR,
    status: round.status.find((s) => s.model === model),
    slots: bySlot.filter((s) => s.model === model),
  }));
}

export const FALLBACK_COLOR = '#8a8378';

export function colorMap(models: readonly ModelInfo[] | null): Map<string, string> {
  return new Map((models ?? []).map((m) => [m.name, m.settings.color]));
}

/**
 * What a digit inserts: the round's texts that are not empty and did not fail, in reading order,
 * the picked one among them (first of equal texts wins). Null when the number has no text yet.
 */
export function choicesFor(round: RoundView, number: number): { choices: Choice[]; chosen: number } | null {
  const picked = round.slots.find((s) => s?.number === number);
  if (!picked || picked.text === '') return null;
  const choices: Choice[] = [];
  let chosen = -1;
  for (const s of round.slots) {
    if (!s || s.text === '' || (s.error && s !== picked)) continue;
    const dup = choices.findIndex((c) => c.text === s.text);
    if (s === picked) chosen = dup >= 0 ? dup : choices.length;
    if (dup < 0) choices.push({ text: s.text, source: { kind: 'model', model: s.model }, ...(s.tokens && s.tokens.length > 0 ? { tokens: s.tokens } : {}) });
  }
  return { choices, chosen };
}

/** True while any model of the round is still working. */
export function isRunning(round: RoundView): boolean {
  return !round.finished && !round.error;
}

/** A hint after the Go side's message, for the errors a new user meets first. */
export function errorHint(message: string): string | null {
  if (message.startsWith('no models discovered')) {
    return 'Start an LLM server (llama.cpp, Ollama, vLLM…) on a port the proxy scans, or add its address in the proxy config (Ctrl+P).';
  }
  if (message.startsWith('no active models')) return 'Press m and switch a model on.';
  if (message.startsWith('the proxy is not running')) return 'Open the proxy panel (Ctrl+P) to see why.';
  return null;
}

/**
 * Splits the Go side's validation error ("invalid model settings: temperature: must be…\ntop_p:
 * must be…") into messages per field; anything else lands under `''`.
 */
export function fieldErrors(message: string): Record<string, string> {
  const body = message.replace(/^invalid model settings:\s*/, '');
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^([a-z_]+): (.+)$/.exec(line.trim());
    if (m && m[1] !== 'invalid model settings') out[m[1]!] = m[2]!;
    else if (line.trim() !== '') out[''] = out[''] ? `${out['']}; ${line.trim()}` : line.trim();
  }
  return out;
}
