import { useEffect, useState } from 'react';
import { isDesktop } from '../bridge';
import { documentsApi as api } from './api';
import { fromDocument } from './convert';
import type { DocumentSession } from './useDocuments';
import { errorMessage } from './useDocuments';

const BROWSER: DocumentSession = { desktop: false, doc: null, initial: undefined, problems: [] };

/**
 * Loads the document to start with before the editor mounts, so no key reaches an empty editor:
 * null while loading. In a plain browser the session is ready at once, with an empty document.
 */
export function useDocumentBoot(): DocumentSession | null {
  const [session, setSession] = useState<DocumentSession | null>(() => (isDesktop() ? null : BROWSER));
  useEffect(() => {
    if (session) return;
    let live = true;
    void startSession().then((s) => live && setSession(s));
    return () => {
      live = false;
    };
  }, [session]);
  return session;
}

/** StartDocument and StartupProblems; a failing library still gives an (unsaved) editor. */
export async function startSession(): Promise<DocumentSession> {
  const [doc, problems] = await Promise.allSettled([api.start(), api.startupProblems()]);
  const list = problems.status === 'fulfilled' && Array.isArray(problems.value) ? [...problems.value] : [];
  if (doc.status === 'rejected' || !doc.value?.id) {
    const why = doc.status === 'rejected' ? errorMessage(doc.reason) : 'no document';
    list.push(`Documents cannot be opened (${why}). What you write now is NOT saved.`);
    return { desktop: true, doc: null, initial: undefined, problems: list };
  }
  return { desktop: true, doc: doc.value, initial: fromDocument(doc.value), problems: list };
}

/** Shown while the start document loads: quiet, no keys. */
export function StartupLoading() {
  return (
    <div className="editor startup-loading" aria-busy="true">
      <p className="startup-loading-text">Opening…</p>
    </div>
  );
}
