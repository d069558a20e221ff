// @vitest-environment jsdom
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as bridge from '../bridge';
import { bridgeMock, DESKTOP } from '../bridge/mock';
import { CONTEXT_TITLES, KEYMAP, keyLabel, SECTION_BREAK } from '../editor';
import { parseList } from '../editor/notation';
import { STORAGE_KEY } from '../settings/settings';
import { Editor } from './Editor';
import { countFragmentRenders } from './renderCount';

vi.mock('../bridge', () => import('../bridge/mock'));

beforeEach(() => {
  // A page without a server: browser capabilities, no model features.
  bridgeMock.reset();
});

function setup(list?: string[]) {
  const user = userEvent.setup();
  const utils = render(<Editor initial={list ? parseList(list) : undefined} />);
  return { user, ...utils };
}

const listbox = () => screen.getByRole('listbox', { name: 'Fragments' });
const options = () => within(listbox()).getAllByRole('option');
/** The list in compact notation, read from the DOM: texts, selection in brackets. */
const shown = () =>
  options().map((o) => {
    const text = o.querySelector('textarea') ? `{${(o.querySelector('textarea') as HTMLTextAreaElement).value}}` : o.textContent!;
    return o.getAttribute('aria-selected') === 'true' ? `[${text}]` : text;
  });
const mode = () => document.querySelector('[data-mode]')!.getAttribute('data-mode');

describe('accessible structure and starting state', () => {
  it('starts in explore mode with only <new>, selected', () => {
    setup();
    expect(mode()).toBe('explore');
    const [only, ...rest] = options();
    expect(rest).toEqual([]);
    expect(only).toHaveTextContent(/^<new>$/);
    expect(only).toHaveAttribute('data-virtual', 'new');
    expect(only).toHaveAttribute('aria-selected', 'true');
  });

  it("renders each fragment as an option whose text content is exactly the fragment's text", () => {
    setup(['One.\n', '[  Two. ]', '<new>']);
    expect(options().map((o) => o.textContent)).toEqual(['One.\n', '  Two. ', '<new>']);
    expect(shown()).toEqual(['One.\n', '[  Two. ]', '<new>']);
  });
});

describe('the specification flows', () => {
  it('Space on <new>, type, Enter creates a fragment and selects the next <new>', async () => {
    const { user } = setup();
    await user.keyboard(' ');
    expect(mode()).toBe('edit');
    const ta = screen.getByRole('textbox');
    expect(ta.tagName).toBe('TEXTAREA');
    expect(ta).toHaveFocus();
    expect(ta).toHaveValue('');
    await user.keyboard('Hello there. {Enter}');
    expect(mode()).toBe('explore');
    expect(shown()).toEqual(['Hello there. ', '[<new>]']);
  });

  it('i inserts right of the selection; Enter saves and stays on it', async () => {
    const { user } = setup(['[A. ]', 'C. ', '<new>']);
    await user.keyboard('i');
    expect(mode()).toBe('insert');
    expect(shown()).toEqual(['A. ', '[{}]', 'C. ', '<new>']);
    await user.keyboard('B. {Enter}');
    expect(shown()).toEqual(['A. ', '[B. ]', 'C. ', '<new>']);
  });

  it('Escape in insert mode removes the inserted fragment', async () => {
    const { user } = setup(['[A. ]', '<new>']);
    await user.keyboard('iabc{Escape}');
    expect(mode()).toBe('explore');
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });

  it('Escape in edit mode discards the changes', async () => {
    const { user } = setup(['[A. ]', '<new>']);
    await user.keyboard(' more{Escape}');
    expect(shown()).toEqual(['[A. ]', '<new>']);
  });

  it('Left/Right move the selection without wrapping', async () => {
    const { user } = setup(['[A. ]', 'B. ', '<new>']);
    await user.keyboard('{ArrowLeft}');
    expect(shown()).toEqual(['[A. ]', 'B. ', '<new>']);
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(shown()).toEqual(['A. ', 'B. ', '[<new>]']);
  });

  it('Ctrl+Enter inserts a newline at the caret; the option renders it', async () => {
    const { user } = setup();
    await user.keyboard(' Line one.{Control>}{Enter}{/Control}Line two.');
    expect(screen.getByRole('textbox')).toHaveValue('Line one.\nLine two.');
    await user.keyboard('{Enter}');
    expect(options()[0]!.textContent).toBe('Line one.\nLine two.');
  });

  it('typing in the textarea never triggers explore commands', async () => {
    const { user } = setup(['[A. ]', 'B. ', '<new>']);
    await user.keyboard(' dxvbu/?i {Home}{End}{Delete}{Enter}');
    expect(shown()).toEqual(['[A. dxvbu/?i ]', 'B. ', '<new>']);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Ctrl+Z inside the textarea undoes the draft, not the document', async () => {
    const { user } = setup(['[A.]', '<new>']);
    await user.keyboard('  one two{Control>}z{/Control}');
    expect(screen.getByRole('textbox')).toHaveValue('A. one');
    await user.keyboard('{Control>}{Shift>}z{/Shift}{/Control}');
    expect(screen.getByRole('textbox')).toHaveValue('A. one two');
    await user.keyboard('{Enter}');
    expect(shown()).toEqual(['[A. one two]', '<new>']);
  });
});

