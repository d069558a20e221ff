import { CONTEXT_TITLES, KEYMAP, type KeyContext, keyLabel } from '../editor';

const ORDER: readonly KeyContext[] = ['explore', 'text', 'search'];

/** The key help, generated from the one keymap table. */
export function HelpOverlay() {
  return (
    <section className="overlay overlay--help" role="dialog" aria-label="Help">
      <h2>Keys</h2>
      <div className="help-columns">
        {ORDER.map((ctx) => (
          <table key={ctx} className="help-table">
            <caption>{CONTEXT_TITLES[ctx]}</caption>
            <tbody>
              {KEYMAP.filter((b) => b.context === ctx).map((b) => (
                <tr key={b.action}>
                  <th scope="row">
                    {b.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 ? ' ' : null}
                        <kbd>{keyLabel(k)}</kbd>
                      </span>
                    ))}
                  </th>
                  <td>{b.help}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <p className="overlay-hint">
        <kbd>?</kbd> or <kbd>Esc</kbd> closes this help
      </p>
    </section>
  );
}
