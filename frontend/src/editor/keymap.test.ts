import { describe, expect, it } from 'vitest';
import { ACTIONS } from './actions';
import { type Binding, CONTEXT_TITLES, duplicateBindings, KEYMAP, type KeyContext, resolveKey } from './keymap';
import { keyLabel, keyName, type KeyLike } from './keys';

const ev = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('the keymap table', () => {
  it('binds no key twice in one context', () => {
    expect(duplicateBindings(KEYMAP)).toEqual([]);
  });

  it('the duplicate check catches a key bound twice', () => {
    const table: Binding[] = [
      { context: 'explore', keys: ['d'], action: 'deleteSelected', help: '' },
      { context: 'explore', keys: ['x', 'd'], action: 'cutSelected', help: '' },
      { context: 'text', keys: ['d'], action: 'commitDraft', help: '' },
    ];
    expect(duplicateBindings(table)).toEqual(['explore:d']);
  });

  it('every key name in the table is one keyName() can produce', () => {
    for (const b of KEYMAP) for (const k of b.keys) expect(k).toMatch(/^(Ctrl\+)?(Alt\+)?(Shift\+)?([^+]|[A-Z][A-Za-z]+)$/);
  });

  it('resolves keys per context, exact combinations only', () => {
    expect(resolveKey('explore', 'ArrowRight')?.action).toBe('selectNext');
    expect(resolveKey('text', 'Enter')?.action).toBe('commitDraft');
    expect(resolveKey('search', 'Enter')?.action).toBe('searchNext');
    expect(resolveKey('explore', 'Shift+ArrowRight')).toBeUndefined();
    expect(resolveKey('explore', null)).toBeUndefined();
  });
});

describe('the keymap and the action registry', () => {
  const contexts = Object.keys(ACTIONS) as KeyContext[];

  it('every binding runs a handler of its own context', () => {
    for (const b of KEYMAP) {
      const handlers: Record<string, unknown> = ACTIONS[b.context];
      expect(handlers[b.action], `${b.context}:${b.action}`).toBeTypeOf('function');
    }
  });

  it('every handler has a key (no action the user cannot reach)', () => {
    const bound = new Set(KEYMAP.map((b) => `${b.context}:${b.action}`));
    const unbound = contexts.flatMap((ctx) => Object.keys(ACTIONS[ctx]).map((a) => `${ctx}:${a}`)).filter((id) => !bound.has(id));
    expect(unbound).toEqual([]);
  });

  it('an action belongs to one context only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const ctx of contexts)
      for (const a of Object.keys(ACTIONS[ctx])) {
        if (seen.has(a)) twice.push(`${a} in ${seen.get(a)} and ${ctx}`);
        seen.set(a, ctx);
      }
    expect(twice).toEqual([]);
  });

  it('every context has a title for the help overlay and at least one key', () => {
    for (const ctx of contexts) {
      expect(CONTEXT_TITLES[ctx]).toBeTruthy();
      expect(KEYMAP.some((b) => b.context === ctx)).toBe(true);
    }
  });
});

describe('keyName', () => {
  it.each([
    [ev('ArrowLeft'), 'ArrowLeft'],
    [ev('ArrowLeft', { ctrlKey: true }), 'Ctrl+ArrowLeft'],
    [ev('ArrowLeft', { shiftKey: true }), 'Shift+ArrowLeft'],
    [ev('i'), 'i'],
    [ev('I', { shiftKey: true }), 'I'],
    [ev('?', { shiftKey: true }), '?'],
    [ev(' '), 'Space'],
    [ev(' ', { shiftKey: true }), 'Shift+Space'],
    [ev('z', { ctrlKey: true }), 'Ctrl+Z'],
    [ev('Z', { ctrlKey: true, shiftKey: true }), 'Ctrl+Shift+Z'],
    [ev('я', { ctrlKey: true, code: 'KeyZ' }), 'Ctrl+Z'],
    [ev('i', { altKey: true }), 'Alt+I'],
    [ev('c', { metaKey: true }), 'Meta+c'],
    [ev('Enter', { ctrlKey: true }), 'Ctrl+Enter'],
    [ev('=', { ctrlKey: true }), 'Ctrl+='],
    [ev('Control', { ctrlKey: true }), null],
    [ev('Shift', { shiftKey: true }), null],
    [ev('Dead'), null],
  ])('%j → %s', (e, name) => {
    expect(keyName(e)).toBe(name);
  });

  it('modifier combinations that mean something else do not resolve to plain bindings', () => {
    for (const e of [ev('i', { altKey: true }), ev('d', { ctrlKey: true }), ev('ArrowRight', { altKey: true }), ev('u', { metaKey: true })]) {
      expect(resolveKey('explore', keyName(e))).toBeUndefined();
    }
  });
});

describe('keyLabel', () => {
  it('shows arrows as arrows', () => {
    expect(keyLabel('Ctrl+ArrowLeft')).toBe('Ctrl+←');
    expect(keyLabel('Escape')).toBe('Esc');
    expect(keyLabel('Ctrl+-')).toBe('Ctrl+-');
  });
});
