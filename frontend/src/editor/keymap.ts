/**
 * The one keymap table of the app (mirrors shared/docs/keymap.md). Every key the editor and its
 * panels act on is a row here; the dispatchers resolve keys through it, the actions run from the
 * one registry (`ACTIONS` in actions.ts) and the help overlay is generated from it.
 *
 * Adding an action: its id under its context in `ContextActions`, a row in `KEYMAP`, a handler in
 * `ACTIONS`. `tsc` fails while the handler is missing (or handles an action that does not exist),
 * and keymap.test.ts fails on an action without a key or a key bound twice in one context.
 *
 * Contexts (where a key press goes): `explore` — the fragment list has the keys; `text` — the
 * fragment textarea of edit and insert mode; `search` — the search box; `token` — token mode;
 * the others are the overlays that handle their own keys (the rewrite instruction, story notes,
 * prompt preview, the library and its rename box, the model panel, the proxy panel, the documents'
 * dialogs; dispatched by
 * `overlayKeyDown` in actions.ts). Any other text input keeps all keys to itself.
 */

/** The actions of each context (an action belongs to exactly one). */
export interface ContextActions {
  explore:
    | 'selectPrev'
    | 'selectNext'
    | 'startInsert'
    | 'startEdit'
    | 'selectFirst'
    | 'selectNew'
    | 'moveLeft'
    | 'moveRight'
    | 'deleteSelected'
    | 'cutSelected'
    | 'pasteClipboard'
    | 'insertSectionBreak'
    | 'undo'
    | 'redo'
    | 'copyText'
    | 'pasteText'
    | 'openSearch'
    | 'toggleHelp'
    | 'escape'
    | 'fontLarger'
    | 'fontSmaller'
    | 'quit'
    | 'toggleProxy'
    | 'toggleAbout'
    // AI assistance (src/assist)
    | 'suggest'
    | 'pickSuggestion'
    | 'pickSuggestionQuietly'
    | 'altPrev'
    | 'altNext'
    | 'rewrite'
    | 'toggleAttribution'
    | 'modelPanel'
    | 'toggleHeatmap'
    | 'tokenMode'
    | 'storyNotes'
    | 'promptPreview'
    // documents (src/documents)
    | DocumentAction;
  text: 'commitDraft' | 'newline' | 'discardDraft' | 'draftUndo' | 'draftRedo';
  search: 'searchNext' | 'closeSearch';
  /** The rewrite prompt (src/assist/InstructionPrompt). */
  instruction: 'instructionSubmit' | 'instructionCancel' | 'instructionOlder' | 'instructionNewer';
  /** Token mode (src/assist). */
  token: 'tokenPrev' | 'tokenNext' | 'tokenChoicePrev' | 'tokenChoiceNext' | 'tokenRegenerate' | 'tokenLeave';
  notes: 'notesClose';
  preview: 'previewClose';
  /** The document library overlay (src/documents). */
  library:
    | 'libraryPrev'
    | 'libraryNext'
    | 'libraryFirst'
    | 'libraryLast'
    | 'libraryEnter'
    | 'libraryNew'
    | 'libraryRename'
    | 'libraryDuplicate'
    | 'libraryDelete'
    | 'libraryUndoDelete'
    | 'libraryTrash'
    | 'libraryHistory'
    | 'libraryBack';
  /** The library's rename box. */
  rename: 'renameCommit' | 'renameCancel';
  /** The model panel (src/assist/ModelPanel). */
  models: 'modelsClose';
  /** The proxy panel (src/proxy/ProxyPanel). */
  proxy: 'proxyClose' | 'proxyRescan' | 'proxySaveConfig' | 'proxyTabPrev' | 'proxyTabNext';
  /** The documents' dialogs: export format, save conflict (src/documents/dialogs). */
  dialog: 'dialogChoose' | 'dialogCancel';
}

/** The explore actions useDocuments performs. */
export type DocumentAction = 'newDocument' | 'openLibrary' | 'saveDocument' | 'saveDocumentCopy' | 'exportDocument' | 'importDocument';

export type KeyContext = keyof ContextActions;

export type ActionId = ContextActions[KeyContext];

/** What only some surfaces can do (the bridge's `capabilities()`); a binding that needs one is hidden where it is missing. */
export type Capability = 'quit' | 'nativeFiles' | 'nativeClipboard' | 'keepServing';

/** A row of the table: its action must be one of its context's (tsc checks). */
export type Binding = { [C in KeyContext]: BindingIn<C> }[KeyContext];

