import { memo, type ReactElement } from 'react';
import type { Fragment } from '../editor';
import { DraftTextarea } from './DraftTextarea';
import { useDraft } from './draftStore';
import { FragmentView, NEW_OPTION_ID, NewFragmentView, optionId } from './FragmentView';

export interface BlockProps {
  fragments: readonly Fragment[];
  start: number;
  end: number;
  /** `<new>` closes this block. */
  hasNew: boolean;
  /** Index of the selected option, or -1 when it is not in this block. */
  selected: number;
  /** The selected option shows the textarea. */
  editing: boolean;
}

/**
 * One block of the list (see flowLayout.ts): a paragraph, or a piece of a very long one. A plain
 * block box that adds nothing to the text's flow; options carry their position in the whole list
 * (`aria-posinset`, `aria-setsize`) because only the blocks near the viewport are rendered.
 * Memoised on the identity of its fragments and their positions: a selection change re-renders
 * the blocks whose selection flips, an edit the edited block (and the positions after an insert
 * or delete, in the rendered window).
 */
export const FlowBlock = memo(function FlowBlock({ fragments, start, end, hasNew, selected, editing }: BlockProps) {
  const setsize = fragments.length + 1;
  const out: ReactElement[] = [];
  for (let i = start; i < end; i++) {
    const f = fragments[i]!;
    const sel = i === selected;
    out.push(
      sel && editing ? (
        <DraftSlot key={f.id} id={optionId(f)} isNew={false} posinset={i + 1} setsize={setsize} />
      ) : (
        <FragmentView key={f.id} fragment={f} selected={sel} posinset={i + 1} setsize={setsize} />
      ),
    );
  }
  if (hasNew) {
    const sel = selected === end;
    out.push(
      sel && editing ? (
        <DraftSlot key="<new>" id={NEW_OPTION_ID} isNew posinset={setsize} setsize={setsize} />
      ) : (
        <NewFragmentView key="<new>" selected={sel} posinset={setsize} setsize={setsize} />
      ),
    );
  }
  return (
    <div role="none" className="paragraph">
      {out}
    </div>
  );
}, sameBlock);

/** Equal when the block shows the same fragment objects at the same positions, the same way. */
function sameBlock(a: BlockProps, b: BlockProps): boolean {
  if (a.start !== b.start || a.end !== b.end || a.hasNew !== b.hasNew || a.selected !== b.selected || a.editing !== b.editing) return false;
  if (a.fragments.length !== b.fragments.length) return false;
  for (let i = a.start; i < a.end; i++) if (a.fragments[i] !== b.fragments[i]) return false;
  return true;
}

/** The textarea of edit/insert mode, fed by the draft store (see draftStore.ts). */
function DraftSlot({ id, isNew, posinset, setsize }: { id: string; isNew: boolean; posinset: number; setsize: number }) {
  const draft = useDraft();
  if (!draft) return null;
  return (
    <DraftTextarea
      value={draft.text}
      onChange={draft.onChange}
      textareaRef={draft.textareaRef}
      caretRef={draft.caretRef}
      mode={draft.mode}
      optionId={id}
      isNew={isNew}
      posinset={posinset}
      setsize={setsize}
    />
  );
}
