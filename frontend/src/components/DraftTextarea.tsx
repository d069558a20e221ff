import { useLayoutEffect, type RefObject } from 'react';

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
  useLayoutEffect(() => {
    const ta = textareaRef.current;
    if (!ta) return;
    if (caretRef.current !== null) {
      ta.setSelectionRange(caretRef.current, caretRef.current);
      caretRef.current = null;
    }
    if (AUTO_SIZED_BY_CSS) return;
    ta.style.height = 'auto';
    ta.style.height = `${ta.scrollHeight}px`;
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
