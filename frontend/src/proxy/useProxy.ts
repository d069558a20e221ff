import { useCallback, useEffect, useRef, useState } from 'react';
import { useLatest } from '../hooks/useLatest';
import {
  type AppSettings,
  appSettings,
  type LogEntry,
  onProxyEvent,
  type Problem,
  type ProxyEvent,
  type ProxyStatus,
  proxyConfigText,
  proxyLogs,
  proxyStatus,
  saveProxyConfig,
  setAppSettings,
  validateProxyConfig,
} from './api';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface ProxyData {
  status: ProxyStatus | null;
  /** Why the status could not be read (the proxy service failed to start). */
  statusError: string | null;
  logs: LogEntry[];
  refresh: () => Promise<void>;
  refreshLogs: () => Promise<void>;
  /** The last proxy:event, for listeners such as the config editor. */
  lastEvent: ProxyEvent | null;
}

/** Status and logs of the proxy, refreshed on every proxy:event while the panel is mounted. */
export function useProxyData(): ProxyData {
  const [status, setStatus] = useState<ProxyStatus | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [logs, setLogs] = useState<LogEntry[]>([]);
  const [lastEvent, setLastEvent] = useState<ProxyEvent | null>(null);
  const alive = useRef(true);

  const refreshLogs = useCallback(async () => {
    try {
      const l = await proxyLogs();
      if (alive.current) setLogs(l);
    } catch {
      // The status line already says why the proxy is unavailable.
    }
  }, []);

  const refresh = useCallback(async () => {
    try {
      const s = await proxyStatus();
      if (!alive.current) return;
      setStatus(s);
      setStatusError(null);
    } catch (e) {
      if (alive.current) setStatusError(message(e));
    }
    await refreshLogs();
  }, [refreshLogs]);

  useEffect(() => {
    alive.current = true;
    // refresh sets state only once the bridge answered, never synchronously in this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
    const off = onProxyEvent((e) => {
      setLastEvent(e);
      void refresh();
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [refresh]);

  return { status, statusError, logs, refresh, refreshLogs, lastEvent };
}

export interface ConfigEditor {
  /** The text in the editor. */
  text: string;
  /** The text as last read from or written to disk. */
  saved: string;
  loaded: boolean;
  dirty: boolean;
  problems: Problem[];
  /** A validation of the current text is pending. */
  checking: boolean;
  saving: boolean;
  /** Why the last save failed, or why the file could not be read. */
  error: string | null;
  /** "Saved and applied." after a good save, until the next edit. */
  notice: string | null;
  setText: (t: string) => void;
  save: () => Promise<void>;
  revert: () => Promise<void>;
  /** Re-reads the file, unless the user has unsaved edits. */
  reloadIfClean: () => Promise<void>;
}

/** Unsaved edits of a closed panel, restored when it opens again. */
let unsavedDraft: string | null = null;

/** Drops the kept unsaved edits (tests). */
export function forgetUnsavedConfig(): void {
  unsavedDraft = null;
}

/** How long the editor waits after a keystroke before asking the loader. */
export const VALIDATE_DELAY_MS = 150;

/** The config editor: text, validation as you type (debounced, latest answer wins), save, revert. */
export function useConfigEditor(onSaved?: () => void): ConfigEditor {
  const [text, setTextState] = useState('');
  const [saved, setSaved] = useState('');
  const [loaded, setLoaded] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checking, setChecking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const textRef = useRef(text);
  useLatest(textRef, text);
  const savedRef = useRef(saved);
  useLatest(savedRef, saved);

  const load = useCallback(async () => {
    try {
      const t = await proxyConfigText();
      seq.current++;
      setTextState(t);
      setSaved(t);
      setProblems([]);
      setChecking(false);
      setError(null);
      setLoaded(true);
    } catch (e) {
      setError(message(e));
    }
  }, []);

  const setText = useCallback((t: string) => {
    setTextState(t);
    setNotice(null);
    const mine = ++seq.current;
    setChecking(true);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      validateProxyConfig(t).then(
        (ps) => {
          if (seq.current !== mine) return;
          setProblems(ps);
          setChecking(false);
        },
        (e) => {
          if (seq.current !== mine) return;
          setProblems([{ path: '', message: message(e) }]);
          setChecking(false);
        },
      );
    }, VALIDATE_DELAY_MS);
  }, []);

  useEffect(() => {
    const draft = unsavedDraft;
    unsavedDraft = null;
    // load sets state only once the bridge answered, never synchronously in this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load().then(() => {
      if (draft !== null) setText(draft);
    });
    return () => {
      // seq is a counter, not a DOM node: the cleanup must bump its latest value so that answers
      // to validations still in flight are dropped.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      seq.current++;
      if (timer.current) clearTimeout(timer.current);
      // The edits as of unmounting are what must be kept: the latest values are the point here.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      unsavedDraft = textRef.current !== savedRef.current ? textRef.current : null;
    };
  }, [load, setText]);

  const save = useCallback(async () => {
    const t = textRef.current;
    setSaving(true);
    setError(null);
    try {
      await saveProxyConfig(t);
      setSaved(t);
      setNotice('Saved and applied.');
      onSaved?.();
    } catch (e) {
      setError(message(e));
    } finally {
      setSaving(false);
    }
  }, [onSaved]);

  const revert = useCallback(async () => {
    setNotice(null);
    await load();
  }, [load]);

  const reloadIfClean = useCallback(async () => {
    if (textRef.current === savedRef.current) await load();
  }, [load]);

  return {
    text,
    saved,
    loaded,
    dirty: text !== saved,
    problems,
    checking,
    saving,
    error,
    notice,
    setText,
    save,
    revert,
    reloadIfClean,
  };
}

/** The "keep serving when the window closes" setting. */
export function useKeepServing(): { value: boolean | null; error: string | null; toggle: () => Promise<void> } {
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    appSettings().then(
      (s) => alive && setSettings(s),
      (e) => alive && setError(message(e)),
    );
    return () => {
      alive = false;
    };
  }, []);
  const toggle = useCallback(async () => {
    if (!settings) return;
    const next = { ...settings, keep_serving: !settings.keep_serving };
    setSettings(next);
    setError(null);
    try {
      await setAppSettings(next);
    } catch (e) {
      setSettings(settings);
      setError(message(e));
    }
  }, [settings]);
  return { value: settings?.keep_serving ?? null, error, toggle };
}
