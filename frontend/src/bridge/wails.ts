/**
 * The desktop door: bound Go methods at `window.go.main.App.<Method>`, the runtime at
 * `window.runtime.<Fn>`, both looked up at call time.
 */
import { BridgeError, fromRejection } from './errors';
import type { Transport } from './transport';

type AnyFn = (...args: never[]) => unknown;

export interface WailsRuntime {
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

export function wails(): WailsWindow {
  return typeof window === 'undefined' ? {} : (window as unknown as WailsWindow);
}

/** True inside the desktop window (the Wails runtime and the bound App are present). */
export function inWailsWindow(): boolean {
  const w = wails();
  return typeof w.runtime?.EventsOn === 'function' && typeof w.go?.main?.App === 'object';
}

export const wailsTransport: Transport = {
  kind: 'wails',
  async call<T>(name: string, args: readonly unknown[]): Promise<T> {
    const fn = wails().go?.main?.App?.[name] as ((...a: unknown[]) => Promise<T>) | undefined;
    if (typeof fn !== 'function') throw new BridgeError(`method ${name} is not available`, 'not_served');
    try {
      return await fn(...args);
    } catch (e) {
      throw fromRejection(e);
    }
  },
  on(name, cb) {
    const on = wails().runtime?.EventsOn;
    return on ? on(name, cb) : () => {};
  },
  onConnection(cb) {
    cb(true);
    return () => {};
  },
  close() {},
};
