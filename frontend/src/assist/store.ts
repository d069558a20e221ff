/**
 * The assist state lives outside React's tree state in a tiny store, so a batch (up to one per
 * frame) re-renders only the components that read the part it changed — the grid and the status
 * strip — and never the editor or the fragment list.
 */
import { useSyncExternalStore } from 'react';
import type { RoundView } from './round';
import type { ModelInfo, ModelStatus, PromptPreview } from './types';

/** Token mode (`t`): which token of which fragment, and which candidate ↑/↓ chose. */
export interface TokenCursor {
  readonly fragmentId: string;
  readonly index: number;
  /** Index into candidatesOf(tokens, index); 0 is the token itself. */
  readonly choice: number;
}

export interface AssistSnapshot {
  /** The desktop shell binds the assist methods; false in a plain browser. */
  readonly available: boolean;
  /** The model panel's list; null until the first answer. */
  readonly models: readonly ModelInfo[] | null;
  /** Why the list could not be read. */
  readonly modelsError: string | null;
  readonly round: RoundView | null;
  /** Model states of the latest round, kept after its grid closed (the status strip). */
  readonly status: readonly ModelStatus[];
  /** The suggestion grid shows (it closes on Escape, Ctrl+digit, a rewrite's digit). */
  readonly gridOpen: boolean;
  /** Provenance underlines (`a`). */
  readonly attribution: boolean;
  /** Recent rewrite instructions, newest first. */
  readonly instructions: readonly string[];
  /** The probability heatmap (`p`). */
  readonly heatmap: boolean;
  /** Token mode, or null. */
  readonly token: TokenCursor | null;
  /** A short message about probabilities or a regeneration (cleared by the next action). */
  readonly notice: string | null;
  /** The prompt preview (`P`): null while loading. */
  readonly preview: readonly PromptPreview[] | null;
  readonly previewError: string | null;
}

export class AssistStore {
  private snap: AssistSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(available: boolean) {
    this.snap = { available, models: null, modelsError: null, round: null, status: [], gridOpen: false, attribution: false, instructions: [],
      heatmap: false, token: null, notice: null, preview: null, previewError: null };
  }

  get = (): AssistSnapshot => this.snap;

  set(change: Partial<AssistSnapshot>): void {
    let differs = false;
    for (const k of Object.keys(change) as (keyof AssistSnapshot)[]) if (change[k] !== this.snap[k]) differs = true;
    if (!differs) return;
    this.snap = { ...this.snap, ...change };
    for (const l of this.listeners) l();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

/** Reads one part of the store; the component re-renders only when that part changes. */
export function useAssistStore<T>(store: AssistStore, pick: (s: AssistSnapshot) => T): T {
  return useSyncExternalStore(store.subscribe, () => pick(store.get()));
}
