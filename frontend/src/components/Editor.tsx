import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../hooks/useLatest';
import * as bridge from '../bridge';
import {
  type ActionContexts,
  createState,
  type EditorEffects,
  type EditorState,
  findAll,
  fragmentAt,
  type KeyContext,
  keyName,
  matchIndex,
  nextMatch,
  type Overlay,
  pasteText,
  resolveKey,
  runAction,
  searchIndex,
  select,
  commitDraft,
  startEdit,
  setDraftText,
} from '../editor';
import { nextTheme, stepFontSize } from '../settings/settings';
import { useSettings } from '../settings/useSettings';
import { ClipboardOverlay } from './ClipboardOverlay';
import { DraftStore, DraftStoreContext, type DraftSlotValue } from './draftStore';
import { FragmentList } from './FragmentList';
import { HelpOverlay } from './HelpOverlay';
import { SearchOverlay } from './SearchOverlay';
import { AboutOverlay } from '../about/AboutOverlay';
import { ProxyPanel } from '../proxy/ProxyPanel';
import { StatusBar } from './StatusBar';
import { useAssist } from '../assist/useAssist';
import { type DocumentSession, LibraryOverlay, useDocuments } from '../documents';

export type { Overlay } from '../editor';

interface SearchState {
  query: string;
  /** Document offset of the match Enter jumped to last, or null. */
  at: number | null;
}

/**
 * The editor shell: owns the editor state and the overlays, resolves keys through the keymap
 * table and performs the actions. Rendering is left to FragmentList and the overlays.
 */
export function Editor({ initial, documents }: { initial?: EditorState; documents?: DocumentSession }) {
  const [state, setState] = useState<EditorState>(() => initial ?? createState());
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [search, setSearch] = useState<SearchState>({ query: '', at: null });
  const [settings, updateSettings] = useSettings();
  const stateRef = useRef(state);
  useLatest(stateRef, state);
  const overlayRef = useRef(overlay);
  useLatest(overlayRef, overlay);
  const listRef = useRef<HTMLDivElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  /** Caret position to restore after the next render of the textarea. */
  const caretRef = useRef<number | null>(null);

  const apply = useCallback((fn: (s: EditorState) => EditorState) => setState(fn), []);
  const focusList = useCallback(() => listRef.current?.focus({ preventScroll: true }), []);
  const assist = useAssist({ stateRef, apply, overlay, setOverlay, focusList });
  const docs = useDocuments(documents, state, apply, setOverlay, listRef);
  const matches = useMemo(() => (overlay === 'search' ? findAll(searchIndex(state.fragments), search.query) : []), [overlay, state.fragments, search.query]);
  const matchesRef = useRef(matches);
  useLatest(matchesRef, matches);
  const searchRef = useRef(search);
  useLatest(searchRef, search);

  const searchNext = useCallback(() => {
    const s = stateRef.current;
    const ms = matchesRef.current;
    const last = searchRef.current.at;
    const index = searchIndex(s.fragments);
    const lastStillSelected = last !== null && matchIndex(ms, last) >= 0 && fragmentAt(index, last) === s.selection;
    const at = nextMatch(ms, lastStillSelected ? last : (index.starts[s.selection] ?? 0) - 1);
    if (at === null) return;
    setSearch((q) => ({ ...q, at }));
    apply((st) => select(st, fragmentAt(index, at)));
  }, [apply]);

  const { actions: assistActions } = assist;
  const { perform: docsPerform, beforeQuit } = docs;
  /** What the keymap's handlers (src/editor/actions.ts) do here. */
  const effects = useMemo<EditorEffects>(
    () => ({
      state: () => stateRef.current,
      apply,
      overlay: () => overlayRef.current,
      setOverlay,
      focusList,
      textSelection: () => {
        const ta = textareaRef.current;
        return ta ? [ta.selectionStart, ta.selectionEnd] : null;
      },
      setCaret: (at) => {
        caretRef.current = at;
      },
      capabilities: () => bridge.capabilities(),
      copyText: (text) => void bridge.clipboardSetText(text),
      readClipboard: () => bridge.clipboardGetText(),
      resetSearch: () => setSearch((q) => ({ ...q, at: null })),
      searchNext,
      stepFont: (dir) => updateSettings((s) => stepFontSize(s, dir)),
      quit: () => beforeQuit(bridge.quit),
      documents: docsPerform,
      assist: assistActions,
    }),
    [apply, focusList, searchNext, updateSettings, beforeQuit, docsPerform, assistActions],
  );

  useDocumentKeys(stateRef, textareaRef, effects, apply, assist.keyContext);

  // Focus follows the mode: the textarea while editing, the list otherwise.
  useLayoutEffect(() => {
    if (state.mode !== 'explore') {
      const ta = textareaRef.current;
      if (ta && document.activeElement !== ta) {
        ta.focus({ preventScroll: true });
        ta.setSelectionRange(ta.value.length, ta.value.length);
      }
    } else if (overlayRef.current !== 'search') {
      listRef.current?.focus({ preventScroll: true });
    }
  }, [state.mode]);

  const onPick = useCallback(
    (index: number, double: boolean) => {
      apply((s) => {
        // A click outside the textarea saves the draft first (as Enter), then selects.
        const id = s.fragments[index]?.id;
        const base = s.mode === 'explore' ? s : commitDraft(s);
        const target = id === undefined ? base.fragments.length : base.fragments.findIndex((f) => f.id === id);
        if (target < 0) return base;
        const selected = select(base, target);
        return double ? startEdit(selected) : selected;
      });
    },
    [apply],
  );

  const onDraftChange = useCallback((text: string) => apply((s) => setDraftText(s, text)), [apply]);
  const draftValue = useMemo<DraftSlotValue | null>(
    () =>
      state.draft && state.mode !== 'explore'
        ? { text: state.draft.text, mode: state.mode, onChange: onDraftChange, textareaRef, caretRef }
        : null,
    [state.draft, state.mode, onDraftChange],
  );
  const [draftStore] = useState(() => new DraftStore());
  // The slot reads the store in this same render pass: a textarea mounted by it must have its
  // value before the layout effect below focuses it. The store belongs to this component.
  // eslint-disable-next-line react-hooks/refs
  draftStore.write(draftValue);
  useLayoutEffect(() => draftStore.notify(), [draftStore, draftValue]);
  const onFontStep = useCallback((dir: 1 | -1) => updateSettings((s) => stepFontSize(s, dir)), [updateSettings]);
  const onThemeCycle = useCallback(() => updateSettings(nextTheme), [updateSettings]);
  const closeOverlay = useCallback(() => {
    setOverlay(null);
    listRef.current?.focus({ preventScroll: true });
  }, []);
  const currentMatch = search.at === null ? 0 : matchIndex(matches, search.at) + 1;

  return (
    <div className="editor" data-mode={state.mode} style={{ '--fragment-font-size': `${settings.fontSize}px` } as React.CSSProperties}>
      <div className="fragment-sheet" aria-hidden />
      <DraftStoreContext.Provider value={draftStore}>
        <FragmentList fragments={state.fragments} selection={state.selection} mode={state.mode} listRef={listRef} onPick={onPick} />
      </DraftStoreContext.Provider>
      <div className="overlay-layer">
        {overlay === 'help' ? <HelpOverlay capabilities={bridge.capabilities()} /> : null}
        {overlay === 'proxy' ? <ProxyPanel onClose={closeOverlay} /> : null}
        {overlay === 'about' ? <AboutOverlay /> : null}
        {overlay === 'library' ? <LibraryOverlay lib={docs.library} onClose={closeOverlay} /> : null}
        {overlay === 'search' ? (
          <SearchOverlay query={search.query} onQuery={(query) => setSearch({ query, at: null })} current={currentMatch} total={matches.length} />
        ) : null}
        <ClipboardOverlay items={state.clipboard} />
        {assist.overlays}
        {docs.notices}
      </div>
      <StatusBar
        mode={state.mode}
        modeLabel={assist.modeLabel}
        fragments={state.fragments}
        settings={settings}
        aiAvailable={bridge.aiAvailable()}
        onFontStep={onFontStep}
        onThemeCycle={onThemeCycle}
        assistStatus={assist.status}
        documentStatus={docs.status}
      />
      {assist.styles}
    </div>
  );
}

