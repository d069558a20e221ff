/**
 * The editor's data model. Everything here is immutable: commands return new objects and never
 * mutate the ones they are given (see commands.ts). Nothing in src/editor imports React.
 */

/** Where a fragment's text came from. The AI issue adds `model`; documents persist it. */
export type FragmentSource = { readonly kind: 'typed' } | { readonly kind: 'model'; readonly model: string };

export interface Fragment {
  /** Unique within a document; stable across edits, moves, cut and paste. */
  readonly id: string;
  /** The text exactly as it joins into the document (whitespace included). */
  readonly text: string;
  /** Absent for fragments of unknown origin (e.g. imported). */
  readonly source?: FragmentSource;
  /** True once the text was changed after the fragment was inserted. */
  readonly edited?: boolean;
  /** Other texts this fragment can cycle through (suggestions not chosen, rewrites). */
  readonly alternatives?: readonly string[];
  /** Index into `alternatives` of the text currently shown, when it is one of them. */
  readonly alt?: number;
  /**
   * Where each alternative came from, parallel to `alternatives` (alternatives.ts). Kept for the
   * session only; without it cycling keeps the fragment's `source`.
   */
  readonly altSources?: readonly (FragmentSource | undefined)[];
  /**
   * The model's tokens of `text` with their probabilities (tokens.ts); joined they are the text.
   * Absent for typed or edited text and for servers that send no probabilities.
   */
  readonly tokens?: readonly TokenProb[];
  /** Tokens of each alternative, parallel to `alternatives`, for the session (like altSources). */
  readonly altTokens?: readonly (readonly TokenProb[] | undefined)[];
}

/** One token of a model's text: its text, probability (0–1) and the server's top candidates. */
export interface TokenProb {
  readonly t: string;
  readonly p: number;
  /** Candidates for this place, most likely first (the token itself may be among them). */
  readonly top?: readonly TokenCandidate[];
}

export interface TokenCandidate {
  readonly t: string;
  readonly p: number;
}

/** The document's story notes (backend/documents Notes; prompts: backend/assist). */
export interface StoryNotes {
  readonly memory: string;
  readonly authorsNote: string;
  /** Fragments before the selection the author's note goes; default 3. */
  readonly depth: number;
}

export const DEFAULT_NOTE_DEPTH = 3;

export type Mode = 'explore' | 'edit' | 'insert';

/** Draft-level undo inside the textarea: past and future texts of the draft. */
export interface Draft {
  readonly text: string;
  /** Earlier texts, most recent last. */
  readonly past: readonly string[];
  /** Texts undone with draft undo, most recent last. */
  readonly future: readonly string[];
  /** Kind of the last edit, to merge runs of typing into one undo step. */
  readonly lastEdit: DraftEditKind | null;
  /**
   * The selection to return to when the draft is abandoned: in insert mode the fragment that was
   * selected before `i` (or `<new>`), in edit mode the edited position itself.
   */
  readonly origin: number;
}

export type DraftEditKind = 'typeWord' | 'typeSpace' | 'delete' | 'other';

/** What undo and redo restore: the fragments, the selection and the fragment clipboard (so that undoing `x` does not leave a copy behind). */
export interface Snapshot {
  readonly fragments: readonly Fragment[];
  readonly selection: number;
  readonly clipboard: readonly Fragment[];
}

/**
 * An entry of the undo or redo stack: a Snapshot whose fragments are kept as the splice that
 * makes them from the list the entry is applied to (the fragments when it is undone or redone,
 * those the change left): `count` items from `at` are replaced by `items`. Not a copy of the
 * list: at 100,000 fragments each copy held 0.4 MB in Chromium (about twice that in WebKit), up to
 * UNDO_LIMIT of them. Changes that are not recorded (token data, tokens.ts) keep the list's
 * length, so an entry always applies; they survive an undo outside the splice.
 */
export interface HistoryEntry {
  readonly at: number;
  readonly count: number;
  readonly items: readonly Fragment[];
  readonly selection: number;
  readonly clipboard: readonly Fragment[];
}

export interface EditorState {
  readonly fragments: readonly Fragment[];
  /** 0…fragments.length; fragments.length is the virtual `<new>` fragment. */
  readonly selection: number;
  readonly mode: Mode;
  /** Present exactly when mode is edit or insert. */
  readonly draft: Draft | null;
  /** The fragment clipboard of `x` / `v`: cut fragments in order, first pasted first. */
  readonly clipboard: readonly Fragment[];
  readonly undo: readonly HistoryEntry[];
  readonly redo: readonly HistoryEntry[];
  /**
   * Increases by one on every change of the document (fragments, their text or order, the
   * clipboard), undo and redo included; never on selection or mode changes. Autosave compares it
   * with the revision it saved last.
   */
  readonly revision: number;
  /** Source of fresh fragment ids (`f<n>`). */
  readonly nextId: number;
  /** The story notes; absent when there are none. Not part of undo (like settings). */
  readonly notes?: StoryNotes;
}

/** Most undo steps kept; older ones are dropped. */
export const UNDO_LIMIT = 500;

/** The section break inserted by `b`. */
export const SECTION_BREAK = '\n\n---\n\n';
