import type { ModelInfo } from './api';
import { prettyJSON } from './format';

/** The discovered models: name, backends (replicas), tags and the raw /v1/models entry. */
export function ModelsView({ models, otherBaseUrl }: { models: readonly ModelInfo[]; otherBaseUrl?: string }) {
  if (models.length === 0 && otherBaseUrl) {
    return (
      <p className="px-empty">
        This app’s proxy is not running, so it has no models of its own. The other llproxy serves its models (its own config
        decides which): <code>curl {otherBaseUrl}/models</code>
      </p>
    );
  }
  if (models.length === 0) {
    return (
      <p className="px-empty">
        No models found yet. Start an LLM server in one of the configured port ranges, then press <kbd>R</kbd> to rescan.
      </p>
    );
  }
  return (
    <table className="px-table px-models" aria-label="Models">
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Backends</th>
          <th scope="col">Tags</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.name}>
            <td className="px-model-cell">
              <details>
                <summary>
                  <code className="px-model-name">{m.name}</code>
                  {m.id !== m.name ? <span className="px-model-id">{m.id}</span> : null}
                </summary>
                <pre className="px-raw" aria-label={`Raw fields of ${m.name}`}>
                  {prettyJSON(m.raw)}
                </pre>
              </details>
            </td>
            <td>
              <ul className="px-chips" aria-label={`Backends of ${m.name}`}>
                {(m.replicas ?? []).map((r) => (
                  <li key={r} className="px-chip px-chip--host">
                    {r}
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <ul className="px-chips" aria-label={`Tags of ${m.name}`}>
                {(m.tags ?? []).map((t) => (
                  <li key={t} className="px-chip px-chip--tag">
                    {t}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
