/**
 * The one action registry: the handler of every action of the keymap (keymap.ts), by context.
 * `ACTIONS … satisfies ActionRegistry` makes a missing handler (or one for an action that does not
 * exist) a compile error; actions.check.ts proves that the check holds.
 *
 * A handler is the decision: it reads what it needs from the context object it gets and calls that
 * object's effects. The context objects are small interfaces implemented by whoever owns the keys
 * of that context (the Editor for explore, text, search and token; each overlay for its own), so
 * a test drives any handler with a recording fake (actions.test.ts). The pure state commands
 * (commands.ts, draft.ts) run through `apply`.
 *
 * A handler returns false when it does not apply to this key press (the R of the proxy panel while
 * a text field has the focus): the dispatcher then leaves the key to the page (no preventDefault).
 */
import * as c from './commands';
import { diffRegion, draftInsertText, draftRedo, draftUndo } from './draft';
import { type BindingIn, type Capability, type ContextActions, type DocumentAction, KEEPS_KEYS, type KeyContext, resolveKey } from './keymap';
import { type KeyLike, keyName } from './keys';
import type { EditorState } from './types';

/** The editor's overlays; one shows at a time. */
export type Overlay = 'help' | 'search' | 'proxy' | 'about' | 'models' | 'rewrite' | 'library' | 'notes' | 'preview' | null;

/** The key press an action runs for (a KeyboardEvent, or a fake in tests). */
export interface KeyPress {
  readonly key: string;
  readonly code: string;
  readonly target: EventTarget | null;
  preventDefault(): void;
}

/** What the assist controller (src/assist/controller.ts) does for the keys. */
export interface AssistActions {
  suggestAt(): void;
  /** The suggestion numbered `digit` (0 is the tenth); `askAgain` starts the next round. */
  pick(digit: number, askAgain: boolean): unknown;
  cycle(dir: 1 | -1): void;
  refreshInstructions(): unknown;
  refreshModels(): unknown;
  loadPreview(): unknown;
  toggleAttribution(): void;
  toggleHeatmap(): void;
  enterTokenMode(): unknown;
  tokenMove(dir: 1 | -1): void;
  tokenChoose(dir: 1 | -1): void;
  tokenRegenerate(): void;
  leaveTokenMode(): void;
  /** Cancels the running generations and closes the grid. */
  escape(): unknown;
}

/** The editor's side of the keys (explore, text, search, token): implemented by components/Editor. */
export interface EditorEffects {
  /** The editor state as of now. */
  state(): EditorState;
  apply(fn: (s: EditorState) => EditorState): void;
  overlay(): Overlay;
  setOverlay(o: Overlay | ((o: Overlay) => Overlay)): void;
  /** Gives the keys back to the fragment list. */
  focusList(): void;
  /** The open textarea's selection, or null when there is none. */
  textSelection(): readonly [start: number, end: number] | null;
  /** Where the caret goes in the textarea after the next render. */
  setCaret(at: number): void;
  capabilities(): Readonly<Record<Capability, boolean>>;
  copyText(text: string): void;
  /** The system clipboard's text (desktop only; null when there is none). */
  readClipboard(): Promise<string | null>;
  /** Clears the last search jump (a new search starts from the selection). */
  resetSearch(): void;
  searchNext(): void;
  stepFont(dir: 1 | -1): void;
  /** Hands the pending change to Go, then quits. */
  quit(): void;
  documents(action: DocumentAction): void;
  readonly assist: AssistActions;
}

/** Which context object each context's handlers get. */
export interface ActionContexts {
  explore: EditorEffects;
  text: EditorEffects;
  search: EditorEffects;
  token: EditorEffects;
  instruction: InstructionEffects;
  notes: CloseEffects;
  preview: CloseEffects;
  library: LibraryEffects;
  rename: RenameEffects;
  models: CloseEffects;
  proxy: ProxyEffects;
  dialog: DialogEffects;
}

/** A choice dialog (src/documents/dialogs). */
export interface DialogEffects {
  /** Takes the focused choice. */
  choose(): void;
  /** null where the dialog needs an answer. */
  readonly cancel: (() => void) | null;
}

export interface CloseEffects {
  close(): void;
}

/** The rewrite prompt (src/assist/InstructionPrompt). */
export interface InstructionEffects {
  submit(): void;
  cancel(): void;
  /** Moves through the instruction history: +1 older, -1 newer. */
  step(dir: 1 | -1): void;
}

