import { type ReactNode, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../hooks/useLatest';
import { aiAvailable } from '../bridge';
import type { ActionId, EditorState, KeyContext } from '../editor';
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
  /** Performs an assist action of the keymap; false for actions that are not assist's. */
  perform: (action: ActionId, e: KeyboardEvent) => boolean;
  /** Escape with no overlay open: cancel generations, close the grid. */
  escape: () => void;
  /** The grid, the rewrite prompt or the model panel, for the overlay layer. */
  overlays: ReactNode;
  /** The models' status, for the status bar. */
  status: ReactNode;
  /** The provenance style sheet (`a`), the heatmap's and token mode's. */
  styles: ReactNode;
  /** The keymap context assist takes over (`token` in token mode), or null. */
  keyContext: () => KeyContext | null;
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
  const overlayRef = useRef(overlay);
  useLatest(overlayRef, overlay);

  const perform = useCallback(
    (action: ActionId, e: KeyboardEvent): boolean => {
      switch (action) {
        case 'suggest':
          if (overlayRef.current !== null) setOverlay(null);
          controller.suggestAt();
          return true;
        case 'pickSuggestion':
        case 'pickSuggestionQuietly':
          if (overlayRef.current === null) controller.pick(digitOf(e), action === 'pickSuggestion');
          return true;
        case 'altPrev':
        case 'altNext':
          controller.cycle(action === 'altNext' ? 1 : -1);
          return true;
        case 'rewrite':
          if (stateRef.current.fragments[stateRef.current.selection]) {
            void controller.refreshInstructions();
            setOverlay('rewrite');
          }
          return true;
        case 'toggleAttribution':
          controller.toggleAttribution();
          return true;
        case 'toggleHeatmap':
          controller.toggleHeatmap();
          return true;
        case 'tokenMode':
          if (overlayRef.current !== null) setOverlay(null);
          controller.enterTokenMode();
          return true;
        case 'tokenPrev':
        case 'tokenNext':
          controller.tokenMove(action === 'tokenNext' ? 1 : -1);
          return true;
        case 'tokenChoicePrev':
        case 'tokenChoiceNext':
          controller.tokenChoose(action === 'tokenChoiceNext' ? 1 : -1);
          return true;
        case 'tokenRegenerate':
          controller.tokenRegenerate();
          return true;
        case 'tokenLeave':
          controller.leaveTokenMode();
          return true;
        case 'storyNotes':
          setOverlay('notes');
          void controller.refreshModels();
          return true;
        case 'promptPreview':
          setOverlay('preview');
          void controller.loadPreview();
          return true;
        case 'modelPanel':
          if (overlayRef.current === 'models') {
            setOverlay(null);
            focusList();
          } else {
            void controller.refreshModels();
            setOverlay('models');
          }
          return true;
        default:
          return false;
      }
    },
    [controller, setOverlay, focusList, stateRef],
  );

  const escape = useCallback(() => void controller.escape(), [controller]);
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
  const keyContext = useCallback((): KeyContext | null => (controller.store.get().token ? 'token' : null), [controller]);
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
  return { perform, escape, overlays: allOverlays, status, styles, keyContext, modeLabel: tokenOn ? 'TOKEN' : null };
}

/** The digit of `1`–`9`, `0`, with or without Ctrl (from the key, or the physical key). */
function digitOf(e: KeyboardEvent): number {
  const d = /^[0-9]$/.test(e.key) ? e.key : /^Digit([0-9])$/.exec(e.code)?.[1];
  return d === undefined ? -1 : Number(d);
}
