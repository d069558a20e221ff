/** Drives pure state the way the keyboard does, for unit tests. */
import { PURE_ACTIONS } from './actions';
import { setDraftText } from './draft';
import { resolveKey } from './keymap';
import type { EditorState } from './types';

/** Presses keys (table names, e.g. 'ArrowRight', 'Ctrl+Z') in the context the mode implies. */
export function press(state: EditorState, ...keys: string[]): EditorState {
  let s = state;
  for (const key of keys) {
    const binding = resolveKey(s.mode === 'explore' ? 'explore' : 'text', key);
    if (!binding) throw new Error(`no binding for ${key} in ${s.mode}`);
    const run = PURE_ACTIONS[binding.action];
    if (!run) throw new Error(`${key} (${binding.action}) is not a pure action`);
    s = run(s);
  }
  return s;
}

/** Types characters one by one at the end of the draft. */
export function type(state: EditorState, text: string): EditorState {
  let s = state;
  for (const ch of text) s = setDraftText(s, (s.draft?.text ?? '') + ch);
  return s;
}
