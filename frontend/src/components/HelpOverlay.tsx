import { type Binding, type Capability, CONTEXT_TITLES, KEEPS_KEYS, type KeyContext, keyLabel, visibleBindings } from '../editor';

interface Props {
  /** What this surface can do (the bridge's `capabilities()`): rows that need more are left out. */
  capabilities: Readonly<Record<Capability, boolean>>;
}

/**
 * The key help, generated from the one keymap table: a section per context, i.e. per place the
 * keys work (the list, the textarea, each overlay and panel), in CONTEXT_TITLES' order. A panel
 * that keeps its keys says which global keys still work there.
 */
export function HelpOverlay({ capabilities }: Props) {
  const rows = visibleBindings(capabilities);
  const contexts = Object.keys(CONTEXT_TITLES) as KeyContext[];
  return (
    <section className="overlay overlay--help" role="dialog" aria-label="Help">
      <h2>Keys</h2>
      {contexts.map((ctx) => (
        <section key={ctx} className={`help-section help-section--${ctx}`} aria-label={CONTEXT_TITLES[ctx]}>
          <h3>{CONTEXT_TITLES[ctx]}</h3>
          <dl className="help-list">
            {rows
              .filter((b) => b.context === ctx)
              .map((b) => (
                <div key={b.action} className="help-row">
                  <dt>
                    {b.keys.map((k) => (
                      <kbd key={k}>{keyLabel(k)}</kbd>
                    ))}
                  </dt>
                  <dd>{b.help}</dd>
                </div>
              ))}
          </dl>
          <KeptKeys context={ctx} rows={rows} />
        </section>
      ))}
      <p className="overlay-hint">
        <kbd>?</kbd> or <kbd>Esc</kbd> closes this help
      </p>
    </section>
  );
}

/** "Other keys stay here; Ctrl+Q still works" for a context that keeps its keys. */
function KeptKeys({ context, rows }: { context: KeyContext; rows: readonly Binding[] }) {
  const kept = KEEPS_KEYS[context];
  if (!kept) return null;
  const through = rows.filter((b) => b.context === 'explore' && kept.includes(b.action));
  return (
    <p className="help-note">
      Other keys stay here
      {through.length > 0 ? (
        <>
          ; these still work:{' '}
          {through.map((b, i) => (
            <span key={b.action}>
              {i > 0 ? ', ' : null}
              {b.keys.map((k) => (
                <kbd key={k}>{keyLabel(k)}</kbd>
              ))}{' '}
              {b.help}
            </span>
          ))}
        </>
      ) : null}
      .
    </p>
  );
}
