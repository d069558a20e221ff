import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { overlayKeyDown, type ProxyBodyEffects } from '../editor';
import { freePort, keepServingApplies, proxyAvailable, proxyConfigText, rescanModels, saveProxyConfig } from './api';
import { ConfigView } from './ConfigView';
import { ConnectCard } from './ConnectCard';
import { EndpointsView } from './EndpointsView';
import { problemText, requiresApiKey, withPort } from './format';
import { KeepServingSwitch } from './KeepServingSwitch';
import { ServeEditorSwitch } from './ServeEditorSwitch';
import { LogsView } from './LogsView';
import { ModelsView } from './ModelsView';
import { PortBanner } from './PortBanner';
import { StatusCard } from './StatusCard';
import { useConfigEditor, useProxyData } from './useProxy';
import './proxy.css';

type Tab = ProxyBodyEffects['tab'];
const TABS: readonly Tab[] = ['models', 'endpoints', 'config', 'logs'];
const TAB_LABEL: Record<Tab, string> = { models: 'Models', endpoints: 'Endpoints', config: 'Config', logs: 'Logs' };

/** How often the log view asks for new records while it is shown. */
export const LOG_POLL_MS = 2000;
/** localStorage key: "host:port" of another llproxy the user chose to use. */
export const USE_OTHER_KEY = 'fragmenteditor.proxy.useOther';

interface Props {
  onClose: () => void;
}

/**
 * The proxy panel (Ctrl+P): where external clients connect, what discovery found, the config
 * and the log. Its keys are the keymap's `proxy` context (Escape and Ctrl+P close it, R rescans,
 * Ctrl+S saves the config, ←/→ on the tab row); the others stay inside (no explore command
 * fires), except Ctrl+Q and Ctrl+Shift+A.
 */
export function ProxyPanel({ onClose }: Props) {
  const root = useRef<HTMLElement>(null);
  useEffect(() => root.current?.focus({ preventScroll: true }), []);
  const available = proxyAvailable();
  /** What the body's keys act on; set by the body while it is shown. */
  const body = useRef<ProxyBodyEffects | null>(null);
  const onKeyDown = (e: React.KeyboardEvent) => overlayKeyDown('proxy', { close: onClose, body: body.current }, e);
  return (
    <section ref={root} className={`overlay overlay--proxy${available ? '' : ' overlay--proxy-small'}`} role="dialog" aria-label="Proxy" tabIndex={-1} onKeyDown={onKeyDown}>
      {available ? (
        <PanelBody onClose={onClose} keysRef={body} />
      ) : (
        <div className="px-unavailable">
          <h2>LLProxy</h2>
          <p>The proxy panel needs a server: this page is not served by FragmentEditor or llproxy.</p>
          <p className="overlay-hint">
            <kbd>Esc</kbd> closes this panel
          </p>
        </div>
      )}
    </section>
  );
}