/** The document library overlay (src/documents/LibraryOverlay): its decisions are documents/library.ts's. */
export interface LibraryEffects {
  act(action: ContextActions['library']): void;
}

/** The library's rename box. */
export interface RenameEffects {
  commit(): void;
  cancel(): void;
}

/** The proxy panel (src/proxy/ProxyPanel). */
export interface ProxyEffects {
  close(): void;
  /** The panel's body; null on a page without a server, where the panel only says so. */
  readonly body: ProxyBodyEffects | null;
}

export interface ProxyBodyEffects {
  /** The tab shown. */
  readonly tab: 'models' | 'endpoints' | 'config' | 'logs';
  /** The config has edits, no problems, and no check is running. */
  readonly configSavable: boolean;
  rescan(): void;
  saveConfig(): void;
  /** Shows (and focuses) the next tab to the right (1) or left (-1), wrapping. */
  stepTab(dir: 1 | -1): void;
}

export type Handler<C extends KeyContext> = (ctx: ActionContexts[C], key: KeyPress) => boolean | void;

/** Every context, every action of it, one handler each. */
export type ActionRegistry = { readonly [C in KeyContext]: { readonly [A in ContextActions[C]]: Handler<C> } };

type Editor = EditorEffects;

const pure =
  (fn: (s: EditorState) => EditorState): Handler<'explore'> =>
  (x) =>
    x.apply(fn);

const toggle = (x: Editor, o: Exclude<Overlay, null>) => x.setOverlay((cur) => (cur === o ? null : o));

const closeOverlay = (x: Editor) => {
  x.setOverlay(null);
  x.focusList();
};

/** Leaving the textarea: the focus moves first, so the browser need not repair a removed element's. */
const leaveDraft =
  (fn: (s: EditorState) => EditorState): Handler<'text'> =>
  (x) => {
    x.focusList();
    x.apply(fn);
  };

/** Draft undo / redo: the caret goes to the end of the text that changed. */
const draftHistory =
  (fn: (s: EditorState) => EditorState): Handler<'text'> =>
  (x) => {
    const s = x.state();
    const after = fn(s);
    if (s.draft && after.draft) {
      const d = diffRegion(s.draft.text, after.draft.text);
      x.setCaret(d.start + d.inserted.length);
    }
    x.apply(fn);
  };

/** The digit of `1`–`9`, `0`, with or without Ctrl (from the key, or the physical key). */
export function digitOf(key: Pick<KeyPress, 'key' | 'code'>): number {
  const d = /^[0-9]$/.test(key.key) ? key.key : /^Digit([0-9])$/.exec(key.code)?.[1];
  return d === undefined ? -1 : Number(d);
}

const documents =
  (action: DocumentAction): Handler<'explore'> =>
  (x) =>
    x.documents(action);

const library =
  (action: ContextActions['library']): Handler<'library'> =>
  (l) =>
    l.act(action);

/** Whether the key was pressed in an element matching `selector`. */
function targetIs(key: KeyPress, selector: string): boolean {
  return typeof Element !== 'undefined' && key.target instanceof Element && key.target.matches(selector);
}

/** ←/→ move between the proxy panel's tabs on the tab row only (elsewhere they move the caret). */
function proxyTab(p: ProxyEffects, key: KeyPress, dir: 1 | -1): boolean {
  if (!p.body || !targetIs(key, '[role="tab"]')) return false;
  p.body.stepTab(dir);
  return true;
}

