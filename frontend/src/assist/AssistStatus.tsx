import { memo } from 'react';
import { errorHint } from './round';
import { type AssistStore, useAssistStore } from './store';
import { StatusText } from './SuggestionGrid';

/**
 * The models' status in the status bar, always visible in the desktop app: every active model
 * (or every model of the latest round) with its state — idle, waiting, streaming with its rate,
 * or the backend's error — and, when no model is discovered, what to do about it. Renders nothing
 * in a plain browser (the status bar says AI is unavailable there).
 */
export const AssistStatus = memo(function AssistStatus({ store }: { store: AssistStore }) {
  const available = useAssistStore(store, (s) => s.available);
  const models = useAssistStore(store, (s) => s.models);
  const modelsError = useAssistStore(store, (s) => s.modelsError);
  const status = useAssistStore(store, (s) => s.status);
  if (!available) return null;
  if (modelsError !== null) {
    return (
      <span className="assist-status assist-status--problem" data-testid="assist-status" title={modelsError}>
        AI: {modelsError}
      </span>
    );
  }
  if (models === null) return null;
  if (models.length === 0) {
    return (
      <span className="assist-status assist-status--problem" data-testid="assist-status" title={errorHint('no models discovered') ?? ''}>
        No models: start an LLM server, or edit the proxy config (Ctrl+P)
      </span>
    );
  }
  const shown = new Set(models.filter((m) => m.active).map((m) => m.name));
  for (const s of status) shown.add(s.model);
  if (shown.size === 0) {
    return (
      <span className="assist-status assist-status--problem" data-testid="assist-status">
        No active model: press m to switch one on
      </span>
    );
  }
  return (
    <span className="assist-status" data-testid="assist-status">
      {[...shown].map((name) => (
        <span
          key={name}
          className="assist-model"
          data-model={name}
          style={{ '--model-color': models.find((m) => m.name === name)?.settings.color } as React.CSSProperties}
        >
          <span className="model-dot" aria-hidden="true" />
          {name} <StatusText status={status.find((s) => s.model === name)} />
        </span>
      ))}
    </span>
  );
});
