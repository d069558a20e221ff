/**
 * The bridge, faked for component tests: the one mock of `src/bridge` every test file uses.
 *
 *     vi.mock('../bridge', () => import('../bridge/mock'));
 *     import { bridgeMock, DESKTOP } from '../bridge/mock';
 *     beforeEach(() => bridgeMock.reset({ kind: 'wails', ai: false, go: { Version: () => 'v1' } }));
 *
 * Every export of the real module is here with the real one's type (checked at the bottom), so a
 * change of the bridge's exports or signatures fails `tsc` here, not at run time in some test.
 * The functions are `vi.fn` spies (assert on them, or override one with `vi.mocked(…)`); their
 * default behaviour follows the fake's setup the way the real bridge follows its door:
 * - `kind` is the door (`connect`, `transportKind`); `'none'`, the default, is a page no server
 *   serves, as the real bridge is under jsdom: calls reject with `no_server`, no services.
 * - `capabilities` default to the door's (DESKTOP for `'wails'`, else BROWSER); `ai` to whether
 *   a server answers.
 * - `go` is the Go side: a table of bound methods (typed by the generated bindings: a misspelled
 *   method or a wrong argument fails `tsc`), or one function that answers every call. A method it
 *   does not have rejects as the Wails door does. Whatever it throws reaches the page as a
 *   `BridgeError`, as over the real doors (throw a `BridgeError` to give a code).
 * - Events: `onEvent` subscribes; `bridgeMock.emit` delivers (wrap it in `act` when it renders).
 */
import { vi } from 'vitest';
import { BAD_PATCH, BridgeError, errorCode, fromRejection, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE } from './errors';
import type * as Real from './index';
import type { Capabilities, TransportKind } from './index';
import type { Args, MethodName } from './surface';

export const DESKTOP: Capabilities = { nativeFiles: true, quit: true, keepServing: true, nativeClipboard: true };
export const BROWSER: Capabilities = { nativeFiles: false, quit: false, keepServing: false, nativeClipboard: false };

/** Bound Go methods by name, each given the arguments the page passed. */
export type GoMethods = { [M in MethodName]?: (...args: Args<M>) => unknown };
/** One function for every call (a fake Go side with state, e.g. a class). */
export type GoHandler = (name: string, args: unknown[]) => unknown;

export interface BridgeSetup {
  /** The door. Default `'none'`: a page no server serves. */
  readonly kind?: TransportKind;
  /** Default: the door's (DESKTOP for Wails, else BROWSER). */
  readonly capabilities?: Capabilities;
  /** Whether model features are available. Default: a server answers (`kind !== 'none'`). */
  readonly ai?: boolean;
  /** The Go side. Default: no methods. */
  readonly go?: GoMethods | GoHandler;
}

type Listener = (...data: unknown[]) => void;

interface FakeState {
  kind: TransportKind;
  capabilities: Capabilities | null;
  ai: boolean | null;
  go: GoMethods | GoHandler;
  online: boolean;
}

const fake: FakeState = { kind: 'none', capabilities: null, ai: null, go: {}, online: false };
const listeners = new Map<string, Set<Listener>>();
const connectionListeners = new Set<(online: boolean) => void>();

function answer(name: string, args: unknown[]): unknown {
  if (fake.kind === 'none') throw new BridgeError(`${name}: no server (this page was not served by FragmentEditor or llproxy)`, 'no_server');
  if (typeof fake.go === 'function') return fake.go(name, args);
  const fn = (fake.go as Record<string, ((...a: unknown[]) => unknown) | undefined>)[name];
  if (typeof fn !== 'function') throw new BridgeError(`method ${name} is not available`, 'not_served');
  return fn(...args);
}

// ---- the bridge's exports ----

export { BAD_PATCH, BridgeError, errorCode, STALE_REVISION, UNKNOWN_BASE, UNREACHABLE };
export const LOGIN_PATH = '/login';

