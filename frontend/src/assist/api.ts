/**
 * Typed calls to the bound Go methods of AI assistance. Everything goes through src/bridge, the
 * only module that touches Wails; tests mock that module.
 */
import { callApp, onEvent } from '../bridge';
import { PAGE_CLIENT } from './client';
import {
  type AllSettings,
  BATCH_EVENT,
  type Batch,
  type ModelInfo,
  type ModelSettings,
  PROXY_EVENT,
  type ProxyEvent,
  type SuggestRequest,
  type ContinueRequest,
  type PromptPreview,
} from './types';

export async function assistModels(): Promise<ModelInfo[]> {
  return (await callApp<ModelInfo[] | null>('AssistModels')) ?? [];
}

export async function assistSettings(): Promise<AllSettings> {
  return callApp<AllSettings>('AssistSettings');
}

export async function setModelSettings(name: string, settings: ModelSettings): Promise<void> {
  await callApp<void>('AssistSetModelSettings', name, settings);
}

/** Starts a round (the Go side cancels this page's running one); resolves to the round id. */
export async function suggest(req: SuggestRequest): Promise<string> {
  return callApp<string>('AssistSuggest', { ...req, client: PAGE_CLIENT });
}

/** Token mode: one model continues a fragment from a new prefix; resolves to the round id. */
export async function regenerate(req: ContinueRequest): Promise<string> {
  return callApp<string>('AssistRegenerate', { ...req, client: PAGE_CLIENT });
}

/** Exactly what each active model would receive for req (nothing is sent). */
export async function preview(req: SuggestRequest): Promise<PromptPreview[]> {
  return (await callApp<PromptPreview[] | null>('AssistPreview', req)) ?? [];
}

export async function cancelRound(round: string): Promise<void> {
  await callApp<void>('AssistCancel', round);
}

/** Cancels every running round of this page (other pages' rounds run on). */
export async function cancelAll(): Promise<void> {
  await callApp<void>('AssistCancelAll', PAGE_CLIENT);
}

export function onBatch(cb: (b: Batch) => void): () => void {
  return onEvent(BATCH_EVENT, (data) => cb(data as Batch));
}

export function onProxyEvent(cb: (e: ProxyEvent) => void): () => void {
  return onEvent(PROXY_EVENT, (data) => cb(data as ProxyEvent));
}
