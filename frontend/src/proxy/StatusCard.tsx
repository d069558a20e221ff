import type { ProxyStatus } from './api';
import { CopyButton } from './CopyButton';
import { ago, formatDuration, parseGoTime } from './format';

/** Where the proxy listens, who it is, where its config lives and how the last scan went. */
export function StatusCard({ status, now }: { status: ProxyStatus; now: Date }) {
  const report = status.discovery;
  const started = parseGoTime(report?.Started);
  const endpoints = report?.Endpoints ?? [];
  const answering = endpoints.filter((e) => !e.Skipped && e.Answered > 0).length;
  const failing = endpoints.filter((e) => e.Errors?.length).length;
  return (
    <section className="px-card" aria-label="Proxy status">
      <h3 className="px-card-title">Server</h3>
      <dl className="px-facts">
        <dt>Listening</dt>
        <dd>
          <code>{status.running ? status.listenAddr : 'not running'}</code>
        </dd>
        <dt>Last scan</dt>
        <dd data-testid="proxy-side-run">
          {started ? (
            <>
              {ago(started, now)}, {formatDuration(report.Duration)} · {answering} of {endpoints.length} endpoint{endpoints.length === 1 ? '' : 's'}{' '}
              answering
              {failing ? <span className="px-bad"> · {failing} with errors</span> : null}
            </>
          ) : (
            'not yet'
          )}
        </dd>
        <dt>Instance</dt>
        <dd>
          <code>{status.instance}</code>
        </dd>
        {status.running && status.baseUrl ? (
          <>
            <dt>Status page</dt>
            <dd className="px-status-page">
              <code data-testid="proxy-status-page">{statusPageUrl(status.baseUrl)}</code>{' '}
              <CopyButton text={statusPageUrl(status.baseUrl)} label="Copy status page URL" />
            </dd>
          </>
        ) : null}
        <dt>Config</dt>
        <dd>
          <code className="px-path" title={status.configPath}>
            {status.configPath}
          </code>
        </dd>
      </dl>
    </section>
  );
}

/** The /status page next to a /v1 base URL: "http://127.0.0.1:3333/v1" → "http://127.0.0.1:3333/status". */
export function statusPageUrl(baseUrl: string): string {
  return baseUrl.replace(/\/v1\/?$/, '') + '/status';
}
