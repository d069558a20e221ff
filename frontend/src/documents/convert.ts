/**
 * Editor state ⇄ document file (backend/documents, format 2). Pure functions, O(n) in the number
 * of fragments; toDocument memoises per fragment object (fragments are immutable, so an object
 * seen before converts to the same thing) and per fragment list, so calling it on every change of
 * a 12,000-fragment document costs a few WeakMap look-ups unless the list itself changed.
 *
 * Mapping decisions:
 * - source: the editor's `{kind:'model', model}` is "model:<model>"; typed text and fragments of
 *   unknown origin (pasted) are stored without a source, and an absent source (or "typed") reads
 *   back as typed — the file format does not tell typed from pasted. A source from a newer
 *   version ("human:…") is kept on the fragment object under a symbol, which object spread in the
 *   editor's commands carries along, and written back unchanged.
 * - edited, alternatives and alt map one to one; alt is dropped when it does not index the
 *   alternatives (the text is what counts).
 * - The draft: edit mode stores the edited index and the textarea's text; insert mode stores
 *   where the new fragment goes, without the empty fragment the editor holds for it, and the
 *   selection from before `i`. Reading it back reopens the textarea with that text; its draft
 *   undo can go back to the text the textarea opened with.
 * - Out-of-range selection and draft index are clamped, as the Go reader does.
 * - tokens (format 2) are quantised: each token's length in code points and probability in whole
 *   percent; alternatives only for the tokens the writer can inspect (candidates of at least 1 %,
 *   without the token itself). Token data that does not spell the text is dropped on reading.
 *   Alternatives' own tokens live for the session only.
 * - notes: the editor's `{memory, authorsNote, depth}` is `{memory, authors_note, depth}`.
 */
import {
  commonEnds,
  createState,
  DEFAULT_NOTE_DEPTH,
  type EditorState,
  type Fragment,
  type FragmentSource,
  newDraft,
  type StoryNotes,
  type TokenProb,
} from '../editor';
import type { DocDraft, DocFragment, DocNotes, DocPatch, DocTokens, DocumentFile } from './types';

/** The file format this frontend writes. */
export const CURRENT_FORMAT = 2;

/** What a document file holds besides the editor's state. */
export interface DocumentInfo {
  readonly format: number;
  readonly id: string;
  readonly name: string;
  readonly created: string;
  readonly modified: string;
}

export function infoOf(doc: DocumentFile): DocumentInfo {
  return { format: doc.format, id: doc.id, name: doc.name ?? '', created: doc.created, modified: doc.modified };
}

/** A source string this version does not know, kept as it was. */
const FOREIGN_SOURCE: unique symbol = Symbol('foreignSource');
type WithForeign = Fragment & { readonly [FOREIGN_SOURCE]?: string };

const TYPED: FragmentSource = Object.freeze({ kind: 'typed' });
const MODEL_PREFIX = 'model:';

// ---- editor → file ----

const fragmentCache = new WeakMap<Fragment, DocFragment>();
let listCache: { fragments: readonly Fragment[]; skip: number; out: DocFragment[] } | null = null;

/** The file form of one fragment. The result is shared: do not mutate it. */
export function toDocFragment(f: Fragment): DocFragment {
  const hit = fragmentCache.get(f);
  if (hit) return hit;
  const out: DocFragment = { text: f.text };
  const source = sourceString(f);
  if (source) out.source = source;
  if (f.edited) out.edited = true;
  if (f.alternatives && f.alternatives.length > 0) {
    out.alternatives = [...f.alternatives];
    const alt = f.alt ?? 0;
    if (Number.isInteger(alt) && alt > 0 && alt < f.alternatives.length) out.alt = alt;
  }
  if (f.tokens && f.tokens.length > 0) out.tokens = quantiseTokens(f.tokens);
  fragmentCache.set(f, out);
  return out;
}

function sourceString(f: Fragment): string | undefined {
  if (f.source?.kind === 'model') return MODEL_PREFIX + f.source.model;
  return (f as WithForeign)[FOREIGN_SOURCE];
}

