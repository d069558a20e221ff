import { createContext, memo, type MouseEvent, type RefObject, useContext, useLayoutEffect } from 'react';
import type { Fragment, Mode } from '../editor';
import { DraftTextarea } from './DraftTextarea';
import { FragmentView, NEW_OPTION_ID, NewFragmentView, optionId } from './FragmentView';

export interface DraftSlotValue {
  text: string;
  mode: 'edit' | 'insert';
  onChange: (text: string) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}

/** The open draft, read only by the textarea slot, so typing re-renders nothing else. */
export const DraftContext = createContext<DraftSlotValue | null>(null);

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
        <Fragments fragments={fragments} selection={selection} editing={editing} />
      </div>
    </div>
  );
}

interface FragmentsProps {
  fragments: readonly Fragment[];
  selection: number;
  editing: boolean;
}

/**
 * All options in one keyed run, `<new>` last; the one being edited is the textarea slot. Keys
 * stay the same when the textarea opens or closes, so no other fragment is re-created.
 */
const Fragments = memo(function Fragments({ fragments, selection, editing }: FragmentsProps) {
  const n = fragments.length;
  const out = new Array(n + 1);
  for (let i = 0; i < n; i++) {
    const f = fragments[i]!;
    out[i] =
      editing && i === selection ? (
        <DraftSlot key={f.id} id={optionId(f)} isNew={false} />
      ) : (
        <FragmentView key={f.id} fragment={f} selected={i === selection} />
      );
  }
  out[n] =
    editing && selection === n ? (
      <DraftSlot key="<new>" id={NEW_OPTION_ID} isNew />
    ) : (
      <NewFragmentView key="<new>" selected={selection === n} />
    );
  return out;
});

function DraftSlot({ id, isNew }: { id: string; isNew: boolean }) {
  const draft = useContext(DraftContext);
  if (!draft) return null;
  return (
    <DraftTextarea
      value={draft.text}
      onChange={draft.onChange}
      textareaRef={draft.textareaRef}
      mode={draft.mode}
      optionId={id}
      isNew={isNew}
    />
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
