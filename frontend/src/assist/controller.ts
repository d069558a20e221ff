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
import {
  type EditorState,
  type TokenProb,
  beginRegenerate,
  candidatesOf,
  cycleAlternative,
  finishRegenerate,
  insertChoice,
  regeneratePrefix,
  replaceWithChoice,
  streamInto,
} from '../editor';
import { errorCode, SHORT_WINDOW } from '../bridge/errors';
import * as api from './api';
import { applyBatch, choicesFor, newRound, type RoundKind, type RoundView } from './round';
import { AssistStore } from './store';
import { type Batch, type ContinueRequest, DEFAULT_INSTRUCTION, MODEL_LIST_EVENTS, type ModelSettings, type NotesPayload, type SuggestRequest } from './types';
import { storyBound, textsOf, windowStart } from './window';

/** A regeneration in progress (token mode's Enter). */
interface Regen {
  key: number;
  id: string | null;
  fragmentId: string;
  prefix: string;
  prefixTokens: TokenProb[];
  seq: number;
  /** Batches that came before the round id. */
  early: Batch[];
}

export interface EditorAccess {
  /** The editor state as last rendered. */
  getState: () => EditorState;
  /** Applies a pure command to the editor state. */
  apply: (fn: (s: EditorState) => EditorState) => void;
}

interface Pending {
  req: SuggestRequest;
  /** The request with the whole document, should Go find `req`'s window too short. */
  whole: () => SuggestRequest;
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
  private regen: Regen | null = null;

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

  /**
   * The fragments a request carries: from the window's start (window.ts) to `end`, for a
   * request about index `point` (the text before it is what prompts use).
   */
  private carried(state: EditorState, point: number, end: number, whole = false): { fragments: string[]; first?: number } {
    const first = whole ? 0 : windowStart(state.fragments, point, storyBound(this.store.get().models));
    return first > 0 ? { fragments: textsOf(state.fragments, first, end), first } : { fragments: textsOf(state.fragments, 0, end) };
  }

  /** Tab: suggestions continuing the document at the selection. */
  suggestAt(state: EditorState = this.editor.getState()): void {
    if (state.mode !== 'explore') return;
    const notes = notesPayload(state);
    // Continuing uses the text up to and including the selection.
    const end = Math.min(state.selection + 1, state.fragments.length);
    const req = (whole: boolean): SuggestRequest => ({ ...this.carried(state, end, end, whole), selection: state.selection, kind: 'continue', ...(notes ? { notes } : {}) });
    this.start(req(false), () => req(true), 'continue', state.fragments[state.selection]?.id ?? null);
  }

  /** Enter in the rewrite prompt: alternatives for the selected fragment. */
  rewrite(instruction: string, state: EditorState = this.editor.getState()): void {
    const target = state.fragments[state.selection];
    if (state.mode !== 'explore' || !target) return;
    const i = state.selection;
    const req = (whole: boolean): SuggestRequest => ({
      ...this.carried(state, i, i + 1, whole),
      selection: i,
      kind: 'rewrite',
      instruction: instruction.trim() === '' ? DEFAULT_INSTRUCTION : instruction,
      target: i,
    });
    this.start(req(false), () => req(true), 'rewrite', target.id);
  }

  private start(req: SuggestRequest, whole: () => SuggestRequest, kind: RoundKind, targetId: string | null): void {
    if (!this.store.get().available) {
      this.store.set({ round: { ...newRound(++this.key, kind, targetId), error: UNAVAILABLE, finished: true }, gridOpen: true });
      return;
    }
    const key = ++this.key;
    this.store.set({ round: newRound(key, kind, targetId), gridOpen: true });
    if (this.inFlight) {
      this.waiting = { req, whole, key };
      return;
    }
    void this.send({ req, whole, key });
  }

