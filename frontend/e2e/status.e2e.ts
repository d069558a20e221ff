// The /status page in Debian's Chromium, served by the real llproxy binary scanning fake LLM
// servers on loopback: log in with a key, read the models and endpoints, press Rescan.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../scripts/browser.mjs';
import { fakeLLM, freePort, startLLProxy } from '../scripts/llproxy-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ARTIFACTS = join(here, '..', 'e2e-artifacts');
const KEY = 'e2e-status-key-7781';

type Fake = Awaited<ReturnType<typeof fakeLLM>>;
let fakes: Fake[] = [];
let gpu: Fake;
let proxy: Awaited<ReturnType<typeof startLLProxy>>;
let browser: { page: Page; close: () => Promise<void> };
let page: Page;
const scriptErrors: string[] = [];

beforeAll(async () => {
  gpu = await fakeLLM({ ids: ['/models/qwen2.5-7b-instruct-q4_k_m.gguf'] });
  const replicaA = await fakeLLM({ ids: ['mistral-7b-instruct-v0.3'] });
  const replicaB = await fakeLLM({ ids: ['mistral-7b-instruct-v0.3'] });
  const loading = await fakeLLM({ status: 500 });
  fakes = [gpu, replicaA, replicaB, loading];
  const closed = await freePort();
  const one = (label: string, f: { port: number }, extra = {}) => ({
    label,
    hostname: '127.0.0.1',
    port_start: f.port,
    port_end: f.port,
    ...extra,
  });
  proxy = await startLLProxy({
    interval: 600_000,
    api_keys: [KEY],
    endpoints: [
      one('llama.cpp', gpu, { tags: ['gpu'] }),
      one('vLLM a', replicaA),
      one('vLLM b', replicaB),
      one('loading box', loading),
      one('switched off', { port: closed }),
    ],
  });
  browser = await launchBrowser({ extraArgs: ['--host-resolver-rules=MAP evil.example 127.0.0.1'] });
  page = browser.page;
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => scriptErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The login page answers 401 on purpose; Chromium reports that status as a console error.
    // So does the 421 of the rebinding test.
    if (m.type() === 'error' && !/status of 40[1]|status of 421/.test(m.text())) scriptErrors.push(`console: ${m.text()}`);
  });
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await Promise.all(fakes.map((f) => f.close()));
});

const models = () => page.getByRole('table', { name: 'Models' });
const endpoints = () => page.getByRole('table', { name: /Endpoints/ });

describe('/status in Chromium', () => {
  it('asks for the key, keeps it in an HttpOnly cookie, then lists models and endpoints', async () => {
    await page.goto(`${proxy.url}/status`);
    await page.getByLabel('Access key').fill('not-the-key');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('That key is not accepted here.');

    await page.getByLabel('Access key').fill(KEY);
    await page.getByRole('button', { name: 'Log in' }).click();
    await models().waitFor();
    expect(new URL(page.url()).pathname).toBe('/status');
    const cookies = await page.context().cookies(proxy.url);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies[0]!.value).not.toContain(KEY);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    const modelRows = await models().locator('tbody tr').allTextContents();
    expect(modelRows).toHaveLength(2);
    const qwen = modelRows.find((r) => r.includes('qwen2.5-7b-instruct-q4_k_m:gpu'))!;
    expect(qwen).toContain(`127.0.0.1:${gpu.port}`);
    expect(qwen).toContain('direct');
    expect(qwen).toContain('gpu');
    const mistral = modelRows.find((r) => r.includes('mistral-7b-instruct-v0.3'))!;
    expect(mistral).toContain(`127.0.0.1:${fakes[1]!.port}`);
    expect(mistral).toContain(`127.0.0.1:${fakes[2]!.port}`);

    const endpointRows = await endpoints().locator('tbody tr').allTextContents();
    expect(endpointRows).toHaveLength(5);
    expect(endpointRows[0]).toContain('answered 1 of 1');
    expect(endpointRows[3]).toMatch(/loading box[\s\S]*500/);
    expect(endpointRows[4]).toContain('1 refused');
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('5');
    await page.screenshot({ path: join(ARTIFACTS, 'status.png'), fullPage: true });
  });

  it('Rescan runs discovery at once and shows what it found', async () => {
    const lastRun = await page.locator('#last-run time').getAttribute('datetime');
    gpu.setModels(['/models/qwen2.5-7b-instruct-q4_k_m.gguf', 'llama-3.1-8b-instruct']);
    await Promise.all([page.waitForURL(`${proxy.url}/status`), page.getByRole('button', { name: 'Rescan' }).click()]);
    await models().getByText('llama-3.1-8b-instruct:gpu').waitFor();
    expect(await page.locator('#last-run time').getAttribute('datetime')).not.toBe(lastRun);
  });

  it('a name that rebinds to this machine gets 421, not the page (DNS rebinding)', async () => {
    // Chromium resolves evil.example to 127.0.0.1, as a rebinding attacker's DNS would.
    const resp = await page.goto(`http://evil.example:${proxy.port}/status`);
    expect(resp?.status()).toBe(421);
    expect(await page.textContent('body')).toContain('misdirected_request');
    expect(await page.textContent('body')).not.toContain('qwen');
  });

  it('ran without script errors', () => {
    expect(scriptErrors).toEqual([]);
  });
});
