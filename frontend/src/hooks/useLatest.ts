import { type RefObject, useLayoutEffect } from 'react';

/**
 * Keeps `ref.current` at `value` as of the last committed render, for event handlers, timers and
 * effects that must read the current value without being re-created when it changes:
 *
 *     const stateRef = useRef(state);
 *     useLatest(stateRef, state);
 *
 * The ref is written in a layout effect when the value changes: after the commit, before the
 * browser handles the next event and before any passive effect, and never during render (a render
 * React throws away must not leak its value). A handler may still write the ref itself to publish
 * a value before React commits it; the next change of `value` overwrites that. The ref stays a
 * plain `useRef`, so dependency lists need not name it.
 */
export function useLatest<T>(ref: RefObject<T>, value: T): void {
  useLayoutEffect(() => {
    ref.current = value;
  }, [ref, value]);
}
