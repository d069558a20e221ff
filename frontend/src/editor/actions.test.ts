// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { type AssistActions, digitOf, type EditorEffects, type KeyPress, type Overlay, overlayKeyDown, runAction } from './actions';
import { type ContextActions, type KeyContext, resolveKey } from './keymap';
import { parseList, showList } from './notation';
import { startEdit } from './commands';
import { setDraftText } from './draft';
import type { EditorState } from './types';

/** A recording EditorEffects: every effect is logged as a line; state and overlay are real. */
function fake(state: EditorState, opts: { overlay?: Overlay; nativeClipboard?: boolean; clipboard?: string; textSelection?: [number, number] } = {}) {
  const log: string[] = [];
  const box = { state, overlay: opts.overlay ?? null };
  const rec =
    (name: string) =>
    (...args: unknown[]) => {
      log.push(args.length ? `${name}(${args.map((a) => JSON.stringify(a)).join(', ')})` : name);
    };
  const assist = new Proxy({} as AssistActions, { get: (_, name) => rec(`assist.${String(name)}`) });
  const fx: EditorEffects = {
    state: () => box.state,
    apply: (fn) => {
      box.state = fn(box.state);
    },
    overlay: () => box.overlay,
    setOverlay: (o) => {
      box.overlay = typeof o === 'function' ? o(box.overlay) : o;
      log.push(`overlay=${box.overlay}`);
    },
    focusList: rec('focusList'),
    textSelection: () => opts.textSelection ?? null,
    setCaret: rec('setCaret'),
    capabilities: () => ({ quit: true, nativeFiles: true, keepServing: true, nativeClipboard: opts.nativeClipboard ?? false }),
    copyText: rec('copyText'),
    readClipboard: async () => opts.clipboard ?? null,
    resetSearch: rec('resetSearch'),
    searchNext: rec('searchNext'),
    stepFont: rec('stepFont'),
    quit: rec('quit'),
    documents: rec('documents'),
    assist,
  };
  return { fx, log, box };
}

const keyPress = (key: string, code = ''): KeyPress & { prevented: boolean } => {
  const k = {
    key,
    code,
    target: null,
    prevented: false,
    preventDefault: () => {
      k.prevented = true;
    },
  };
  return k;
};

/** Runs the action bound to `key` in `context` (the key must be bound). */
function pressIn(context: 'explore' | 'text' | 'search' | 'token', fx: EditorEffects, key: string, press = keyPress(key)) {
  const b = resolveKey(context, key);
  if (!b) throw new Error(`${key} is not bound in ${context}`);
  return runAction(b, fx, press);
}

