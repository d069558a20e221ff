// The README's Firefox screenshot: llproxy (build/bin/llproxy) serving the editor, a fake LLM
// server behind it, Debian's Firefox ESR headless. Types a short passage, asks for suggestions
// and waits until they have streamed in, then writes $OUT. Run by build/screenshots/firefox.sh.
import { startFakeLLM } from '../e2e-web/fake-llm.mjs';
import { startProxy } from '../e2e-web/servers.mjs';
import { launchFirefox } from './firefox.mjs';

const OUT = process.env.OUT;
if (!OUT) throw new Error('set OUT to the PNG to write');

const llm = await startFakeLLM({
  replies: [' Somewhere below, a door closed.', ' She counted the steps again.', ' The lamp on the landing flickered once.'],
  tokenMs: 30,
});
const proxy = await startProxy(llm.port);
const ff = await launchFirefox({ viewport: { width: 1100, height: 640 } });
try {
  const { page } = ff;
  page.setDefaultTimeout(60_000);
  await page.goto(proxy.url);
  await page.waitForSelector('[role="listbox"][aria-label="Fragments"]');
  for (const t of ['The house had been quiet since noon. ', 'Rain tapped at the skylight. ', 'Mara set down the letter and listened.']) {
    await page.keyboard.press('i');
    await page.keyboard.type(t);
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="doc-status"]')?.getAttribute('data-state') === 'saved');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => {
    const all = [...document.querySelectorAll('.overlay--suggestions .suggestion')];
    return all.length > 0 && all.every((s) => s.getAttribute('data-state') === 'done');
  });
  await page.screenshot({ path: OUT });
} finally {
  await ff.close();
  await proxy.close();
  await llm.close();
}
