import { Editor } from './components/Editor';

/** Wires the app together; everything of substance lives in editor/, components/ and bridge/. */
export function App() {
  return <Editor />;
}
