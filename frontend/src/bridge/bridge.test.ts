// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeError, callApp, capabilities, connect, onEvent, quit, resetBridge, servicesAvailable, transportKind } from '.';

type W = Record<string, unknown>;

afterEach(() => {
  resetBridge();
  delete (window as unknown as W).go;
  delete (window as unknown as W).runtime;
  vi.unstubAllGlobals();
});

function wailsWindow(app: Record<string, (...a: never[]) => unknown>) {
  const runtime = { EventsOn: vi.fn(() => () => {}), Quit: vi.fn() };
  Object.assign(window, { go: { main: { App: app } }, runtime });
  return runtime;
}

describe('connect picks the door', () => {
  it('Wails inside the desktop window, without asking the network', async () => {
    const fetch = vi.fn();
    wailsWindow({ Version: async () => 'v1' });
    await expect(connect({ fetch })).resolves.toBe('wails');
    expect(fetch).not.toHaveBeenCalled();
    expect(capabilities()).toEqual({ nativeFiles: true, quit: true, keepServing: true, nativeClipboard: true });
    await expect(callApp('Version')).resolves.toBe('v1');
  });

  it('HTTP in a browser whose origin serves the API; no desktop-only capability', async () => {
    vi.stubGlobal('EventSource', class {
      readyState = 0;
      onopen = null;
      onerror = null;
      addEventListener() {}
      close() {}
    });
    const fetch = vi.fn(async () => new Response(JSON.stringify({ transport: 'http', exposed: false, loggedIn: false, csrf: 't' }), { headers: { 'Content-Type': 'application/json' } }));
    await expect(connect({ fetch })).resolves.toBe('http');
    expect(transportKind()).toBe('http');
    expect(servicesAvailable()).toBe(true);
    expect(capabilities()).toEqual({ nativeFiles: false, quit: false, keepServing: false, nativeClipboard: false });
    // Quit means nothing in a browser tab: no call goes out.
    quit();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('none on a page no server serves: calls reject with a clear error, events are silent', async () => {
    const fetch = vi.fn(async () => new Response('nope', { status: 404 }));
    await expect(connect({ fetch })).resolves.toBe('none');
    expect(servicesAvailable()).toBe(false);
    const err = await callApp('ListDocuments').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'no_server', message: expect.stringContaining('ListDocuments: no server') });
    expect(onEvent('x', () => {})).toBeTypeOf('function');
  });

  it('connects once', async () => {
    const fetch = vi.fn(async () => new Response('nope', { status: 404 }));
    await Promise.all([connect({ fetch }), connect({ fetch })]);
    await connect({ fetch });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('Wails rejections', () => {
  it.each([
    ['a Go error text', 'document "a1" not found', { message: 'document "a1" not found', code: '' }],
    ['the JSON error body', JSON.stringify({ error: { message: 'changed elsewhere', code: 'stale_revision' } }), { message: 'changed elsewhere', code: 'stale_revision' }],
    ['an Error', new Error('boom'), { message: 'boom', code: '' }],
  ])('%s becomes a BridgeError', async (_what, rejection, want) => {
    wailsWindow({ OpenDocument: async () => Promise.reject(rejection) });
    await connect();
    const err = await callApp('OpenDocument', 'a1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject(want);
  });

  it('a method the window does not bind', async () => {
    wailsWindow({});
    await connect();
    await expect(callApp('ExportDocumentData')).rejects.toMatchObject({ message: 'method ExportDocumentData is not available' });
  });
});
