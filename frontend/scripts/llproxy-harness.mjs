// Runs the real headless llproxy binary against fake LLM servers, all on loopback, for browser
// tests and screenshots. Nothing here talks to any other address.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The llproxy binary: $LLPROXY_BIN, else build/bin/llproxy (`make llproxy` builds it). */
export function llproxyBinary() {
  const bin = process.env.LLPROXY_BIN || join(repo, 'build', 'bin', 'llproxy');
  if (!existsSync(bin)) throw new Error(`no llproxy binary at ${bin}: run \`make llproxy\` first (or set LLPROXY_BIN)`);
  return bin;
}

/** A free TCP port on host (bound and released). */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/**
 * A fake OpenAI-compatible server: GET /v1/models lists `ids` (change them with setModels);
 * `status` other than 200 makes /v1/models fail with it (change it with setStatus); completions answer
 * one short reply, or with `hold` only when the server closes (a request in flight).
 * @param {{ host?: string, ids?: string[], status?: number, hold?: boolean }} [options]
 */
export async function fakeLLM({ host = '127.0.0.1', ids = /** @type {string[]} */ ([]), status = 200, hold = false } = {}) {
  let models = [...ids];
  const server = createServer((req, res) => {
    if (hold && req.method === 'POST') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': held\n\n');
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      if (status !== 200) {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'model is loading' } }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', owned_by: 'llamacpp' })) }));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const model = (() => {
        try {
          return JSON.parse(body).model;
        } catch {
          return '';
        }
      })();
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise((resolve) => server.listen(0, host, () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    host,
    port,
    /** @param {string[]} next */
    setModels: (next) => (models = [...next]),
    /** @param {number} next */
    setStatus: (next) => (status = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * Starts llproxy with `config` (an object; `port` is filled in when missing) on 127.0.0.1 and waits
 * until it answers /health. Resolves to { url, port, config, stop() }.
 */
export async function startLLProxy(config) {
  const dir = await mkdtemp(join(tmpdir(), 'llproxy-e2e-'));
  const port = config.port ?? (await freePort());
  const full = { host: '127.0.0.1', ...config, port };
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(full, null, 2));
  const child = spawn(llproxyBinary(), ['--config', path, '--data', join(dir, 'data')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c) => (log += c));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llproxy exited with ${child.exitCode}:\n${log}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`llproxy did not answer /health within 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    config: full,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
