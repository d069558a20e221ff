import { Editor } from './components/Editor';
import { StartupLoading, useDocumentBoot } from './documents';

/** Wires the app together; everything of substance lives in editor/, components/ and bridge/. */
export function App() {
  // The document to start with loads before the editor mounts (no key reaches an empty editor).
  const session = useDocumentBoot();
  if (!session) return <StartupLoading />;
  return <Editor initial={session.initial} documents={session} />;
}
