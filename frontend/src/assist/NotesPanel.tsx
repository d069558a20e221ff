import { useEffect, useRef, useState } from 'react';
import { DEFAULT_NOTE_DEPTH, type EditorState, overlayKeyDown, setNotes, type StoryNotes } from '../editor';
import type { AssistController } from './controller';
import { useAssistStore } from './store';

interface Props {
  controller: AssistController;
  getState: () => EditorState;
  apply: (fn: (s: EditorState) => EditorState) => void;
  onClose: () => void;
}

/**
 * The story notes (`n`): the memory that leads every prompt, the author's note placed a number of
 * fragments before the selection, and per model a switch to ignore them. Every change goes into the
 * document at once (saved with it, exported in .json); the switches save the model's settings.
 */
export function NotesPanel({ controller, getState, apply, onClose }: Props) {
  const [notes, setLocal] = useState<StoryNotes>(() => getState().notes ?? { memory: '', authorsNote: '', depth: DEFAULT_NOTE_DEPTH });
  const [depthText, setDepthText] = useState(String(notes.depth));
  const [error, setError] = useState<string | null>(null);
  const models = useAssistStore(controller.store, (s) => s.models);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);

  const change = (next: StoryNotes) => {
    setLocal(next);
    apply((s) => setNotes(s, next));
  };
  const onDepth = (text: string) => {
    setDepthText(text);
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 1000) {
      setError('Depth: enter a whole number from 0 to 1000.');
      return;
    }
    setError(null);
    change({ ...notes, depth: n });
  };
  const toggleIgnore = async (name: string) => {
    const m = models?.find((x) => x.name === name);
    if (!m) return;
    try {
      await controller.saveModel(m.name, { ...m.settings, active: m.active, ignore_notes: !m.settings.ignore_notes });
    } catch (e) {
      setError(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const onKeyDown = (e: React.KeyboardEvent) => overlayKeyDown('notes', { close: onClose }, e);

  return (
    <section className="overlay overlay--notes" role="dialog" aria-label="Story notes" tabIndex={-1} onKeyDown={onKeyDown}>
      <h2>Story notes</h2>
      <label className="notes-field">
        Memory <span className="status-muted">— always at the top of the prompt</span>
        <textarea ref={first} rows={5} value={notes.memory} onChange={(e) => change({ ...notes, memory: e.target.value })} />
      </label>
      <label className="notes-field">
        Author&apos;s note <span className="status-muted">— steers style and plot near the end of the prompt</span>
        <textarea rows={3} value={notes.authorsNote} onChange={(e) => change({ ...notes, authorsNote: e.target.value })} />
      </label>
      <label className="notes-depth">
        Insert the author&apos;s note this many fragments before the selection
        <input type="number" min={0} max={1000} value={depthText} onChange={(e) => onDepth(e.target.value)} aria-label="Author's note depth" />
      </label>
      {models && models.length > 0 ? (
        <fieldset className="notes-models">
          <legend>Models that ignore the notes</legend>
          {models.map((m) => (
            <label key={m.name} className="models-check">
              <input type="checkbox" role="switch" aria-label={`Ignore notes: ${m.name}`} checked={m.settings.ignore_notes} onChange={() => void toggleIgnore(m.name)} />
              {m.name}
            </label>
          ))}
        </fieldset>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="overlay-hint">
        <kbd>Esc</kbd> closes · saved with the document · <kbd>P</kbd> shows the prompt as a model receives it
      </p>
    </section>
  );
}
