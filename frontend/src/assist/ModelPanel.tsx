import { useEffect, useRef, useState } from 'react';
import { overlayKeyDown } from '../editor';
import type { AssistController } from './controller';
import { errorHint, fieldErrors } from './round';
import { useAssistStore } from './store';
import type { AssistTemplate, ModelInfo, ModelSettings } from './types';

interface Props {
  controller: AssistController;
  onClose: () => void;
}

/**
 * The model panel (`m`): the live list of discovered models with a switch each, and the settings
 * of the chosen model. The switch saves at once; the settings save with the Save button (or
 * Enter in a one-line field). The Go side validates; its messages appear next to their fields.
 */
export function ModelPanel({ controller, onClose }: Props) {
  const models = useAssistStore(controller.store, (s) => s.models);
  const modelsError = useAssistStore(controller.store, (s) => s.modelsError);
  const [chosen, setChosen] = useState<string | null>(null);
  const [switchError, setSwitchError] = useState<string | null>(null);
  const root = useRef<HTMLElement>(null);
  const current = models?.find((m) => m.name === chosen) ?? models?.[0];

  const loading = models === null;
  useEffect(() => {
    root.current?.querySelector<HTMLElement>('input, button')?.focus();
  }, [loading]);

  const toggle = async (m: ModelInfo) => {
    setSwitchError(null);
    try {
      await controller.saveModel(m.name, { ...m.settings, active: !m.active });
    } catch (e) {
      setSwitchError(`${m.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // Keys pressed inside the panel are the panel's (the `models` context; Tab moves between its
  // controls); none reaches the fragment list, where `d` on a focused button would delete a
  // fragment. Ctrl+Q still quits (the keymap's KEEPS_KEYS).
  const onKeyDown = (e: React.KeyboardEvent) => overlayKeyDown('models', { close: onClose }, e);

  return (
    <section ref={root} className="overlay overlay--models" role="dialog" aria-label="Models" tabIndex={-1} onKeyDown={onKeyDown}>
      <h2>Models</h2>
      {modelsError !== null ? <p className="models-problem">{modelsError}</p> : null}
      {models !== null && models.length === 0 ? (
        <p className="models-problem" role="alert">
          No models discovered. {errorHint('no models discovered')}
        </p>
      ) : null}
      <div className="models-body">
        <ul className="models-list" aria-label="Discovered models">
          {(models ?? []).map((m) => (
            <li key={m.name} className="models-row" data-current={m === current ? 'true' : undefined} style={{ '--model-color': m.settings.color } as React.CSSProperties}>
              <input type="checkbox" role="switch" aria-label={`Active: ${m.name}`} checked={m.active} onChange={() => void toggle(m)} />
              <button type="button" className="models-name" onClick={() => setChosen(m.name)} aria-pressed={m === current}>
                <span className="model-dot" aria-hidden="true" />
                {m.name}
              </button>
            </li>
          ))}
        </ul>
        {current ? <SettingsForm key={current.name} model={current} controller={controller} /> : null}
      </div>
      {switchError ? <p className="field-error">{switchError}</p> : null}
      <p className="overlay-hint">
        <kbd>Esc</kbd> closes · settings are kept across restarts
      </p>
    </section>
  );
}

const TEMPLATES: readonly { value: AssistTemplate; label: string }[] = [
  { value: 'raw', label: 'raw continuation (base models)' },
  { value: 'alpaca', label: 'Alpaca' },
  { value: 'chatml', label: 'ChatML' },
  { value: 'llama3', label: 'Llama 3' },
];

const NUMBER_FIELDS = ['temperature', 'top_p', 'max_tokens', 'suggestions', 'context_tokens', 'top_logprobs'] as const;

function SettingsForm({ model, controller }: { model: ModelInfo; controller: AssistController }) {
  const [draft, setDraft] = useState<ModelSettings>(model.settings);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof ModelSettings>(k: K, v: ModelSettings[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const num = (k: (typeof NUMBER_FIELDS)[number]) => ({
    value: Number.isFinite(draft[k]) ? String(draft[k]) : '',
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(k, e.target.value === '' ? Number.NaN : Number(e.target.value)),
  });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    // An empty number field would reach Go as null (zero): say so here instead.
    const blank = NUMBER_FIELDS.filter((k) => !Number.isFinite(draft[k]));
    if (blank.length > 0) {
      setSaved(false);
      setErrors(Object.fromEntries(blank.map((k) => [k, 'enter a number'])));
      return;
    }
    try {
      // The switch lives in the list; keep what it says now.
      await controller.saveModel(model.name, { ...draft, active: model.active });
      setErrors({});
      setSaved(true);
    } catch (err) {
      setErrors(fieldErrors(err instanceof Error ? err.message : String(err)));
    }
  };

  const err = (field: string) =>
    errors[field] ? (
      <span className="field-error" role="alert" id={`err-${field}`}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <form className="models-form" aria-label={`Settings of ${model.name}`} onSubmit={(e) => void save(e)}>
      <label>
        Mode
        <select value={draft.mode} onChange={(e) => set('mode', e.target.value as ModelSettings['mode'])}>
          <option value="chat">chat (/v1/chat/completions)</option>
          <option value="text">text (/v1/completions)</option>
        </select>
        {err('mode')}
      </label>
      <label>
        Template
        <select value={draft.template} disabled={draft.mode !== 'text'} onChange={(e) => set('template', e.target.value as AssistTemplate)}>
          {TEMPLATES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        {err('template')}
      </label>
      <label className="models-wide">
        System prompt
        <textarea rows={3} value={draft.system_prompt} onChange={(e) => set('system_prompt', e.target.value)} />
        {err('system_prompt')}
      </label>
      <label>
        Temperature
        <input type="number" step="0.05" {...num('temperature')} />
        {err('temperature')}
      </label>
      <label>
        Top-p
        <input type="number" step="0.01" {...num('top_p')} />
        {err('top_p')}
      </label>
      <label>
        Max tokens
        <input type="number" step="1" {...num('max_tokens')} />
        {err('max_tokens')}
      </label>
      <label>
        Suggestions
        <input type="number" step="1" {...num('suggestions')} />
        {err('suggestions')}
      </label>
      <label>
        Context tokens{model.context_from_server ? ` (server says ${model.context_tokens})` : ''}
        <input type="number" step="256" {...num('context_tokens')} />
        {err('context_tokens')}
      </label>
      <label>
        Colour
        <input type="color" value={/^#[0-9a-f]{6}$/i.test(draft.color) ? draft.color : '#888888'} onChange={(e) => set('color', e.target.value)} />
        {err('color')}
      </label>
      <label>
        Token candidates (K, 0 = no probabilities)
        <input type="number" step="1" min="0" max="20" {...num('top_logprobs')} />
        {err('top_logprobs')}
      </label>
      <label className="models-check">
        <input type="checkbox" checked={draft.stop_at_sentence} onChange={(e) => set('stop_at_sentence', e.target.checked)} />
        Stop at the first sentence end
        {err('stop_at_sentence')}
      </label>
      <label className="models-check">
        <input type="checkbox" checked={draft.ignore_notes} onChange={(e) => set('ignore_notes', e.target.checked)} />
        Ignore the story notes (n)
        {err('ignore_notes')}
      </label>
      <div className="models-actions models-wide">
        <button type="submit">Save</button>
        {saved ? <span className="models-saved">saved</span> : null}
        {err('')}
      </div>
    </form>
  );
}
