// The editor in two real browsers against the real llproxy binary (build/bin/llproxy, serving the
// production build and the HTTP API) with a fake LLM server behind it: the flow of issue 11 in
// Debian's Chromium (playwright-core) and Debian's Firefox ESR (puppeteer-core over WebDriver
// BiDi). Everything is read through the editor's ARIA contract (listbox "Fragments", options
// with exact text), as the desktop tests do.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumDriver, type Driver, firefoxDriver, type Tab } from './drivers';
import { startFakeLLM } from './fake-llm.mjs';
import { type Proxy, startProxy } from './servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(here, '..', 'e2e-artifacts');
const REPLIES = [' The rain came back.', ' Nobody answered the door.', ' A dog barked twice.'];
/** The fake model's pace: a word every TOKEN_MS. */
const TOKEN_MS = 80;

/** The list in compact notation: `[selected]`, `{textarea}`. */
const shown = (t: Tab) =>
  t.evaluate(() =>
    [...document.querySelectorAll('[role="listbox"][aria-label="Fragments"] [role="option"]')].map((o) => {
      const ta = o.querySelector('textarea');
      const text = ta ? `{${ta.value}}` : (o.textContent ?? '');
      return o.getAttribute('aria-selected') === 'true' ? `[${text}]` : text;
    }),
  );

/** The document's fragments as they show (no <new>, textareas as their text). */
const fragments = async (t: Tab) => (await shown(t)).map((s) => s.replace(/^\[(.*)\]$/s, '$1')).filter((s) => s !== '<new>');

const waitShown = (t: Tab, want: string[]) =>
  t.waitFor(
    `the list ${JSON.stringify(want)}`,
    (w: string[]) => {
      const got = [...document.querySelectorAll('[role="listbox"][aria-label="Fragments"] [role="option"]')].map((o) => {
        const ta = o.querySelector('textarea');
        const text = ta ? `{${ta.value}}` : (o.textContent ?? '');
        return o.getAttribute('aria-selected') === 'true' ? `[${text}]` : text;
      });
      return JSON.stringify(got) === JSON.stringify(w);
    },
    want,
  );

const ready = (t: Tab) => t.waitFor('the fragment list', () => document.querySelector('[role="listbox"][aria-label="Fragments"]') !== null);
/** Go said the document is saved (the documents:saved event, over SSE in a browser). */
const saved = (t: Tab) => t.waitFor('"saved"', () => document.querySelector('[data-testid="doc-status"]')?.getAttribute('data-state') === 'saved');

async function write(t: Tab, texts: string[]) {
  for (const text of texts) {
    await t.press('i');
    await t.type(text);
    await t.press('Enter');
  }
}

/** Every document file under the data folder, by id (read from disk, not through the server). */
async function documentsOnDisk(dir: string): Promise<Map<string, { name: string; text: string }>> {
  const out = new Map<string, { name: string; text: string }>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!/trash|history/i.test(e.name)) await walk(p);
      } else if (e.name.endsWith('.json')) {
        try {
          const doc = JSON.parse(await readFile(p, 'utf8')) as { id?: string; name?: string; fragments?: { text: string }[]; draft?: { text: string } | null };
          if (doc.id && Array.isArray(doc.fragments)) out.set(doc.id, { name: doc.name ?? '', text: doc.fragments.map((f) => f.text).join('') + (doc.draft ? `{${doc.draft.text}}` : '') });
        } catch {
          // not a document
        }
      }
    }
  };
  await walk(join(dir, 'data'));
  return out;
}

