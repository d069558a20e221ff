import { useLayoutEffect, type RefObject } from 'react';

interface Props {
  value: string;
  onChange: (text: string) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  mode: 'edit' | 'insert';
  /** Where the DOM id of the option goes (the listbox's active descendant). */
  optionId: string;
  isNew: boolean;
}

/**
 * The selected fragment while it is being edited: a real <textarea> inside its option, growing
 * with its content. Keys are handled by the editor's key dispatcher ("text" context).
 */
export function DraftTextarea({ value, onChange, textareaRef, mode, optionId, isNew }: Props) {
  useLayoutEffect(() => {
    const ta = textareaRef.current;
    if (!ta) return;
    ta.style.height = 'auto';
    ta.style.height = `${ta.scrollHeight}px`;
  }, [value, textareaRef]);

  return (
    <span
      role="option"
      id={optionId}
      aria-selected
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
