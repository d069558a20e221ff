/**
 * The JSON shapes of the Go side (backend/documents, bound in app.go). Field names are the Go
 * JSON tags; times are RFC 3339 strings and must be passed back unchanged (Go parses them).
 */

/** One fragment in the file format. `source` absent means typed (or pasted/imported). */
export interface DocFragment {
  text: string;
  /** "model:<name>" for a model's text; absent (or "typed") for the writer's. */
  source?: string;
  edited?: boolean;
  alternatives?: string[];
  /** Index into alternatives of the one shown; absent when 0. */
  alt?: number;
  /** Token probabilities of `text`, quantised (format 2; see backend/documents/doc.go). */
  tokens?: DocTokens;
}

/** Quantised tokens: code-point lengths, whole percents, alternatives as [index, text, %, …]. */
export interface DocTokens {
  len: number[];
  p: number[];
  alts?: (string | number)[][];
}

/** The story notes (format 2). */
export interface DocNotes {
  memory: string;
  authors_note: string;
  depth: number;
}

export type DraftMode = 'edit' | 'insert';

/** The open textarea, so an edit in progress survives a crash. */
export interface DocDraft {
  /** edit: the fragment edited (fragments.length = `<new>`); insert: where the new fragment goes. */
  index: number;
  mode: DraftMode;
  text: string;
}

/**
 * A change handed to Go as a patch of the revision it last answered (backend/documents Patch):
 * the fragments `at`..`at + remove` (file indices) become `insert`; the rest replaces the
 * document's. Go refuses it with `unknown_base` when it holds no copy of `base` (the page then
 * sends the whole document), `bad_patch` when it does not fit, `stale_revision` as a whole save.
 */
export interface DocPatch {
  id: string;
  base: number;
  at: number;
  remove: number;
  insert: DocFragment[];
  name: string;
  selection: number;
  draft: DocDraft | null;
  notes?: DocNotes | null;
}

/** A document as Go reads and writes it (format 2). */
export interface DocumentFile {
  format: number;
  id: string;
  name: string;
  created: string;
  modified: string;
  fragments: DocFragment[];
  /** 0..fragments.length; fragments.length is `<new>`. */
  selection: number;
  draft: DocDraft | null;
  /**
   * The version this copy is based on: Go increases it on every save and refuses a save based on
   * an older one (code `stale_revision`: another tab or window saved in between). Absent where
   * the Go side does not count revisions.
   */
  revision?: number;
  /** Absent (or null) when there are none. */
  notes?: DocNotes | null;
}

/** What an export hands to the browser as a download. */
export interface ExportedFile {
  name: string;
  /** The media type, with its charset. */
  mime: string;
  content: string;
}

/** The export formats: the joined text, Markdown, or the document file itself. */
export type ExportFormat = 'txt' | 'md' | 'json';

/** A document in a listing. */
export interface Meta {
  id: string;
  name: string;
  title: string;
  created: string;
  modified: string;
  fragments: number;
  words: number;
  size: number;
  revision?: number;
}

/** A file the library could not read. */
export interface Problem {
  id: string;
  path: string;
  message: string;
}

export interface Listing {
  documents: Meta[] | null;
  problems: Problem[] | null;
}

/** One earlier version of a document. */
export interface Snapshot {
  id: string;
  time: string;
  size: number;
  fragments: number;
  words: number;
  error?: string;
}

/** The payload of the documents:save-error event. */
export interface SaveError {
  id: string;
  message: string;
  /** The Go side's error code (`stale_revision` when the document changed elsewhere). */
  code?: string;
}
