/**
 * The only module that knows how the page reaches the Go services. It picks the door once, when
 * the page starts (`connect`): Wails inside the desktop window, HTTP (calls + Server-Sent Events,
 * see http.ts) in a browser served by FragmentEditor or llproxy, and none on a static page (the
 * dev server, the plain-page tests), where nothing is saved. Everything above calls the same
 * functions with the same semantics and gets the same errors (`BridgeError`, with the Go side's
 * code) whichever door it is. What only a desktop can do is asked through `capabilities()`, never
 * through the door's name.
 */
import { BridgeError, fromRejection } from './errors';
import { fetchSession, HttpTransport, type HttpOptions } from './http';
import { noTransport, type Transport } from './transport';
import type { MethodName } from './surface';
import { inWailsWindow, wails, wailsTransport } from './wails';

export { BAD_PATCH, BridgeError, errorCode, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from './errors';

export type TransportKind = Transport['kind'];

/** What this page can do beyond the shared services. */
export interface Capabilities {
  /** Native open/save dialogs (export and import through files the Go side writes and reads). */
  readonly nativeFiles: boolean;
  /** The app can be quit from the page (Ctrl+Q). */
  readonly quit: boolean;
  /** The "keep serving when the window closes" switch means something. */
  readonly keepServing: boolean;
  /** The system clipboard can be read without a paste event. */
  readonly nativeClipboard: boolean;
}

const DESKTOP: Capabilities = { nativeFiles: true, quit: true, keepServing: true, nativeClipboard: true };
const BROWSER: Capabilities = { nativeFiles: false, quit: false, keepServing: false, nativeClipboard: false };

let transport: Transport | null = null;
let connecting: Promise<TransportKind> | null = null;

/** The door in use: Wails is known at once; HTTP only after `connect`. */
function current(): Transport {
  if (transport) return transport;
  return inWailsWindow() ? wailsTransport : noTransport;
}

/** Where the login page is (served by the access package). */
export const LOGIN_PATH = '/login';

function goToLogin(): void {
  if (typeof location === 'undefined' || location.pathname === LOGIN_PATH) return;
  location.assign(`${LOGIN_PATH}?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`);
}

/**
 * Picks the door (once; later calls get the same answer). In a browser it asks the page's origin
 * for the session: an exposed server without a login sends the page to the login form, and the
 * promise then never resolves (the page is leaving).
 */
export function connect(opts: HttpOptions = {}): Promise<TransportKind> {
  connecting ??= (async () => {
    if (inWailsWindow()) {
      transport = wailsTransport;
      return transport.kind;
    }
    const session = typeof window === 'undefined' ? null : await fetchSession(opts.base, opts.fetch);
    if (!session) {
      transport = noTransport;
      return transport.kind;
    }
    if (session.exposed && !session.loggedIn) {
      goToLogin();
      return new Promise<TransportKind>(() => {});
    }
    transport = new HttpTransport(session, { onLoginNeeded: goToLogin, ...opts });
    return transport.kind;
  })();
  return connecting;
}

/** Forgets the chosen door (tests). */
export function resetBridge(): void {
  transport?.close();
  transport = null;
  connecting = null;
}

export function transportKind(): TransportKind {
  return current().kind;
}

/** True when the Go services answer (the desktop window, or a page served by FragmentEditor/llproxy). */
export function servicesAvailable(): boolean {
  return current().kind !== 'none';
}

export function capabilities(): Capabilities {
  return current().kind === 'wails' ? DESKTOP : BROWSER;
}

/**
 * Calls a Go method; rejects with a BridgeError carrying the Go side's message (and code). The
 * name must be a method of the generated bindings: a renamed or removed Go method fails `tsc` here.
 */
export async function callApp<T>(name: MethodName, ...args: unknown[]): Promise<T> {
  try {
    return await current().call<T>(name, args);
  } catch (e) {
    throw e instanceof BridgeError ? e : fromRejection(e);
  }
}

/** Subscribes to a Go-side event; returns the unsubscribe function. */
export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  return current().on(name, cb);
}

/** Whether events arrive (called at once, then on every change): false while the server is away. */
export function onConnection(cb: (online: boolean) => void): () => void {
  return current().onConnection(cb);
}

/**
 * Quits the app (Ctrl+Q), through the Go side so it quits even when the window's close button
 * only hides the window (keep serving). A browser tab is not the app: nothing happens there.
 */
export function quit(): void {
  if (!capabilities().quit) return;
  void callApp('Quit').catch(() => wails().runtime?.Quit?.());
}

/**
 * Puts text on the system clipboard: the desktop runtime, else the async Clipboard API. Resolves
 * false when neither worked (the page's `copy` event handler is the last fallback).
 */
export async function clipboardSetText(text: string): Promise<boolean> {
  const rt = wails().runtime;
  try {
    if (capabilities().nativeClipboard && rt?.ClipboardSetText) return await rt.ClipboardSetText(text);
    if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Permission refused or no focus: the copy event handler still fills the clipboard.
  }
  return false;
}

/**
 * Reads the system clipboard through the desktop runtime. Null in a browser, where pasting goes
 * through the page's `paste` event instead (no permission prompt needed).
 */
export async function clipboardGetText(): Promise<string | null> {
  const rt = wails().runtime;
  if (!capabilities().nativeClipboard || !rt?.ClipboardGetText) return null;
  try {
    return await rt.ClipboardGetText();
  } catch {
    return null;
  }
}

export function setWindowTitle(title: string): void {
  const rt = current().kind === 'wails' ? wails().runtime : undefined;
  if (rt?.WindowSetTitle) rt.WindowSetTitle(title);
  else if (typeof document !== 'undefined') document.title = title;
}

/** Whether model features can work: the Go services answer. */
export function aiAvailable(): boolean {
  return servicesAvailable();
}