describe('editor actions: what each key decides', () => {
  it.each<[string, 'explore' | 'text' | 'search' | 'token', string, Overlay, string[], Overlay]>([
    // action, context, key, overlay before, effects, overlay after
    ['toggleHelp opens', 'explore', '?', null, ['overlay=help'], 'help'],
    ['toggleHelp closes', 'explore', '?', 'help', ['overlay=null'], null],
    ['toggleHelp replaces another overlay', 'explore', '?', 'about', ['overlay=help'], 'help'],
    ['toggleProxy', 'explore', 'Ctrl+P', null, ['overlay=proxy'], 'proxy'],
    ['toggleAbout', 'explore', 'Ctrl+Shift+A', 'about', ['overlay=null'], null],
    ['openSearch starts a new search', 'explore', '/', null, ['resetSearch', 'overlay=search'], 'search'],
    ['escape with nothing open cancels generations', 'explore', 'Escape', null, ['assist.escape', 'overlay=null', 'focusList'], null],
    ['escape closes an overlay only', 'explore', 'Escape', 'help', ['overlay=null', 'focusList'], null],
    ['closeSearch', 'search', 'Escape', 'search', ['overlay=null', 'focusList'], null],
    ['searchNext', 'search', 'Enter', 'search', ['searchNext'], 'search'],
    ['fontLarger', 'explore', 'Ctrl+=', null, ['stepFont(1)'], null],
    ['fontSmaller', 'explore', 'Ctrl+-', null, ['stepFont(-1)'], null],
    ['quit', 'explore', 'Ctrl+Q', null, ['quit'], null],
    ['documents: new', 'explore', 'Ctrl+N', null, ['documents("newDocument")'], null],
    ['documents: library', 'explore', 'Ctrl+O', null, ['documents("openLibrary")'], null],
    ['documents: import', 'explore', 'Ctrl+I', null, ['documents("importDocument")'], null],
    ['suggest', 'explore', 'Tab', null, ['assist.suggestAt'], null],
    ['suggest closes the overlay first', 'explore', 'Tab', 'help', ['overlay=null', 'assist.suggestAt'], null],
    ['a digit picks and asks again', 'explore', '3', null, ['assist.pick(3, true)'], null],
    ['Ctrl+digit picks quietly', 'explore', 'Ctrl+0', null, ['assist.pick(0, false)'], null],
    ['a digit does nothing over an overlay', 'explore', '3', 'help', [], 'help'],
    ['altNext', 'explore', 'ArrowDown', null, ['assist.cycle(1)'], null],
    ['altPrev', 'explore', 'ArrowUp', null, ['assist.cycle(-1)'], null],
    ['rewrite on a fragment', 'explore', 'r', null, ['assist.refreshInstructions', 'overlay=rewrite'], 'rewrite'],
    ['attribution', 'explore', 'a', null, ['assist.toggleAttribution'], null],
    ['heatmap', 'explore', 'p', null, ['assist.toggleHeatmap'], null],
    ['token mode', 'explore', 't', 'help', ['overlay=null', 'assist.enterTokenMode'], null],
    ['story notes', 'explore', 'n', null, ['overlay=notes', 'assist.refreshModels'], 'notes'],
    ['prompt preview', 'explore', 'P', null, ['overlay=preview', 'assist.loadPreview'], 'preview'],
    ['model panel opens', 'explore', 'm', null, ['assist.refreshModels', 'overlay=models'], 'models'],
    ['model panel closes', 'explore', 'm', 'models', ['overlay=null', 'focusList'], null],
    ['token: next', 'token', 'ArrowRight', null, ['assist.tokenMove(1)'], null],
    ['token: previous candidate', 'token', 'ArrowUp', null, ['assist.tokenChoose(-1)'], null],
    ['token: regenerate', 'token', 'Enter', null, ['assist.tokenRegenerate'], null],
    ['token: leave', 'token', 'Escape', null, ['assist.leaveTokenMode'], null],
  ])('%s', (_name, context, key, before, effects, after) => {
    const { fx, log, box } = fake(parseList(['[A. ]', '<new>']), { overlay: before });
    expect(pressIn(context, fx, key, keyPress(key, /^(Ctrl\+)?[0-9]$/.test(key) ? `Digit${key.at(-1)}` : ''))).toBe(true);
    expect(log).toEqual(effects);
    expect(box.overlay).toBe(after);
  });

  it('rewrite on <new> does nothing', () => {
    const { fx, log } = fake(parseList(['A. ', '[<new>]']));
    pressIn('explore', fx, 'r');
    expect(log).toEqual([]);
  });

  it('Ctrl+C copies the selected text; on <new> nothing', () => {
    const a = fake(parseList(['[A. ]', '<new>']));
    pressIn('explore', a.fx, 'Ctrl+C');
    expect(a.log).toEqual(['copyText("A. ")']);
    const b = fake(parseList(['A. ', '[<new>]']));
    pressIn('explore', b.fx, 'Ctrl+C');
    expect(b.log).toEqual([]);
  });

  it('Ctrl+V reads the system clipboard where there is one, else leaves the key to the paste event', async () => {
    const browser = fake(parseList(['[A. ]', '<new>']));
    const k1 = keyPress('v');
    pressIn('explore', browser.fx, 'Ctrl+V', k1);
    expect(k1.prevented).toBe(false);
    const desktop = fake(parseList(['[A. ]', '<new>']), { nativeClipboard: true, clipboard: 'One. Two.' });
    const k2 = keyPress('v');
    pressIn('explore', desktop.fx, 'Ctrl+V', k2);
    expect(k2.prevented).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(showList(desktop.box.state)).toEqual(['A. ', 'One. ', '[Two.]', '<new>']);
  });

  it('pure explore actions change only the state', () => {
    const { fx, log, box } = fake(parseList(['[A. ]', 'B. ', '<new>']));
    for (const key of ['ArrowRight', 'Ctrl+ArrowLeft', 'x', 'End', 'v']) pressIn('explore', fx, key);
    expect(showList(box.state)).toEqual(['A. ', '[B. ]', '<new>']);
    expect(log).toEqual([]);
  });

  it('Enter and Escape in the textarea give the list the focus before the state changes', () => {
    for (const key of ['Enter', 'Escape']) {
      const { fx, log, box } = fake(setDraftText(startEdit(parseList(['[A. ]', '<new>'])), 'A! '));
      const apply = fx.apply;
      fx.apply = (fn) => {
        log.push('apply');
        apply(fn);
      };
      pressIn('text', fx, key);
      expect(log).toEqual(['focusList', 'apply']);
      expect(box.state.mode).toBe('explore');
    }
  });

  it('Ctrl+Enter inserts a newline at the caret and puts the caret after it', () => {
    const { fx, log, box } = fake(setDraftText(startEdit(parseList(['[A. ]', '<new>'])), 'One two'), { textSelection: [3, 4] });
    pressIn('text', fx, 'Ctrl+Enter');
    expect(box.state.draft?.text).toBe('One\ntwo');
    expect(log).toEqual(['setCaret(4)']);
  });

  it('draft undo puts the caret at the end of what changed', () => {
    let s = startEdit(parseList(['[A. ]', '<new>']));
    s = setDraftText(s, 'A. More');
    const { fx, log, box } = fake(s);
    pressIn('text', fx, 'Ctrl+Z');
    expect(box.state.draft?.text).toBe('A. ');
    expect(log).toEqual(['setCaret(3)']);
  });
});

