// Browser tests: Debian's Chromium driven by playwright-core against the production build in
// dist/, typing the specification's flows and reading the ARIA structure.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser } from '../scripts/browser.mjs';
import { serveStatic } from '../scripts/static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(here, '..', 'e2e-artifacts');

let server: { url: string; close: () => Promise<void> };
let browser: { page: Page; close: () => Promise<void> };
let page: Page;

beforeAll(async () => {
  server = await serveStatic(join(here, '..', 'dist'));
  browser = await launchBrowser();
  page = browser.page;
  // Generous: this 2-CPU machine is often busy with other builds.
  page.setDefaultTimeout(60_000);
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  await page.goto(server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.getByRole('listbox', { name: 'Fragments' }).waitFor();
});

/** The list in compact notation, read through the ARIA structure. */
async function shown(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[role="listbox"][aria-label="Fragments"] [role="option"]')].map((o) => {
      const ta = o.querySelector('textarea');
      const text = ta ? `{${ta.value}}` : (o.textContent ?? '');
      return o.getAttribute('aria-selected') === 'true' ? `[${text}]` : text;
    }),
  );
}

const mode = () => page.locator('[data-mode]').getAttribute('data-mode');
const documentText = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[role="option"]:not([data-virtual])')].map((o) => o.textContent).join(''),
  );

async function writeFragments(texts: string[]) {
  for (const t of texts) {
    await page.keyboard.press('i');
    await page.keyboard.type(t);
    await page.keyboard.press('Enter');
  }
}

describe('the specification in a real browser', () => {
  it('starts in explore mode, empty, with <new> selected', async () => {
    expect(await mode()).toBe('explore');
    expect(await shown()).toEqual(['[<new>]']);
    const opt = page.getByRole('option', { name: '<new>' });
    expect(await opt.getAttribute('data-virtual')).toBe('new');
  });

  it('Space on <new> writes a fragment; Enter creates it and selects the next <new>', async () => {
    await page.keyboard.press('Space');
    expect(await mode()).toBe('edit');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('It was a bright cold day in April. ');
    await page.keyboard.press('Enter');
    expect(await mode()).toBe('explore');
    expect(await shown()).toEqual(['It was a bright cold day in April. ', '[<new>]']);
    // Enter on <new> with nothing typed stays on <new>.
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    expect(await shown()).toEqual(['It was a bright cold day in April. ', '[<new>]']);
  });

  it('i inserts right of the selection; Escape removes the inserted fragment; no wrap-around', async () => {
    await writeFragments(['One. ', 'Three. ']);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('i');
    expect(await mode()).toBe('insert');
    await page.keyboard.type('Two. ');
    await page.keyboard.press('Enter');
    expect(await shown()).toEqual(['One. ', '[Two. ]', 'Three. ', '<new>']);
    await page.keyboard.press('i');
    await page.keyboard.type('discard me');
    await page.keyboard.press('Escape');
    expect(await shown()).toEqual(['One. ', '[Two. ]', 'Three. ', '<new>']);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    expect((await shown())[0]).toBe('[One. ]');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect((await shown()).at(-1)).toBe('[<new>]');
    expect(await documentText()).toBe('One. Two. Three. ');
  });

  it('Space edits, Escape discards, Enter saves; Ctrl+Enter adds a newline that renders', async () => {
    await writeFragments(['Hello. ']);
    await page.keyboard.press('Space');
    await page.keyboard.type('ZZZ');
    await page.keyboard.press('Escape');
    expect(await shown()).toEqual(['[Hello. ]', '<new>']);
    await page.keyboard.press('Space');
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.type('World.');
    await page.keyboard.press('Enter');
    expect(await shown()).toEqual(['[Hello. \nWorld.]', '<new>']);
    const height = await page.getByRole('option').first().evaluate((el) => el.getClientRects().length);
    expect(height).toBeGreaterThanOrEqual(2);
  });

  it('Ctrl+Z inside the textarea undoes typing; u undoes document changes', async () => {
    await page.keyboard.press('Space');
    await page.keyboard.type('alpha beta');
    await page.keyboard.press('Control+z');
    expect(await page.locator('textarea').inputValue()).toBe('alpha');
    await page.keyboard.press('Control+Shift+Z');
    expect(await page.locator('textarea').inputValue()).toBe('alpha beta');
    await page.keyboard.press('Enter');
    await page.keyboard.press('u');
    expect(await shown()).toEqual(['[<new>]']);
    await page.keyboard.press('Control+y');
    expect(await shown()).toEqual(['alpha beta', '[<new>]']);
  });

  it('mouse: click selects, double-click edits', async () => {
    await writeFragments(['First. ', 'Second. ']);
    await page.getByRole('option', { name: 'First.' }).click();
    expect(await shown()).toEqual(['[First. ]', 'Second. ', '<new>']);
    await page.getByRole('option', { name: 'Second.' }).dblclick();
    expect(await mode()).toBe('edit');
    expect(await shown()).toEqual(['First. ', '[{Second. }]', '<new>']);
  });
});