/** The file form of a fragment's tokens (see the module comment). */
export function quantiseTokens(tokens: readonly TokenProb[]): DocTokens {
  const len: number[] = [];
  const p: number[] = [];
  const alts: (string | number)[][] = [];
  tokens.forEach((tok, i) => {
    len.push([...tok.t].length);
    p.push(percent(tok.p));
    const entry: (string | number)[] = [i];
    const seen = new Set([tok.t]);
    for (const c of [...(tok.top ?? [])].sort((a, b) => b.p - a.p)) {
      if (seen.has(c.t) || c.t === '' || percent(c.p) < 1) continue;
      seen.add(c.t);
      entry.push(c.t, percent(c.p));
    }
    if (entry.length > 1) alts.push(entry);
  });
  return alts.length > 0 ? { len, p, alts } : { len, p };
}

function percent(p: number): number {
  return Math.round(Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0)) * 100);
}

/** The tokens of a file's fragment, or undefined when they do not spell its text. */
export function readTokens(d: DocTokens | undefined, text: string): TokenProb[] | undefined {
  if (!d || !Array.isArray(d.len) || !Array.isArray(d.p) || d.len.length !== d.p.length || d.len.length === 0) return undefined;
  const chars = [...text];
  const out: { t: string; p: number; top?: { t: string; p: number }[] }[] = [];
  let at = 0;
  for (let i = 0; i < d.len.length; i++) {
    const n = d.len[i]!;
    const p = d.p[i]!;
    if (!Number.isInteger(n) || n < 1 || typeof p !== 'number' || p < 0 || p > 100) return undefined;
    out.push({ t: chars.slice(at, at + n).join(''), p: p / 100 });
    at += n;
  }
  if (at !== chars.length) return undefined;
  for (const entry of Array.isArray(d.alts) ? d.alts : []) {
    const tok = Array.isArray(entry) ? out[entry[0] as number] : undefined;
    if (!tok) continue;
    const top: { t: string; p: number }[] = [];
    for (let k = 1; k + 1 < entry.length; k += 2) {
      const t = entry[k];
      const p = entry[k + 1];
      if (typeof t === 'string' && typeof p === 'number') top.push({ t, p: p / 100 });
    }
    if (top.length > 0) tok.top = top;
  }
  return out;
}

function notesOf(state: EditorState): DocNotes | null {
  const n = state.notes;
  return n ? { memory: n.memory, authors_note: n.authorsNote, depth: n.depth } : null;
}

function readNotes(d: DocNotes | null | undefined): StoryNotes | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const memory = typeof d.memory === 'string' ? d.memory : '';
  const authorsNote = typeof d.authors_note === 'string' ? d.authors_note : '';
  if (memory.trim() === '' && authorsNote.trim() === '') return undefined;
  const depth = Number.isInteger(d.depth) && d.depth >= 0 ? d.depth : DEFAULT_NOTE_DEPTH;
  return { memory, authorsNote, depth };
}

/** The fragments in file form, leaving out index `skip` (-1: none). Shared result: do not mutate. */
function docFragments(fragments: readonly Fragment[], skip: number): DocFragment[] {
  if (listCache && listCache.fragments === fragments && listCache.skip === skip) return listCache.out;
  const out: DocFragment[] = new Array(skip >= 0 && skip < fragments.length ? fragments.length - 1 : fragments.length);
  let j = 0;
  for (let i = 0; i < fragments.length; i++) if (i !== skip) out[j++] = toDocFragment(fragments[i]!);
  listCache = { fragments, skip, out };
  return out;
}

/** The document file for the editor's state. */
export function toDocument(state: EditorState, info: DocumentInfo): DocumentFile {
  const notes = notesOf(state);
  const view = fileView(state);
  return {
    format: CURRENT_FORMAT,
    id: info.id,
    name: info.name,
    created: info.created,
    modified: info.modified,
    ...(notes ? { notes } : {}),
    fragments: docFragments(view.fragments, view.skip),
    ...placement(state),
  };
}

