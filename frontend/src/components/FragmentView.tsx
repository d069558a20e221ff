import { memo } from 'react';
import { altLabel, type Fragment } from '../editor';

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
    >
      {fragment.text}
    </span>
  );
});

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
