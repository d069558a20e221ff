/** Drives pure state the way the keyboard does, for unit tests. */
import { type EditorEffects, runAction } from './actions';
import { setDraftText } from './draft';
import { resolveKey } from './keymap';
import { insertAt, removeAt, replaceAt } from './state';
import type { EditorState, Fragment } from './types';

/**
 * An EditorEffects that holds a state and knows only `state` and `apply` (and the focus and caret,
 * which pure tests ignore): any other effect throws, naming the key that reached it.
 */
function pureEffects(box: { s: EditorState }, key: string): EditorEffects {
  const impure = (what: string) => () => {
    throw new Error(`${key} is not a pure action (it uses ${what})`);
  };
  return {
    state: () => box.s,
    apply: (fn) => {
      box.s = fn(box.s);
    },
    focusList: () => {},
    setCaret: () => {},
    overlay: () => null,
    setOverlay: impure('setOverlay'),
    textSelection: impure('textSelection'),
    capabilities: impure('capabilities'),
    copyText: impure('copyText'),
    readClipboard: impure('readClipboard'),
    resetSearch: impure('resetSearch'),
    searchNext: impure('searchNext'),
    stepFont: impure('stepFont'),
    quit: impure('quit'),
    documents: impure('documents'),
    get assist(): never {
      throw new Error(`${key} is not a pure action (it uses assist)`);
    },
  };
}

/** Presses keys (table names, e.g. 'ArrowRight', 'Ctrl+Z') in the context the mode implies. */
export function press(state: EditorState, ...keys: string[]): EditorState {
  const box = { s: state };
  for (const key of keys) {
    const binding = resolveKey(box.s.mode === 'explore' ? 'explore' : 'text', key);
    if (!binding) throw new Error(`no binding for ${key} in ${box.s.mode}`);
    runAction(binding, pureEffects(box, key), { key, code: '', target: null, preventDefault: () => {} });
  }
  return box.s;
}


/** Types characters one by one at the end of the draft. */
export function type(state: EditorState, text: string): EditorState {
  let s = state;
  for (const ch of text) s = setDraftText(s, (s.draft?.text ?? '') + ch);
  return s;
}

/** list with `remove` items at `at` replaced by `insert`, through the editor's helpers (a chain of recorded splices). */
export function spliceRecorded(list: readonly Fragment[], at: number, remove: number, insert: readonly Fragment[]): Fragment[] {
  let out = list as Fragment[];
  const replaced = Math.min(remove, insert.length, list.length - at);
  for (let k = 0; k < replaced; k++) out = replaceAt(out, at + k, insert[k]!);
  for (let k = replaced; k < remove && at + replaced < out.length; k++) out = removeAt(out, at + replaced);
  return replaced < insert.length ? insertAt(out, at + replaced, insert.slice(replaced)) : out;
}
