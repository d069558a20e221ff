import { useLayoutEffect, useRef } from 'react';
import type { LogEntry } from './api';
import { clockTime, parseGoTime } from './format';

/** The proxy's recent log records, newest last; stays scrolled to the end while it was there. */
export function LogsView({ logs }: { logs: readonly LogEntry[] }) {
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [logs]);
  const onScroll = () => {
    const el = box.current;
    if (el) atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  };
  if (logs.length === 0) return <p className="px-empty">No log records yet.</p>;
  return (
    <div className="px-logs" ref={box} onScroll={onScroll} role="log" aria-label="Proxy log" tabIndex={0}>
      {logs.map((l) => {
        const t = parseGoTime(l.time);
        return (
          <div key={l.seq} className="px-log" data-level={l.level.toLowerCase()}>
            <span className="px-log-time">{t ? clockTime(t) : ''}</span>
            <span className="px-log-level">{l.level}</span>
            <span className="px-log-text">
              <span className="px-log-msg">{l.message}</span>
              {(l.attrs ?? []).map((a, i) => (
                <span key={i} className="px-log-attr">
                  {' '}
                  <span className="px-log-key">{a.key}=</span>
                  {a.value}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}
