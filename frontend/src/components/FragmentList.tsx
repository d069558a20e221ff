import { type MouseEvent, type RefObject, useLayoutEffect } from 'react';
import type { Fragment, Mode } from '../editor';
import { FragmentFlow } from './FragmentFlow';
import { NEW_OPTION_ID, optionId } from './FragmentView';

interface Props {
  fragments: readonly Fragment[];
  selection: number;
  mode: Mode;
  listRef: RefObject<HTMLDivElement | null>;
  /** A click or double-click on the option at this index. */
  onPick: (index: number, double: boolean) => void;
}

/**
 * The fragment list: a listbox of fragments flowing like text, `<new>` last. It always fills its
 * box (95% of the window, set in CSS); overlays float above it and never reflow it.
 */
export function FragmentList({ fragments, selection, mode, listRef, onPick }: Props) {
  const n = fragments.length;
  const editing = mode !== 'explore';
  const selectedId = selection < n ? optionId(fragments[selection]!) : NEW_OPTION_ID;

  useScrollSelectionIntoView(listRef, selectedId, editing);

  const pick = (e: MouseEvent, double: boolean) => {
    const target = e.target as HTMLElement;
    if (target.closest('textarea')) return;
    const option = target.closest<HTMLElement>('[role="option"]');
    if (!option) return;
    const index = option.dataset.virtual === 'new' ? n : fragments.findIndex((f) => f.id === option.dataset.id);
    if (index >= 0) onPick(index, double);
  };

  return (
    <div
      ref={listRef}
      role="listbox"
      aria-label="Fragments"
      aria-activedescendant={selectedId}
      tabIndex={0}
      className="fragment-list"
      onClick={(e) => pick(e, false)}
      onDoubleClick={(e) => pick(e, true)}
    >
      <div className="fragment-flow">
        <FragmentFlow fragments={fragments} selection={selection} editing={editing} />
      </div>
    </div>
  );
}

function useScrollSelectionIntoView(listRef: RefObject<HTMLDivElement | null>, selectedId: string, editing: boolean) {
  useLayoutEffect(() => {
    const list = listRef.current;
    const el = list?.ownerDocument.getElementById(selectedId);
    if (!list || !el) return;
    const box = list.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const margin = Math.min(48, box.height / 4);
    if (r.top < box.top + margin) list.scrollTop -= box.top + margin - r.top;
    else if (r.bottom > box.bottom - margin) list.scrollTop += r.bottom - (box.bottom - margin);
  }, [listRef, selectedId, editing]);
}