/** The selection and the draft as the file stores them (see the module comment). */
function placement(state: EditorState): { selection: number; draft: DocDraft | null } {
  const d = state.draft;
  if (state.mode === 'insert' && d) return { selection: d.origin, draft: { index: state.selection, mode: 'insert', text: d.text } };
  return { selection: state.selection, draft: state.mode === 'edit' && d ? { index: state.selection, mode: 'edit', text: d.text } : null };
}

// ---- editor → patch ----

/**
 * The fragments of an editor state as the file has them: the editor's list without the empty
 * fragment insert mode holds for the draft (`skip`, -1 for none). Cheap: keeps the list itself.
 */
export interface FileView {
  readonly fragments: readonly Fragment[];
  readonly skip: number;
}

export function fileView(state: EditorState): FileView {
  const skip = state.mode === 'insert' && state.draft && state.selection < state.fragments.length ? state.selection : -1;
  return { fragments: state.fragments, skip };
}

const viewLength = (v: FileView) => (v.skip >= 0 ? v.fragments.length - 1 : v.fragments.length);
const viewAt = (v: FileView, i: number): Fragment => v.fragments[v.skip >= 0 && i >= v.skip ? i + 1 : i]!;

/**
 * The splice that turns the file fragments of `from` into those of `to`: the common start and
 * end are found by identity (fragments are immutable: an unchanged fragment is the same object).
 * Without a skipped fragment on either side they come from the editor's `commonEnds`, which
 * follows the splices the edits recorded instead of comparing (at novel length comparing cost
 * about 2 ms per hand-over); else by comparing references, none when the list is the same.
 */
export function fragmentSplice(from: FileView, to: FileView): Pick<DocPatch, 'at' | 'remove' | 'insert'> {
  const a = viewLength(from);
  const b = viewLength(to);
  if (from.fragments === to.fragments && from.skip === to.skip) return { at: a, remove: 0, insert: [] };
  let head = 0;
  let tail = 0;
  if (from.skip < 0 && to.skip < 0) ({ head, tail } = commonEnds(from.fragments, to.fragments));
  else {
    const common = Math.min(a, b);
    while (head < common && viewAt(from, head) === viewAt(to, head)) head++;
    while (tail < common - head && viewAt(from, a - 1 - tail) === viewAt(to, b - 1 - tail)) tail++;
  }
  const insert: DocFragment[] = new Array(b - head - tail);
  for (let i = head; i < b - tail; i++) insert[i - head] = toDocFragment(viewAt(to, i));
  return { at: head, remove: a - head - tail, insert };
}

/**
 * The change from the fragments Go holds at revision `base` (`from`, what the page sent or
 * opened at that revision) to the editor's state, as a patch: what changed of the fragments,
 * and the small rest (name, selection, draft, notes) whole.
 */
export function toPatch(from: FileView, base: number, state: EditorState, info: DocumentInfo): DocPatch {
  const notes = notesOf(state);
  return { id: info.id, base, ...fragmentSplice(from, fileView(state)), name: info.name, ...placement(state), ...(notes ? { notes } : {}) };
}

// ---- file → editor ----

/** The editor fragment for a fragment of a file. */
export function fromDocFragment(d: DocFragment, id: string): Fragment {
  const text = typeof d.text === 'string' ? d.text : '';
  const raw = typeof d.source === 'string' ? d.source : '';
  let f: WithForeign;
  if (raw === '' || raw === 'typed') f = { id, text, source: TYPED };
  else if (raw.startsWith(MODEL_PREFIX)) f = { id, text, source: { kind: 'model', model: raw.slice(MODEL_PREFIX.length) } };
  else f = { id, text, [FOREIGN_SOURCE]: raw };
  const extra: { edited?: boolean; alternatives?: string[]; alt?: number; tokens?: TokenProb[] } = {};
  if (d.edited === true) extra.edited = true;
  const tokens = d.tokens ? readTokens(d.tokens, text) : undefined;
  if (tokens) extra.tokens = tokens;
  if (Array.isArray(d.alternatives)) {
    const alts = d.alternatives.filter((a): a is string => typeof a === 'string');
    if (alts.length > 0) {
      extra.alternatives = alts;
      const alt = d.alt ?? 0;
      if (Number.isInteger(alt) && alt > 0 && alt < alts.length) extra.alt = alt;
    }
  }
  return extra.edited || extra.alternatives || extra.tokens ? { ...f, ...extra } : f;
}

