// @vitest-environment jsdom
// The windowed list. jsdom lays nothing out (every box is 0×0), so the list uses its estimates:
// a 768 px window (window.innerHeight), 33 px lines of 80 characters, one viewport rendered above
// and below the view. The tests check which options exist, not pixels.
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeMock } from '../bridge/mock';
import { createState, type Fragment } from '../editor';
import { Editor } from './Editor';
import { countFragmentRenders } from './renderCount';

vi.mock('../bridge', () => import('../bridge/mock'));

// A page without a server.
beforeEach(() => bridgeMock.reset());

const N = 3000;
/** N one-line paragraphs, `Paragraph i.\n` for i = 1…N, fragments f1…fN. */
const novel = (text = (i: number) => `Paragraph ${i}.\n`): Fragment[] =>
  Array.from({ length: N }, (_, i) => ({ id: `f${i + 1}`, text: text(i + 1), source: { kind: 'typed' as const } }));

function setup(fragments: Fragment[], selection = 0) {
  const user = userEvent.setup();
  render(<Editor initial={createState({ fragments, selection })} />);
  return { user };
}

const listbox = () => screen.getByRole('listbox', { name: 'Fragments' });
const options = () => within(listbox()).getAllByRole('option');
const selected = () => within(listbox()).getByRole('option', { selected: true });
const pos = (o: HTMLElement) => Number(o.getAttribute('aria-posinset'));

/** The rendered options' positions, as runs of consecutive numbers: [[1, 70], [3001, 3001]]. */
function runs(): [number, number][] {
  const out: [number, number][] = [];
  for (const p of options().map(pos)) {
    const last = out.at(-1);
    if (last && last[1] + 1 === p) last[1] = p;
    else out.push([p, p]);
  }
  return out;
}

/** Every rendered option shows exactly its fragment's text and knows the list's length. */
function expectTrueOptions(fragments: readonly Fragment[]) {
  for (const o of options()) {
    expect(o).toHaveAttribute('aria-setsize', String(fragments.length + 1));
    const i = pos(o) - 1;
    if (i === fragments.length) expect(o).toHaveAttribute('data-virtual', 'new');
    else if (!o.querySelector('textarea')) expect(o.textContent).toBe(fragments[i]!.text);
  }
}

