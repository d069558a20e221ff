// One small driver over the two automation libraries, so the same flow runs in Debian's Chromium
// (playwright-core, CDP) and Debian's Firefox ESR (puppeteer-core, WebDriver BiDi).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileChooser, Page as PwPage } from 'playwright-core';
import type { Browser as PpBrowser, Page as PpPage } from 'puppeteer-core';
import { launchBrowser } from '../scripts/browser.mjs';
import { launchFirefox } from '../scripts/firefox.mjs';

export interface Download {
  name: string;
  content: string;
}

export interface Tab {
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  /** A key or a combination: 'Enter', ' ', 'Control+o', 'Control+Shift+s'. */
  press(key: string): Promise<void>;
  type(text: string): Promise<void>;
  /** Runs `fn(arg)` in the page. */
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  /** Waits until `fn(arg)` is truthy in the page; `what` names it in the timeout error. */
  waitFor<A = undefined>(what: string, fn: (arg: A) => unknown, arg?: A, timeoutMs?: number): Promise<void>;
  /** Clicks the element matching the CSS selector (a real mouse click). */
  click(selector: string): Promise<void>;
  /** Runs `action`, which opens the browser's file picker, and picks the file at `path` in it. */
  upload(action: () => Promise<void>, path: string): Promise<void>;
  /** Runs `action` and returns the file it made the browser download. */
  download(action: () => Promise<void>): Promise<Download>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface Driver {
  readonly name: 'chromium' | 'firefox';
  /** The first tab (open at launch). */
  readonly tab: Tab;
  newTab(): Promise<Tab>;
  close(): Promise<void>;
}

const TIMEOUT = 60_000;

// ---- Chromium through playwright-core ----

export async function chromiumDriver(): Promise<Driver> {
  const b = await launchBrowser();
  const wrap = (page: PwPage): Tab => {
    page.setDefaultTimeout(TIMEOUT);
    // File choosers are intercepted from the tab's start: playwright turns interception on when
    // the first listener comes, without waiting for the browser, so a listener added together
    // with the key that opens the picker could come after the picker (under load it did, and the
    // picker opened unintercepted).
    let picked: ((c: FileChooser) => void) | null = null;
    page.on('filechooser', (c) => {
      const take = picked;
      picked = null;
      take?.(c);
    });
    return {
      goto: async (url) => void (await page.goto(url)),
      reload: async () => void (await page.reload()),
      press: (key) => page.keyboard.press(key === ' ' ? 'Space' : key),
      type: (text) => page.keyboard.type(text),
      evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
      waitFor: async (what, fn, arg, timeoutMs = TIMEOUT) => {
        await page.waitForFunction(fn as never, arg, { timeout: timeoutMs }).catch((e: Error) => {
          throw new Error(`chromium: timed out waiting for ${what}: ${e.message.split('\n')[0]}`);
        });
      },
      click: (selector) => page.click(selector),
      upload: async (action, path) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const chooser = new Promise<FileChooser>((resolve, reject) => {
          picked = resolve;
          timer = setTimeout(() => reject(new Error(`chromium: no file picker within ${TIMEOUT} ms`)), TIMEOUT);
        });
        try {
          await action();
          await (await chooser).setFiles(path);
        } finally {
          clearTimeout(timer);
          picked = null;
        }
      },
      download: async (action) => {
        const [dl] = await Promise.all([page.waitForEvent('download'), action()]);
        const path = await dl.path();
        return { name: dl.suggestedFilename(), content: await readFile(path, 'utf8') };
      },
      screenshot: async (path) => void (await page.screenshot({ path })),
      close: () => page.close(),
    };
  };
  return {
    name: 'chromium',
    tab: wrap(b.page),
    newTab: async () => wrap(await b.context.newPage()),
    close: b.close,
  };
}

// ---- Firefox ESR through puppeteer-core (WebDriver BiDi) ----

export async function firefoxDriver(): Promise<Driver> {
  const downloadDir = await mkdtemp(join(tmpdir(), 'fragmenteditor-firefox-dl-'));
  const b: { browser: PpBrowser; page: PpPage; close: () => Promise<void> } = await launchFirefox({ downloadDir });
  const wrap = (page: PpPage): Tab => {
    page.setDefaultTimeout(TIMEOUT);
    return {
      goto: async (url) => void (await page.goto(url)),
      reload: async () => void (await page.reload()),
      press: async (combo) => {
        const keys = combo === ' ' || combo === '+' ? [combo] : combo.split('+');
        const key = keys.pop()!;
        for (const m of keys) await page.keyboard.down(m as never);
        await page.keyboard.press(key as never);
        for (const m of keys.reverse()) await page.keyboard.up(m as never);
      },
      type: (text) => page.keyboard.type(text),
      evaluate: (fn, arg) => page.evaluate(fn as never, arg) as never,
      waitFor: async (what, fn, arg, timeoutMs = TIMEOUT) => {
        await page.waitForFunction(fn as never, { timeout: timeoutMs, polling: 50 }, arg).catch((e: Error) => {
          throw new Error(`firefox: timed out waiting for ${what}: ${e.message.split('\n')[0]}`);
        });
      },
      click: (selector) => page.click(selector),
      upload: async (action, path) => {
        const [chooser] = await Promise.all([page.waitForFileChooser(), action()]);
        await chooser.accept([path]);
      },
      download: async (action) => {
        for (const f of await readdir(downloadDir)) await rm(join(downloadDir, f), { force: true });
        await action();
        // Firefox writes NAME.part, then renames it to NAME.
        const deadline = Date.now() + TIMEOUT;
        for (;;) {
          const files = (await readdir(downloadDir)).filter((f) => !f.endsWith('.part'));
          const parts = (await readdir(downloadDir)).filter((f) => f.endsWith('.part'));
          if (files.length > 0 && parts.length === 0) return { name: files[0]!, content: await readFile(join(downloadDir, files[0]!), 'utf8') };
          if (Date.now() > deadline) throw new Error(`firefox: no download arrived in ${downloadDir}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      screenshot: async (path) => void (await page.screenshot({ path: path as `${string}.png` })),
      close: () => page.close(),
    };
  };
  return {
    name: 'firefox',
    tab: wrap(b.page),
    newTab: async () => wrap(await b.browser.newPage()),
    close: async () => {
      await b.close();
      await rm(downloadDir, { recursive: true, force: true });
    },
  };
}
