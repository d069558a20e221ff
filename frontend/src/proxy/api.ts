/**
 * The proxy panel's view of the Go side: the JSON shapes of the bound methods (llproxy.Status,
 * llproxy.LogEntry, config.Problem, appsettings.Settings) and typed wrappers over src/bridge.
 * discovery.Report has no JSON tags, so its fields keep their Go names.
 */
import { callApp, capabilities, onEvent, servicesAvailable } from '../bridge';

/** One thing wrong with a configuration; path like "endpoints[1].port_end" ("" = the document). */
export interface Problem {
  path: string;
  message: string;
}

export interface PortInUse {
  host: string;
  port: number;
  /** True when the occupant answered /health as an llproxy. */
  llproxy: boolean;
  instance?: string;
  version?: string;
  /** The occupant's /v1 base URL. */
  baseUrl: string;
}

export interface ModelInfo {
  name: string;
  id: string;
  tags?: string[] | null;
  /** "host:port" for scanned backends, the base URL for fixed-URL endpoints. */
  replicas: string[] | null;
  /** The first replica's own /v1/models entry. */
  raw?: unknown;
}

export interface EndpointReport {
  Index: number;
  Label: string;
  Target: string;
  Probed: number;
  Answered: number;
  Refused: number;
  Kept: number;
  Models: number;
  Errors: string[] | null;
  Skipped: boolean;
  /** "ssh://user@host" for an SSH endpoint; absent or "" otherwise. */
  Via?: string;
  /** Whether an SSH endpoint's probes and requests go through its connection. */
  Tunnel?: boolean;
  /** Why the SSH login or port listing failed (also the first of Errors). */
  SSHError?: string;
  /** The ports found on an SSH endpoint's host this run. */
  Ports?: number[] | null;
}

export interface DiscoveryReport {
  /** RFC 3339; Go's zero time before the first run. */
  Started: string;
  /** Nanoseconds. */
  Duration: number;
  Models: number;
  Added: string[] | null;
  Removed: string[] | null;
  Endpoints: EndpointReport[] | null;
}

export interface ProxyStatus {
  running: boolean;
  listenAddr: string;
  baseUrl: string;
  instance: string;
  version: string;
  configPath: string;
  error?: string;
  problems?: Problem[] | null;
  portInUse?: PortInUse | null;
  /** Set when the proxy serves the network without api_keys: anyone who can reach it can use the models. */
  warning?: string;
  models: ModelInfo[] | null;
  discovery: DiscoveryReport;
}

export interface LogEntry {
  seq: number;
  time: string;
  level: string;
  message: string;
  attrs?: { key: string; value: string }[] | null;
}

export type ProxyEventKind = 'models-changed' | 'config-applied' | 'config-error' | 'status-changed';

export interface ProxyEvent {
  kind: ProxyEventKind;
  added?: string[];
  removed?: string[];
  error?: string;
  problems?: Problem[];
}

export interface AppSettings {
  keep_serving: boolean;
  /** Serve the editor page on the proxy's port to other devices. */
  serve_editor?: boolean;
}

/** How other devices reach the editor (backend/webapi Invitation). */
export interface EditorInvitation {
  on: boolean;
  urls: string[];
  exposed: boolean;
  key: string;
  /** A PNG of the first URL as a data: URL, or "". */
  qr: string;
  note: string;
}

export const PROXY_EVENT = 'proxy:event';

/** Whether the panel can talk to a proxy at all (false on a page no server serves). */
export const proxyAvailable = (): boolean => servicesAvailable();

/** Whether the "keep serving when the window closes" switch applies (only a desktop window closes). */
export const keepServingApplies = (): boolean => capabilities().keepServing;

export const proxyStatus = () => callApp<ProxyStatus>('ProxyStatus');
export const proxyLogs = async () => (await callApp<LogEntry[] | null>('ProxyLogs')) ?? [];
export const proxyConfigText = () => callApp<string>('ProxyConfigText');
export const validateProxyConfig = async (text: string) => (await callApp<Problem[] | null>('ValidateProxyConfig', text)) ?? [];
export const saveProxyConfig = (text: string) => callApp<void>('SaveProxyConfig', text);
export const rescanModels = () => callApp<void>('RescanModels');
export const freePort = () => callApp<number>('FreePort');
export const appSettings = () => callApp<AppSettings>('AppSettings');
export const setAppSettings = (s: AppSettings) => callApp<void>('SetAppSettings', s);
export const editorServing = () => callApp<EditorInvitation>('EditorServing');
export const appVersion = () => callApp<string>('Version');

/** Subscribes to the proxy's change notifications; returns the unsubscribe function. */
export function onProxyEvent(cb: (e: ProxyEvent) => void): () => void {
  return onEvent(PROXY_EVENT, (data) => cb(data as ProxyEvent));
}
