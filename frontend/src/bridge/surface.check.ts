/**
 * Compile-time checks (nothing runs): the page's own types of the Go data agree with the Go
 * structs the bindings are generated from, and the methods take the arguments the page sends.
 * A Go change that breaks the page (a renamed method or JSON field, another parameter list)
 * fails `tsc -b` here. (Wails types a Go pointer as an optional field, where the JSON carries
 * null; so fields are compared by name, and arguments by count and primitive type.)
 */
import type { DocDraft, DocFragment, DocPatch, DocumentFile, ExportedFile, Listing, Meta, Problem, Snapshot } from '../documents/types';
import type { Args, Result } from './surface';

type Is<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
/** Fields the page reads that Go does not send (must be none). */
type Unknown<Page, Go> = Exclude<keyof Page, keyof Go>;
type Elem<T> = T extends readonly (infer E)[] ? E : never;
type GoDocument = Result<'StartDocument'>;

export type SurfaceChecks = [
  Expect<Is<Unknown<DocumentFile, GoDocument>, never>>,
  Expect<Is<Unknown<DocFragment, Elem<GoDocument['fragments']>>, never>>,
  Expect<Is<Unknown<DocDraft, NonNullable<GoDocument['draft']>>, never>>,
  Expect<Is<Unknown<Meta, Result<'SaveDocument'>>, never>>,
  Expect<Is<Unknown<Listing, Result<'ListDocuments'>>, never>>,
  Expect<Is<Unknown<Problem, Elem<Result<'ListDocuments'>['problems']>>, never>>,
  Expect<Is<Unknown<Snapshot, Elem<Result<'DocumentHistory'>>>, never>>,
  Expect<Is<Unknown<ExportedFile, Result<'ExportDocumentData'>>, never>>,
  Expect<Is<Result<'OpenDocument'>, GoDocument>>,
  Expect<Is<Result<'NewDocument'>, GoDocument>>,
  Expect<Is<Result<'SaveDocumentAsCopy'>, GoDocument>>,
  Expect<Is<Result<'ImportDocumentData'>, GoDocument>>,
  Expect<Is<Result<'RestoreVersion'>, GoDocument>>,
  Expect<Is<Result<'DocumentChanged'>, number>>,
  Expect<Is<Args<'DocumentChanged'>, [GoDocument]>>,
  Expect<Is<Unknown<DocPatch, Args<'DocumentPatched'>[0]>, never>>,
  Expect<Is<Unknown<Args<'DocumentPatched'>[0], DocPatch>, never>>,
  Expect<Is<Result<'DocumentPatched'>, number>>,
  Expect<Is<Args<'SaveDocument'>, [GoDocument]>>,
  Expect<Is<Args<'SaveDocumentAsCopy'>, [GoDocument]>>,
  Expect<Is<Args<'ExportDocumentData'>, [GoDocument, string]>>,
  Expect<Is<Args<'ImportDocumentData'>, [string, string]>>,
  Expect<Is<Args<'RenameDocument'>, [string, string]>>,
  Expect<Is<Args<'RestoreVersion'>, [string, string]>>,
  Expect<Is<Args<'OpenDocument'>, [string]>>,
  Expect<Is<Args<'StartDocument'>, []>>,
];
