import { useCallback, useEffect, useState } from 'react';
import { loadSettings, saveSettings, type Settings } from './settings';

const storage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

/** Settings state that persists every change and applies the theme to <html data-theme>. */
export function useSettings(): [Settings, (update: (s: Settings) => Settings) => void] {
  const [settings, setSettings] = useState<Settings>(() => loadSettings(storage()));
  useEffect(() => {
    saveSettings(storage(), settings);
    document.documentElement.dataset.theme = settings.theme;
  }, [settings]);
  const update = useCallback((fn: (s: Settings) => Settings) => setSettings(fn), []);
  return [settings, update];
}