describe('editing power', () => {
  it('x / v / b / d / Ctrl+arrows / Home / End', async () => {
    await writeFragments(['A. ', 'B. ', 'C. ']);
    await page.keyboard.press('Home');
    await page.keyboard.press('x');
    expect(await page.getByRole('region', { name: 'Fragment clipboard' }).isVisible()).toBe(true);
    await page.keyboard.press('End');
    await page.keyboard.press('v');
    expect(await shown()).toEqual(['B. ', 'C. ', '[A. ]', '<new>']);
    await page.keyboard.press('Control+ArrowLeft');
    expect(await shown()).toEqual(['B. ', '[A. ]', 'C. ', '<new>']);
    await page.keyboard.press('b');
    expect(await documentText()).toBe('B. A. \n\n---\n\nC. ');
    await page.keyboard.press('Delete');
    await page.keyboard.press('d');
    expect(await shown()).toEqual(['B. ', 'A. ', '[<new>]']);
  });

  it('Ctrl+C copies the selected fragment; Ctrl+V pastes text as sentence fragments', async () => {
    await writeFragments(['Copy this sentence. ']);
    await page.keyboard.press('Control+c');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('Copy this sentence. ');
    await page.evaluate(() => navigator.clipboard.writeText('First pasted. Second pasted?\n\nThird.'));
    await page.keyboard.press('Control+v');
    await expect.poll(shown).toEqual(['Copy this sentence. ', 'First pasted. ', 'Second pasted?\n\n', '[Third.]', '<new>']);
  });

  it('/ search jumps between matches; typing in the box triggers no command', async () => {
    await writeFragments(['The cat sat. ', 'A dog barked. ', 'Cats purr. ']);
    await page.keyboard.press('Home');
    await page.keyboard.press('/');
    await page.keyboard.type('dxb');
    expect(await shown()).toEqual(['[The cat sat. ]', 'A dog barked. ', 'Cats purr. ', '<new>']);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('cat');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await shown()).toEqual(['The cat sat. ', 'A dog barked. ', '[Cats purr. ]', '<new>']);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog', { name: 'Search' }).count()).toBe(0);
  });

  it('status bar counts; font size and theme persist across reloads', async () => {
    await writeFragments(['Four words in here. ', 'Two more.']);
    const status = page.getByRole('contentinfo', { name: 'Status' });
    await expect.poll(() => status.textContent()).toMatch(/2 fragments.*6 words.*29 characters/);
    await page.keyboard.press('Control+=');
    await page.getByRole('button', { name: 'Theme: system' }).click();
    await page.getByRole('button', { name: 'Theme: light' }).click();
    await page.reload();
    await page.getByRole('listbox').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const size = await page.locator('.fragment-flow').evaluate((el) => getComputedStyle(el).fontSize);
    expect(size).toBe('21px');
  });
});