describe('digitOf', () => {
  it.each([
    [{ key: '7', code: 'Digit7' }, 7],
    [{ key: '0', code: 'Digit0' }, 0],
    [{ key: 'é', code: 'Digit2' }, 2], // AZERTY: the digit row without Shift
    [{ key: 'x', code: 'KeyX' }, -1],
  ])('%j → %i', (k, d) => expect(digitOf(k)).toBe(d));
});

describe('overlayKeyDown', () => {
  const ev = (key: string, mods: { ctrlKey?: boolean; shiftKey?: boolean } = {}, target: EventTarget | null = null) => {
    const e = {
      key,
      code: '',
      target,
      nativeEvent: { key, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods },
      prevented: false,
      stopped: false,
      preventDefault: () => void (e.prevented = true),
      stopPropagation: () => void (e.stopped = true),
    };
    return e;
  };
  const closer = () => {
    const log: string[] = [];
    return { log, ctx: { close: () => log.push('close') } };
  };

  it('runs the overlay key and keeps it there', () => {
    const { log, ctx } = closer();
    const e = ev('Escape');
    overlayKeyDown('notes', ctx, e);
    expect(log).toEqual(['close']);
    expect([e.prevented, e.stopped]).toEqual([true, true]);
  });

  it('keeps Tab inside the overlay: from the last button to the first, Shift+Tab from the first to the last', () => {
    document.body.innerHTML =
      '<button id="behind">behind</button><div id="panel" tabindex="-1"><button id="a">a</button><button id="off" disabled>x</button>' +
      '<span hidden><button>hidden</button></span><input id="b"><button id="c">c</button>' +
      '<details><summary id="s">more</summary><button>folded</button></details></div>';
    const panel = document.getElementById('panel')!;
    const focus = (id: string) => document.getElementById(id)!.focus();
    const press = (id: string, shift: boolean) => {
      focus(id);
      const e = Object.assign(ev('Tab', { shiftKey: shift }), { currentTarget: panel });
      overlayKeyDown('proxy', { close: () => {}, body: null }, e);
      return [document.activeElement?.id, e.prevented];
    };
    // The last focusable element is the folded details' summary (not the button inside it).
    expect(press('s', false)).toEqual(['a', true]);
    expect(press('a', true)).toEqual(['s', true]);
    expect(press('panel', true)).toEqual(['s', true]);
    // Inside, the browser's own order moves the focus: the key is not taken.
    expect(press('a', false)).toEqual(['a', false]);
    expect(press('c', false)).toEqual(['c', false]);
    expect(press('c', true)).toEqual(['c', false]);
    document.body.innerHTML = '';
  });

  it('lets other keys go on from an overlay that does not keep them', () => {
    const log: string[] = [];
    const ctx = { submit: () => log.push('submit'), cancel: () => log.push('cancel'), step: () => log.push('step') };
    const e = ev('d');
    overlayKeyDown('instruction', ctx, e);
    expect(log).toEqual([]);
    expect([e.prevented, e.stopped]).toEqual([false, false]);
  });

  it('the story notes and the prompt preview keep their keys, except Ctrl+Q', () => {
    for (const context of ['notes', 'preview'] as const) {
      const { log, ctx } = closer();
      const d = ev('d');
      overlayKeyDown(context, ctx, d);
      const quit = ev('Q', { ctrlKey: true });
      overlayKeyDown(context, ctx, quit);
      expect(log).toEqual([]);
      expect([d.stopped, quit.stopped]).toEqual([true, false]);
    }
  });

  it('an overlay that keeps its keys lets only the listed explore actions through', () => {
    const acts: ContextActions['library'][] = [];
    const lib = { act: (a: ContextActions['library']) => acts.push(a) };
    const cases: [string, { ctrlKey?: boolean; shiftKey?: boolean }, boolean][] = [
      ['x', {}, true], // cut: stays in the library
      ['Q', { ctrlKey: true }, false], // quit goes through
      ['O', { ctrlKey: true }, false], // Ctrl+O closes the library
      ['P', { ctrlKey: true }, true], // the proxy panel does not open over it
    ];
    for (const [key, mods, stopped] of cases) {
      const e = ev(key, mods);
      overlayKeyDown('library', lib, e);
      expect(e.stopped, key).toBe(stopped);
      expect(e.prevented).toBe(false);
    }
    const e = ev('ArrowDown');
    overlayKeyDown('library', lib, e);
    expect(acts).toEqual(['libraryNext']);
  });

  it('every context can be dispatched', () => {
    const contexts: KeyContext[] = ['instruction', 'notes', 'preview', 'library'];
    for (const c of contexts) expect(resolveKey(c, 'Escape')).toBeDefined();
  });
});

