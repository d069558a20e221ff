/**
 * The only module that touches Wails. Bound Go methods live at `window.go.main.App.<Method>` and
 * the runtime at `window.runtime.<Fn>`; both are looked up at call time, so the page also runs in
 * a plain browser (tests, `npm run dev`), where everything degrades: no desktop features, quit
 * does nothing, the system clipboard goes through the browser. Tests mock this module.
 *
 * Rejections of bound methods (Go `error` returns arrive as strings) become `Error`s here.
 */

type AnyFn = (...args: never[]) => unknown;

interface WailsRuntime {
  Quit?: () => void;
  ClipboardGetText?: () => Promise<string>;
  ClipboardSetText?: (text: string) => Promise<boolean>;
  EventsOn?: (name: string, cb: (...data: unknown[]) => void) => () => void;
  WindowSetTitle?: (title: string) => void;
}

interface WailsWindow {
  go?: { main?: { App?: Record<string, AnyFn | undefined> } };
  runtime?: WailsRuntime;
}

function wails(): WailsWindow {
  return typeof window === 'undefined' ? {} : (window as unknown as WailsWindow);
}

/** True inside the desktop shell (the Wails runtime is present). */
export function isDesktop(): boolean {
  const w = wails();
  return typeof w.runtime?.EventsOn === 'function' && typeof w.go?.main?.App === 'object';
}

/** True when the Go side binds a method of this name. */
export function hasAppMethod(name: string): boolean {
  return typeof wails().go?.main?.App?.[name] === 'function';
}

/** Calls a bound Go method; rejects with an Error when it is missing or the Go side returns an error. */
export async function callApp<T>(name: string, ...args: unknown[]): Promise<T> {
  const fn = wails().go?.main?.App?.[name] as ((...a: unknown[]) => Promise<T>) | undefined;
  if (typeof fn !== 'function') throw new Error(`desktop method ${name} is not available`);
  try {
    return await fn(...args);
  } catch (e) {
    throw e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * Quits the app (Ctrl+Q), through the Go side so it quits even when the window's close button
 * only hides the window (keep serving). In a browser it does nothing.
 */
export function quit(): void {
  if (hasAppMethod('Quit')) void callApp('Quit').catch(() => wails().runtime?.Quit?.());
  else wails().runtime?.Quit?.();
}

/**
 * Puts text on the system clipboard: the desktop runtime, else the async Clipboard API. Resolves
 * false when neither worked (the page's `copy` event handler is the last fallback).
 */
export async function clipboardSetText(text: string): Promise<boolean> {
  const rt = wails().runtime;
  try {
    if (isDesktop() && rt?.ClipboardSetText) return await rt.ClipboardSetText(text);
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
  if (!isDesktop() || !rt?.ClipboardGetText) return null;
  try {
    return await rt.ClipboardGetText();
  } catch {
    return null;
  }
}

/** Subscribes to a Go-side event; returns the unsubscribe function (a no-op in a browser). */
export function onEvent(name: string, cb: (...data: unknown[]) => void): () => void {
  const on = wails().runtime?.EventsOn;
  return on ? on(name, cb) : () => {};
}

export function setWindowTitle(title: string): void {
  const rt = wails().runtime;
  if (rt?.WindowSetTitle) rt.WindowSetTitle(title);
  else if (typeof document !== 'undefined') document.title = title;
}

/** Whether model features can work: the desktop shell binds the assist methods. Never in a plain browser. */
export function aiAvailable(): boolean {
  return isDesktop() && hasAppMethod('AssistSuggest');
}
