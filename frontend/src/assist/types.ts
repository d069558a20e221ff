/**
 * The shapes of the Go side (backend/assist, bound in app.go), field names as the JSON carries
 * them. See `go doc ./backend/assist`.
 */
import type { TokenProb } from '../editor';

export type AssistMode = 'chat' | 'text';
export type AssistTemplate = 'raw' | 'alpaca' | 'chatml' | 'llama3';

export interface ModelSettings {
  active: boolean;
  mode: AssistMode;
  template: AssistTemplate;
  system_prompt: string;
  temperature: number;
  top_p: number;
  max_tokens: number;
  suggestions: number;
  stop_at_sentence: boolean;
  color: string;
  context_tokens: number;
  /** K: candidates asked per token, 0–20; 0 asks for no probabilities. */
  top_logprobs: number;
  /** Leave the document's story notes out of this model's prompts. */
  ignore_notes: boolean;
}

/** One row of the model panel, in panel order. */
export interface ModelInfo {
  name: string;
  /** The effective switch (the first model is active until the user chooses). */
  active: boolean;
  context_tokens: number;
  context_from_server: boolean;
  /** The kind of server ("llama.cpp", "vllm", "ollama"), "" when unknown. */
  server: string;
  settings: ModelSettings;
}

export interface AllSettings {
  models: Record<string, ModelSettings> | null;
  active_chosen: boolean;
  /** Recent rewrite instructions, newest first. */
  instructions: string[] | null;
}

/** The story notes as the Go side reads them (assist.Notes). */
export interface NotesPayload {
  memory: string;
  authors_note: string;
  depth: number;
}

/**
 * `fragments` are the document's from index `first` on (absent: 0, the whole document; see
 * window.ts); `selection` and `target` are the document's indices.
 */
export type SuggestRequest =
  | { fragments: string[]; first?: number; selection: number; kind: 'continue'; notes?: NotesPayload }
  | { fragments: string[]; first?: number; selection: number; kind: 'rewrite'; instruction: string; target: number };

/** Token mode's Enter: `model` continues `prefix`, the new start of fragment `index`. */
export interface ContinueRequest {
  /** From index `first` on, as in SuggestRequest. */
  fragments: string[];
  first?: number;
  index: number;
  prefix: string;
  model: string;
  notes?: NotesPayload;
}

/** Exactly what one model receives (assist.PromptPreview). */
export interface PromptPreview {
  model: string;
  endpoint: string;
  system?: string;
  user?: string;
  text?: string;
  stop?: string[] | null;
  trimmed_bytes: number;
  trimmed_fragments: number;
  trimmed?: string;
  error?: string;
}

export type ModelState = 'idle' | 'waiting' | 'streaming' | 'error';

export interface ModelStatus {
  model: string;
  state: ModelState;
  /** Chunks per second over the model's streams in this round. */
  tps: number;
  message?: string;
}

/** One suggestion slot: the whole text so far. */
export interface SlotUpdate {
  model: string;
  /** Place among its model's suggestions. */
  index: number;
  /** Place in the round's reading order (0–9). */
  slot: number;
  /** Its key: 1–9, then 0 for the tenth. */
  number: number;
  text: string;
  done: boolean;
  error?: string;
  /** With the final text, when the server sent probabilities (regenerate: the text after the prefix). */
  tokens?: TokenProb[] | null;
}

export interface Batch {
  round: string;
  seq: number;
  kind: 'continue' | 'rewrite' | 'regenerate';
  target: number;
  updates: SlotUpdate[] | null;
  status: ModelStatus[] | null;
  finished: boolean;
  cancelled: boolean;
}

/** The proxy's notifications (llproxy.Event); only `kind` matters here. */
export interface ProxyEvent {
  kind: string;
}

export const BATCH_EVENT = 'assist:batch';
export const PROXY_EVENT = 'proxy:event';
/** Proxy event kinds after which the model list is fetched again. */
export const MODEL_LIST_EVENTS: ReadonlySet<string> = new Set(['models-changed', 'config-applied']);
export const DEFAULT_INSTRUCTION = 'Rewrite this sentence';