function PanelBody({ onClose, keysRef }: Props & { keysRef: React.RefObject<ProxyBodyEffects | null> }) {
  const { status, statusError, logs, refresh, refreshLogs, lastEvent } = useProxyData();
  const editor = useConfigEditor(refresh);
  const [tab, setTab] = useState<Tab>('models');
  const [now, setNow] = useState(() => new Date());
  const [offer, setOffer] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [useOther, setUseOther] = useState(() => localStorage.getItem(USE_OTHER_KEY));
  const [rescanning, setRescanning] = useState(false);

  // A new config on disk (saved here or edited elsewhere) reaches the editor unless it has edits.
  const { reloadIfClean } = editor;
  useEffect(() => {
    if (lastEvent?.kind === 'config-applied') void reloadIfClean();
  }, [lastEvent, reloadIfClean]);
  // A rescan ends with the next status or models event (state adjusted while rendering, as React
  // recommends for state that follows a prop, instead of an effect and a second render).
  const [seenEvent, setSeenEvent] = useState(lastEvent);
  if (lastEvent !== seenEvent) {
    setSeenEvent(lastEvent);
    if (lastEvent?.kind === 'status-changed' || lastEvent?.kind === 'models-changed') setRescanning(false);
  }

  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 5000);
    return () => clearInterval(id);
  }, []);

  useEffect(() => {
    if (tab !== 'logs') return;
    const id = setInterval(() => void refreshLogs(), LOG_POLL_MS);
    return () => clearInterval(id);
  }, [tab, refreshLogs]);

  const occupant = status?.portInUse ?? null;
  const occupantId = occupant ? `${occupant.host}:${occupant.port}` : null;
  useEffect(() => {
    if (!occupantId) return;
    let alive = true;
    freePort().then(
      (p) => alive && setOffer(p),
      () => alive && setOffer(null),
    );
    return () => {
      alive = false;
    };
  }, [occupantId]);

  // A run ends with status-changed; should that never come, stop saying "Rescanning…" anyway.
  useEffect(() => {
    if (!rescanning) return;
    const id = setTimeout(() => setRescanning(false), 15000);
    return () => clearTimeout(id);
  }, [rescanning]);

  const rescan = useCallback(async () => {
    setRescanning(true);
    try {
      await rescanModels();
    } catch (e) {
      setRescanning(false);
      setActionError(e instanceof Error ? e.message : String(e));
    }
  }, []);

  const acknowledge = () => {
    if (!occupantId) return;
    localStorage.setItem(USE_OTHER_KEY, occupantId);
    setUseOther(occupantId);
  };

  const switchToPort = async (port: number) => {
    setBusy(true);
    setActionError(null);
    try {
      const text = withPort(await proxyConfigText(), port);
      if (text === null) throw new Error('the config file is not a JSON object; fix it in the Config tab');
      await saveProxyConfig(text);
      localStorage.removeItem(USE_OTHER_KEY);
      setUseOther(null);
      await editor.reloadIfClean();
      await refresh();
    } catch (e) {
      setActionError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  useLayoutEffect(() => {
    keysRef.current = {
      tab,
      configSavable: editor.dirty && editor.problems.length === 0 && !editor.checking,
      rescan: () => void rescan(),
      saveConfig: () => void editor.save(),
      stepTab: (dir) => {
        const next = TABS[(TABS.indexOf(tab) + dir + TABS.length) % TABS.length]!;
        setTab(next);
        document.getElementById(`px-tab-${next}`)?.focus();
      },
    };
    return () => {
      keysRef.current = null;
    };
  });

  const models = status?.models ?? [];
  const acknowledged = occupant?.llproxy === true && useOther === occupantId;
  const viaOther = !status?.running && acknowledged && occupant !== null;
  const baseUrl = status?.running ? status.baseUrl : viaOther ? occupant.baseUrl : '';
  const pill = !status
    ? { state: 'off', text: statusError ? 'Unavailable' : 'Loading…' }
    : status.running
      ? { state: 'on', text: `Serving on ${status.listenAddr}` }
      : viaOther
        ? { state: 'other', text: `Using the llproxy on ${occupant.host}:${occupant.port}` }
        : { state: 'off', text: 'Not running' };
  const endpointCount = status?.discovery?.Endpoints?.length ?? 0;
  const counts: Record<Tab, number | null> = { models: models.length, endpoints: endpointCount, config: null, logs: logs.length };
  const configProblems = status?.problems ?? [];

  return (
    <div className="px-body">
      <header className="px-header">
        <div className="px-title">
          <h2>LLProxy</h2>
          <span className="px-pill" data-state={pill.state} data-testid="proxy-state">
            <span className="px-dot" aria-hidden="true" />
            {pill.text}
          </span>
          {status?.version ? <span className="px-dim">version {status.version}</span> : null}
        </div>
        <div className="px-header-actions">
          <button type="button" onClick={() => void rescan()} disabled={!status?.running} aria-keyshortcuts="R">
            {rescanning ? 'Rescanning…' : 'Rescan now'} <kbd>R</kbd>
          </button>
          <button
            type="button"
            className="px-close"
            aria-label="Close the proxy panel"
            onClick={onClose}
          >
            ×
          </button>
        </div>
      </header>

      {statusError ? (
        <div className="px-banner px-banner--error" role="alert">
          The proxy is unavailable: {statusError}
        </div>
      ) : null}
      {occupant ? (
        <PortBanner
          occupant={occupant}
          running={status?.running ?? false}
          freePort={offer}
          acknowledged={acknowledged}
          busy={busy}
          onUseIt={acknowledge}
          onUsePort={(p) => void switchToPort(p)}
        />
      ) : status?.error ? (
        <div className="px-banner px-banner--error" role="alert">
          <strong>{configProblems.length ? 'The config file has mistakes; the previous config keeps running.' : status.error}</strong>
          {configProblems.length ? (
            <ul>
              {configProblems.map((p, i) => (
                <li key={i}>{problemText(p)}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {actionError ? (
        <div className="px-banner px-banner--error" role="alert">
          {actionError}
        </div>
      ) : null}
      {status?.warning ? (
        <div className="px-banner px-banner--warn" role="status" data-testid="proxy-exposure-warning">
          <span>
            <strong>Open to the network without a key.</strong> {status.warning}
          </span>
        </div>
      ) : null}

      <div className="px-columns">
        <aside className="px-side">
          <ConnectCard baseUrl={baseUrl} model={models[0]?.name} keyRequired={requiresApiKey(editor.saved)} viaOther={viaOther} />
          {status ? <StatusCard status={status} now={now} /> : null}
          {keepServingApplies() ? <KeepServingSwitch /> : null}
          {keepServingApplies() ? <ServeEditorSwitch /> : null}
        </aside>
        <div className="px-main">
          <div className="px-tabs" role="tablist" aria-label="Proxy details">
            {TABS.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                id={`px-tab-${t}`}
                aria-selected={tab === t}
                aria-controls={`px-tabpanel-${t}`}
                tabIndex={tab === t ? 0 : -1}
                onClick={() => setTab(t)}
              >
                {TAB_LABEL[t]}
                {counts[t] !== null ? <span className="px-count">{counts[t]}</span> : null}
              </button>
            ))}
            <span className="px-spacer" />
            {tab === 'logs' ? (
              <button type="button" className="px-small" onClick={() => void refreshLogs()}>
                Refresh
              </button>
            ) : null}
          </div>
          <div className="px-tabpanel" role="tabpanel" id={`px-tabpanel-${tab}`} aria-labelledby={`px-tab-${tab}`}>
            {tab === 'models' ? <ModelsView models={models} otherBaseUrl={viaOther ? occupant.baseUrl : undefined} /> : null}
            {tab === 'endpoints' ? <EndpointsView report={status?.discovery} now={now} /> : null}
            {tab === 'config' ? <ConfigView editor={editor} configPath={status?.configPath ?? ''} /> : null}
            {tab === 'logs' ? <LogsView logs={logs} /> : null}
          </div>
        </div>
      </div>
      <footer className="px-footer">
        <span>
          <kbd>R</kbd> rescan · <kbd>Tab</kbd> move · <kbd>Esc</kbd> close
        </span>
        <span>
          <kbd>Ctrl+Shift+A</kbd> about
        </span>
      </footer>
    </div>
  );
}