// Rendering thousands of options in jsdom is slow on a busy machine: a generous time limit.
describe('the windowed fragment list', { timeout: 30_000 }, () => {
  it('renders only the paragraphs near the view, with their positions in the whole list', () => {
    const doc = novel();
    setup(doc);
    const shown = runs();
    expect(shown[0]![0]).toBe(1);
    // The view (768 px) and one viewport below it: about 47 one-line paragraphs, not 3,000.
    expect(shown[0]![1]).toBeGreaterThan(23);
    expect(shown[0]![1]).toBeLessThan(100);
    // <new> is not near: it is not rendered.
    expect(shown).toHaveLength(1);
    expectTrueOptions(doc);
    expect(listbox()).toHaveAttribute('aria-activedescendant', 'fragment-f1');
  });

  it('End selects <new> far below: it is rendered, with its paragraph; Home goes back', async () => {
    const doc = novel();
    const { user } = setup(doc);
    listbox().focus();
    await user.keyboard('{End}');
    expect(selected()).toHaveAttribute('data-virtual', 'new');
    expect(selected()).toHaveAttribute('aria-posinset', String(N + 1));
    expect(listbox()).toHaveAttribute('aria-activedescendant', 'fragment-new');
    expectTrueOptions(doc);
    await user.keyboard('{Home}');
    expect(selected()).toHaveTextContent(/^Paragraph 1\.$/);
    expect(runs()[0]![0]).toBe(1);
    expectTrueOptions(doc);
  });

  it('scrolling moves the window; the selection stays rendered where it is', () => {
    const doc = novel();
    setup(doc);
    const list = listbox();
    Object.defineProperty(list, 'clientHeight', { value: 768 });
    list.scrollTop = 33 * 2000;
    fireEvent.scroll(list);
    const shown = runs();
    // The selected first paragraph, then the view around paragraph 2,000.
    expect(shown[0]).toEqual([1, 1]);
    expect(shown).toHaveLength(2);
    expect(shown[1]![0]).toBeLessThan(2000);
    expect(shown[1]![1]).toBeGreaterThan(2000);
    expect(shown[1]![1] - shown[1]![0]).toBeLessThan(100);
    expect(selected()).toHaveTextContent(/^Paragraph 1\.$/);
    expectTrueOptions(doc);
  });

  it('search (/) finds a fragment outside the window and selects it, rendered', async () => {
    const doc = novel();
    const { user } = setup(doc);
    listbox().focus();
    expect(screen.queryByText('Paragraph 2718.')).toBeNull();
    await user.keyboard('/');
    await user.keyboard('paragraph 2718.');
    await user.keyboard('{Enter}{Escape}');
    expect(selected()).toHaveTextContent(/^Paragraph 2718\.$/);
    expect(selected()).toHaveAttribute('aria-posinset', '2718');
    expect(listbox()).toHaveAttribute('aria-activedescendant', 'fragment-f2718');
    expectTrueOptions(doc);
  });

  it('a selection far away is edited in place: Space opens the textarea there, Enter saves it', async () => {
    const doc = novel();
    const { user } = setup(doc, 2500);
    listbox().focus();
    expect(selected()).toHaveAttribute('aria-posinset', '2501');
    await user.keyboard(' ');
    const ta = within(listbox()).getByRole('textbox');
    expect(ta.closest('[role="option"]')).toHaveAttribute('aria-posinset', '2501');
    await user.keyboard('{End}!{Enter}');
    expect(selected().textContent).toBe('Paragraph 2501.\n!');
  });

  it('an insert renumbers the rendered options after it', async () => {
    const doc = novel();
    const { user } = setup(doc, 10);
    listbox().focus();
    await user.keyboard('iNew. {Enter}');
    expect(selected().textContent).toBe('New. ');
    expect(selected()).toHaveAttribute('aria-posinset', '12');
    expect(within(listbox()).getByText('Paragraph 12.')).toHaveAttribute('aria-posinset', '13');
    for (const o of options()) expect(o).toHaveAttribute('aria-setsize', String(N + 2));
  });

  it('click and double-click reach options of a far window', async () => {
    const doc = novel();
    const { user } = setup(doc, 2000);
    await user.click(within(listbox()).getByText('Paragraph 2003.'));
    expect(selected()).toHaveTextContent(/^Paragraph 2003\.$/);
    await user.dblClick(within(listbox()).getByText('Paragraph 2004.'));
    expect(within(listbox()).getByRole('textbox')).toHaveValue('Paragraph 2004.\n');
  });

  it('a paragraph of thousands of fragments without a newline is cut into blocks: still a window', async () => {
    const doc = novel((i) => `Sentence ${i}. `).slice(0, 1200);
    const { user } = setup(doc);
    // The first block of 400 fills more than the view and the viewport below it.
    expect(runs()).toEqual([[1, 400]]);
    expectTrueOptions(doc);
    listbox().focus();
    await user.keyboard('{End}');
    // <new> closes the last block: [801, 1201].
    expect(selected()).toHaveAttribute('aria-posinset', '1201');
    expect(runs().at(-1)).toEqual([801, 1201]);
    expect(options().length).toBeLessThan(1201);
    expectTrueOptions(doc);
  });

  it('Right re-renders only the two fragments whose selection flips, at novel length too', async () => {
    await countFragmentRenders(async (renders) => {
      const { user } = setup(novel(), 5);
      listbox().focus();
      renders.clear();
      await user.keyboard('{ArrowRight}');
      expect([...renders.keys()].sort()).toEqual(['f6', 'f7']);
    });
  });
});