describe('proxy panel actions', () => {
  const panel = (tab: 'models' | 'config', configSavable = true, withBody = true) => {
    const log: string[] = [];
    const body = {
      tab,
      configSavable,
      rescan: () => log.push('rescan'),
      saveConfig: () => log.push('save'),
      stepTab: (dir: 1 | -1) => log.push(`tab ${dir}`),
    };
    return { log, ctx: { close: () => log.push('close'), body: withBody ? body : null } };
  };
  const at = (html: string): EventTarget => {
    const host = document.createElement('div');
    host.innerHTML = html;
    return host.firstElementChild!;
  };
  const run = (ctx: ReturnType<typeof panel>['ctx'], key: string, target: EventTarget | null = null) => {
    const b = resolveKey('proxy', key);
    if (!b) throw new Error(`${key} is not bound in proxy`);
    return runAction(b, ctx, { key, code: '', target, preventDefault: () => {} });
  };

  it.each<[string, string, EventTarget | null, ReturnType<typeof panel>, boolean, string[]]>([
    ['Escape closes', 'Escape', null, panel('models'), true, ['close']],
    ['Ctrl+P closes', 'Ctrl+P', null, panel('models'), true, ['close']],
    ['Escape closes the panel without a server', 'Escape', null, panel('models', true, false), true, ['close']],
    ['R rescans', 'R', null, panel('models'), true, ['rescan']],
    ['r in a text field is a letter', 'r', at('<textarea></textarea>'), panel('config'), false, []],
    ['r without a server does nothing', 'r', null, panel('models', true, false), false, []],
    ['Ctrl+S saves in the Config tab', 'Ctrl+S', null, panel('config'), true, ['save']],
    ['Ctrl+S with nothing to save is still the panel’s', 'Ctrl+S', null, panel('config', false), true, []],
    ['Ctrl+S elsewhere is not the panel’s', 'Ctrl+S', null, panel('models'), false, []],
    ['→ on a tab', 'ArrowRight', at('<button role="tab"></button>'), panel('models'), true, ['tab 1']],
    ['← on a tab', 'ArrowLeft', at('<button role="tab"></button>'), panel('models'), true, ['tab -1']],
    ['← in the config text moves the caret', 'ArrowLeft', at('<textarea></textarea>'), panel('config'), false, []],
  ])('%s', (_name, key, target, p, applied, effects) => {
    expect(run(p.ctx, key, target)).toBe(applied);
    expect(p.log).toEqual(effects);
  });
});

