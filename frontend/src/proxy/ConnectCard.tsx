import { useMemo, useState } from 'react';
import { CopyButton } from './CopyButton';
import { clientSnippets, KEY_VARIABLE, type Snippets } from './format';

type Lang = keyof Snippets;
const LANGS: readonly { id: Lang; label: string }[] = [
  { id: 'curl', label: 'curl' },
  { id: 'python', label: 'Python' },
  { id: 'js', label: 'JavaScript' },
];

interface Props {
  baseUrl: string;
  /** A discovered model for the chat example, if any. */
  model: string | undefined;
  keyRequired: boolean;
  /** Set when the base URL belongs to another llproxy the user chose to use. */
  viaOther: boolean;
}

/** The base URL for external clients, with copyable curl / Python / JS snippets. */
export function ConnectCard({ baseUrl, model, keyRequired, viaOther }: Props) {
  const [lang, setLang] = useState<Lang>('curl');
  const snippets = useMemo(() => clientSnippets(baseUrl, model, keyRequired), [baseUrl, model, keyRequired]);
  const label = LANGS.find((l) => l.id === lang)!.label;
  return (
    <section className="px-card px-connect" aria-label="Connect a client">
      <h3 className="px-card-title">Base URL for OpenAI clients</h3>
      <div className="px-url-row">
        <code className="px-url" data-testid="proxy-base-url">
          {baseUrl || 'not serving'}
        </code>
        {baseUrl ? <CopyButton text={baseUrl} label="Copy base URL" className="px-copy--primary" /> : null}
      </div>
      {viaOther ? <p className="px-note">Served by the other llproxy on this port.</p> : null}
      {keyRequired ? (
        <p className="px-note px-note--key" role="note">
          An API key is required (<code>api_keys</code> in the config). The snippets read it from{' '}
          <code>${KEY_VARIABLE}</code>.
        </p>
      ) : (
        <p className="px-note">No key needed; OpenAI libraries want one anyway, any text works.</p>
      )}
      {baseUrl ? (
        <>
          <div className="px-snippet-bar">
            <div className="px-seg" role="group" aria-label="Snippet language">
              {LANGS.map((l) => (
                <button key={l.id} type="button" aria-pressed={lang === l.id} onClick={() => setLang(l.id)}>
                  {l.label}
                </button>
              ))}
            </div>
            <CopyButton text={snippets[lang]} label={`Copy ${label} snippet`} />
          </div>
          <pre className="px-snippet" data-testid="proxy-snippet" aria-label={`${label} snippet`}>
            {snippets[lang]}
          </pre>
        </>
      ) : null}
    </section>
  );
}
