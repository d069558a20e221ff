import { memo } from 'react';
import { altLabel, type Fragment, probBucket, probLabel, type TokenProb } from '../editor';

/** DOM id of a fragment's option (also the listbox's aria-activedescendant). */
export const optionId = (f: Fragment): string => `fragment-${f.id}`;
export const NEW_OPTION_ID = 'fragment-new';

interface Props {
  fragment: Fragment;
  selected: boolean;
  /** 1-based position in the whole list and its length (`<new>` included): see FragmentFlow. */
  posinset: number;
  setsize: number;
}

/**
 * One fragment. Its text content is exactly the fragment's text; decorations (provenance, the
 * alternatives counter) go into data attributes and CSS so they never change it. Memoised: a
 * selection change re-renders only the two fragments whose `selected` flips.
 */
export const FragmentView = memo(function FragmentView({ fragment, selected, posinset, setsize }: Props) {
  return (
    <span
      role="option"
      id={optionId(fragment)}
      aria-selected={selected}
      aria-posinset={posinset}
      aria-setsize={setsize}
      className="fragment"
      data-id={fragment.id}
      data-source={fragment.source?.kind}
      data-model={fragment.source?.kind === 'model' ? fragment.source.model : undefined}
      data-edited={fragment.edited ? 'true' : undefined}
      data-alt={altLabel(fragment)}
      data-probs={fragment.source?.kind === 'model' && !fragment.edited ? (fragment.tokens ? 'tokens' : 'none') : undefined}
    >
      {fragment.tokens ? <Tokens tokens={fragment.tokens} text={fragment.text} /> : fragment.text}
    </span>
  );
});

/**
 * A model fragment's tokens, each a span with its probability (`data-token-prob`, 0–1 with two
 * decimals) and heatmap shade; their text content is the fragment's text exactly. Tokens that do
 * not spell the text (never expected) fall back to the plain text.
 */
function Tokens({ tokens, text }: { tokens: readonly TokenProb[]; text: string }) {
  let joined = '';
  for (const t of tokens) joined += t.t;
  if (joined !== text) return <>{text}</>;
  return (
    <>
      {tokens.map((t, i) => (
        <span key={i} className="token" data-token-index={i} data-token-prob={probLabel(t.p)} data-token-bucket={probBucket(t.p)}>
          {t.t}
        </span>
      ))}
    </>
  );
}

/** The virtual `<new>` fragment. */
export const NewFragmentView = memo(function NewFragmentView({ selected, posinset, setsize }: Omit<Props, 'fragment'>) {
  return (
    <span
      role="option"
      id={NEW_OPTION_ID}
      aria-selected={selected}
      aria-posinset={posinset}
      aria-setsize={setsize}
      className="fragment fragment--new"
      data-virtual="new"
    >
      {'<new>'}
    </span>
  );
});
