/**
 * The assist controller: starts and cancels rounds, applies their batches, turns digits into
 * document changes. It holds no React state; the editor gives it read access to its state and a
 * way to apply pure commands, and components read the AssistStore.
 *
 * Rounds and ids: AssistSuggest resolves to the round's id, but the round's first batches may
 * arrive before that answer. Batches of unknown rounds are kept while a call is pending and
 * replayed once the id is known; afterwards only the latest round's batches count. At most one
 * AssistSuggest call is in flight: a Tab pressed meanwhile waits for it (only the newest waiting
 * request is sent), so the Go side always sees the rounds in the order they were asked for.
 */
import { type EditorState, cycleAlternative, insertChoice, replaceWithChoice } from '../editor';
import * as api from './api';
import { applyBatch, choicesFor, newRound, type RoundKind, type RoundView } from './round';
import { AssistStore } from './store';
import { type Batch, DEFAULT_INSTRUCTION, MODEL_LIST_EVENTS, type ModelSettings, type SuggestRequest } from './types';

export interface EditorAccess {
  /** The editor state as last rendered. */
  getState: () => EditorState;
  /** Applies a pure command to the editor state. */
  apply: (fn: (s: EditorState) => EditorState) => void;
}

interface Pending {
  req: SuggestRequest;
  key: number;
}

/** Batches kept for rounds whose id is not known yet (a bound, not a queue to drain). */
const MAX_EARLY_BATCHES = 256;

export class AssistController {
  readonly store: AssistStore;
  private readonly editor: EditorAccess;
  private key = 0;
  private inFlight = false;
  private waiting: Pending | null = null;
  private early: Batch[] = [];
  /** The round whose model status the status strip shows (kept after the grid closes). */
  private statusRound: string | null = null;

  constructor(store: AssistStore, editor: EditorAccess) {
    this.store = store;
    this.editor = editor;
  }

  /** Subscribes to the Go side's events and loads the model list; returns the unsubscribe. */
  attach(): () => void {
    if (!this.store.get().available) return () => {};
    const offBatch = api.onBatch((b) => this.onBatch(b));
    const offProxy = api.onProxyEvent((e) => {
      if (MODEL_LIST_EVENTS.has(e?.kind)) void this.refreshModels();
    });
    void this.refreshModels();
    return () => {
      offBatch();
      offProxy();
    };
  }

  async refreshModels(): Promise<void> {
    try {
      this.store.set({ models: await api.assistModels(), modelsError: null });
    } catch (e) {
      this.store.set({ modelsError: message(e) });
    }
  }

  async refreshInstructions(): Promise<void> {
    try {
      const s = await api.assistSettings();
      this.store.set({ instructions: s.instructions ?? [] });
    } catch {
      // The prompt still works with the default instruction.
    }
  }

  /** Saves one model's settings; rejects with the Go side's message. */
  async saveModel(name: string, settings: ModelSettings): Promise<void> {
    await api.setModelSettings(name, settings);
    await this.refreshModels();
  }

  // ---- rounds ----

  /** Tab: suggestions continuing the document at the selection. */
  suggestAt(state: EditorState = this.editor.getState()): void {
    if (state.mode !== 'explore') return;
    const req: SuggestRequest = { fragments: state.fragments.map((f) => f.text), selection: state.selection, kind: 'continue' };
    this.start(req, 'continue', state.fragments[state.selection]?.id ?? null);
  }

  /** Enter in the rewrite prompt: alternatives for the selected fragment. */
  rewrite(instruction: string, state: EditorState = this.editor.getState()): void {
    const target = state.fragments[state.selection];
    if (state.mode !== 'explore' || !target) return;
    const req: SuggestRequest = {
      fragments: state.fragments.map((f) => f.text),
      selection: state.selection,
      kind: 'rewrite',
      instruction: instruction.trim() === '' ? DEFAULT_INSTRUCTION : instruction,
      target: state.selection,
    };
    this.start(req, 'rewrite', target.id);
  }