describe('layout', () => {
  async function listBox() {
    const box = await page.getByRole('listbox', { name: 'Fragments' }).boundingBox();
    if (!box) throw new Error('listbox not rendered');
    return box;
  }

  it('the list fills 95% of the window, and overlays never reflow it', async () => {
    await writeFragments(['Alpha. ', 'Beta. ', 'Gamma. ']);
    const base = await listBox();
    const vp = page.viewportSize()!;
    // The sheet fills 95% of the window; the list (the scroller) lies 3 px inside its rounded
    // corners (styles.css: a scroller clipped to rounded corners is slow in WebKitGTK).
    const sheet = (await page.locator('.fragment-sheet').boundingBox())!;
    expect(sheet.width / vp.width).toBeCloseTo(0.95, 2);
    expect(sheet.height / vp.height).toBeCloseTo(0.95, 2);
    for (const [inner, outer] of [
      [base.x, sheet.x + 3],
      [base.y, sheet.y + 3],
      [base.x + base.width, sheet.x + sheet.width - 3],
      [base.y + base.height, sheet.y + sheet.height - 3],
    ] as const)
      expect(inner).toBeCloseTo(outer, 0);
    expect(await page.locator('.fragment-list').evaluate((el) => getComputedStyle(el).borderRadius)).toBe('0px');
    const statusBox = (await page.getByRole('contentinfo', { name: 'Status' }).boundingBox())!;
    expect(statusBox.y).toBeGreaterThanOrEqual(base.y + base.height - 0.5);

    await page.keyboard.press('?');
    expect(await page.getByRole('dialog', { name: 'Help' }).isVisible()).toBe(true);
    expect(await listBox()).toEqual(base);
    await page.screenshot({ path: join(ARTIFACTS, 'help.png') });
    await page.keyboard.press('Escape');

    await page.keyboard.press('/');
    expect(await page.getByRole('dialog', { name: 'Search' }).isVisible()).toBe(true);
    expect(await listBox()).toEqual(base);
    await page.keyboard.press('Escape');

    await page.keyboard.press('x');
    expect(await page.getByRole('region', { name: 'Fragment clipboard' }).isVisible()).toBe(true);
    expect(await listBox()).toEqual(base);

    await page.keyboard.press('Space');
    expect(await listBox()).toEqual(base);
  });

  it('looks right in both themes (screenshots in e2e-artifacts/)', async () => {
    await page.evaluate((t) => navigator.clipboard.writeText(t), SAMPLE);
    await page.keyboard.press('Control+v');
    await expect.poll(async () => (await shown()).length).toBeGreaterThan(8);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await page.screenshot({ path: join(ARTIFACTS, 'editor-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('x');
    await page.keyboard.press('Space');
    await page.screenshot({ path: join(ARTIFACTS, 'editor-dark.png') });
    const bg = await page.locator('.fragment-list').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(bg).toBe('rgb(27, 29, 33)');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});

describe('a long document', () => {
  it('3,000 pasted sentences: a window of options, each its sentence at its position; Home/End scroll the selection into view', async () => {
    const sentences = Array.from({ length: 3000 }, (_, i) => `Sentence ${i + 1} of a long text.${i % 7 === 6 ? '\n\n' : ' '}`);
    const text = sentences.join('');
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.keyboard.press('Control+v');
    await expect.poll(async () => page.locator('[role="option"]').first().getAttribute('aria-setsize')).toBe('3001');
    /** The rendered options: each shows its sentence, at its position; not all are rendered. */
    const expectWindow = async () => {
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('[role="option"]')].map((o) => [Number(o.getAttribute('aria-posinset')), o.getAttribute('data-virtual') ? null : o.textContent]),
      );
      expect(shown.length).toBeGreaterThan(20);
      expect(shown.length).toBeLessThan(1000);
      for (const [p, t] of shown) if (t !== null) expect(t).toBe(sentences[(p as number) - 1]);
    };
    await expectWindow();
    const list = (await page.getByRole('listbox', { name: 'Fragments' }).boundingBox())!;
    const selectedInView = async () => {
      const r = (await page.locator('[role="option"][aria-selected="true"]').boundingBox())!;
      return r.y >= list.y && r.y + r.height <= list.y + list.height;
    };
    await page.keyboard.press('Home');
    expect(await page.locator('[aria-selected="true"]').textContent()).toBe('Sentence 1 of a long text. ');
    expect(await selectedInView()).toBe(true);
    await page.keyboard.press('End');
    expect(await page.locator('[aria-selected="true"]').getAttribute('data-virtual')).toBe('new');
    expect(await selectedInView()).toBe(true);
    await expectWindow();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await page.keyboard.type(' Edited.');
    await page.keyboard.press('Enter');
    sentences[2999] += ' Edited.';
    expect(await page.locator('[aria-selected="true"]').textContent()).toBe(sentences[2999]);
    expect(await selectedInView()).toBe(true);
    // The middle, by scrolling: the window follows, the text stays in order.
    await page.locator('.fragment-list').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    const middleShowsText = () => page.evaluate(() => !!document.elementFromPoint(innerWidth / 2, innerHeight / 2)?.closest('.paragraph'));
    await expect.poll(middleShowsText).toBe(true);
    await expectWindow();
  });
});

const SAMPLE = `Chapter One

The rain had not stopped for three days. Maren stood at the window and counted the boats that came back into the harbour; there were fewer every evening. "They will come," her father said, without looking up from the nets.

She did not answer. Somewhere below, a dog barked at the gulls, and the gulls laughed back.

---

By morning the sea had turned the colour of slate. The first boat rounded the point just after six.`;
