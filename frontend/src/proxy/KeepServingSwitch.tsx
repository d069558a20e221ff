import { useKeepServing } from './useProxy';

/** "Keep serving when the window closes": the close button then hides the window. */
export function KeepServingSwitch() {
  const { value, error, toggle } = useKeepServing();
  return (
    <section className="px-card px-keep" aria-label="Window">
      <div className="px-switch-row">
        <div>
          <div id="px-keep-label" className="px-switch-label">
            Keep serving when the window closes
          </div>
          <p className="px-note">The window hides instead; launching the app again shows it. Ctrl+Q still quits.</p>
        </div>
        <button
          type="button"
          role="switch"
          className="px-switch"
          aria-checked={value ?? false}
          aria-labelledby="px-keep-label"
          disabled={value === null}
          onClick={() => void toggle()}
        >
          <span className="px-switch-knob" aria-hidden="true" />
        </button>
      </div>
      {error ? (
        <p className="px-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
