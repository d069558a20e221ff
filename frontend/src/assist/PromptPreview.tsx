import { useEffect, useRef } from 'react';
import { overlayKeyDown } from '../editor';
import type { AssistController } from './controller';
import { useAssistStore } from './store';
import type { PromptPreview as Preview } from './types';

/**
 * The prompt preview (`P`): exactly what each active model receives for a Tab at the selection —
 * endpoint, system and user messages or the raw prompt, stop sequences — with the story text the
 * trimmer left out shown struck through before it.
 */
export function PromptPreview({ controller, onClose }: { controller: AssistController; onClose: () => void }) {
  const items = useAssistStore(controller.store, (s) => s.preview);
  const error = useAssistStore(controller.store, (s) => s.previewError);
  const root = useRef<HTMLElement>(null);
  useEffect(() => root.current?.focus(), []);
  const onKeyDown = (e: React.KeyboardEvent) => overlayKeyDown('preview', { close: onClose }, e);
  return (
    <section ref={root} tabIndex={-1} className="overlay overlay--preview" role="dialog" aria-label="Prompt preview" onKeyDown={onKeyDown}>
      <h2>Prompt preview</h2>
      {error ? (
        <p className="models-problem" role="alert">
          {error}
        </p>
      ) : null}
      {items === null && !error ? <p className="status-muted">Building the prompts…</p> : null}
      {(items ?? []).map((p) => (
        <PreviewItem key={p.model} p={p} />
      ))}
      <p className="overlay-hint">
        <kbd>Esc</kbd> closes · struck-through text is trimmed to fit the model&apos;s context
      </p>
    </section>
  );
}

function PreviewItem({ p }: { p: Preview }) {
  const trimmed =
    p.trimmed_bytes > 0 ? (
      <del className="prompt-trimmed" title={`${p.trimmed_fragments} fragments (${p.trimmed_bytes} bytes) trimmed`}>
        {p.trimmed}
      </del>
    ) : null;
  const note =
    p.trimmed_bytes > 0 ? (
      <p className="status-muted" data-testid="prompt-trimmed-note">
        Trimmed: {p.trimmed_fragments} fragment{p.trimmed_fragments === 1 ? '' : 's'} ({p.trimmed_bytes} bytes) from the start of the story.
      </p>
    ) : null;
  return (
    <article className="prompt-model" aria-label={`Prompt of ${p.model}`}>
      <h3>
        {p.model} <span className="status-muted">{p.endpoint}</span>
      </h3>
      {p.error ? (
        <p className="field-error" role="alert">
          {p.error}
        </p>
      ) : null}
      {note}
      {p.system ? (
        <>
          <h4>system</h4>
          <pre className="prompt-text">{p.system}</pre>
        </>
      ) : null}
      {p.user !== undefined && p.user !== '' ? (
        <>
          <h4>user</h4>
          <pre className="prompt-text">
            {trimmed}
            {p.user}
          </pre>
        </>
      ) : null}
      {p.text !== undefined && p.text !== '' ? (
        <>
          <h4>prompt</h4>
          <pre className="prompt-text">
            {trimmed}
            {p.text}
          </pre>
        </>
      ) : null}
      {p.stop && p.stop.length > 0 ? <p className="status-muted">stop: {p.stop.map((s) => JSON.stringify(s)).join(', ')}</p> : null}
    </article>
  );
}