export interface BindingIn<C extends KeyContext> {
  readonly context: C;
  /** Key names as produced by keyName() in keys.ts. */
  readonly keys: readonly string[];
  readonly action: ContextActions[C];
  /** One line for the help overlay. */
  readonly help: string;
  /**
   * False when the browser's own handling of the key must go on (Ctrl+C / Ctrl+V in a plain
   * browser fire the copy / paste events the editor listens to). Default true.
   */
  readonly preventDefault?: boolean;
  /** The capability the action needs: without it the help overlay leaves the row out. */
  readonly needs?: Capability;
}

/** Suggestion numbers in reading order of the grid: 1–9, then 0 for the tenth. */
const DIGITS: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export const KEYMAP: readonly Binding[] = [
  { context: 'explore', keys: ['ArrowLeft'], action: 'selectPrev', help: 'select the previous fragment' },
  { context: 'explore', keys: ['ArrowRight'], action: 'selectNext', help: 'select the next fragment (<new> is last)' },
  { context: 'explore', keys: ['i'], action: 'startInsert', help: 'insert a fragment right of the selection' },
  { context: 'explore', keys: ['Space'], action: 'startEdit', help: 'edit the selected fragment (on <new>: write a new one)' },
  { context: 'explore', keys: ['Home'], action: 'selectFirst', help: 'select the first fragment' },
  { context: 'explore', keys: ['End'], action: 'selectNew', help: 'select <new>' },
  { context: 'explore', keys: ['Ctrl+ArrowLeft'], action: 'moveLeft', help: 'move the fragment left' },
  { context: 'explore', keys: ['Ctrl+ArrowRight'], action: 'moveRight', help: 'move the fragment right' },
  { context: 'explore', keys: ['d', 'Delete'], action: 'deleteSelected', help: 'delete the fragment' },
  { context: 'explore', keys: ['x'], action: 'cutSelected', help: 'cut the fragment to the fragment clipboard' },
  { context: 'explore', keys: ['v'], action: 'pasteClipboard', help: "paste the fragment clipboard's first item" },
  { context: 'explore', keys: ['b'], action: 'insertSectionBreak', help: 'insert a section break' },
  { context: 'explore', keys: ['u', 'Ctrl+Z'], action: 'undo', help: 'undo' },
  { context: 'explore', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], action: 'redo', help: 'redo' },
  { context: 'explore', keys: ['Ctrl+C'], action: 'copyText', help: "copy the fragment's text", preventDefault: false },
  { context: 'explore', keys: ['Ctrl+V'], action: 'pasteText', help: 'paste text as sentence fragments', preventDefault: false },
  { context: 'explore', keys: ['/'], action: 'openSearch', help: 'search the document' },
  { context: 'explore', keys: ['?'], action: 'toggleHelp', help: 'show / hide this help' },
  { context: 'explore', keys: ['Escape'], action: 'escape', help: 'close the open overlay; otherwise cancel generations, close the suggestions' },
  { context: 'explore', keys: ['Ctrl+='], action: 'fontLarger', help: 'larger text' },
  { context: 'explore', keys: ['Ctrl+-'], action: 'fontSmaller', help: 'smaller text' },
  { context: 'explore', keys: ['Ctrl+P'], action: 'toggleProxy', help: 'proxy panel: base URL, models, config, logs' },
  { context: 'explore', keys: ['Ctrl+Shift+A'], action: 'toggleAbout', help: 'about FragmentEditor (version, licenses)' },
  { context: 'explore', keys: ['Ctrl+Q'], action: 'quit', help: 'quit', needs: 'quit' },
  { context: 'explore', keys: ['Tab'], action: 'suggest', help: 'ask the active models for suggestions at the selection' },
  { context: 'explore', keys: DIGITS, action: 'pickSuggestion', help: 'insert that suggestion right of the selection, ask again' },
  { context: 'explore', keys: DIGITS.map((d) => `Ctrl+${d}`), action: 'pickSuggestionQuietly', help: 'insert that suggestion without asking again' },
  { context: 'explore', keys: ['ArrowUp'], action: 'altPrev', help: "the fragment's previous alternative" },
  { context: 'explore', keys: ['ArrowDown'], action: 'altNext', help: "the fragment's next alternative" },
  { context: 'explore', keys: ['r'], action: 'rewrite', help: 'rewrite the fragment with an instruction' },
  { context: 'explore', keys: ['a'], action: 'toggleAttribution', help: 'show / hide where each fragment came from' },
  { context: 'explore', keys: ['m'], action: 'modelPanel', help: 'model panel: active models and their settings' },
  { context: 'explore', keys: ['p'], action: 'toggleHeatmap', help: 'show / hide the token probability heatmap' },
  { context: 'explore', keys: ['t'], action: 'tokenMode', help: "token mode on a model's fragment: pick another token, regenerate from it" },
  { context: 'explore', keys: ['n'], action: 'storyNotes', help: "story notes: memory, author's note, models that ignore them" },
  { context: 'explore', keys: ['P'], action: 'promptPreview', help: 'prompt preview: exactly what each active model receives' },
  { context: 'explore', keys: ['Ctrl+N'], action: 'newDocument', help: 'new document' },
  { context: 'explore', keys: ['Ctrl+O'], action: 'openLibrary', help: 'document library (open, rename, trash, history)' },
  { context: 'explore', keys: ['Ctrl+S'], action: 'saveDocument', help: 'save now (autosave runs anyway)' },
  { context: 'explore', keys: ['Ctrl+Shift+S'], action: 'saveDocumentCopy', help: 'save a copy as…' },
  { context: 'explore', keys: ['Ctrl+E'], action: 'exportDocument', help: 'export as .txt, .md or .json…' },
  { context: 'explore', keys: ['Ctrl+I'], action: 'importDocument', help: 'import a .txt, .md or .json file…' },

  { context: 'text', keys: ['Enter'], action: 'commitDraft', help: 'save, back to explore' },
  { context: 'text', keys: ['Ctrl+Enter'], action: 'newline', help: 'new line' },
  { context: 'text', keys: ['Escape'], action: 'discardDraft', help: 'discard (insert: remove the new fragment)' },
  { context: 'text', keys: ['Ctrl+Z'], action: 'draftUndo', help: 'undo typing' },
  { context: 'text', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], action: 'draftRedo', help: 'redo typing' },

  { context: 'search', keys: ['Enter'], action: 'searchNext', help: 'jump to the next match' },
  { context: 'search', keys: ['Escape'], action: 'closeSearch', help: 'close the search' },

  { context: 'instruction', keys: ['Enter'], action: 'instructionSubmit', help: 'rewrite with this instruction' },
  { context: 'instruction', keys: ['Escape'], action: 'instructionCancel', help: 'close without rewriting' },
  { context: 'instruction', keys: ['ArrowUp'], action: 'instructionOlder', help: 'older instruction from the history' },
  { context: 'instruction', keys: ['ArrowDown'], action: 'instructionNewer', help: 'newer instruction from the history' },

  { context: 'token', keys: ['ArrowLeft'], action: 'tokenPrev', help: 'previous token' },
  { context: 'token', keys: ['ArrowRight'], action: 'tokenNext', help: 'next token' },
  { context: 'token', keys: ['ArrowUp'], action: 'tokenChoicePrev', help: 'previous candidate' },
  { context: 'token', keys: ['ArrowDown'], action: 'tokenChoiceNext', help: 'next candidate' },
  { context: 'token', keys: ['Enter'], action: 'tokenRegenerate', help: 'use the candidate: cut the fragment there and let its model continue' },
  { context: 'token', keys: ['Escape'], action: 'tokenLeave', help: 'leave token mode' },

  { context: 'notes', keys: ['Escape'], action: 'notesClose', help: 'close the story notes (they are saved as you type)' },
  { context: 'preview', keys: ['Escape'], action: 'previewClose', help: 'close the prompt preview' },

  { context: 'library', keys: ['ArrowUp'], action: 'libraryPrev', help: 'previous document' },
  { context: 'library', keys: ['ArrowDown'], action: 'libraryNext', help: 'next document' },
  { context: 'library', keys: ['Home'], action: 'libraryFirst', help: 'first document' },
  { context: 'library', keys: ['End'], action: 'libraryLast', help: 'last document' },
  { context: 'library', keys: ['Enter'], action: 'libraryEnter', help: 'open (trash: restore; history: restore that version)' },
  { context: 'library', keys: ['n'], action: 'libraryNew', help: 'new document' },
  { context: 'library', keys: ['r'], action: 'libraryRename', help: 'rename' },
  { context: 'library', keys: ['c'], action: 'libraryDuplicate', help: 'duplicate' },
  { context: 'library', keys: ['Delete', 'd'], action: 'libraryDelete', help: 'move to the trash' },
  { context: 'library', keys: ['u', 'Ctrl+Z'], action: 'libraryUndoDelete', help: 'undo the last move to the trash' },
  { context: 'library', keys: ['t'], action: 'libraryTrash', help: 'show the trash / the documents' },
  { context: 'library', keys: ['h'], action: 'libraryHistory', help: 'earlier versions of the document' },
  { context: 'library', keys: ['Escape'], action: 'libraryBack', help: 'back; close the library' },

  { context: 'rename', keys: ['Enter'], action: 'renameCommit', help: 'keep the new name (empty: the title comes from the first words)' },
  { context: 'rename', keys: ['Escape'], action: 'renameCancel', help: 'keep the old name' },

  { context: 'models', keys: ['Escape'], action: 'modelsClose', help: 'close the model panel (Tab moves between its fields; a switch saves at once)' },

  { context: 'proxy', keys: ['Escape', 'Ctrl+P'], action: 'proxyClose', help: 'close the proxy panel' },
  { context: 'proxy', keys: ['r', 'R'], action: 'proxyRescan', help: 'rescan the hosts for models now (outside text fields)' },
  { context: 'proxy', keys: ['Ctrl+S'], action: 'proxySaveConfig', help: 'save the config (Config tab)' },
  { context: 'proxy', keys: ['ArrowLeft'], action: 'proxyTabPrev', help: 'previous tab (on the tab row)' },
  { context: 'proxy', keys: ['ArrowRight'], action: 'proxyTabNext', help: 'next tab (on the tab row)' },

  { context: 'dialog', keys: ['Enter', 'Space'], action: 'dialogChoose', help: 'take the focused choice (Tab moves between them; the letter on a button takes it)' },
  { context: 'dialog', keys: ['Escape'], action: 'dialogCancel', help: 'cancel (a save conflict needs an answer)' },
];

