import { useEffect, useState } from 'react';
import { connect } from '../bridge';
import { documentsApi as api } from './api';
import { fromDocument } from './convert';
import type { DocumentSession } from './useDocuments';
import { errorMessage } from './useDocuments';

const NO_SERVER_SESSION: DocumentSession = { served: false, doc: null, initial: undefined, problems: [] };

/**
 * Connects the bridge and loads the document to start with before the editor mounts, so no key
 * reaches an empty editor: null while loading. On a page no server serves, the session has an
 * empty document that is not saved.
 */
export function useDocumentBoot(): DocumentSession | null {
  const [session, setSession] = useState<DocumentSession | null>(null);
  useEffect(() => {
    if (session) return;
    let live = true;
    void connect()
      .then((kind) => (kind === 'none' ? NO_SERVER_SESSION : startSession()))
      .then((s) => live && setSession(s));
    return () => {
      live = false;
    };
  }, [session]);
  return session;
}

/** Performance marks of the opening (the desktop benchmark reports them, src/bench/probe.ts). */
export const OPEN_MARKS = { answered: 'document-answered', converted: 'document-converted' } as const;

/** StartDocument and StartupProblems; a failing library still gives an (unsaved) editor. */
export async function startSession(): Promise<DocumentSession> {
  const [doc, problems] = await Promise.allSettled([api.start(), api.startupProblems()]);
  performance.mark(OPEN_MARKS.answered);
  const list = problems.status === 'fulfilled' && Array.isArray(problems.value) ? [...problems.value] : [];
  if (doc.status === 'rejected' || !doc.value?.id) {
    const why = doc.status === 'rejected' ? errorMessage(doc.reason) : 'no document';
    list.push(`Documents cannot be opened (${why}). What you write now is NOT saved.`);
    return { served: true, doc: null, initial: undefined, problems: list };
  }
  const initial = fromDocument(doc.value);
  performance.mark(OPEN_MARKS.converted);
  return { served: true, doc: doc.value, initial, problems: list };
}

/** Shown while the start document loads: quiet, no keys. */
export function StartupLoading() {
  return (
    <div className="editor startup-loading" aria-busy="true">
      <p className="startup-loading-text">Opening…</p>
    </div>
  );
}
