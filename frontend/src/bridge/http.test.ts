import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BridgeError } from './errors';
import { type EventStream, fetchSession, HttpTransport, type SessionInfo } from './http';

const SESSION: SessionInfo = { transport: 'http', exposed: false, loggedIn: false, csrf: 'tok-1' };

const json = (body: unknown, status = 200) =>
  new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch that answers from a list of handlers and records every request. */
function fakeFetch(handler: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return handler(url, init);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

class FakeStream implements EventStream {
  static all: FakeStream[] = [];
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  readonly handlers = new Map<string, ((ev: MessageEvent) => void)[]>();
  closed = false;
  constructor(readonly url: string) {
    FakeStream.all.push(this);
  }
  addEventListener(name: string, cb: (ev: MessageEvent) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), cb]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
  emit(name: string, data: string) {
    for (const cb of this.handlers.get(name) ?? []) cb(new MessageEvent(name, { data }));
  }
}
const latest = () => FakeStream.all.at(-1)!;

function transport(handler: Parameters<typeof fakeFetch>[0], extra: { onLoginNeeded?: () => void } = {}) {
  const f = fakeFetch(handler);
  const t = new HttpTransport(SESSION, { fetch: f.fn, openEvents: (url) => new FakeStream(url), retryMs: [100, 400], ...extra });
  return { t, calls: f.calls };
}

beforeEach(() => {
  FakeStream.all = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('fetchSession', () => {
  it.each([
    ['the API answers', () => json({ transport: 'http', exposed: true, loggedIn: true, csrf: 'x' }), { transport: 'http', exposed: true, loggedIn: true, csrf: 'x' }],
    ['missing fields default to false / ""', () => json({ transport: 'http' }), { transport: 'http', exposed: false, loggedIn: false, csrf: '' }],
    ['a static server has no API (404)', () => new Response('not found', { status: 404 }), null],
    ['a dev server answers index.html for every path', () => new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } }), null],
    ['another transport', () => json({ transport: 'carrier pigeon' }), null],
    ['not JSON despite the header', () => new Response('{', { headers: { 'Content-Type': 'application/json' } }), null],
    ['the server is down', () => Promise.reject(new TypeError('Failed to fetch')), null],
  ])('%s', async (_what, answer, want) => {
    const f = fakeFetch(answer as () => Response);
    expect(await fetchSession('', f.fn)).toEqual(want);
    expect(f.calls[0]!.url).toBe('/api/session');
  });
});