/** The keymap contexts whose keys the Editor dispatches (the overlays dispatch their own). */
type EditorContext = Extract<KeyContext, 'explore' | 'text' | 'search' | 'token'>;

/**
 * Which keymap context a key event belongs to: the fragment textarea, the search box, or explore
 * (the list, the page). Other inputs keep their keys (null). While a draft is open, keys that
 * arrive elsewhere go to the draft, which takes the focus back.
 */
function contextOf(target: EventTarget | null, state: EditorState, textarea: HTMLTextAreaElement | null): EditorContext | null {
  const el = target instanceof Element ? target : null;
  if (el?.matches('textarea[data-draft]')) return 'text';
  if (el?.matches('input[data-search]')) return 'search';
  if (el?.matches('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return null;
  if (state.mode !== 'explore') {
    textarea?.focus({ preventScroll: true });
    return 'text';
  }
  return 'explore';
}

function useDocumentKeys(
  stateRef: React.RefObject<EditorState>,
  textareaRef: React.RefObject<HTMLTextAreaElement | null>,
  effects: ActionContexts[EditorContext],
  apply: (fn: (s: EditorState) => EditorState) => void,
  override: () => 'token' | null,
) {
  useEffect(() => {
    const doc = document;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.isComposing || e.defaultPrevented) return;
      const ctx = override() ?? contextOf(e.target, stateRef.current, textareaRef.current);
      const binding = ctx && resolveKey(ctx, keyName(e));
      if (!binding) return;
      if (runAction(binding, effects, e) && binding.preventDefault !== false) e.preventDefault();
    };
    // Ctrl+C / Ctrl+V in a browser: the platform fires copy / paste at the page; fill / read them.
    const explores = (e: Event) => contextOf(e.target, stateRef.current, null) === 'explore';
    const onCopy = (e: ClipboardEvent) => {
      const f = stateRef.current.fragments[stateRef.current.selection];
      if (!explores(e) || !f || !e.clipboardData) return;
      e.clipboardData.setData('text/plain', f.text);
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      const text = e.clipboardData?.getData('text/plain');
      if (!explores(e) || !text) return;
      e.preventDefault();
      apply((s) => pasteText(s, text));
    };
    doc.addEventListener('keydown', onKeyDown);
    doc.addEventListener('copy', onCopy);
    doc.addEventListener('paste', onPaste);
    return () => {
      doc.removeEventListener('keydown', onKeyDown);
      doc.removeEventListener('copy', onCopy);
      doc.removeEventListener('paste', onPaste);
    };
  }, [stateRef, textareaRef, effects, apply, override]);
}
