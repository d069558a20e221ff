// @vitest-environment jsdom
// The shared bridge mock behaves as the real bridge does for the same door, so tests that use it
// see what the page would.
import { afterEach, describe, expect, it } from 'vitest';
import * as real from '.';
import { BridgeError, BROWSER, bridgeMock, DESKTOP, type GoMethods, mockedBridge as mock } from './mock';

afterEach(() => {
  real.resetBridge();
  bridgeMock.reset();
});

describe('a page no server serves (the default)', () => {
  it('answers as the real bridge does under jsdom', async () => {
    bridgeMock.reset();
    await expect(mock.connect()).resolves.toBe(await real.connect({ fetch: async () => new Response('', { status: 404 }) }));
    expect(mock.transportKind()).toBe(real.transportKind());
    expect(mock.servicesAvailable()).toBe(real.servicesAvailable());
    expect(mock.aiAvailable()).toBe(real.aiAvailable());
    expect(mock.capabilities()).toEqual(real.capabilities());
    const [got, want] = await Promise.all([mock.callApp('Version').catch((e: unknown) => e), real.callApp('Version').catch((e: unknown) => e)]);
    expect(got).toBeInstanceOf(BridgeError);
    expect(got).toEqual(want);
    expect(mock.errorCode(got)).toBe('no_server');
  });
});

describe('setup', () => {
  it.each([
    ['the desktop window', { kind: 'wails' as const }, DESKTOP, true, true],
    ['a served browser page', { kind: 'http' as const }, BROWSER, true, true],
    ['the desktop window, model features off', { kind: 'wails' as const, ai: false }, DESKTOP, true, false],
    ['browser capabilities in the window', { kind: 'wails' as const, capabilities: BROWSER }, BROWSER, true, true],
  ])('%s', async (_, setup, caps, services, ai) => {
    bridgeMock.reset(setup);
    await expect(mock.connect()).resolves.toBe(setup.kind);
    expect(mock.capabilities()).toEqual(caps);
    expect(mock.servicesAvailable()).toBe(services);
    expect(mock.aiAvailable()).toBe(ai);
  });

  it('reset forgets calls, overrides and subscriptions', async () => {
    bridgeMock.reset({ kind: 'wails', go: { Version: () => 'v1' } });
    mock.onEvent('proxy:event', () => {});
    mock.servicesAvailable.mockReturnValue(false);
    await mock.callApp('Version');
    bridgeMock.reset({ kind: 'wails' });
    expect(mock.callApp).not.toHaveBeenCalled();
    expect(mock.servicesAvailable()).toBe(true);
    expect(bridgeMock.listeners('proxy:event')).toBe(0);
    await expect(mock.callApp('Version')).rejects.toMatchObject({ code: 'not_served' });
  });
});

describe('the Go side', () => {
  it('a table of methods gets the arguments; calls are recorded per method', async () => {
    bridgeMock.reset({ kind: 'wails', go: { RenameDocument: (id, name) => ({ id, name }) } });
    await expect(mock.callApp('RenameDocument', 'a1', 'Chapter')).resolves.toEqual({ id: 'a1', name: 'Chapter' });
    bridgeMock.methods({ Version: () => 'v2' });
    await expect(mock.callApp('Version')).resolves.toBe('v2');
    expect(bridgeMock.calls('RenameDocument')).toEqual([['a1', 'Chapter']]);
  });

  it('one handler answers every call', async () => {
    bridgeMock.reset({ kind: 'http', go: async (name, args) => `${name}(${args.join(',')})` });
    await expect(mock.callApp('OpenDocument', 'x')).resolves.toBe('OpenDocument(x)');
    expect(() => bridgeMock.methods({ Version: () => '' })).toThrow(/handler function/);
  });

  const fail = (e: unknown) => () => {
    throw e;
  };
  it.each<[string, GoMethods, string, string]>([
    ['a missing method rejects as the Wails door does', {}, 'method Version is not available', 'not_served'],
    ['an Error becomes a BridgeError with its message', { Version: fail(new Error('disk full')) }, 'disk full', ''],
    ['a BridgeError keeps its code', { Version: fail(new BridgeError('changed elsewhere', real.STALE_REVISION)) }, 'changed elsewhere', 'stale_revision'],
    ['a JSON error body gives its code, as from Go', { Version: fail(new Error('{"error":{"message":"gone","code":"not_found"}}')) }, 'gone', 'not_found'],
  ])('%s', async (_, go, message, code) => {
    bridgeMock.reset({ kind: 'wails', go });
    const e = await mock.callApp('Version').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BridgeError);
    expect(e).toMatchObject({ message, code });
  });
});

describe('events', () => {
  it('emit reaches every subscriber until it unsubscribes', () => {
    bridgeMock.reset({ kind: 'wails' });
    const got: unknown[] = [];
    const off = mock.onEvent('documents:saved', (m) => got.push(['a', m]));
    mock.onEvent('documents:saved', (m) => got.push(['b', m]));
    bridgeMock.emit('documents:saved', 1);
    off();
    bridgeMock.emit('documents:saved', 2);
    expect(got).toEqual([['a', 1], ['b', 1], ['b', 2]]);
  });

  it('emit throws when nothing listens (the page would not hear it)', () => {
    bridgeMock.reset({ kind: 'wails' });
    expect(() => bridgeMock.emit('assist:batch', {})).toThrow(/nothing on the page listens to assist:batch/);
  });

  it('onConnection hears the state at once, then each change', () => {
    bridgeMock.reset({ kind: 'http' });
    const seen: boolean[] = [];
    mock.onConnection((online) => seen.push(online));
    bridgeMock.setOnline(false);
    bridgeMock.setOnline(true);
    expect(seen).toEqual([true, false, true]);
  });
});