export const ACTIONS = {
  explore: {
    selectPrev: pure(c.selectPrev),
    selectNext: pure(c.selectNext),
    selectFirst: pure(c.selectFirst),
    selectNew: pure(c.selectNew),
    startInsert: pure(c.startInsert),
    startEdit: pure(c.startEdit),
    moveLeft: pure(c.moveLeft),
    moveRight: pure(c.moveRight),
    deleteSelected: pure(c.deleteSelected),
    cutSelected: pure(c.cutSelected),
    pasteClipboard: pure(c.pasteClipboard),
    insertSectionBreak: pure(c.insertSectionBreak),
    undo: pure(c.undo),
    redo: pure(c.redo),
    copyText: (x) => {
      const f = x.state().fragments[x.state().selection];
      if (f) x.copyText(f.text);
    },
    pasteText: (x, key) => {
      // In a browser the paste event does it (the Editor listens to it).
      if (!x.capabilities().nativeClipboard) return;
      key.preventDefault();
      void x.readClipboard().then((t) => t && x.apply((s) => c.pasteText(s, t)));
    },
    openSearch: (x) => {
      x.resetSearch();
      x.setOverlay('search');
    },
    toggleHelp: (x) => toggle(x, 'help'),
    toggleProxy: (x) => toggle(x, 'proxy'),
    toggleAbout: (x) => toggle(x, 'about'),
    escape: (x) => {
      if (x.overlay() === null) void x.assist.escape();
      closeOverlay(x);
    },
    fontLarger: (x) => x.stepFont(1),
    fontSmaller: (x) => x.stepFont(-1),
    quit: (x) => x.quit(),
    suggest: (x) => {
      if (x.overlay() !== null) x.setOverlay(null);
      x.assist.suggestAt();
    },
    pickSuggestion: (x, key) => {
      if (x.overlay() === null) void x.assist.pick(digitOf(key), true);
    },
    pickSuggestionQuietly: (x, key) => {
      if (x.overlay() === null) void x.assist.pick(digitOf(key), false);
    },
    altPrev: (x) => x.assist.cycle(-1),
    altNext: (x) => x.assist.cycle(1),
    rewrite: (x) => {
      if (!x.state().fragments[x.state().selection]) return;
      void x.assist.refreshInstructions();
      x.setOverlay('rewrite');
    },
    toggleAttribution: (x) => x.assist.toggleAttribution(),
    toggleHeatmap: (x) => x.assist.toggleHeatmap(),
    tokenMode: (x) => {
      if (x.overlay() !== null) x.setOverlay(null);
      void x.assist.enterTokenMode();
    },
    storyNotes: (x) => {
      x.setOverlay('notes');
      void x.assist.refreshModels();
    },
    promptPreview: (x) => {
      x.setOverlay('preview');
      void x.assist.loadPreview();
    },
    modelPanel: (x) => {
      if (x.overlay() === 'models') return closeOverlay(x);
      void x.assist.refreshModels();
      x.setOverlay('models');
    },
    newDocument: documents('newDocument'),
    openLibrary: documents('openLibrary'),
    saveDocument: documents('saveDocument'),
    saveDocumentCopy: documents('saveDocumentCopy'),
    exportDocument: documents('exportDocument'),
    importDocument: documents('importDocument'),
  },
  text: {
    commitDraft: leaveDraft(c.commitDraft),
    discardDraft: leaveDraft(c.discardDraft),
    draftUndo: draftHistory(draftUndo),
    draftRedo: draftHistory(draftRedo),
    newline: (x) => {
      const sel = x.textSelection();
      if (!sel) return;
      const [a, b] = sel;
      x.setCaret(a + 1);
      x.apply((s) => draftInsertText(s, a, b, '\n'));
    },
  },
  search: {
    searchNext: (x) => x.searchNext(),
    closeSearch: closeOverlay,
  },
  token: {
    tokenPrev: (x) => x.assist.tokenMove(-1),
    tokenNext: (x) => x.assist.tokenMove(1),
    tokenChoicePrev: (x) => x.assist.tokenChoose(-1),
    tokenChoiceNext: (x) => x.assist.tokenChoose(1),
    tokenRegenerate: (x) => x.assist.tokenRegenerate(),
    tokenLeave: (x) => x.assist.leaveTokenMode(),
  },
  instruction: {
    instructionSubmit: (p) => p.submit(),
    instructionCancel: (p) => p.cancel(),
    instructionOlder: (p) => p.step(1),
    instructionNewer: (p) => p.step(-1),
  },
  notes: { notesClose: (p) => p.close() },
  preview: { previewClose: (p) => p.close() },
  library: {
    libraryPrev: library('libraryPrev'),
    libraryNext: library('libraryNext'),
    libraryFirst: library('libraryFirst'),
    libraryLast: library('libraryLast'),
    libraryEnter: library('libraryEnter'),
    libraryNew: library('libraryNew'),
    libraryRename: library('libraryRename'),
    libraryDuplicate: library('libraryDuplicate'),
    libraryDelete: library('libraryDelete'),
    libraryUndoDelete: library('libraryUndoDelete'),
    libraryTrash: library('libraryTrash'),
    libraryHistory: library('libraryHistory'),
    libraryBack: library('libraryBack'),
  },
  rename: {
    renameCommit: (r) => r.commit(),
    renameCancel: (r) => r.cancel(),
  },
  models: { modelsClose: (p) => p.close() },
  proxy: {
    proxyClose: (p) => p.close(),
    proxyRescan: (p, key) => {
      if (!p.body || targetIs(key, 'input, textarea, select')) return false; // R is a letter there
      p.body.rescan();
    },
    proxySaveConfig: (p) => {
      if (p.body?.tab !== 'config') return false;
      if (p.body.configSavable) p.body.saveConfig();
    },
    proxyTabPrev: (p, key) => proxyTab(p, key, -1),
    proxyTabNext: (p, key) => proxyTab(p, key, 1),
  },
  dialog: {
    dialogChoose: (d) => d.choose(),
    dialogCancel: (d) => {
      if (!d.cancel) return false;
      d.cancel();
    },
  },
} satisfies ActionRegistry;

