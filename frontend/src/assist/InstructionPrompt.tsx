import { useEffect, useRef, useState } from 'react';
import { overlayKeyDown } from '../editor';
import { type AssistStore, useAssistStore } from './store';
import { DEFAULT_INSTRUCTION } from './types';

interface Props {
  store: AssistStore;
  onSubmit: (instruction: string) => void;
  onClose: () => void;
}

/**
 * The rewrite instruction (`r`): a one-line input with the default instruction selected, ↑/↓
 * through recent instructions (newest first), Enter rewrites, Escape closes. Its keys come from
 * the keymap table (context `instruction`); other keys stay with the input.
 */
export function InstructionPrompt({ store, onSubmit, onClose }: Props) {
  const history = useAssistStore(store, (s) => s.instructions);
  const [value, setValue] = useState(DEFAULT_INSTRUCTION);
  /** -1: what the user typed; 0…: history entries, newest first. */
  const [at, setAt] = useState(-1);
  const typed = useRef(DEFAULT_INSTRUCTION);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const go = (to: number) => {
    if (to < -1 || to >= history.length) return;
    setAt(to);
    setValue(to === -1 ? typed.current : history[to]!);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) =>
    overlayKeyDown('instruction', { submit: () => onSubmit(value), cancel: onClose, step: (dir) => go(at + dir) }, e);

  return (
    <section className="overlay overlay--instruction" role="dialog" aria-label="Rewrite">
      <label>
        <span className="instruction-label">Rewrite with</span>
        <input
          ref={input}
          data-instruction=""
          type="text"
          aria-label="Rewrite instruction"
          value={value}
          spellCheck={false}
          onChange={(e) => {
            typed.current = e.target.value;
            setAt(-1);
            setValue(e.target.value);
          }}
          onKeyDown={onKeyDown}
        />
      </label>
      <span className="instruction-hint">
        <kbd>Enter</kbd> rewrite · <kbd>↑</kbd>/<kbd>↓</kbd> history{history.length > 0 ? ` (${history.length})` : ''} · <kbd>Esc</kbd>
      </span>
    </section>
  );
}