describe('dialogs', () => {
  it('Escape cancels a dialog that can wait, and is not the dialog\'s where it needs an answer', () => {
    const log: string[] = [];
    const esc = resolveKey('dialog', 'Escape')!;
    const press = { key: 'Escape', code: '', target: null, preventDefault: () => {} };
    expect(runAction(esc, { choose: () => log.push('choose'), cancel: () => log.push('cancel') }, press)).toBe(true);
    expect(runAction(esc, { choose: () => log.push('choose'), cancel: null }, press)).toBe(false);
    expect(runAction(resolveKey('dialog', 'Space')!, { choose: () => log.push('choose'), cancel: null }, press)).toBe(true);
    expect(log).toEqual(['cancel', 'choose']);
  });
});

describe('model panel and rename box', () => {
  it('Escape closes the model panel; other keys stay in it except Ctrl+Q', () => {
    const log: string[] = [];
    const ctx = { close: () => log.push('close') };
    const key = (k: string, ctrlKey = false) => ({
      key: k,
      code: '',
      target: null,
      nativeEvent: { key: k, ctrlKey, altKey: false, shiftKey: false, metaKey: false },
      stopped: false,
      preventDefault: () => {},
      stopPropagation() {
        this.stopped = true;
      },
    });
    const esc = key('Escape');
    overlayKeyDown('models', ctx, esc);
    const d = key('d');
    overlayKeyDown('models', ctx, d);
    const tab = key('Tab');
    overlayKeyDown('models', ctx, tab);
    const quit = key('q', true);
    overlayKeyDown('models', ctx, quit);
    expect(log).toEqual(['close']);
    expect([esc.stopped, d.stopped, tab.stopped, quit.stopped]).toEqual([true, true, true, false]);
  });

  it('Enter and Escape finish a rename; nothing else leaves the box', () => {
    const log: string[] = [];
    const ctx = { commit: () => log.push('commit'), cancel: () => log.push('cancel') };
    for (const k of ['Enter', 'Escape']) {
      const b = resolveKey('rename', k);
      expect(b && runAction(b, ctx, { key: k, code: '', target: null, preventDefault: () => {} })).toBe(true);
    }
    expect(log).toEqual(['commit', 'cancel']);
    expect(resolveKey('rename', 'Ctrl+Q')).toBeUndefined();
  });
});
