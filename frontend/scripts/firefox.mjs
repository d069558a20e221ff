// Launches Debian's Firefox ESR (never a downloaded browser) headless through puppeteer-core over
// WebDriver BiDi, with a fresh profile. Downloads go to `downloadDir` without asking.
import puppeteer from 'puppeteer-core';

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/**
 * Resolves to { browser, page, close() }.
 * @param {{ viewport?: { width: number, height: number }, downloadDir?: string, prefs?: Record<string, unknown> }} [options]
 */
export async function launchFirefox({ viewport = { width: 1280, height: 800 }, downloadDir = undefined, prefs = {} } = {}) {
  const downloads = downloadDir
    ? {
        'browser.download.dir': downloadDir,
        'browser.download.folderList': 2,
        'browser.download.useDownloadDir': true,
        'browser.download.always_ask_before_handling_new_types': false,
        'browser.download.alwaysOpenPanel': false,
        'browser.download.manager.showWhenStarting': false,
        'browser.helperApps.neverAsk.saveToDisk': 'text/plain,text/markdown,application/json,application/octet-stream',
      }
    : {};
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: viewport,
    extraPrefsFirefox: { 'ui.systemUsesDarkTheme': 0, 'layout.css.prefers-color-scheme.content-override': 1, ...downloads, ...prefs },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  return { browser, page, close: () => browser.close() };
}
