import { type ReactNode, type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { aiAvailable } from '../bridge';
import type { ActionId, EditorState } from '../editor';
import { AssistStatus } from './AssistStatus';
import { AttributionStyle } from './AttributionStyle';
import { AssistController } from './controller';
import { InstructionPrompt } from './InstructionPrompt';
import { ModelPanel } from './ModelPanel';
import { AssistStore } from './store';
import { SuggestionGrid } from './SuggestionGrid';

/** The overlays assist adds to the editor's (only one overlay shows at a time). */
export type AssistOverlay = 'models' | 'rewrite';

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
  /** The provenance style sheet (`a`). */
  styles: ReactNode;
}

/** Wires AI assistance into the editor: keys, overlays, status. Logic lives in AssistController. */
export function useAssist({ stateRef, apply, overlay, setOverlay, focusList }: Options): Assist {
  const [controller] = useState(
    () => new AssistController(new AssistStore(aiAvailable()), { getState: () => stateRef.current, apply }),
  );
  useEffect(() => controller.attach(), [controller]);
  const overlayRef = useRef(overlay);
  overlayRef.current = overlay;

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
    return null;
  }, [overlay, controller, submitRewrite, close]);
  const status = useMemo(() => <AssistStatus store={controller.store} />, [controller]);
  const styles = useMemo(() => <AttributionStyle store={controller.store} />, [controller]);
  return { perform, escape, overlays, status, styles };
}

/** The digit of `1`–`9`, `0`, with or without Ctrl (from the key, or the physical key). */
function digitOf(e: KeyboardEvent): number {
  const d = /^[0-9]$/.test(e.key) ? e.key : /^Digit([0-9])$/.exec(e.code)?.[1];
  return d === undefined ? -1 : Number(d);
}
