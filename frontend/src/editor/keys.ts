/**
 * Key names as the keymap table writes them: modifiers in the order Ctrl, Alt, Shift, Meta, then
 * the key — `ArrowLeft`, `Ctrl+Shift+Z`, `?`, `Space`. A printable character carries Shift only
 * together with Ctrl or Alt (`?` is already the shifted `/`); letters with Ctrl or Alt are upper
 * case. Named keys (arrows, Enter, Delete…) always carry Shift when it is held.
 */

export interface KeyLike {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'CapsLock', 'OS', 'Hyper', 'Super']);

/** The table name of a key press, or null for a lone modifier or an unidentified key. */
export function keyName(e: KeyLike): string | null {
  if (MODIFIER_KEYS.has(e.key) || e.key === 'Unidentified' || e.key === 'Dead' || e.key === '') return null;
  const printable = [...e.key].length === 1;
  let key = e.key === ' ' ? 'Space' : e.key;
  const withCtrlOrAlt = e.ctrlKey || e.altKey;
  if (printable && withCtrlOrAlt) key = latinKey(e) ?? key.toUpperCase();
  const mods: string[] = [];
  if (e.ctrlKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  if (e.shiftKey && (!printable || withCtrlOrAlt || key === 'Space')) mods.push('Shift');
  if (e.metaKey) mods.push('Meta');
  return [...mods, key].join('+');
}

/** With Ctrl on a non-Latin layout (e.g. Cyrillic), Ctrl+Я should still be Ctrl+Z: use the physical key. */
function latinKey(e: KeyLike): string | null {
  if (/^[\x20-\x7e]$/.test(e.key)) return e.key.toUpperCase();
  const m = /^Key([A-Z])$/.exec(e.code ?? '');
  return m ? m[1]! : null;
}

const LABELS: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
};

/** How the help overlay shows a key name: `Ctrl+ArrowLeft` → `Ctrl+←`. */
export function keyLabel(name: string): string {
  return name
    .split('+')
    .map((part, i, all) => (i === all.length - 1 ? (LABELS[part] ?? part) : part))
    .join('+');
}
