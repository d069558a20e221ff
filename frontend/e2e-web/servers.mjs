// The real llproxy binary (build/bin/llproxy, `make llproxy`), serving the production build and
// the HTTP API, with its own config, data folder and free port; a fake LLM server behind it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, llproxyBinary } from '../scripts/llproxy-harness.mjs';

/**
 * @typedef {object} Proxy
 * @property {string} url
 * @property {string} dir the temporary folder (config, data)
 * @property {() => string} log output so far (for failure messages)
 * @property {() => Promise<void>} restart starts it again with the same config and data (after kill9)
 * @property {() => Promise<void>} kill9 SIGKILL: no shutdown, no flush
 * @property {() => Promise<void>} close
 */

/**
 * Starts llproxy (with `--data`, so its documents live in a folder of the test's own) on a free
 * loopback port, scanning only the fake LLM's port. Unlike scripts/llproxy-harness.mjs it can be
 * killed with SIGKILL and started again on the same port and data.
 */
/** @returns {Promise<Proxy>} */
export async function startProxy(llmPort, { host = '127.0.0.1' } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'fragmenteditor-web-'));
  const port = await freePort();
  const config = join(dir, 'llproxy.json');
  await writeFile(config, JSON.stringify({ port, host, interval: 1000, endpoints: [{ hostname: '127.0.0.1', port_start: llmPort, port_end: llmPort }] }));
  const url = `http://${host}:${port}`;
  /** @type {import('node:child_process').ChildProcess | null} */
  let proc = null;
  let out = '';

  const start = async () => {
    const p = spawn(llproxyBinary(), ['--config', config, '--data', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'share') } });
    proc = p;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const exited = new Promise((_, fail) => p.once('exit', (code, sig) => fail(new Error(`llproxy exited (${code ?? sig}) before serving:\n${out}`))));
    // Ready when the page's API answers (the session), not merely the port.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await Promise.race([
        fetch(`${url}/api/session`).then((r) => r.ok, () => false),
        exited,
      ]);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`llproxy did not serve ${url}/api/session within 60 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const stop = async (signal) => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await gone;
  };

  await start();
  return {
    url,
    dir,
    log: () => out,
    restart: start,
    kill9: () => stop('SIGKILL'),
    close: async () => {
      await stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
