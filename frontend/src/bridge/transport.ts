import { BridgeError } from './errors';

/** What the bridge needs of a door to the Go services (Wails in the window, HTTP in a browser). */
export interface Transport {
  readonly kind: 'wails' | 'http' | 'none';
  /** Calls a Go method with positional arguments; rejects with a BridgeError. */
  call<T>(name: string, args: readonly unknown[]): Promise<T>;
  /** Subscribes to a Go event; the callback gets the event's arguments. Returns the unsubscribe. */
  on(name: string, cb: (...data: unknown[]) => void): () => void;
  /** Reports whether events arrive (now, then on every change). Returns the unsubscribe. */
  onConnection(cb: (online: boolean) => void): () => void;
  close(): void;
}

/** No Go side at all (the static page of `npm run dev` and the plain-page tests). */
export const noTransport: Transport = {
  kind: 'none',
  call(name) {
    return Promise.reject(new BridgeError(`${name}: no server (this page was not served by FragmentEditor or llproxy)`, 'no_server'));
  },
  on: () => () => {},
  onConnection(cb) {
    cb(false);
    return () => {};
  },
  close() {},
};
