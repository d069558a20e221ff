import { CONTEXT_TITLES, KEYMAP, type KeyContext, keyLabel } from '../editor';

const ORDER: readonly KeyContext[] = ['explore', 'text', 'search', 'instruction', 'token', 'notes', 'preview', 'library'];

/** The key help, generated from the one keymap table. */
export function HelpOverlay() {
  return (
    <section className="overlay overlay--help" role="dialog" aria-label="Help">
      <h2>Keys</h2>
      {ORDER.map((ctx) => (
        <section key={ctx} className={`help-section help-section--${ctx}`}>
          <h3>{CONTEXT_TITLES[ctx]}</h3>
          <dl className="help-list">
            {KEYMAP.filter((b) => b.context === ctx).map((b) => (
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
        </section>
      ))}
      <p className="overlay-hint">
        <kbd>?</kbd> or <kbd>Esc</kbd> closes this help
      </p>
    </section>
  );
}
