import type { PortInUse } from './api';

interface Props {
  occupant: PortInUse;
  /** Whether this app's proxy is serving anyway (a later port change failed). */
  running: boolean;
  /** A free port to offer, once FreePort answered. */
  freePort: number | null;
  /** The user already chose to use the other llproxy. */
  acknowledged: boolean;
  busy: boolean;
  onUseIt: () => void;
  onUsePort: (port: number) => void;
}

/** Says who holds the configured port and offers to use that llproxy or another port. */
export function PortBanner({ occupant, running, freePort, acknowledged, busy, onUseIt, onUsePort }: Props) {
  const { port, host, llproxy, version } = occupant;
  const who = llproxy
    ? `Port ${port} is served by another llproxy (version ${version || 'unknown'}).`
    : `Port ${port} on ${host} is used by another program.`;
  const consequence = running
    ? 'The proxy keeps serving on its previous port.'
    : llproxy
      ? 'This app’s own proxy is not running; clients and suggestions can use that one.'
      : 'This app’s proxy is not running.';
  if (acknowledged && llproxy) {
    return (
      <div className="px-banner px-banner--info" role="status">
        <span>
          Using the llproxy already serving port {port} (version {version || 'unknown'}).
        </span>
        {freePort !== null ? (
          <button type="button" disabled={busy} onClick={() => onUsePort(freePort)}>
            Use port {freePort} instead
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div className="px-banner px-banner--warn" role="alert">
      <div className="px-banner-text">
        <strong>{who}</strong> <span>{consequence}</span>
      </div>
      <div className="px-banner-actions">
        {llproxy ? (
          <button type="button" className="px-btn--primary" disabled={busy} onClick={onUseIt}>
            Use it
          </button>
        ) : null}
        <button type="button" disabled={busy || freePort === null} onClick={() => freePort !== null && onUsePort(freePort)}>
          {freePort === null ? 'Finding a free port…' : `Use port ${freePort} instead`}
        </button>
      </div>
    </div>
  );
}
