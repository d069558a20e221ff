import { memo, type ReactElement } from 'react';
import type { Fragment } from '../editor';
import { DraftTextarea } from './DraftTextarea';
import { useDraft } from './draftStore';
import { FragmentView, NEW_OPTION_ID, NewFragmentView, optionId } from './FragmentView';

/**
 * The options of the list, `<new>` last, in two levels of plain blocks that do not change how the
 * text flows:
 * - a paragraph ends after a fragment whose text ends with a newline; under `white-space:
 *   pre-wrap` that fragment ends its line anyway;
 * - a section is a run of paragraphs; a new one starts at a paragraph whose first fragment id
 *   hashes to 0 mod SECTION_SPREAD, so boundaries depend only on nearby fragments and stay put
 *   when text is inserted elsewhere.
 * Sections carry `content-visibility: auto`, so the browser lays out and paints only those near
 * the viewport, and each level is memoised on the identity of its fragments, so React skips every
 * section and paragraph whose fragments did not change. With 10,000 fragments a keystroke then
 * costs one paragraph, not the document.
 */
export const FragmentFlow = memo(function FragmentFlow({ fragments, selection, editing }: FlowProps) {
  const n = fragments.length;
  const out: ReactElement[] = [];
  let sectionStart = 0;
  let paragraphStart = 0;
  for (let i = 0; i < n; i++) {
    if (!fragments[i]!.text.endsWith('\n')) continue;
    paragraphStart = i + 1;
    if (paragraphStart < n && startsSection(fragments[paragraphStart]!)) {
      out.push(range(Section, fragments, selection, editing, sectionStart, paragraphStart, false));
      sectionStart = paragraphStart;
    }
  }
  out.push(range(Section, fragments, selection, editing, sectionStart, n, true));
  return out;
});

interface FlowProps {
  fragments: readonly Fragment[];
  selection: number;
  editing: boolean;
}

interface RangeProps {
  fragments: readonly Fragment[];
  start: number;
  end: number;
  /** `<new>` closes this range. */
  hasNew: boolean;
  /** Offset of the selected option within the range, or -1. */
  selected: number;
  editing: boolean;
}

/** Average number of paragraphs per section. */
const SECTION_SPREAD = 12;

function startsSection(f: Fragment): boolean {
  let h = 2166136261;
  for (let i = 0; i < f.id.length; i++) h = Math.imul(h ^ f.id.charCodeAt(i), 16777619);
  return (h >>> 0) % SECTION_SPREAD === 0;
}

function range(
  Component: typeof Section | typeof Paragraph,
  fragments: readonly Fragment[],
  selection: number,
  editing: boolean,
  start: number,
  end: number,
  hasNew: boolean,
): ReactElement {
  const n = fragments.length;
  const inside = selection >= start && (selection < end || (hasNew && selection === n));
  return (
    <Component
      key={start < n ? fragments[start]!.id : '<new>'}
      fragments={fragments}
      start={start}
      end={end}
      hasNew={hasNew}
      selected={inside ? selection - start : -1}
      editing={inside && editing}
    />
  );
}

const Section = memo(function Section({ fragments, start, end, hasNew, selected, editing }: RangeProps) {
  const out: ReactElement[] = [];
  const selection = selected < 0 ? -1 : start + selected;
  let p = start;
  for (let i = start; i < end; i++) {
    if (!fragments[i]!.text.endsWith('\n')) continue;
    out.push(range(Paragraph, fragments, selection, editing, p, i + 1, false));
    p = i + 1;
  }
  if (p < end || hasNew) out.push(range(Paragraph, fragments, selection, editing, p, end, hasNew));
  return (
    <div role="none" className="section">
      {out}
    </div>
  );
}, sameRange);

const Paragraph = memo(function Paragraph({ fragments, start, end, hasNew, selected, editing }: RangeProps) {
  const out: ReactElement[] = [];
  for (let i = start; i < end; i++) {
    const f = fragments[i]!;
    const sel = i - start === selected;
    out.push(
      sel && editing ? <DraftSlot key={f.id} id={optionId(f)} isNew={false} /> : <FragmentView key={f.id} fragment={f} selected={sel} />,
    );
  }
  if (hasNew) {
    const sel = selected === end - start;
    out.push(sel && editing ? <DraftSlot key="<new>" id={NEW_OPTION_ID} isNew /> : <NewFragmentView key="<new>" selected={sel} />);
  }
  return (
    <div role="none" className="paragraph">
      {out}
    </div>
  );
}, sameRange);

/** Equal when the range shows the same fragment objects the same way, wherever it starts. */
function sameRange(a: RangeProps, b: RangeProps): boolean {
  const len = a.end - a.start;
  if (len !== b.end - b.start || a.hasNew !== b.hasNew || a.selected !== b.selected || a.editing !== b.editing) return false;
  for (let k = 0; k < len; k++) if (a.fragments[a.start + k] !== b.fragments[b.start + k]) return false;
  return true;
}

/** The textarea of edit/insert mode, fed by the draft store (see draftStore.ts). */
function DraftSlot({ id, isNew }: { id: string; isNew: boolean }) {
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
    />
  );
}