/**
 * Overlays that keep every key pressed inside them (none reaches the fragment list, where `d` on
 * a focused button would delete a fragment; `↓` in the prompt preview would cycle the fragment
 * behind it instead of scrolling), except the explore actions listed. Overlays not listed (the
 * rewrite prompt: a one-line input, which keeps its keys anyway) let the others go on.
 */
export const KEEPS_KEYS: Partial<Readonly<Record<KeyContext, readonly ContextActions['explore'][]>>> = {
  library: ['openLibrary', 'newDocument', 'saveDocument', 'saveDocumentCopy', 'exportDocument', 'importDocument', 'toggleHelp', 'quit'],
  rename: [],
  notes: ['quit'],
  preview: ['quit'],
  models: ['quit'],
  proxy: ['quit', 'toggleAbout'],
  dialog: [],
};

/** Per context, key name → binding; built once from KEYMAP (the first binding wins). */
const INDEX: ReadonlyMap<KeyContext, ReadonlyMap<string, Binding>> = (() => {
  const byContext = new Map<KeyContext, Map<string, Binding>>();
  for (const b of KEYMAP) {
    let m = byContext.get(b.context);
    if (!m) byContext.set(b.context, (m = new Map()));
    for (const k of b.keys) if (!m.has(k)) m.set(k, b);
  }
  return byContext;
})();

