import { type ReactNode, type RefObject, useCallback, useEffect, useMemo, useState } from 'react';
import { aiAvailable } from '../bridge';
import type { AssistActions, EditorState } from '../editor';
import { AssistStatus } from './AssistStatus';
import { AttributionStyle } from './AttributionStyle';
import { AssistController } from './controller';
import { InstructionPrompt } from './InstructionPrompt';
import { ModelPanel } from './ModelPanel';
import { AssistStore, useAssistStore } from './store';
import { SuggestionGrid } from './SuggestionGrid';
import { NotesPanel } from './NotesPanel';
import { PromptPreview } from './PromptPreview';
import { HeatmapLegend, TokenPopup, TokenStyles } from './Tokens';

/** The overlays assist adds to the editor's (only one overlay shows at a time). */
export type AssistOverlay = 'models' | 'rewrite' | 'notes' | 'preview';

interface Options {
  stateRef: RefObject<EditorState>;
  apply: (fn: (s: EditorState) => EditorState) => void;
  /** The editor's open overlay (any kind), null when none. */
  overlay: string | null;
  setOverlay: (o: AssistOverlay | null) => void;
  /** Gives the keys back to the fragment list. */
  focusList: () => void;
}

export interface Assist {
  /** What the keymap's assist actions (src/editor/actions.ts) call. */
  actions: AssistActions;
  /** The grid, the rewrite prompt or the model panel, for the overlay layer. */
  overlays: ReactNode;
  /** The models' status, for the status bar. */
  status: ReactNode;
  /** The provenance style sheet (`a`), the heatmap's and token mode's. */
  styles: ReactNode;
  /** The keymap context assist takes over (`token` in token mode), or null. */
  keyContext: () => 'token' | null;
  /** The status bar's mode label while token mode is on (`TOKEN`), else null. */
  modeLabel: string | null;
}

/** Wires AI assistance into the editor: keys, overlays, status. Logic lives in AssistController. */
export function useAssist({ stateRef, apply, overlay, setOverlay, focusList }: Options): Assist {
  const [controller] = useState(
    // The controller reads stateRef only when it runs (in event handlers and effects), never
    // while this component renders.
    // eslint-disable-next-line react-hooks/refs
    () => new AssistController(new AssistStore(aiAvailable()), { getState: () => stateRef.current, apply }),
  );
  useEffect(() => controller.attach(), [controller]);

  const close = useCallback(() => {
    setOverlay(null);
    focusList();
  }, [setOverlay, focusList]);
  const submitRewrite = useCallback(
    (instruction: string) => {
      close();
      controller.rewrite(instruction);
    },
    [close, controller],
  );

  const overlays = useMemo(() => {
    if (overlay === null) return <SuggestionGrid store={controller.store} />;
    if (overlay === 'rewrite') return <InstructionPrompt store={controller.store} onSubmit={submitRewrite} onClose={close} />;
    if (overlay === 'models') return <ModelPanel controller={controller} onClose={close} />;
    if (overlay === 'notes') return <NotesPanel controller={controller} getState={() => stateRef.current} apply={apply} onClose={close} />;
    if (overlay === 'preview') return <PromptPreview controller={controller} onClose={close} />;
    return null;
  }, [overlay, controller, submitRewrite, close, stateRef, apply]);
  const tokenOn = useAssistStore(controller.store, (s) => s.token !== null);
  const notice = useAssistStore(controller.store, (s) => s.notice);
  const keyContext = useCallback(() => (controller.store.get().token ? ('token' as const) : null), [controller]);
  const status = useMemo(() => <AssistStatus store={controller.store} />, [controller]);
  const styles = useMemo(
    () => (
      <>
        <AttributionStyle store={controller.store} />
        <TokenStyles store={controller.store} />
        <HeatmapLegend store={controller.store} />
        <TokenPopup store={controller.store} getState={() => stateRef.current} />
      </>
    ),
    [controller, stateRef],
  );
  const allOverlays = (
    <>
      {overlays}
      {notice ? (
        <p className="assist-notice" role="status">
          {notice}
        </p>
      ) : null}
    </>
  );
  return { actions: controller, overlays: allOverlays, status, styles, keyContext, modeLabel: tokenOn ? 'TOKEN' : null };
}
