import { useCallback, useEffect, useState } from 'react';
import { loadSettings, saveSettings, type Settings } from './settings';

const storage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

const darkQuery = (): MediaQueryList | undefined =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;

/**
 * Settings state that persists every change and applies the theme: <html data-theme> is the
 * setting (light, dark or system), <html data-scheme> the colours in use (system follows the OS
 * live). The stylesheet keys its palettes on data-scheme only.
 */
export function useSettings(): [Settings, (update: (s: Settings) => Settings) => void] {
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage()));
  useEffect(() => {
    saveSettings(storage(), settings);
    const root = document.documentElement;
    root.dataset.theme = settings.theme;
    const query = darkQuery();
    const apply = () => {
      const dark = settings.theme === 'dark' || (settings.theme !== 'light' && !!query?.matches);
      root.dataset.scheme = dark ? 'dark' : 'light';
    };
    apply();
    if (settings.theme !== 'system' || !query) return;
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [settings]);
  const update = useCallback((fn: (s: Settings) => Settings) => setSettings(fn), []);
  return [settings, update];
}
