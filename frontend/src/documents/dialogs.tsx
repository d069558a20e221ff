/**
 * The documents' two small dialogs: the export format (in a browser, where no native save dialog
 * asks it) and the conflict when Go refused a save as stale. Each takes the focus and keeps every
 * key to itself (the editor's keys do not act behind it; the keymap's `dialog` context); Tab moves
 * between its buttons.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useRef } from 'react';
import { overlayKeyDown } from '../editor';
import type { ExportFormat } from './types';

interface Choice<T> {
  readonly value: T;
  readonly label: string;
  /** The key that picks it (none where keys typed on may arrive: a letter must not decide). */
  readonly key?: string;
}

export const EXPORT_CHOICES: readonly Choice<ExportFormat>[] = [
  { value: 'txt', label: 'Text (.txt)', key: 't' },
  { value: 'md', label: 'Markdown (.md)', key: 'm' },
  { value: 'json', label: 'Document file (.json)', key: 'j' },
];

function ChoiceDialog<T>({
  label,
  role,
  children,
  choices,
  onPick,
  onClose,
  takeFocus = true,
}: {
  label: string;
  role: 'dialog' | 'alertdialog';
  children: ReactNode;
  choices: readonly Choice<T>[];
  onPick: (value: T) => void;
  /** Escape; absent when the dialog needs an answer. */
  onClose?: () => void;
  /** Whether it takes the focus (now, and whenever this turns true). */
  takeFocus?: boolean;
}) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (takeFocus) first.current?.focus({ preventScroll: true });
  }, [takeFocus]);
  /** Enter / Space: the focused choice (Cancel cancels), the first when none has the focus. */
  const choose = (target: EventTarget | null) => {
    const at = target instanceof Element ? target.closest('button') : null;
    if (at?.hasAttribute('data-cancel')) return onClose?.();
    const c = choices[at?.hasAttribute('data-choice') ? Number(at.getAttribute('data-choice')) : 0];
    if (c) onPick(c.value);
  };
  // The keymap's `dialog` context (Enter, Space, Escape; every other key stays here, Tab moves
  // between the buttons), and the letters on the buttons, which differ per dialog.
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const letter = !e.ctrlKey && !e.altKey && !e.metaKey ? choices.find((x) => x.key !== undefined && x.key === e.key.toLowerCase()) : undefined;
    if (letter) {
      e.preventDefault();
      e.stopPropagation();
      onPick(letter.value);
      return;
    }
    overlayKeyDown('dialog', { choose: () => choose(e.target), cancel: onClose ?? null }, e);
  };
  return (
    <section className="overlay doc-dialog" role={role} aria-modal="true" aria-label={label} tabIndex={-1} onKeyDown={onKeyDown}>
      <h2 className="doc-dialog-title">{label}</h2>
      <div className="doc-dialog-text">{children}</div>
      <div className="doc-dialog-buttons">
        {choices.map((c, i) => (
          <button key={c.label} ref={i === 0 ? first : undefined} type="button" data-choice={i} onClick={() => onPick(c.value)}>
            {c.label}
            {c.key ? <kbd>{c.key}</kbd> : null}
          </button>
        ))}
        {onClose ? (
          <button type="button" data-cancel="" onClick={onClose}>
            Cancel <kbd>Esc</kbd>
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** Export as…: the browser downloads the file Go makes. */
export function ExportDialog({ onPick, onClose }: { onPick: (f: ExportFormat) => void; onClose: () => void }) {
  return (
    <ChoiceDialog label="Export" role="dialog" choices={EXPORT_CHOICES} onPick={onPick} onClose={onClose}>
      Download this document as:
    </ChoiceDialog>
  );
}

export type ConflictChoice = 'copy' | 'reload';

const CONFLICT_CHOICES: readonly Choice<ConflictChoice>[] = [
  { value: 'copy', label: 'Keep my version as a copy' },
  { value: 'reload', label: 'Reload the other version' },
];

/**
 * Go refused to save over a newer version from another tab or window. While a text is being typed
 * the keys stay with it (nothing typed goes astray); the dialog takes the focus once it is done.
 */
export function ConflictDialog({ name, typing, onPick }: { name: string; typing: boolean; onPick: (c: ConflictChoice) => void }) {
  return (
    <ChoiceDialog label="Changed in another tab or window" role="alertdialog" choices={CONFLICT_CHOICES} onPick={onPick} takeFocus={!typing}>
      <p>
        “{name}” was saved from another tab or window since this page opened it, so this page’s version was not saved over it.
        Nothing is lost either way:
      </p>
      <ul>
        <li>
          <strong>Keep my version as a copy</strong>: what you see here (with the text being typed) becomes a new document and
          stays open; the other version stays as it is.
        </li>
        <li>
          <strong>Reload the other version</strong>: the other version opens here; your version goes to the trash as a copy (Ctrl+O,
          Trash) to restore whenever you want.
        </li>
      </ul>
      {typing ? <p>Finish the text you are typing (Enter), then choose; it is kept either way.</p> : null}
    </ChoiceDialog>
  );
}