export const connect = vi.fn<typeof Real.connect>(async () => fake.kind);
export const resetBridge = vi.fn<typeof Real.resetBridge>();
export const transportKind = vi.fn<typeof Real.transportKind>(() => fake.kind);
export const servicesAvailable = vi.fn<typeof Real.servicesAvailable>(() => fake.kind !== 'none');
export const capabilities = vi.fn<typeof Real.capabilities>(() => fake.capabilities ?? (fake.kind === 'wails' ? DESKTOP : BROWSER));
export const aiAvailable = vi.fn<typeof Real.aiAvailable>(() => fake.ai ?? fake.kind !== 'none');
export const callApp = vi.fn<typeof Real.callApp>((async (name: string, ...args: unknown[]) => {
  try {
    return await answer(name, args);
  } catch (e) {
    throw fromRejection(e);
  }
}) as typeof Real.callApp);
export const onEvent = vi.fn<typeof Real.onEvent>((name, cb) => {
  let set = listeners.get(name);
  if (!set) listeners.set(name, (set = new Set()));
  set.add(cb);
  return () => void set.delete(cb);
});
export const onConnection = vi.fn<typeof Real.onConnection>((cb) => {
  connectionListeners.add(cb);
  cb(fake.online);
  return () => void connectionListeners.delete(cb);
});
export const quit = vi.fn<typeof Real.quit>();
export const clipboardSetText = vi.fn<typeof Real.clipboardSetText>(async () => true);
export const clipboardGetText = vi.fn<typeof Real.clipboardGetText>(async () => null);
export const setWindowTitle = vi.fn<typeof Real.setWindowTitle>();

const SPIES = [connect, resetBridge, transportKind, servicesAvailable, capabilities, aiAvailable, callApp, onEvent, onConnection, quit, clipboardSetText, clipboardGetText, setWindowTitle];

// ---- the test's controls ----

export const bridgeMock = {
  /**
   * A fresh fake: the setup over the defaults, every spy's calls and overrides forgotten, no
   * event subscriptions. Call it in `beforeEach`.
   */
  reset(setup: BridgeSetup = {}): void {
    for (const spy of SPIES) spy.mockReset();
    listeners.clear();
    connectionListeners.clear();
    Object.assign(fake, { kind: 'none', capabilities: null, ai: null, go: {} } satisfies Omit<FakeState, 'online'>);
    this.set(setup);
    fake.online = fake.kind !== 'none';
  },

  /** Changes part of the setup, keeping the rest (and the spies' records). */
  set(setup: BridgeSetup): void {
    if (setup.kind !== undefined) fake.kind = setup.kind;
    if (setup.capabilities !== undefined) fake.capabilities = setup.capabilities;
    if (setup.ai !== undefined) fake.ai = setup.ai;
    if (setup.go !== undefined) fake.go = setup.go;
  },

  /** Adds or replaces bound methods of a table Go side. */
  methods(methods: GoMethods): void {
    if (typeof fake.go === 'function') throw new Error('bridgeMock.methods: the Go side is a handler function, not a table');
    fake.go = { ...fake.go, ...methods };
  },

  /**
   * Delivers a Go event to every handler the page subscribed; throws when there is none (the
   * page would not hear it: a test that sends it expects otherwise).
   */
  emit(event: string, ...data: unknown[]): void {
    const cbs = [...(listeners.get(event) ?? [])];
    if (cbs.length === 0) throw new Error(`bridgeMock.emit: nothing on the page listens to ${event}`);
    for (const cb of cbs) cb(...data);
  },

  /** How many handlers the page has subscribed to `event`. */
  listeners(event: string): number {
    return listeners.get(event)?.size ?? 0;
  },

  /** The server goes away or comes back (`onConnection` subscribers hear it). */
  setOnline(online: boolean): void {
    fake.online = online;
    for (const cb of [...connectionListeners]) cb(online);
  },

  /** The arguments of every call of `name`, in order. */
  calls(name: MethodName): unknown[][] {
    return callApp.mock.calls.filter((c) => c[0] === name).map((c) => c.slice(1));
  },
};

/** A function's type with its type parameters erased (a `vi.fn` of a generic function is not generic). */
type Erased<F> = F extends (...args: infer A) => infer R ? (...args: A) => R : F;

/**
 * Every export of the real bridge, with its type: an export added, removed, renamed or given
 * other parameters fails `tsc` here.
 */
export const mockedBridge = {
  BridgeError,
  errorCode,
  STALE_REVISION,
  UNKNOWN_BASE,
  BAD_PATCH,
  UNREACHABLE,
  LOGIN_PATH,
  connect,
  resetBridge,
  transportKind,
  servicesAvailable,
  capabilities,
  aiAvailable,
  callApp,
  onEvent,
  onConnection,
  quit,
  clipboardSetText,
  clipboardGetText,
  setWindowTitle,
} satisfies { [K in keyof typeof Real]: Erased<(typeof Real)[K]> };