/** Polls `cond` (a check outside the page) until it holds; fails after `timeoutMs` naming `what`. */
async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([
  ['chromium', chromiumDriver],
  ['firefox', firefoxDriver],
] as const)('the editor served by llproxy, in %s', (name, launch) => {
  let llm: Awaited<ReturnType<typeof startFakeLLM>>;
  let proxy: Proxy;
  let driver: Driver;
  let tab: Tab;
  let exported = '';

  beforeAll(async () => {
    llm = await startFakeLLM({ replies: REPLIES, tokenMs: TOKEN_MS });
    proxy = await startProxy(llm.port);
    driver = await launch();
    tab = driver.tab;
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await tab?.screenshot(join(ARTIFACTS, `web-${name}-last.png`)).catch(() => {});
    await driver?.close();
    await proxy?.close();
    await llm?.close();
  });

  it('1. types three fragments; Go saves them', async () => {
    await tab.goto(proxy.url);
    await ready(tab);
    expect(await shown(tab)).toEqual(['[<new>]']);
    await write(tab, ['It was late. ', 'The rain had stopped. ', 'She opened the door.']);
    await waitShown(tab, ['It was late. ', 'The rain had stopped. ', '[She opened the door.]', '<new>']);
    await saved(tab);
    // No desktop-only leftovers: saving works, nothing says "desktop app".
    expect(await tab.evaluate(() => document.body.textContent ?? '')).not.toMatch(/desktop app|no server/i);
  });

  it('2. Tab streams suggestions from the model; 1 inserts one', async () => {
    // Record every text suggestion 1 shows, from the page's own mutations.
    await tab.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      new MutationObserver(() => {
        const el = document.querySelector('[role="dialog"][aria-label="Suggestions"] .suggestion[data-number="1"] .suggestion-text');
        const text = el?.textContent ?? '';
        if (text && text !== '…' && w.seen.at(-1) !== text) w.seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await tab.press('Tab');
    await tab.waitFor('suggestion 1 to finish', () => document.querySelector('.suggestion[data-number="1"]')?.getAttribute('data-state') === 'done');
    const seen = await tab.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const final = seen.at(-1)!;
    expect(REPLIES.map((r) => r.trim())).toContain(final.trim());
    // It streamed: the text grew word by word before it was done.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true);
    await tab.press('1');
    const texts = await fragments(tab);
    expect(texts.slice(0, 3)).toEqual(['It was late. ', 'The rain had stopped. ', 'She opened the door.']);
    expect(texts[3]!.trim()).toBe(final.trim());
    expect((await shown(tab))[3]).toMatch(/^\[/); // the inserted one is selected
    expect(await tab.evaluate(() => document.querySelector('[role="option"][aria-selected="true"]')?.getAttribute('data-source'))).toBe('model');
    // 1 asked again; Escape cancels that round.
    await tab.press('Escape');
    await tab.waitFor('the grid to close', () => document.querySelector('[role="dialog"][aria-label="Suggestions"]') === null);
    expect(llm.requests.length).toBeGreaterThanOrEqual(1);
  });

  it('3. reload: the document and the open draft are back', async () => {
    const before = await fragments(tab);
    await tab.press('End');
    await tab.press(' ');
    await tab.type('Half a sentence');
    await tab.waitFor('the draft to be saved', () => {
      const s = document.querySelector('[data-testid="doc-status"]')?.getAttribute('data-state');
      return s === 'saved' && document.querySelector('textarea')?.value === 'Half a sentence';
    });
    await tab.reload();
    await ready(tab);
    await waitShown(tab, [...before, '[{Half a sentence}]']);
    expect(await tab.evaluate(() => document.querySelector('[data-mode]')?.getAttribute('data-mode'))).toBe('edit');
    expect(await tab.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await tab.type('.');
    await tab.press('Enter');
    await waitShown(tab, [...before, 'Half a sentence.', '[<new>]']);
    await saved(tab);
  });

  it('4. the library makes a second document', async () => {
    await tab.press('Control+o');
    await tab.waitFor('the library', () => document.querySelectorAll('[role="dialog"][aria-label="Document library"] [role="listbox"] [role="option"]').length === 1);
    await tab.press('n');
    await tab.waitFor('the library to close', () => document.querySelector('[role="dialog"][aria-label="Document library"]') === null);
    await waitShown(tab, ['[<new>]']);
    await write(tab, ['Second document. ', 'With two sentences.']);
    await saved(tab);
    await tab.press('Control+o');
    await tab.waitFor('two documents', () => document.querySelectorAll('[role="dialog"][aria-label="Document library"] [role="listbox"] [role="option"]').length === 2);
    await tab.press('Escape');
    await tab.waitFor('the library to close', () => document.querySelector('[role="dialog"][aria-label="Document library"]') === null);
  });

  it('5. exports .txt as a download and imports it back as an upload', async () => {
    await tab.press('Control+e');
    await tab.waitFor('the export dialog', () => document.querySelector('[role="dialog"][aria-label="Export"]') !== null);
    const file = await tab.download(() => tab.press('t'));
    expect(file.name).toMatch(/\.txt$/);
    expect(file.content).toBe('Second document. With two sentences.');
    exported = join(proxy.dir, `exported-${name}.txt`);
    await writeFile(exported, file.content);

    await tab.upload(() => tab.press('Control+i'), exported);
    await tab.waitFor('the imported document', () => document.querySelector('[role="status"]')?.textContent === 'Imported');
    expect(await fragments(tab)).toEqual(['Second document. ', 'With two sentences.']);
    await tab.press('Control+o');
    await tab.waitFor('three documents', () => document.querySelectorAll('[role="dialog"][aria-label="Document library"] [role="listbox"] [role="option"]').length === 3);
    await tab.press('Escape');
  });

  it('6. kill -9 and a restart lose nothing typed more than a second before', async () => {
    await write(tab, ['Typed before the crash. ']);
    await saved(tab);
    // The promise: what was saved before the crash is on disk (read from the file, not the server).
    await until('the saved text on disk', async () => [...(await documentsOnDisk(proxy.dir)).values()].some((d) => d.text.endsWith('Typed before the crash. ')));
    await proxy.kill9();
    // Typing goes on while the server is gone; the page says it is not saved.
    await write(tab, ['Typed while it was down. ']);
    await tab.waitFor('NOT SAVED', () => document.querySelector('[data-testid="doc-status"]')?.getAttribute('data-state') === 'error');
    await proxy.restart();
    // The page reconnects by itself, hands over what it kept and says "saved" (the hand-over can
    // get through before the event stream is back: the page then asks, see useDocuments).
    await saved(tab);
    await tab.reload();
    await ready(tab);
    await waitShown(tab, ['Second document. ', 'With two sentences.', 'Typed before the crash. ', '[Typed while it was down. ]', '<new>']);
  });

  it('7. two tabs on one document: the stale save is refused and nothing is lost', async () => {
    const other = await driver.newTab();
    try {
      await other.goto(proxy.url);
      await ready(other);
      const start = ['Second document. ', 'With two sentences.', 'Typed before the crash. ', 'Typed while it was down. '];
      expect(await fragments(other)).toEqual(start);
      // The first tab saves a change.
      await write(tab, ['From the first tab. ']);
      await saved(tab);
      // The second tab, still on the version before it, types too: refused, and it says so.
      await write(other, ['From the second tab. ']);
      await other.waitFor('the conflict dialog', () => document.querySelector('[role="alertdialog"][aria-label="Changed in another tab or window"]') !== null);
      expect(await fragments(other)).toEqual([...start, 'From the second tab. ']);
      await other.click('[role="alertdialog"] button[data-choice="0"]'); // Keep my version as a copy
      await other.waitFor('the dialog to go', () => document.querySelector('[role="alertdialog"]') === null);
      await saved(other);
      expect(await fragments(other)).toEqual([...start, 'From the second tab. ']);
      // On disk: the first tab's version untouched, the second tab's as a copy.
      const docs = [...(await documentsOnDisk(proxy.dir)).values()];
      const original = start.join('') + 'From the first tab. ';
      expect(docs.map((d) => d.text)).toContain(original);
      const copy = docs.find((d) => d.name.endsWith('(my version)'));
      expect(copy?.text).toBe(start.join('') + 'From the second tab. ');
    } finally {
      await other.close();
    }
  });

  it('8. two tabs ask for suggestions at once: neither cancels the other', async () => {
    const other = await driver.newTab();
    const texts = (t: Tab) =>
      t.evaluate(() => [...document.querySelectorAll('[role="dialog"][aria-label="Suggestions"] .suggestion')].map((e) => [e.getAttribute('data-state'), e.querySelector('.suggestion-text')?.textContent ?? '']));
    const allDone = (t: Tab) =>
      t.waitFor('every suggestion to finish', () => {
        const slots = [...document.querySelectorAll('[role="dialog"][aria-label="Suggestions"] .suggestion')];
        return slots.length > 0 && slots.every((e) => e.getAttribute('data-state') === 'done' || e.getAttribute('data-state') === 'error');
      });
    try {
      await other.goto(proxy.url);
      await ready(other);
      // The first tab's round is streaming when the second tab asks: slow replies (2 s each), so
      // a busy machine's slow polls still see it streaming.
      llm.pace(500);
      await tab.press('Tab');
      await tab.waitFor('the first tab to stream', () => document.querySelector('[role="dialog"][aria-label="Suggestions"] .suggestion[data-state="streaming"]') !== null);
      await other.press('Tab');
      await allDone(tab);
      await allDone(other);
      // Both rounds ran to the end: every suggestion is a whole reply, none cut short by the other tab.
      const whole = REPLIES.map((r) => r.trim());
      for (const t of [tab, other]) {
        const got = await texts(t);
        expect(got.length).toBeGreaterThan(0);
        for (const [state, text] of got) {
          expect(state).toBe('done');
          expect(whole).toContain((text ?? '').trim());
        }
      }
    } finally {
      llm.pace(TOKEN_MS);
      await other.close();
      await tab.press('Escape');
    }
  });
});