export function resolveKey<C extends KeyContext>(context: C, key: string | null): BindingIn<C> | undefined {
  // INDEX files every binding under its own context.
  return key === null ? undefined : (INDEX.get(context)?.get(key) as BindingIn<C> | undefined);
}

/** Keys bound more than once within one context (the table must have none). */
export function duplicateBindings(table: readonly Binding[]): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const b of table) {
    for (const k of b.keys) {
      const id = `${b.context}:${k}`;
      if (seen.has(id)) dupes.push(id);
      seen.add(id);
    }
  }
  return dupes;
}

/** The help overlay's section of each context, in the order it shows them. */
export const CONTEXT_TITLES: Readonly<Record<KeyContext, string>> = {
  explore: 'Explore',
  text: 'Editing a fragment',
  search: 'Search box',
  token: 'Token mode (t)',
  instruction: 'Rewrite instruction (r)',
  notes: 'Story notes (n)',
  preview: 'Prompt preview (P)',
  models: 'Model panel (m)',
  library: 'Document library (Ctrl+O)',
  rename: 'Renaming a document (r in the library)',
  proxy: 'Proxy panel (Ctrl+P)',
  dialog: 'Dialogs (export format, save conflict)',
};

/** The rows the help overlay shows where `caps` are the surface's capabilities (no Ctrl+Q in a browser). */
export function visibleBindings(caps: Readonly<Record<Capability, boolean>>, table: readonly Binding[] = KEYMAP): Binding[] {
  return table.filter((b) => b.needs === undefined || caps[b.needs]);
}