/** The editor state for a document: selection, mode and the open draft restored; no undo history. */
export function fromDocument(doc: DocumentFile): EditorState {
  const s = fromDocumentFragments(doc);
  const notes = readNotes(doc.notes);
  return notes ? { ...s, notes } : s;
}

function fromDocumentFragments(doc: DocumentFile): EditorState {
  const src = Array.isArray(doc.fragments) ? doc.fragments : [];
  const n = src.length;
  const fragments: Fragment[] = new Array(n);
  for (let i = 0; i < n; i++) fragments[i] = fromDocFragment(src[i]!, `f${i + 1}`);
  const selection = clampIndex(doc.selection, n);
  const d = doc.draft;
  if (!d || typeof d.text !== 'string') return createState({ fragments, selection });
  const index = clampIndex(d.index, n);
  if (d.mode === 'insert') {
    const inserted: Fragment = { id: `f${n + 1}`, text: '', source: TYPED };
    fragments.splice(index, 0, inserted);
    const s = createState({ fragments, selection: index });
    return { ...s, mode: 'insert', draft: reopenedDraft('', d.text, selection) };
  }
  const s = createState({ fragments, selection: index });
  const opened = fragments[index]?.text ?? '';
  return { ...s, mode: 'edit', draft: reopenedDraft(opened, d.text, index) };
}

/** A draft showing `text`, whose undo goes back to `opened`, the text the textarea opened with. */
function reopenedDraft(opened: string, text: string, origin: number) {
  const d = newDraft(text, origin);
  return text === opened ? d : { ...d, past: [opened] };
}

function clampIndex(n: unknown, max: number): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return max;
  return Math.min(max, Math.max(0, Math.trunc(n)));
}

// ---- titles ----

const TITLE_WORDS = 6;
const TITLE_CHARS = 60;
/** How much of the text the title looks at. */
const TITLE_SCAN = 1024;

/**
 * A title from the start of a text, as backend/documents DeriveTitle makes it: the first six
 * words, without leading Markdown marks, at most 60 characters, no trailing punctuation, "…" when
 * cut. "" when the text has no words.
 */
export function deriveTitle(text: string): string {
  let words = text.split(/\s+/u).filter((w) => w !== '');
  let i = 0;
  while (i < words.length && /^[#>*-]+$/.test(words[i]!)) i++;
  words = words.slice(i);
  let truncated = words.length > TITLE_WORDS;
  if (truncated) words = words.slice(0, TITLE_WORDS);
  let title = words.join(' ');
  const chars = [...title];
  if (chars.length > TITLE_CHARS) {
    title = chars.slice(0, TITLE_CHARS).join('');
    truncated = true;
  }
  title = title.replace(/[\s,;:\-–—]+$/u, '');
  return title !== '' && truncated ? `${title}…` : title;
}

/**
 * The document's title, as Go's Document.Title makes it: the trimmed name, else the first words
 * of the first line that is not blank, else "Untitled". Reads only the start of the text.
 */
export function documentTitle(name: string, fragments: readonly Fragment[]): string {
  const n = name.trim();
  if (n !== '') return n;
  return deriveTitle(firstLine(fragments, TITLE_SCAN)) || 'Untitled';
}

/** The first line with something other than whitespace (at most `max` characters). */
function firstLine(fragments: readonly Fragment[], max: number): string {
  let line = '';
  for (const f of fragments) {
    let t = f.text;
    while (t !== '') {
      const nl = t.indexOf('\n');
      const part = nl < 0 ? t : t.slice(0, nl);
      const room = max - line.length;
      if (part.length >= room) return line + part.slice(0, room);
      line += part;
      if (nl >= 0) {
        if (line.trim() !== '') return line;
        line = '';
        t = t.slice(nl + 1);
      } else t = '';
    }
  }
  return line;
}

export function windowTitle(title: string): string {
  return `${title} — FragmentEditor`;
}
