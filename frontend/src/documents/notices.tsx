/** The documents' save indicator (status bar) and notices (floating over the list): views of saving.ts's state. */
import { NO_SERVER, type Notice, type SaveStatus } from './saving';

/** The save indicator: saving…, saved, NOT SAVED with the reason; on a page no server serves, that nothing is saved. */
export function SaveIndicator({ status, served }: { status: SaveStatus; served: boolean }) {
  if (!served) {
    return (
      <span className="doc-status status-muted" data-testid="doc-status" data-state="no-server" title={NO_SERVER}>
        not saved (no server)
      </span>
    );
  }
  const label = status.kind === 'pending' ? 'saving…' : status.kind === 'saved' ? 'saved' : status.kind === 'error' ? `NOT SAVED: ${status.message}` : '';
  return (
    <span className="doc-status" data-testid="doc-status" data-state={status.kind} title={label}>
      {label}
    </span>
  );
}

/** Errors and start-up problems until dismissed; confirmations until they expire. */
export function DocumentNotices({ notices, onDismiss }: { notices: readonly Notice[]; onDismiss: (key: number) => void }) {
  if (notices.length === 0) return null;
  return (
    <div className="doc-notices">
      {notices.map((n) => (
        <div key={n.key} className={`overlay doc-notice doc-notice--${n.kind}`} role={n.kind === 'info' ? 'status' : 'alert'}>
          <div className="doc-notice-text">
            {n.text}
            {n.details ? (
              <ul>
                {n.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            ) : null}
          </div>
          {n.kind === 'info' ? null : (
            <button type="button" className="doc-notice-close" aria-label="Dismiss" tabIndex={-1} onMouseDown={(e) => e.preventDefault()} onClick={() => onDismiss(n.key)}>
              ×
            </button>
          )}
        </div>
      ))}
    </div>
  );
}
