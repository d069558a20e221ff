import { useCallback, useEffect, useState } from 'react';
import { appSettings, editorServing, setAppSettings, type AppSettings, type EditorInvitation } from './api';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * "Serve the editor to other devices": the proxy's port then serves the editor page and its API
 * (backend/webapi). When on, it shows where other devices open it (URLs, a QR code of the first)
 * and the key they log in with.
 */
export function ServeEditorSwitch() {
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [invite, setInvite] = useState<EditorInvitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const [s, inv] = await Promise.all([appSettings(), editorServing()]);
      setSettings(s);
      setInvite(inv);
    } catch (e) {
      setError(message(e));
    }
  }, []);
  useEffect(() => {
    // refresh sets state only once the bridge answered, never synchronously in this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
  }, [refresh]);
  const toggle = useCallback(async () => {
    if (!settings) return;
    const next = { ...settings, serve_editor: !settings.serve_editor };
    setSettings(next);
    setError(null);
    try {
      await setAppSettings(next);
    } catch (e) {
      setSettings(settings);
      setError(message(e));
    }
    setInvite(await editorServing().catch(() => null));
  }, [settings]);
  const on = settings?.serve_editor ?? false;
  return (
    <section className="px-card px-keep" aria-label="Serve the editor">
      <div className="px-switch-row">
        <div>
          <div id="px-serve-label" className="px-switch-label">
            Serve the editor to other devices
          </div>
          <p className="px-note">Write from a browser on another computer or a tablet, on this proxy&apos;s port.</p>
        </div>
        <button
          type="button"
          role="switch"
          className="px-switch"
          aria-checked={on}
          aria-labelledby="px-serve-label"
          disabled={settings === null}
          onClick={() => void toggle()}
        >
          <span className="px-switch-knob" aria-hidden="true" />
        </button>
      </div>
      {on && invite?.on ? (
        <div className="px-serve">
          {invite.urls.map((u) => (
            <p key={u} className="px-note">
              <a href={u} target="_blank" rel="noreferrer">
                {u}
              </a>
            </p>
          ))}
          {invite.qr ? <img className="px-qr" src={invite.qr} width={160} height={160} alt={`QR code of ${invite.urls[0] ?? ''}`} /> : null}
          {invite.exposed ? (
            <p className="px-note">
              Key: <code>{invite.key}</code> (or one of api_keys)
            </p>
          ) : null}
          {invite.note ? <p className="px-note">{invite.note}</p> : null}
        </div>
      ) : null}
      {error ? (
        <p className="px-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
