// Launches Debian's Chromium (never a downloaded browser) with a fresh profile, headless.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Resolves to { context, page, close() }; `extraArgs` are appended to the standard flags.
 * @param {{ extraArgs?: string[], viewport?: { width: number, height: number }, colorScheme?: 'light' | 'dark' | 'no-preference' }} [options]
 */
export async function launchBrowser({ extraArgs = [], viewport = { width: 1280, height: 800 }, colorScheme = 'light' } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'fragmenteditor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport,
    colorScheme,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
