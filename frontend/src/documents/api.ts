/**
 * Typed wrappers of the bound Go methods of issue 6 (app.go). Everything goes through
 * src/bridge, the only module touching Wails; Go errors reject with an Error carrying Go's message.
 */
import { callApp, onEvent } from '../bridge';
import { onWindowClosing } from '../bridge/closing';
import type { DocPatch, DocumentFile, ExportedFile, ExportFormat, Listing, Meta, SaveError, Snapshot } from './types';

export const documentsApi = {
  /** The last opened document, else the newest, else a new one. */
  start: () => callApp<DocumentFile>('StartDocument'),
  /**
   * Schedules an autosave; Go coalesces (saved within 0.5 s). Rejects with `stale_revision` when
   * the document changed elsewhere since `doc.revision`; may resolve to the new revision (or Meta).
   */
  changed: (doc: DocumentFile) => callApp<unknown>('DocumentChanged', doc),
  /** `changed` for a patch of the revision Go last answered (see DocPatch); resolves to the new revision. */
  patched: (patch: DocPatch) => callApp<number>('DocumentPatched', patch),
  save: (doc: DocumentFile) => callApp<Meta>('SaveDocument', doc),
  create: () => callApp<DocumentFile>('NewDocument'),
  open: (id: string) => callApp<DocumentFile>('OpenDocument', id),
  list: () => callApp<Listing>('ListDocuments'),
  listTrash: () => callApp<Listing>('ListTrash'),
  /** Only for documents that are not open. */
  rename: (id: string, name: string) => callApp<Meta>('RenameDocument', id, name),
  duplicate: (id: string) => callApp<DocumentFile>('DuplicateDocument', id),
  remove: (id: string) => callApp<void>('DeleteDocument', id),
  restore: (id: string) => callApp<Meta>('RestoreDocument', id),
  history: (id: string) => callApp<Snapshot[] | null>('DocumentHistory', id),
  restoreVersion: (id: string, snapshotId: string) => callApp<DocumentFile>('RestoreVersion', id, snapshotId),
  /** Native save dialog; "" = cancelled. */
  exportFile: (doc: DocumentFile) => callApp<string>('ExportDocument', doc),
  /** Native save dialog; "" = cancelled. */
  saveCopy: (doc: DocumentFile) => callApp<string>('SaveDocumentCopy', doc),
  /** Native open dialog; the imported document is added and opened; an empty id = cancelled. */
  importFile: () => callApp<DocumentFile>('ImportDocument'),
  /** Adds this page's version of a document to the library as a new document, and opens it. */
  saveAsCopy: (doc: DocumentFile) => callApp<DocumentFile>('SaveDocumentAsCopy', doc),
  /** The export as data (name, MIME type, content), for a browser download. */
  exportData: (doc: DocumentFile, format: ExportFormat) => callApp<ExportedFile>('ExportDocumentData', doc, format),
  /** Imports a file's content (split like ImportDocument); the document is added and opened. */
  importData: (name: string, content: string) => callApp<DocumentFile>('ImportDocumentData', name, content),
  frontendReady: () => callApp<void>('FrontendReady'),
  startupProblems: () => callApp<string[] | null>('StartupProblems'),
  onSaved: (cb: (meta: Meta) => void) => onEvent('documents:saved', (m) => cb(m as Meta)),
  onSaveError: (cb: (e: SaveError) => void) => onEvent('documents:save-error', (e) => cb(e as SaveError)),
  /** The window is closing (its close button): `handOver` saves the last change, then Go quits. */
  onClosing: onWindowClosing,
};
