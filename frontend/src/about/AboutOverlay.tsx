import { useEffect, useState } from 'react';
import { callApp, servicesAvailable } from '../bridge';
import { BUNDLED_PARTS, SYSTEM_PARTS } from './licenses';
import './about.css';

/** The version as the Go side reports it (`git describe` at build time); null in a browser. */
function useVersion(): { version: string | null; error: string | null } {
  const [version, setVersion] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!servicesAvailable()) return;
    let alive = true;
    callApp<string>('Version').then(
      (v) => alive && setVersion(v),
      (e) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, []);
  return { version, error };
}

/** About FragmentEditor: name, version, what it bundles and under which licenses. */
export function AboutOverlay() {
  const { version, error } = useVersion();
  const desktop = servicesAvailable();
  return (
    <section className="overlay overlay--about" role="dialog" aria-label="About FragmentEditor">
      <div className="about-head">
        <div className="about-mark" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        <div>
          <h2 className="about-name">FragmentEditor</h2>
          <p className="about-version" data-testid="about-version">
            {desktop ? (version ? `Version ${version}` : error ? `Version unknown (${error})` : 'Version …') : 'Page without a server (version unknown)'}
          </p>
        </div>
      </div>
      <p className="about-blurb">
        A keyboard-driven fragment editor with LLProxy, an OpenAI-compatible proxy that finds the LLM servers on your machines.
      </p>
      <h3 className="about-sub">Built with</h3>
      <table className="about-parts">
        <tbody>
          {BUNDLED_PARTS.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td>{p.what}</td>
              <td className="about-license">{p.license}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="about-system">{SYSTEM_PARTS}</p>
      <p className="overlay-hint">
        <kbd>Esc</kbd> closes
      </p>
    </section>
  );
}
