// Takes build/screenshots/status.png: llproxy's /status page in Debian's Chromium, with llproxy
// (build/bin/llproxy) scanning fake LLM servers on 127.0.0.1: replicas, a tag, a request in
// flight, a busy server whose models are kept, an error and a closed port. Loopback only.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.mjs';
import { fakeLLM, freePort, startLLProxy } from './llproxy-harness.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.env.OUT || join(repo, 'build', 'screenshots', 'status.png');

const llama = await fakeLLM({ ids: ['/srv/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf'], hold: true });
const vllmA = await fakeLLM({ ids: ['mistralai/Mistral-Small-24B-Instruct-2501'] });
const vllmB = await fakeLLM({ ids: ['mistralai/Mistral-Small-24B-Instruct-2501'] });
const kobold = await fakeLLM({ ids: ['koboldcpp/Llama-3.1-8B-Instruct'] });
const broken = await fakeLLM({ status: 500 });
const fakes = [llama, vllmA, vllmB, kobold, broken];
const closed = await freePort();
const one = (label, f, extra = {}) => ({ label, hostname: '127.0.0.1', port_start: f.port, port_end: f.port, ...extra });
const proxy = await startLLProxy({
  interval: 30_000,
  endpoints: [
    one('llama.cpp', llama, { tags: ['gpu'] }),
    one('vLLM box a', vllmA),
    one('vLLM box b', vllmB),
    one('koboldcpp', kobold, { tags: ['lab'] }),
    one('ollama', broken),
    one('LM Studio', { port: closed }),
  ],
});
try {
  for (let i = 0; i < 200; i++) {
    const list = await (await fetch(`${proxy.url}/v1/models`)).text();
    if (list.includes('Llama-3.1-8B-Instruct:lab')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // koboldcpp turns busy (503): its model stays for one more run.
  kobold.setStatus(503);
  await fetch(`${proxy.url}/status/rescan`, { method: 'POST', redirect: 'manual' });
  // One request in flight to the llama.cpp server, held open while the page is taken.
  const inFlight = new AbortController();
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model: 'Qwen2.5-7B-Instruct-Q4_K_M:gpu', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    signal: inFlight.signal,
  }).catch(() => {});
  for (let i = 0; i < 100; i++) {
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    if (/llproxy_backend_in_flight_requests\{[^}]*\} 1/.test(metrics)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const browser = await launchBrowser({ viewport: { width: 1180, height: 760 } });
  try {
    await browser.page.goto(`${proxy.url}/status`);
    await browser.page.getByRole('table', { name: 'Models' }).waitFor();
    await browser.page.screenshot({ path: out });
  } finally {
    await browser.close();
  }
  inFlight.abort();
  console.log(`${out} written`);
} finally {
  await proxy.stop();
  await Promise.all(fakes.map((f) => f.close()));
}
