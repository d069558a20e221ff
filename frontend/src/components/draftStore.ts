import { createContext, type RefObject, useContext, useSyncExternalStore } from 'react';

export interface DraftSlotValue {
  text: string;
  mode: 'edit' | 'insert';
  onChange: (text: string) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  /** Caret position to apply once the textarea shows `text` (after undo, newline), or null. */
  caretRef: RefObject<number | null>;
}

/**
 * Hands the open draft to the textarea slot without React context propagation (which walks every
 * fiber below the provider, 10,000 fragments' worth, on each keystroke). The editor writes the
 * current value while rendering (idempotent) and notifies after commit; only the slot listens.
 */
export class DraftStore {
  private value: DraftSlotValue | null = null;
  private readonly listeners = new Set<() => void>();

  /** Called while the editor renders, before its children render. */
  write(v: DraftSlotValue | null): void {
    this.value = v;
  }

  /** Called after commit: listeners re-read the value. */
  notify(): void {
    for (const l of this.listeners) l();
  }

  readonly get = (): DraftSlotValue | null => this.value;

  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

/** Never changes value, so providing it costs no propagation. */
export const DraftStoreContext = createContext<DraftStore | null>(null);

export function useDraft(): DraftSlotValue | null {
  const store = useContext(DraftStoreContext);
  return useSyncExternalStore(store?.subscribe ?? noopSubscribe, store?.get ?? nullSnapshot);
}

const noopSubscribe = () => () => {};
const nullSnapshot = () => null;
