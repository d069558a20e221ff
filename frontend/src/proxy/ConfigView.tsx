import type { ConfigEditor } from './useProxy';

/** The config file in a textarea, checked by the loader as you type; Save applies it live. */
export function ConfigView({ editor, configPath }: { editor: ConfigEditor; configPath: string }) {
  const { text, dirty, problems, checking, saving, error, notice } = editor;
  const invalid = problems.length > 0;
  const canSave = editor.loaded && dirty && !invalid && !checking && !saving;
  const state = checking ? 'checking…' : invalid ? `${problems.length} problem${problems.length === 1 ? '' : 's'}` : 'valid';
  return (
    <div className="px-config">
      <div className="px-config-head">
        <code className="px-dim" title="config file">
          {configPath}
        </code>
        <span className="px-config-state" data-state={checking ? 'checking' : invalid ? 'invalid' : 'valid'} role="status">
          {state}
        </span>
      </div>
      <textarea
        className="px-config-text"
        aria-label="Proxy config (JSON)"
        aria-invalid={invalid}
        spellCheck={false}
        wrap="off"
        value={text}
        onChange={(e) => editor.setText(e.target.value)}
      />
      {invalid ? (
        <ul className="px-problems" aria-label="Config problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.path ? <code>{p.path}</code> : null}
              {p.path ? ': ' : null}
              <span>{p.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <p className="px-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="px-config-actions">
        {notice && !dirty ? <span className="px-ok">{notice}</span> : null}
        <span className="px-spacer" />
        <button type="button" disabled={!dirty || saving} onClick={() => void editor.revert()}>
          Revert
        </button>
        <button type="button" className="px-btn--primary" disabled={!canSave} onClick={() => void editor.save()}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}
