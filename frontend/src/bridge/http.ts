/**
 * The browser door: the same Go methods and events over the HTTP API that LLProxy serves next to
 * the page (backend/webapi):
 *
 * - `POST /api/call/{Method}` with the JSON array of positional arguments and `X-CSRF-Token`;
 *   200 is the JSON of the return value, anything else `{"error":{"message","type","code"}}`.
 * - `GET /api/events`: Server-Sent Events, `event: <name>`, `data: <JSON array of the args>`.
 * - `GET /api/session`: `{"transport":"http","exposed","loggedIn","csrf"}`.
 *
 * Events reconnect on their own: any error closes the stream and it opens again after a short,
 * growing pause (the session is read again first, so a restarted server's new CSRF token and an
 * expired login are noticed). A POST refused with 403 is retried once when the session then has
 * another CSRF token (the server restarted); 401 means the login is gone.
 */
import { BridgeError, parseErrorBody, UNREACHABLE } from './errors';
import type { Transport } from './transport';

export interface SessionInfo {
  readonly transport: 'http';
  /** LLProxy listens beyond loopback: a login is required. */
  readonly exposed: boolean;
  readonly loggedIn: boolean;
  readonly csrf: string;
}

/** The part of EventSource the transport uses (tests pass a fake). */
export interface EventStream {
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onerror: ((ev: Event) => void) | null;
  addEventListener(name: string, cb: (ev: MessageEvent) => void): void;
  close(): void;
}

export interface HttpOptions {
  /** Prefix of the API paths ("" = this page's origin). */
  readonly base?: string;
  readonly fetch?: typeof fetch;
  readonly openEvents?: (url: string) => EventStream;
  /** The login is missing or gone (the bridge sends the page to /login). */
  readonly onLoginNeeded?: () => void;
  /** First and longest pause before the event stream opens again. */
  readonly retryMs?: readonly [number, number];
}

export const SESSION_PATH = '/api/session';
export const EVENTS_PATH = '/api/events';
export const CALL_PATH = '/api/call/';
const DEFAULT_RETRY: readonly [number, number] = [250, 5000];

/** Reads the session; null when this origin does not serve the API (a static page, a dev server). */
export async function fetchSession(base = '', fetchFn: typeof fetch = globalThis.fetch): Promise<SessionInfo | null> {
  let res: Response;
  try {
    res = await fetchFn(base + SESSION_PATH, { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    return null;
  }
  if (!res.ok || !(res.headers.get('Content-Type') ?? '').includes('json')) return null;
  try {
    const s = (await res.json()) as Partial<SessionInfo> | null;
    if (!s || s.transport !== 'http') return null;
    return { transport: 'http', exposed: s.exposed === true, loggedIn: s.loggedIn === true, csrf: typeof s.csrf === 'string' ? s.csrf : '' };
  } catch {
    return null;
  }
}

type Listener = (...data: unknown[]) => void;

export class HttpTransport implements Transport {
  readonly kind = 'http' as const;
  private csrf: string;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly openEvents: (url: string) => EventStream;
  private readonly onLoginNeeded: () => void;
  private readonly retryMs: readonly [number, number];
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly connection = new Set<(online: boolean) => void>();
  private stream: EventStream | null = null;
  private online = false;
  private pause: number;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(session: SessionInfo, opts: HttpOptions = {}) {
    this.csrf = session.csrf;
    this.base = opts.base ?? '';
    this.fetchFn = opts.fetch ?? ((...a) => globalThis.fetch(...a));
    this.openEvents = opts.openEvents ?? ((url) => new EventSource(url, { withCredentials: true }));
    this.onLoginNeeded = opts.onLoginNeeded ?? (() => {});
    this.retryMs = opts.retryMs ?? DEFAULT_RETRY;
    this.pause = this.retryMs[0];
    this.openStream();
  }

  async call<T>(name: string, args: readonly unknown[]): Promise<T> {
    let res = await this.post(name, args);
    if (res.status === 403) {
      // A restarted server has another CSRF token: read it and try once more.
      const before = this.csrf;
      const s = await fetchSession(this.base, this.fetchFn);
      if (s) this.csrf = s.csrf;
      if (s && s.csrf !== before) res = await this.post(name, args);
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
    if (res.status === 401) this.onLoginNeeded();
    throw parseErrorBody(text, res.status) ?? new BridgeError(`${name}: HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, '', '', res.status);
  }

  private async post(name: string, args: readonly unknown[]): Promise<Response> {
    try {
      return await this.fetchFn(this.base + CALL_PATH + encodeURIComponent(name), {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': this.csrf },
        body: JSON.stringify(args),
      });
    } catch (e) {
      throw new BridgeError(`${name}: the server cannot be reached (${e instanceof Error ? e.message : String(e)})`, UNREACHABLE);
    }
  }

  on(name: string, cb: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
      if (this.stream) this.listen(this.stream, name);
    }
    set.add(cb);
    return () => {
      set.delete(cb);
    };
  }

  onConnection(cb: (online: boolean) => void): () => void {
    this.connection.add(cb);
    cb(this.online);
    return () => {
      this.connection.delete(cb);
    };
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stream?.close();
    this.stream = null;
    this.setOnline(false);
  }

  private openStream(): void {
    if (this.closed) return;
    const es = this.openEvents(this.base + EVENTS_PATH);
    this.stream = es;
    es.onopen = () => {
      if (this.stream !== es) return;
      this.pause = this.retryMs[0];
      this.setOnline(true);
    };
    es.onerror = () => {
      if (this.stream !== es) return;
      // Our own pause, the same in every browser (their built-in retry waits 3–5 s).
      es.close();
      this.stream = null;
      this.setOnline(false);
      this.scheduleReopen();
    };
    for (const name of this.listeners.keys()) this.listen(es, name);
  }

  private scheduleReopen(): void {
    if (this.closed || this.retryTimer !== null) return;
    const wait = this.pause;
    this.pause = Math.min(this.retryMs[1], this.pause * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void fetchSession(this.base, this.fetchFn).then((s) => {
        if (this.closed) return;
        if (!s) return this.scheduleReopen();
        this.csrf = s.csrf;
        if (s.exposed && !s.loggedIn) return this.onLoginNeeded();
        this.openStream();
      });
    }, wait);
  }

  private listen(es: EventStream, name: string): void {
    es.addEventListener(name, (ev) => {
      if (this.stream !== es) return;
      let args: unknown;
      try {
        args = JSON.parse(String(ev.data));
      } catch {
        console.warn(`event ${name}: data is not JSON`, ev.data);
        return;
      }
      const list = Array.isArray(args) ? args : [args];
      for (const cb of [...(this.listeners.get(name) ?? [])]) cb(...list);
    });
  }

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    for (const cb of [...this.connection]) cb(online);
  }
}