  private start(req: SuggestRequest, kind: RoundKind, targetId: string | null): void {
    if (!this.store.get().available) {
      this.store.set({ round: { ...newRound(++this.key, kind, targetId), error: UNAVAILABLE, finished: true }, gridOpen: true });
      return;
    }
    const key = ++this.key;
    this.store.set({ round: newRound(key, kind, targetId), gridOpen: true });
    if (this.inFlight) {
      this.waiting = { req, key };
      return;
    }
    void this.send({ req, key });
  }

  private async send(p: Pending): Promise<void> {
    this.inFlight = true;
    let id: string | null = null;
    let error: string | null = null;
    try {
      id = await api.suggest(p.req);
    } catch (e) {
      error = message(e);
    }
    this.inFlight = false;
    const next = this.waiting;
    this.waiting = null;
    if (next) {
      // A newer request waited: the Go side cancels this round when it starts that one.
      this.early = this.early.filter((b) => b.round !== id);
      void this.send(next);
      return;
    }
    const round = this.store.get().round;
    if (p.key !== this.key || !round || round.key !== p.key) {
      if (id) void api.cancelRound(id).catch(() => {});
      this.early = [];
      return;
    }
    if (error !== null || id === null) {
      this.early = [];
      this.store.set({ round: { ...round, error: error ?? 'no round', finished: true } });
      return;
    }
    let r: RoundView = { ...round, id };
    for (const b of this.early) r = applyBatch(r, b);
    this.early = [];
    this.statusRound = id;
    this.store.set(r.status.length > 0 ? { round: r, status: r.status } : { round: r });
  }

  /** One batch from the Go side, applied in one store update. */
  onBatch(b: Batch): void {
    if (b.round === this.statusRound && b.status) this.store.set({ status: b.status });
    const round = this.store.get().round;
    if (!round) return;
    if (round.id === null) {
      if (this.inFlight && this.early.length < MAX_EARLY_BATCHES) this.early.push(b);
      return;
    }
    const next = applyBatch(round, b);
    if (next !== round) this.store.set({ round: next });
  }

  /**
   * Escape with no overlay open: cancels every running generation and closes the grid. Returns
   * whether there was anything to close.
   */
  escape(): boolean {
    const { round, gridOpen, available } = this.store.get();
    this.key++;
    this.waiting = null;
    this.early = [];
    if (available) void api.cancelAll().catch(() => {});
    this.store.set({ round: null, gridOpen: false });
    return round !== null || gridOpen;
  }

  /**
   * A digit: the suggestion numbered `number` goes into the document (continue: right of the
   * selection; rewrite: in place of the target). `askAgain` starts the next round at the inserted
   * fragment (continue only). Returns false when the number has no suggestion to take.
   */
  pick(number: number, askAgain: boolean): boolean {
    const { round, gridOpen } = this.store.get();
    if (!round || !gridOpen) return false;
    const c = choicesFor(round, number);
    if (!c) return false;
    const state = this.editor.getState();
    if (state.mode !== 'explore') return false;
    if (round.kind === 'rewrite') {
      const index = state.fragments.findIndex((f) => f.id === round.targetId);
      if (index < 0) return false;
      this.editor.apply((s) => replaceWithChoice(s, index, c.choices, c.chosen));
      this.stop(round);
      return true;
    }
    const fn = (s: EditorState) => insertChoice(s, c.choices, c.chosen);
    const next = fn(state);
    this.editor.apply(fn);
    if (askAgain) this.suggestAt(next);
    else this.stop(round);
    return true;
  }

  /** Closes the grid and cancels the round's remaining generations. */
  private stop(round: RoundView): void {
    this.key++;
    this.waiting = null;
    if (round.id && !round.finished) void api.cancelRound(round.id).catch(() => {});
    this.store.set({ round: null, gridOpen: false });
  }

  /** Up / Down. */
  cycle(dir: 1 | -1): void {
    this.editor.apply((s) => cycleAlternative(s, dir));
  }

  toggleAttribution(): void {
    this.store.set({ attribution: !this.store.get().attribution });
  }
}

export const UNAVAILABLE = 'AI suggestions need a server: this page is not served by FragmentEditor or llproxy.';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
