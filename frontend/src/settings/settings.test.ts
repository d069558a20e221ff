import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, FONT_SIZES, loadSettings, nextTheme, parseSettings, saveSettings, stepFontSize } from './settings';

describe('settings', () => {
  it.each([
    [null, DEFAULT_SETTINGS],
    ['not json', DEFAULT_SETTINGS],
    ['[]', DEFAULT_SETTINGS],
    ['{"theme":"dark","fontSize":24}', { theme: 'dark', fontSize: 24 }],
    ['{"theme":"neon","fontSize":"big"}', DEFAULT_SETTINGS],
    ['{"theme":"light","fontSize":1000}', { theme: 'light', fontSize: FONT_SIZES.at(-1) }],
  ])('parse %j', (raw, want) => {
    expect(parseSettings(raw)).toEqual(want);
  });

  it('steps the font size and stops at the ends', () => {
    expect(stepFontSize({ theme: 'system', fontSize: 19 }, 1).fontSize).toBe(21);
    expect(stepFontSize({ theme: 'system', fontSize: 19 }, -1).fontSize).toBe(17);
    const max = { theme: 'system' as const, fontSize: FONT_SIZES.at(-1)! };
    expect(stepFontSize(max, 1)).toBe(max);
  });

  it('cycles the theme system → light → dark → system', () => {
    expect(nextTheme(nextTheme(nextTheme(DEFAULT_SETTINGS)))).toEqual(DEFAULT_SETTINGS);
    expect(nextTheme(DEFAULT_SETTINGS).theme).toBe('light');
  });

  it('round-trips through storage', () => {
    const m = new Map<string, string>();
    const st = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    saveSettings(st, { theme: 'dark', fontSize: 15 });
    expect(loadSettings(st)).toEqual({ theme: 'dark', fontSize: 15 });
    expect(loadSettings({ getItem: () => { throw new Error('denied'); } })).toEqual(DEFAULT_SETTINGS);
  });
});
