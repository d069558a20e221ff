import type { DiscoveryReport } from './api';
import { ago, clockTime, formatDuration, parseGoTime } from './format';

/** Each configured endpoint's outcome in the last discovery run. */
export function EndpointsView({ report, now }: { report: DiscoveryReport | undefined; now: Date }) {
  const started = parseGoTime(report?.Started);
  const endpoints = report?.Endpoints ?? [];
  if (!report || !started) return <p className="px-empty">No discovery run yet.</p>;
  return (
    <div className="px-endpoints">
      <p className="px-run" data-testid="proxy-last-run">
        Last run at {clockTime(started).slice(0, 8)} ({ago(started, now)}), took {formatDuration(report.Duration)}, found{' '}
        {report.Models} model{report.Models === 1 ? '' : 's'}.
        {report.Added?.length ? <span className="px-added"> +{report.Added.join(', +')}</span> : null}
        {report.Removed?.length ? <span className="px-removed"> −{report.Removed.join(', −')}</span> : null}
      </p>
      {endpoints.length === 0 ? <p className="px-empty">The config has no endpoints.</p> : null}
      <ul className="px-endpoint-list" aria-label="Endpoints">
        {endpoints.map((e) => (
          <li key={e.Index} className="px-endpoint" data-skipped={e.Skipped || undefined} data-ok={!e.Skipped && e.Answered > 0 ? '' : undefined}>
            <div className="px-endpoint-head">
              <span className="px-dot" aria-hidden="true" />
              <span className="px-endpoint-label">{e.Label || `endpoint ${e.Index + 1}`}</span>
              <code className="px-endpoint-target">{e.Target}</code>
              {e.Via ? (
                <code className="px-endpoint-via">
                  {e.Via} · {e.Tunnel ? 'tunnel' : 'direct'}
                </code>
              ) : null}
            </div>
            {e.Skipped ? (
              <p className="px-endpoint-stats">disabled (enable: false)</p>
            ) : (
              <p className="px-endpoint-stats">
                {e.SSHError ? (
                  <>host not reachable over SSH</>
                ) : e.Probed > 0 ? (
                  <>
                    <b>{e.Answered}</b> of {e.Probed} port{e.Probed === 1 ? '' : 's'} answered · {e.Refused} refused
                  </>
                ) : e.Via ? (
                  <>no ports found</>
                ) : (
                  <>fixed model list (not probed)</>
                )}
                {e.Ports?.length ? <> · ports found: {e.Ports.join(', ')}</> : null}
                {e.Kept > 0 ? <> · {e.Kept} busy, models kept</> : null} · <b>{e.Models}</b> model{e.Models === 1 ? '' : 's'}
              </p>
            )}
            {e.Errors?.length ? (
              <ul className="px-errors" aria-label={`Errors of ${e.Label || e.Target}`}>
                {e.Errors.map((msg) => (
                  <li key={msg}>{msg}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
