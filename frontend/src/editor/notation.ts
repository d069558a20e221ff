/**
 * Compact notation for fragment lists in tests: `["A. ", "[B. ]", "<new>"]` — the fragments'
 * texts in order, the selected one in brackets, `<new>` last. In edit/insert mode the selected
 * entry shows the draft as `[{draft}]`.
 */
import { createState } from './state';
import type { EditorState, Fragment } from './types';

export function parseList(items: readonly string[]): EditorState {
  const last = items.at(-1);
  if (last !== '<new>' && last !== '[<new>]') throw new Error('notation: the list must end with <new>');
  let selection = -1;
  const fragments: Fragment[] = [];
  items.slice(0, -1).forEach((item, i) => {
    let text = item;
    if (isBracketed(item)) {
      if (selection !== -1) throw new Error('notation: two selections');
      selection = i;
      text = item.slice(1, -1);
    }
    fragments.push({ id: `f${i + 1}`, text, source: { kind: 'typed' } });
  });
  if (last === '[<new>]') {
    if (selection !== -1) throw new Error('notation: two selections');
    selection = fragments.length;
  }
  if (selection === -1) throw new Error('notation: no selection');
  return createState({ fragments, selection });
}

export function showList(state: EditorState): string[] {
  const out = state.fragments.map((f) => f.text);
  out.push('<new>');
  const sel = state.selection;
  const shown = state.draft ? `{${state.draft.text}}` : out[sel]!;
  out[sel] = `[${shown}]`;
  return out;
}

function isBracketed(s: string): boolean {
  return s.length >= 2 && s.startsWith('[') && s.endsWith(']');
}