describe('beyond the spec', () => {
  it('d, Delete, Ctrl+arrows, Home/End', async () => {
    const { user } = setup(['[A. ]', 'B. ', 'C. ', 'D. ', '<new>']);
    await user.keyboard('{Control>}{ArrowRight}{ArrowRight}{/Control}');
    expect(shown()).toEqual(['B. ', 'C. ', '[A. ]', 'D. ', '<new>']);
    await user.keyboard('d');
    expect(shown()).toEqual(['B. ', 'C. ', '[D. ]', '<new>']);
    await user.keyboard('{Home}{Delete}');
    expect(shown()).toEqual(['[C. ]', 'D. ', '<new>']);
    await user.keyboard('{End}d');
    expect(shown()).toEqual(['C. ', 'D. ', '[<new>]']);
  });

  it('x cuts into the clipboard overlay and v pastes the first item', async () => {
    const { user } = setup(['[A. ]', 'B. ', 'C. ', '<new>']);
    expect(screen.queryByRole('region', { name: 'Fragment clipboard' })).toBeNull();
    await user.keyboard('xx');
    const clip = screen.getByRole('region', { name: 'Fragment clipboard' });
    expect(within(clip).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['A.', 'B.']);
    await user.keyboard('{End}v');
    expect(shown()).toEqual(['C. ', '[A. ]', '<new>']);
    await user.keyboard('v');
    expect(shown()).toEqual(['C. ', 'A. ', '[B. ]', '<new>']);
    expect(screen.queryByRole('region', { name: 'Fragment clipboard' })).toBeNull();
  });

  it('b inserts a section break', async () => {
    const { user } = setup(['[A. ]', '<new>']);
    await user.keyboard('b');
    expect(shown()).toEqual(['A. ', `[${SECTION_BREAK}]`, '<new>']);
  });

  it('undo and redo cover edits made in edit and insert mode', async () => {
    const { user } = setup(['[A. ]', '<new>']);
    await user.keyboard('iB. {Enter} X{Enter}');
    expect(shown()).toEqual(['A. ', '[B. X]', '<new>']);
    await user.keyboard('u');
    expect(shown()).toEqual(['A. ', '[B. ]', '<new>']);
    await user.keyboard('{Control>}z{/Control}');
    expect(shown()).toEqual(['[A. ]', '<new>']);
    await user.keyboard('{Control>}y{/Control}{Control>}{Shift>}Z{/Shift}{/Control}');
    expect(shown()).toEqual(['A. ', '[B. X]', '<new>']);
  });

  it('click selects and double-click edits', async () => {
    const { user } = setup(['[A. ]', 'B. ', '<new>']);
    await user.click(screen.getByText('B.', { exact: false }));
    expect(shown()).toEqual(['A. ', '[B. ]', '<new>']);
    await user.dblClick(screen.getByText('A.', { exact: false }));
    expect(mode()).toBe('edit');
    expect(shown()).toEqual(['[{A. }]', 'B. ', '<new>']);
  });

  it('a click elsewhere while editing saves the draft, then selects', async () => {
    const { user } = setup(['[A. ]', 'B. ', '<new>']);
    await user.keyboard(' x');
    await user.click(screen.getByText('<new>'));
    expect(mode()).toBe('explore');
    expect(shown()).toEqual(['A. x', 'B. ', '[<new>]']);
  });

  it('? shows help generated from the keymap table, a section per place the keys work; ? and Escape close it', async () => {
    bridgeMock.set({ capabilities: DESKTOP });
    const { user } = setup();
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Help' });
    for (const b of KEYMAP) {
      const section = within(help).getByRole('region', { name: CONTEXT_TITLES[b.context] });
      expect(within(section).getAllByText(b.help).length, b.action).toBeGreaterThan(0);
      for (const k of b.keys) expect(within(section).getAllByText(keyLabel(k), { selector: 'kbd' }).length).toBeGreaterThan(0);
    }
    const proxy = within(help).getByRole('region', { name: 'Proxy panel (Ctrl+P)' });
    expect(proxy).toHaveTextContent('Rrescan the hosts for models now');
    expect(proxy).toHaveTextContent('Other keys stay here; these still work: Ctrl+Shift+A about FragmentEditor (version, licenses), Ctrl+Q quit.');
    await user.keyboard('?');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.keyboard('?{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('in a browser the help leaves out what only the desktop app can do (Ctrl+Q)', async () => {
    const { user } = setup();
    await user.keyboard('?');
    const help = screen.getByRole('dialog', { name: 'Help' });
    expect(within(help).queryByText('Ctrl+Q', { selector: 'kbd' })).toBeNull();
    expect(within(help).getAllByText('Ctrl+O', { selector: 'kbd' }).length).toBeGreaterThan(0);
    expect(within(help).getByRole('region', { name: 'Model panel (m)' })).toHaveTextContent('Other keys stay here.');
  });

  it('/ searches: Enter jumps from match to match, wrapping; the box keeps its keys; Escape closes', async () => {
    const { user } = setup(['[A cat. ]', 'Dogs. ', 'Cats! ', 'Bird. ', '<new>']);
    await user.keyboard('/');
    const box = screen.getByRole('searchbox', { name: 'Search the document' });
    expect(box).toHaveFocus();
    await user.keyboard('cat');
    expect(screen.getByRole('status')).toHaveTextContent('2 found');
    await user.keyboard('{Enter}');
    expect(shown()[0]).toBe('[A cat. ]');
    await user.keyboard('{Enter}');
    expect(shown()[2]).toBe('[Cats! ]');
    expect(screen.getByRole('status')).toHaveTextContent('2 of 2');
    await user.keyboard('{Enter}');
    expect(shown()[0]).toBe('[A cat. ]');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(shown()).toEqual(['[A cat. ]', 'Dogs. ', 'Cats! ', 'Bird. ', '<new>']);
  });

  it('status bar shows mode, fragment count, words and characters', async () => {
    const { user } = setup(['Two words. ', '[One.]', '<new>']);
    expect(screen.getByTestId('status-mode')).toHaveTextContent('explore');
    expect(screen.getByTestId('status-fragments')).toHaveTextContent('2 fragments');
    expect(screen.getByTestId('status-words')).toHaveTextContent('3 words');
    expect(screen.getByTestId('status-chars')).toHaveTextContent('15 characters');
    await user.keyboard(' ');
    expect(screen.getByTestId('status-mode')).toHaveTextContent('edit');
  });

  it('on opening, the first frame shows the document before its words are counted; the counts follow', async () => {
    const container = document.body.appendChild(document.createElement('div'));
    const root = createRoot(container);
    try {
      // The first commit alone, as the browser paints it (no act: the deferred render waits).
      flushSync(() => root.render(<Editor initial={parseList(['Two words. ', '[One.]', '<new>'])} />));
      expect(within(container).getByTestId('status-fragments')).toHaveTextContent('2 fragments');
      expect(within(container).getByTestId('status-words')).toHaveTextContent('… words');
      expect(within(container).getByTestId('status-chars')).toHaveTextContent('… characters');
      await waitFor(() => expect(within(container).getByTestId('status-words')).toHaveTextContent('3 words'));
      expect(within(container).getByTestId('status-chars')).toHaveTextContent('15 characters');
    } finally {
      act(() => root.unmount());
      container.remove();
    }
  });

  it('Ctrl+C copies the selected text; Ctrl+Q quits through the bridge', async () => {
    const { user } = setup(['[Copy me. ]', '<new>']);
    await user.keyboard('{Control>}c{/Control}');
    expect(bridge.clipboardSetText).toHaveBeenCalledWith('Copy me. ');
    await user.keyboard('{Control>}q{/Control}');
    expect(bridge.quit).toHaveBeenCalledTimes(1);
  });

  it('the copy event carries the selected text (browser fallback)', () => {
    setup(['[Copy me. ]', '<new>']);
    const data = new Map<string, string>();
    const ev = new Event('copy', { bubbles: true, cancelable: true }) as ClipboardEvent;
    Object.defineProperty(ev, 'clipboardData', { value: { setData: (t: string, v: string) => data.set(t, v) } });
    act(() => void listbox().dispatchEvent(ev));
    expect(data.get('text/plain')).toBe('Copy me. ');
    expect(ev.defaultPrevented).toBe(true);
  });

  it('pasting outside text inserts it as sentence fragments right of the selection', () => {
    setup(['[A. ]', 'Z.', '<new>']);
    fireEvent.paste(listbox(), { clipboardData: { getData: () => 'One. Two? Three.' } });
    expect(shown()).toEqual(['A. ', 'One. ', 'Two? ', '[Three.]', 'Z.', '<new>']);
  });

  it('in the desktop shell Ctrl+V reads the clipboard through the bridge', async () => {
    bridgeMock.set({ capabilities: DESKTOP });
    vi.mocked(bridge.clipboardGetText).mockResolvedValueOnce('Native. Text.');
    const { user } = setup(['[<new>]']);
    await user.keyboard('{Control>}v{/Control}');
    expect(shown()).toEqual(['Native. ', '[Text.]', '<new>']);
  });

  it('modifier combinations that mean something else are ignored', async () => {
    const { user } = setup(['[A. ]', 'B. ', '<new>']);
    await user.keyboard('{Alt>}i{/Alt}{Shift>}{ArrowRight}{/Shift}{Control>}d{/Control}{Alt>}{ArrowRight}{/Alt}');
    expect(mode()).toBe('explore');
    expect(shown()).toEqual(['[A. ]', 'B. ', '<new>']);
  });

  it('font size keys and the theme button persist their settings', async () => {
    const { user } = setup();
    await user.keyboard('{Control>}={/Control}');
    expect(screen.getByTestId('status-font-size')).toHaveTextContent('21px');
    await user.click(screen.getByRole('button', { name: 'Theme: system' }));
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).toEqual({ theme: 'light', fontSize: 21 });
    expect(listbox()).toHaveFocus();
  });

  it('settings come back from storage', () => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: 'dark', fontSize: 15 }));
    setup();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(screen.getByTestId('status-font-size')).toHaveTextContent('15px');
  });
});

describe('rendering cost', () => {
  it('a selection change re-renders only the two fragments whose selection flips', async () => {
    await countFragmentRenders(async (renders) => {
      const list = Array.from({ length: 50 }, (_, i) => `S${i}. `);
      list[10] = `[${list[10]}]`;
      const { user } = setup([...list, '<new>']);
      renders.clear();
      await user.keyboard('{ArrowRight}');
      expect([...renders.keys()].sort()).toEqual(['f11', 'f12']);
    });
  });

});