/**
 * Runs the handler of a binding with the context object of its context. Returns false when the
 * handler did not apply (the key should go on to the page).
 */
export function runAction<C extends KeyContext>(binding: BindingIn<C>, ctx: ActionContexts[C], key: KeyPress): boolean {
  // TypeScript cannot follow that ACTIONS[C][action] takes ActionContexts[C]; ActionRegistry says it does.
  const handlers = ACTIONS[binding.context] as unknown as Readonly<Record<string, Handler<C> | undefined>>;
  const handler = handlers[binding.action];
  if (!handler) throw new Error(`no handler for ${binding.context}:${binding.action}`);
  return handler(ctx, key) !== false;
}

/** A key event that reached an overlay's root (React's onKeyDown; its nativeEvent has the modifiers). */
export interface OverlayKeyEvent extends KeyPress {
  readonly nativeEvent: KeyLike;
  /** The overlay's element (where its key handler is): Tab keeps the focus inside it. */
  readonly currentTarget?: EventTarget | null;
  stopPropagation(): void;
}

/**
 * The key dispatcher of the overlays: a key of the overlay's context runs its handler (and goes no
 * further); in an overlay that keeps its keys (KEEPS_KEYS) every other key stops there too, except
 * the explore actions it lets through.
 */
export function overlayKeyDown<C extends KeyContext>(context: C, ctx: ActionContexts[C], e: OverlayKeyEvent): void {
  const name = keyName(e.nativeEvent);
  const binding = resolveKey(context, name);
  if (binding && runAction(binding, ctx, e)) {
    if (binding.preventDefault !== false) e.preventDefault();
    e.stopPropagation();
    return;
  }
  if ((name === 'Tab' || name === 'Shift+Tab') && wrapFocus(e.currentTarget, name === 'Shift+Tab')) {
    e.preventDefault();
    e.stopPropagation();
    return;
  }
  const keeps = KEEPS_KEYS[context];
  if (!keeps) return;
  const global = resolveKey('explore', name);
  if (global && keeps.includes(global.action)) return;
  e.stopPropagation();
}

const FOCUSABLE = 'button, input, textarea, select, summary, a[href], [tabindex]';

/**
 * Keeps Tab inside an overlay, as in a modal dialog: from its last focusable element Tab goes to
 * the first, and Shift+Tab from the first (or from the overlay itself) to the last. Returns false
 * where the browser's own order stays inside (it then moves the focus).
 */
function wrapFocus(root: EventTarget | null | undefined, back: boolean): boolean {
  if (typeof HTMLElement === 'undefined' || !(root instanceof HTMLElement)) return false;
  const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) =>
      el.tabIndex >= 0 &&
      !el.matches(':disabled') &&
      !el.closest('[hidden], [inert], [aria-hidden="true"], details:not([open]) > :not(summary)') &&
      (typeof el.checkVisibility !== 'function' || el.checkVisibility()),
  );
  if (items.length === 0) return false;
  const active = root.ownerDocument.activeElement;
  const at = items.indexOf(active as HTMLElement);
  let to: HTMLElement | undefined;
  if (back && (at === 0 || active === root)) to = items.at(-1);
  else if (!back && at === items.length - 1) to = items[0];
  if (!to) return false;
  to.focus();
  return true;
}