describe('calls', () => {
  it('POSTs the positional arguments as a JSON array with the CSRF token and returns the JSON result', async () => {
    const { t, calls } = transport(() => json({ id: 'a1', revision: 3 }));
    const doc = { id: 'a1', fragments: [{ text: 'Hé. ' }] };
    await expect(t.call('RenameDocument', ['a1', doc])).resolves.toEqual({ id: 'a1', revision: 3 });
    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(url).toBe('/api/call/RenameDocument');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual(['a1', doc]);
    expect((init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-1');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it.each([
    ['null (a method without a result)', () => json(null), null],
    ['an empty body', () => new Response('', { status: 200 }), undefined],
    ['a string', () => json('v1.2.3'), 'v1.2.3'],
  ])('returns %s', async (_what, answer, want) => {
    const { t } = transport(answer);
    await expect(t.call('Version', [])).resolves.toEqual(want);
  });

  it('encodes the method name into the path', async () => {
    const { t, calls } = transport(() => json(null));
    await t.call('../admin?x', []);
    expect(calls[0]!.url).toBe('/api/call/..%2Fadmin%3Fx');
  });

  it.each([
    ['a stale save', 409, { error: { message: 'document a1 changed since revision 3', type: 'conflict', code: 'stale_revision' } }, 'document a1 changed since revision 3', 'stale_revision'],
    ['a missing document', 404, { error: { message: 'document "zz" not found', code: 'not_found' } }, 'document "zz" not found', 'not_found'],
    ['a body without a code', 500, { error: { message: 'disk full' } }, 'disk full', ''],
  ])('rejects %s with a BridgeError carrying the message and the code', async (_what, status, body, message, code) => {
    const { t } = transport(() => json(body, status));
    const err = await t.call('SaveDocument', [{}]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ message, code, status });
  });

  it('names the method and the status when the error body is not the API shape', async () => {
    const { t } = transport(() => new Response('Bad Gateway', { status: 502 }));
    await expect(t.call('ListDocuments', [])).rejects.toMatchObject({ message: 'ListDocuments: HTTP 502: Bad Gateway', status: 502 });
  });

  it('an unreachable server rejects with the code "unreachable"', async () => {
    const { t } = transport(() => Promise.reject(new TypeError('NetworkError when attempting to fetch resource.')));
    await expect(t.call('DocumentChanged', [{}])).rejects.toMatchObject({
      code: 'unreachable',
      message: 'DocumentChanged: the server cannot be reached (NetworkError when attempting to fetch resource.)',
    });
  });

  it('403 after a server restart: reads the new CSRF token and tries once more', async () => {
    const { t, calls } = transport((url, init) => {
      if (url === '/api/session') return json({ transport: 'http', csrf: 'tok-2' });
      const token = (init.headers as Record<string, string>)['X-CSRF-Token'];
      return token === 'tok-2' ? json('ok') : json({ error: { message: 'bad CSRF token', code: 'csrf' } }, 403);
    });
    await expect(t.call('Version', [])).resolves.toBe('ok');
    expect(calls.map((c) => c.url)).toEqual(['/api/call/Version', '/api/session', '/api/call/Version']);
    // The new token is kept.
    await t.call('Version', []);
    expect(calls).toHaveLength(4);
  });

  it('403 with the same token is not retried', async () => {
    const { t, calls } = transport((url) => (url === '/api/session' ? json(SESSION) : json({ error: { message: 'Origin not allowed', code: 'forbidden' } }, 403)));
    await expect(t.call('Version', [])).rejects.toMatchObject({ message: 'Origin not allowed', code: 'forbidden', status: 403 });
    expect(calls.map((c) => c.url)).toEqual(['/api/call/Version', '/api/session']);
  });

  it('401 asks for the login', async () => {
    const onLoginNeeded = vi.fn();
    const { t } = transport(() => json({ error: { message: 'login required', code: 'unauthorized' } }, 401), { onLoginNeeded });
    await expect(t.call('Version', [])).rejects.toMatchObject({ code: 'unauthorized' });
    expect(onLoginNeeded).toHaveBeenCalledTimes(1);
  });
});

describe('events', () => {
  it('spreads the JSON array of arguments over the listeners of that event only', async () => {
    const { t } = transport(() => json(null));
    const batch = vi.fn();
    const other = vi.fn();
    const off = t.on('assist:batch', batch);
    t.on('documents:saved', other);
    latest().open();
    latest().emit('assist:batch', '[{"round":"r1","seq":2},"x"]');
    expect(batch).toHaveBeenCalledWith({ round: 'r1', seq: 2 }, 'x');
    expect(other).not.toHaveBeenCalled();
    off();
    latest().emit('assist:batch', '[1]');
    expect(batch).toHaveBeenCalledTimes(1);
  });

  it('ignores data that is not JSON', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { t } = transport(() => json(null));
    const cb = vi.fn();
    t.on('x', cb);
    latest().emit('x', 'not json');
    expect(cb).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('opens /api/events at once and reports the connection', () => {
    const { t } = transport(() => json(null));
    const seen: boolean[] = [];
    t.onConnection((on) => seen.push(on));
    expect(latest().url).toBe('/api/events');
    latest().open();
    expect(seen).toEqual([false, true]);
  });

  it('reconnects after an error with a growing pause, re-reading the session, and keeps its listeners', async () => {
    vi.useFakeTimers();
    let up = false;
    const { t, calls } = transport((url) => {
      if (!up) return Promise.reject(new TypeError('Failed to fetch'));
      return url === '/api/session' ? json({ transport: 'http', csrf: 'tok-9' }) : json(null);
    });
    const cb = vi.fn();
    const seen: boolean[] = [];
    t.on('documents:saved', cb);
    t.onConnection((on) => seen.push(on));
    const first = latest();
    first.open();
    first.fail(); // the server went away
    expect(first.closed).toBe(true);
    expect(seen).toEqual([false, true, false]);

    await vi.advanceTimersByTimeAsync(100); // first try: the session does not answer
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(1);
    expect(FakeStream.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(199); // the pause doubled to 200 ms
    expect(calls.filter((c) => c.url === '/api/session')).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeStream.all).toHaveLength(2);
    const second = latest();
    second.open();
    expect(seen.at(-1)).toBe(true);
    // Events of the old stream are not delivered twice; the new one's are.
    first.emit('documents:saved', '[{"id":"old"}]');
    second.emit('documents:saved', '[{"id":"a1"}]');
    expect(cb.mock.calls).toEqual([[{ id: 'a1' }]]);
    // And the restarted server's CSRF token is used from now on.
    await t.call('Version', []);
    expect((calls.at(-1)!.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('tok-9');
  });

  it('the pause is back to the shortest once a stream opened', async () => {
    vi.useFakeTimers();
    const { t } = transport(() => json({ transport: 'http', csrf: 'tok-1' }));
    latest().fail();
    await vi.advanceTimersByTimeAsync(100);
    latest().fail();
    await vi.advanceTimersByTimeAsync(200);
    expect(FakeStream.all).toHaveLength(3);
    latest().open();
    latest().fail();
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeStream.all).toHaveLength(4);
    t.close();
  });

  it('an expired login on reconnect asks for the login and does not reopen', async () => {
    vi.useFakeTimers();
    const onLoginNeeded = vi.fn();
    transport(() => json({ transport: 'http', exposed: true, loggedIn: false, csrf: '' }), { onLoginNeeded });
    latest().fail();
    await vi.advanceTimersByTimeAsync(100);
    expect(onLoginNeeded).toHaveBeenCalledTimes(1);
    expect(FakeStream.all).toHaveLength(1);
  });

  it('close stops reconnecting', async () => {
    vi.useFakeTimers();
    const { t } = transport(() => json(SESSION));
    latest().fail();
    t.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeStream.all).toHaveLength(1);
  });
});
