/**
 * Appearance settings: theme (follow the system, or forced light/dark) and text size. Persisted
 * in localStorage for now; the documents issue may move them to the Go side.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface Settings {
  readonly theme: ThemeChoice;
  /** Text size of the fragment list in CSS pixels. */
  readonly fontSize: number;
}

export const DEFAULT_SETTINGS: Settings = { theme: 'system', fontSize: 19 };
export const FONT_SIZES = [13, 14, 15, 16, 17, 19, 21, 24, 27, 30, 34, 38] as const;
export const STORAGE_KEY = 'fragmenteditor.settings.v1';

/** Reads stored settings; anything missing or malformed falls back to the default. */
export function parseSettings(raw: string | null): Settings {
  if (!raw) return DEFAULT_SETTINGS;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return DEFAULT_SETTINGS;
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const theme = o.theme === 'light' || o.theme === 'dark' || o.theme === 'system' ? o.theme : DEFAULT_SETTINGS.theme;
  const size = typeof o.fontSize === 'number' && Number.isFinite(o.fontSize) ? nearestSize(o.fontSize) : DEFAULT_SETTINGS.fontSize;
  return { theme, fontSize: size };
}

function nearestSize(n: number): number {
  return FONT_SIZES.reduce((best, s) => (Math.abs(s - n) < Math.abs(best - n) ? s : best), FONT_SIZES[0]);
}

/** One step up or down the size ladder; the same object at either end. */
export function stepFontSize(s: Settings, dir: 1 | -1): Settings {
  const i = FONT_SIZES.indexOf(nearestSize(s.fontSize) as (typeof FONT_SIZES)[number]);
  const next = FONT_SIZES[i + dir];
  return next === undefined ? s : { ...s, fontSize: next };
}

const THEME_ORDER: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export function nextTheme(s: Settings): Settings {
  return { ...s, theme: THEME_ORDER[(THEME_ORDER.indexOf(s.theme) + 1) % THEME_ORDER.length]! };
}

export function loadSettings(storage: Pick<Storage, 'getItem'> | undefined): Settings {
  try {
    return parseSettings(storage?.getItem(STORAGE_KEY) ?? null);
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function saveSettings(storage: Pick<Storage, 'setItem'> | undefined, s: Settings): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(s));
  } catch {
    // Storage full or disabled: settings last for this session only.
  }
}
