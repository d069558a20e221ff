import { useLayoutEffect, useRef, type RefObject } from 'react';
import { compareEnds } from '../editor';

interface Props {
  value: string;
  onChange: (text: string) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  caretRef: RefObject<number | null>;
  mode: 'edit' | 'insert';
  /** Where the DOM id of the option goes (the listbox's active descendant). */
  optionId: string;
  isNew: boolean;
  posinset: number;
  setsize: number;
}

/** `field-sizing: content` grows the textarea without a forced layout per keystroke. */
const AUTO_SIZED_BY_CSS = typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');

/**
 * The selected fragment while it is being edited: a real <textarea> inside its option, growing
 * with its content. Keys are handled by the editor's key dispatcher ("text" context).
 */
export function DraftTextarea({ value, onChange, textareaRef, caretRef, mode, optionId, isNew, posinset, setsize }: Props) {
  /** The text the height was last fitted to (null: not yet). */
  const fitted = useRef<string | null>(null);
  useLayoutEffect(() => {
    const ta = textareaRef.current;
    if (!ta) return;
    if (caretRef.current !== null) {
      ta.setSelectionRange(caretRef.current, caretRef.current);
      caretRef.current = null;
    }
    if (AUTO_SIZED_BY_CSS) return;
    fitHeight(ta, fitted.current === null || !onlyAdded(fitted.current, value));
    fitted.current = value;
  }, [value, textareaRef, caretRef]);

  return (
    <span
      role="option"
      id={optionId}
      aria-selected
      aria-posinset={posinset}
      aria-setsize={setsize}
      className="fragment fragment--editing"
      data-virtual={isNew ? 'new' : undefined}
    >
      <textarea
        ref={textareaRef}
        className="draft"
        data-draft=""
        aria-label={mode === 'insert' ? 'New fragment' : 'Edit fragment'}
        value={value}
        rows={1}
        spellCheck
        onChange={(e) => onChange(e.target.value)}
      />
    </span>
  );
}

/**
 * Fits the textarea's height to its text where the engine has no `field-sizing` (WebKitGTK 2.50;
 * Chromium and Firefox ESR have it). Text only added (typing) never makes it shorter: its scroll
 * height shows any growth without collapsing it. Otherwise (a new textarea, text removed or
 * replaced) it is measured collapsed (height auto), with the option's box held at its height
 * meanwhile: else everything after the textarea moves up and back within one key, and WebKitGTK
 * repaints all of it (the rest of the viewport, every key).
 */
function fitHeight(ta: HTMLTextAreaElement, measure: boolean) {
  const borders = ta.offsetHeight - ta.clientHeight;
  if (!measure) {
    if (ta.scrollHeight > ta.clientHeight) ta.style.height = `${ta.scrollHeight + borders}px`;
    return;
  }
  const box = ta.parentElement;
  if (box) box.style.minHeight = `${box.getBoundingClientRect().height}px`;
  ta.style.height = 'auto';
  ta.style.height = `${ta.scrollHeight + borders}px`;
  if (box) box.style.minHeight = '';
}

/** `next` is `prev` with text inserted at one place (nothing removed). */
export function onlyAdded(prev: string, next: string): boolean {
  if (next.length < prev.length) return false;
  const { head, tail } = compareEnds(prev, next);
  return head + tail === prev.length;
}