  private async send(p: Pending): Promise<void> {
    this.inFlight = true;
    let id: string | null = null;
    let error: string | null = null;
    try {
      id = await api.suggest(p.req).catch((e: unknown) => {
        if (errorCode(e) !== SHORT_WINDOW) throw e;
        return api.suggest(p.whole());
      });
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
    if (b.kind === 'regenerate') {
      this.onRegenBatch(b);
      return;
    }
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
    this.regen = null;
    this.store.set({ round: null, gridOpen: false, notice: null });
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

  // ---- probabilities and token mode ----

  /** `p`: the heatmap over model fragments. */
  toggleHeatmap(): void {
    this.store.set({ heatmap: !this.store.get().heatmap, notice: null });
  }

  /**
   * `t` on a model's fragment: token mode at its first token. Returns false (with a notice) when the
   * fragment has no tokens.
   */
  enterTokenMode(state: EditorState = this.editor.getState()): boolean {
    const f = state.fragments[state.selection];
    if (state.mode !== 'explore' || !f || f.source?.kind !== 'model') {
      this.store.set({ notice: 'Token mode works on a fragment a model wrote.' });
      return false;
    }
    if (!f.tokens || f.tokens.length === 0) {
      this.store.set({ notice: f.edited ? 'Edited by hand: its token probabilities were dropped.' : 'No probabilities from this server for this fragment.' });
      return false;
    }
    this.store.set({ token: { fragmentId: f.id, index: 0, choice: 0 }, notice: null });
    return true;
  }

  /** The fragment and tokens token mode is on, or null (and token mode ends). */
  private tokenTarget() {
    const cur = this.store.get().token;
    if (!cur) return null;
    const state = this.editor.getState();
    const index = state.fragments.findIndex((f) => f.id === cur.fragmentId);
    const tokens = state.fragments[index]?.tokens;
    if (!tokens || tokens.length === 0) {
      this.store.set({ token: null });
      return null;
    }
    return { cur, index, tokens };
  }

  /** ←/→ in token mode. */
  tokenMove(dir: 1 | -1): void {
    const t = this.tokenTarget();
    if (!t) return;
    const index = Math.min(t.tokens.length - 1, Math.max(0, t.cur.index + dir));
    this.store.set({ token: { ...t.cur, index, choice: 0 } });
  }

  /** ↑/↓ in token mode: the candidate chosen in the popup. */
  tokenChoose(dir: 1 | -1): void {
    const t = this.tokenTarget();
    if (!t) return;
    const n = candidatesOf(t.tokens, t.cur.index).length;
    const choice = Math.min(n - 1, Math.max(0, t.cur.choice + dir));
    this.store.set({ token: { ...t.cur, choice } });
  }

  /** Escape in token mode. */
  leaveTokenMode(): void {
    this.store.set({ token: null });
  }

  /**
   * Enter in token mode: the token becomes the chosen candidate, the fragment is cut there, and the
   * model that wrote it continues from exactly that prefix, streaming into the fragment in place.
   */
  tokenRegenerate(): void {
    const t = this.tokenTarget();
    if (!t) return;
    const state = this.editor.getState();
    const f = state.fragments[t.index]!;
    const choice = candidatesOf(t.tokens, t.cur.index)[t.cur.choice];
    if (!choice || f.source?.kind !== 'model') return;
    const { prefix, tokens } = regeneratePrefix(t.tokens, t.cur.index, choice);
    this.store.set({ token: null, notice: null });
    this.editor.apply((s) => beginRegenerate(s, f.id, prefix, tokens));
    if (!this.store.get().available) {
      this.store.set({ notice: UNAVAILABLE });
      return;
    }
    // A regeneration replaces any running round (the Go side cancels it too).
    this.key++;
    this.waiting = null;
    this.store.set({ round: null, gridOpen: false });
    const regen: Regen = { key: this.key, id: null, fragmentId: f.id, prefix, prefixTokens: tokens, seq: -1, early: [] };
    this.regen = regen;
    const notes = notesPayload(state);
    const model = f.source.model;
    const req = (whole: boolean): ContinueRequest => ({ ...this.carried(state, t.index, t.index + 1, whole), index: t.index, prefix, model, ...(notes ? { notes } : {}) });
    api.regenerate(req(false)).catch((e: unknown) => {
      if (errorCode(e) !== SHORT_WINDOW) throw e;
      return api.regenerate(req(true));
    }).then(
      (id) => {
        if (this.regen !== regen) {
          void api.cancelRound(id).catch(() => {});
          return;
        }
        regen.id = id;
        this.statusRound = id;
        for (const b of regen.early) this.onRegenBatch(b);
        regen.early = [];
      },
      (e) => {
        if (this.regen === regen) this.regen = null;
        this.store.set({ notice: `Could not regenerate: ${message(e)}` });
      },
    );
  }

  private onRegenBatch(b: Batch): void {
    const r = this.regen;
    if (!r) return;
    if (r.id === null) {
      if (r.early.length < MAX_EARLY_BATCHES) r.early.push(b);
      return;
    }
    if (b.round !== r.id || b.seq <= r.seq) return;
    r.seq = b.seq;
    if (b.status) this.store.set({ status: b.status });
    const u = b.updates?.[0];
    if (u?.error) this.store.set({ notice: `${u.model}: ${u.error}` });
    if (u && u.text !== '') {
      if (u.done) this.editor.apply((s) => finishRegenerate(s, r.fragmentId, r.prefix, r.prefixTokens, u.text, u.tokens ?? undefined));
      else this.editor.apply((s) => streamInto(s, r.fragmentId, r.prefix, u.text));
    }
    if (b.finished) this.regen = null;
  }

  /** `P`: fetches what each active model would receive now. */
  async loadPreview(state: EditorState = this.editor.getState()): Promise<void> {
    this.store.set({ preview: null, previewError: null });
    if (!this.store.get().available) {
      this.store.set({ previewError: UNAVAILABLE });
      return;
    }
    const notes = notesPayload(state);
    const req: SuggestRequest = { fragments: state.fragments.map((f) => f.text), selection: state.selection, kind: 'continue', ...(notes ? { notes } : {}) };
    try {
      this.store.set({ preview: await api.preview(req) });
    } catch (e) {
      this.store.set({ previewError: message(e) });
    }
  }
}

/** The story notes of the document as the Go side reads them, or undefined. */
export function notesPayload(state: EditorState): NotesPayload | undefined {
  const n = state.notes;
  if (!n || (n.memory.trim() === '' && n.authorsNote.trim() === '')) return undefined;
  return { memory: n.memory, authors_note: n.authorsNote, depth: n.depth };
}

export const UNAVAILABLE = 'AI suggestions need a server: this page is not served by FragmentEditor or llproxy.';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
