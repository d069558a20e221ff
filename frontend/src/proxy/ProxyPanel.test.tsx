// @vitest-environment jsdom
import { act, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as bridge from '../bridge';
import { bridgeMock } from '../bridge/mock';
import { Editor } from '../components/Editor';
import { parseList } from '../editor/notation';
import type { LogEntry, ProxyEvent, ProxyStatus } from './api';
import { LOG_POLL_MS } from './ProxyPanel';
import { forgetUnsavedConfig } from './useProxy';

vi.mock('../bridge', () => import('../bridge/mock'));

const CONFIG = `{
  "port": 3333,
  "endpoints": [
    { "hostname": "127.0.0.1", "port_start": 8080, "port_end": 8090, "label": "llama.cpp", "tags": ["gpu"] }
  ]
}
`;

function baseStatus(): ProxyStatus {
  return {
    running: true,
    listenAddr: '127.0.0.1:3333',
    baseUrl: 'http://127.0.0.1:3333/v1',
    instance: 'box-1a2b',
    version: '1.4.0',
    configPath: '/home/ada/.config/fragmenteditor/llproxy.json',
    models: [
      {
        name: 'qwen2.5-7b-instruct:gpu',
        id: '/models/qwen2.5-7b-instruct.gguf',
        tags: ['gpu'],
        replicas: ['127.0.0.1:8080', '127.0.0.1:8081'],
        raw: { id: '/models/qwen2.5-7b-instruct.gguf', object: 'model', owned_by: 'llamacpp', meta: { n_ctx_train: 32768 } },
      },
    ],
    discovery: {
      Started: new Date(Date.now() - 4000).toISOString(),
      Duration: 183_000_000,
      Models: 1,
      Added: ['qwen2.5-7b-instruct:gpu'],
      Removed: null,
      Endpoints: [
        { Index: 0, Label: 'llama.cpp', Target: '127.0.0.1:8080-8090', Probed: 11, Answered: 2, Refused: 9, Kept: 0, Models: 1, Errors: null, Skipped: false },
        { Index: 1, Label: '', Target: '10.1.2.3:5000', Probed: 1, Answered: 0, Refused: 0, Kept: 0, Models: 0, Errors: ['10.1.2.3:5000: timeout after 2s'], Skipped: false },
      ],
    },
  };
}

const LOGS: LogEntry[] = [
  { seq: 1, time: '2026-11-27T10:00:00.100Z', level: 'INFO', message: 'listening', attrs: [{ key: 'addr', value: '127.0.0.1:3333' }] },
  { seq: 2, time: '2026-11-27T10:00:00.300Z', level: 'WARN', message: 'probe failed', attrs: [{ key: 'target', value: '10.1.2.3:5000' }] },
  { seq: 3, time: '2026-11-27T10:00:01.000Z', level: 'ERROR', message: 'upstream error', attrs: [{ key: 'req.model', value: 'qwen' }] },
];

/** The Go side's state for one test. */
let status: ProxyStatus;
let configText: string;
let settings: { keep_serving: boolean; serve_editor?: boolean };
const calls = {
  save: vi.fn<(text: string) => void>(),
  rescan: vi.fn(),
  setSettings: vi.fn<(s: { keep_serving: boolean; serve_editor?: boolean }) => void>(),
  validate: vi.fn<(text: string) => void>(),
};

function validate(text: string) {
  calls.validate(text);
  try {
    const v = JSON.parse(text) as { endpoints?: { port_end?: number }[] };
    return (v.endpoints ?? []).flatMap((e, i) =>
      (e.port_end ?? 0) > 65535 ? [{ path: `endpoints[${i}].port_end`, message: `${e.port_end} is not a port` }] : [],
    );
  } catch {
    return [{ path: '', message: 'line 1, column 2: invalid character' }];
  }
}

// A loaded machine can take a while to render; waits poll until this deadline.
configure({ asyncUtilTimeout: 5000 });

beforeEach(() => {
  forgetUnsavedConfig();
  for (const c of Object.values(calls)) c.mockReset();
  status = baseStatus();
  configText = CONFIG;
  settings = { keep_serving: false };
  // The desktop window, model features off.
  bridgeMock.reset({ kind: 'wails', ai: false, go: {} });
  bridgeMock.methods({
    ProxyStatus: () => structuredClone(status),
    ProxyLogs: () => LOGS,
    ProxyConfigText: () => configText,
    ValidateProxyConfig: (text: string) => validate(text),
    SaveProxyConfig: (text: string) => {
      calls.save(text);
      const problems = validate(text);
      if (problems.length) throw new Error(`config ${status.configPath}:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
      configText = text;
    },
    RescanModels: () => calls.rescan(),
    FreePort: () => 45678,
    AppSettings: () => ({ ...settings }),
    SetAppSettings: (s) => {
      calls.setSettings(s);
      settings = s;
    },
    Version: () => 'v1.4.0-3-gabc1234',
    EditorServing: () =>
      settings.serve_editor
        ? { on: true, urls: ['http://192.168.1.20:3333/'], exposed: true, key: 'fe-key', qr: 'data:image/png;base64,iVBORw0KGgo=', note: '' }
        : { on: false, urls: [], exposed: false, key: '', qr: '', note: '' },
  });
});

/** Sends a proxy:event the way the Go side would. */
function emit(e: ProxyEvent) {
  act(() => bridgeMock.emit('proxy:event', e));
}

async function openPanel(list: string[] = ['[A. ]', 'B. ', '<new>']) {
  const user = userEvent.setup();
  render(<Editor initial={parseList(list)} />);
  await user.keyboard('{Control>}p{/Control}');
  const panel = await screen.findByRole('dialog', { name: 'Proxy' });
  await screen.findByText('Serving on 127.0.0.1:3333');
  return { user, panel };
}

const baseUrl = () => screen.getByTestId('proxy-base-url');
const tab = (name: RegExp) => screen.getByRole('tab', { name });

describe('opening and closing', () => {
  it('Ctrl+P opens the panel over the list; Escape closes it and gives the list the focus back', async () => {
    const { user, panel } = await openPanel();
    expect(panel).toHaveFocus();
    expect(baseUrl()).toHaveTextContent('http://127.0.0.1:3333/v1');
    expect(screen.getByTestId('proxy-state')).toHaveTextContent('Serving on 127.0.0.1:3333');
    expect(screen.getByText('version 1.4.0')).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Proxy' })).toBeNull();
    expect(screen.getByRole('listbox', { name: 'Fragments' })).toHaveFocus();
  });

  it('Ctrl+P inside the panel closes it too', async () => {
    const { user } = await openPanel();
    await user.click(tab(/Config/));
    await user.keyboard('{Control>}p{/Control}');
    expect(screen.queryByRole('dialog', { name: 'Proxy' })).toBeNull();
  });

  it('keys inside the panel never reach the document (d does not delete a fragment)', async () => {
    const { user } = await openPanel();
    await user.keyboard('d{ArrowRight}x');
    const options = within(screen.getByRole('listbox', { name: 'Fragments' })).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['A. ', 'B. ', '<new>']);
    expect(options[0]).toHaveAttribute('aria-selected', 'true');
  });

  it('← and → move between the tabs on the tab row only, wrapping, and the focus follows', async () => {
    const { user, panel } = await openPanel();
    await user.keyboard('{ArrowRight}'); // the panel has the focus, not a tab
    expect(panel).toHaveFocus();
    expect(tab(/Models/)).toHaveAttribute('aria-selected', 'true');
    await user.click(tab(/Models/));
    await user.keyboard('{ArrowLeft}');
    expect(tab(/Logs/)).toHaveAttribute('aria-selected', 'true');
    expect(tab(/Logs/)).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(tab(/Endpoints/)).toHaveAttribute('aria-selected', 'true');
    expect(tab(/Endpoints/)).toHaveFocus();
  });

  it('Ctrl+Shift+A opens the About box from inside, as the footer says, and Ctrl+Q quits', async () => {
    const { user } = await openPanel();
    vi.mocked(bridge.quit).mockClear();
    await user.keyboard('{Control>}q{/Control}');
    expect(bridge.quit).toHaveBeenCalledTimes(1);
    await user.keyboard('{Control>}{Shift>}A{/Shift}{/Control}');
    expect(screen.queryByRole('dialog', { name: 'Proxy' })).toBeNull();
    expect(screen.getByTestId('about-version')).toBeInTheDocument();
  });

  it('says it needs the desktop app in a plain browser', async () => {
    bridgeMock.set({ kind: 'none' });
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}p{/Control}');
    expect(screen.getByRole('dialog', { name: 'Proxy' })).toHaveTextContent('The proxy panel needs a server');
    expect(bridge.callApp).not.toHaveBeenCalledWith('ProxyStatus');
  });
});

describe('connecting clients', () => {
  it('copies the base URL with one click', async () => {
    const { user } = await openPanel();
    await user.click(screen.getByRole('button', { name: 'Copy base URL' }));
    expect(bridge.clipboardSetText).toHaveBeenCalledWith('http://127.0.0.1:3333/v1');
    expect(screen.getByRole('button', { name: 'Copy base URL' })).toHaveTextContent('Copied');
  });

  it('shows curl, Python and JS snippets for a discovered model, each copyable', async () => {
    const { user } = await openPanel();
    const snippet = () => screen.getByTestId('proxy-snippet').textContent!;
    expect(snippet()).toContain('curl http://127.0.0.1:3333/v1/models');
    expect(snippet()).toContain('"model":"qwen2.5-7b-instruct:gpu","stream":true');
    await user.click(screen.getByRole('button', { name: 'Python' }));
    expect(snippet()).toContain('client = OpenAI(base_url="http://127.0.0.1:3333/v1", api_key="sk-local")');
    await user.click(screen.getByRole('button', { name: 'Copy Python snippet' }));
    expect(bridge.clipboardSetText).toHaveBeenLastCalledWith(expect.stringContaining('from openai import OpenAI'));
    await user.click(screen.getByRole('button', { name: 'JavaScript' }));
    expect(snippet()).toContain('new OpenAI({ baseURL: "http://127.0.0.1:3333/v1", apiKey: "sk-local" })');
  });

  it('warns when the proxy serves the network without api_keys, as the log does', async () => {
    status.warning = 'listening on 0.0.0.0:3333 without api_keys: anyone who can reach this address can use the models';
    await openPanel();
    const banner = await screen.findByTestId('proxy-exposure-warning');
    expect(banner).toHaveTextContent('Open to the network without a key.');
    expect(banner).toHaveTextContent('anyone who can reach this address can use the models');
    expect(banner).toHaveTextContent('0.0.0.0:3333');
  });

  it("shows the status page's URL, copyable", async () => {
    const { user } = await openPanel();
    expect(screen.getByTestId('proxy-status-page')).toHaveTextContent('http://127.0.0.1:3333/status');
    await user.click(screen.getByRole('button', { name: 'Copy status page URL' }));
    expect(bridge.clipboardSetText).toHaveBeenLastCalledWith('http://127.0.0.1:3333/status');
  });

  it('shows no exposure warning on loopback', async () => {
    await openPanel();
    expect(screen.queryByTestId('proxy-exposure-warning')).toBeNull();
  });

  it('says a key is required when the config has api_keys, without printing it', async () => {
    configText = '{"port": 3333, "api_keys": ["sk-very-secret"]}';
    await openPanel();
    expect(await screen.findByText(/An API key is required/)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('sk-very-secret');
    expect(screen.getByTestId('proxy-snippet')).toHaveTextContent('Authorization: Bearer $LLPROXY_API_KEY');
  });
});

describe('models and endpoints', () => {
  it('lists each model with its backends, tags and raw fields', async () => {
    const { user } = await openPanel();
    const table = screen.getByRole('table', { name: 'Models' });
    const row = within(table).getByText('qwen2.5-7b-instruct:gpu').closest('tr')!;
    expect(within(row).getByRole('list', { name: /Backends of/ })).toHaveTextContent('127.0.0.1:8080127.0.0.1:8081');
    expect(within(row).getByRole('list', { name: /Tags of/ })).toHaveTextContent('gpu');
    const raw = within(row).getByLabelText('Raw fields of qwen2.5-7b-instruct:gpu');
    expect(raw).not.toBeVisible();
    await user.click(within(row).getByText('qwen2.5-7b-instruct:gpu'));
    expect(raw).toBeVisible();
    expect(raw.textContent).toContain('"n_ctx_train": 32768');
    expect(tab(/Models/)).toHaveTextContent('1');
  });

  it("shows each endpoint's last run: target, ports answered, errors, duration", async () => {
    const { user } = await openPanel();
    await user.click(tab(/Endpoints/));
    expect(screen.getByTestId('proxy-last-run')).toHaveTextContent(/Last run at \d\d:\d\d:\d\d \(4 s ago\), took 183 ms, found 1 model\./);
    const [first, second] = within(screen.getByRole('list', { name: 'Endpoints' })).getAllByRole('listitem', { name: '' }).filter((li) => li.classList.contains('px-endpoint'));
    expect(first).toHaveTextContent('llama.cpp127.0.0.1:8080-8090');
    expect(first).toHaveTextContent('2 of 11 ports answered · 9 refused · 1 model');
    expect(second).toHaveTextContent('endpoint 2');
    expect(second).toHaveTextContent('10.1.2.3:5000: timeout after 2s');
  });

  it('shows how an SSH endpoint is reached, the ports it found, and why its host failed', async () => {
    status.discovery.Endpoints = [
      { Index: 0, Label: 'gpu1', Target: 'gpu1 ($LLAMA_PORT)', Probed: 2, Answered: 2, Refused: 0, Kept: 0, Models: 2, Errors: null, Skipped: false,
        Via: 'ssh://me@gpu1', Tunnel: true, Ports: [8080, 8081] },
      { Index: 1, Label: '', Target: 'gpu2 (listening)', Probed: 0, Answered: 0, Refused: 0, Kept: 1, Models: 1, Skipped: false,
        Errors: ['ssh: ssh://me@gpu2: connection refused'], SSHError: 'ssh: ssh://me@gpu2: connection refused', Via: 'ssh://me@gpu2', Tunnel: false, Ports: null },
    ];
    const { user } = await openPanel();
    await user.click(tab(/Endpoints/));
    const [first, second] = within(screen.getByRole('list', { name: 'Endpoints' })).getAllByRole('listitem', { name: '' }).filter((li) => li.classList.contains('px-endpoint'));
    expect(first).toHaveTextContent('gpu1 ($LLAMA_PORT)ssh://me@gpu1 · tunnel');
    expect(first).toHaveTextContent('2 of 2 ports answered · 0 refused · ports found: 8080, 8081 · 2 models');
    expect(second).toHaveTextContent('ssh://me@gpu2 · direct');
    expect(second).toHaveTextContent('host not reachable over SSH · 1 busy, models kept · 1 model');
    expect(second).toHaveTextContent('ssh: ssh://me@gpu2: connection refused');
  });

  it('Rescan now (button or R) calls RescanModels', async () => {
    const { user } = await openPanel();
    await user.keyboard('r');
    expect(calls.rescan).toHaveBeenCalledTimes(1);
    const button = screen.getByRole('button', { name: /Rescanning/ });
    emit({ kind: 'status-changed' });
    await waitFor(() => expect(button).toHaveAccessibleName(/Rescan now/));
    await user.click(button);
    expect(calls.rescan).toHaveBeenCalledTimes(2);
  });

  it('refreshes on proxy:event while open', async () => {
    await openPanel();
    status.models!.push({ name: 'mistral-7b', id: 'mistral-7b', replicas: ['127.0.0.1:8082'], raw: { id: 'mistral-7b' } });
    emit({ kind: 'models-changed', added: ['mistral-7b'] });
    expect(await screen.findByText('mistral-7b')).toBeInTheDocument();
    expect(tab(/Models/)).toHaveTextContent('2');
    status = { ...status, running: false, listenAddr: '' };
    emit({ kind: 'status-changed' });
    expect(await screen.findByText('Not running')).toBeInTheDocument();
  });
});

describe('the config editor', () => {
  async function openConfig() {
    const opened = await openPanel();
    await opened.user.click(tab(/Config/));
    const ta = screen.getByRole('textbox', { name: 'Proxy config (JSON)' });
    await waitFor(() => expect(ta).toHaveValue(CONFIG));
    return { ...opened, ta, save: () => screen.getByRole('button', { name: 'Save' }) };
  }

  it('validates as you type with the loader messages; Save is disabled while invalid', async () => {
    const { user, ta, save } = await openConfig();
    expect(save()).toBeDisabled(); // nothing changed yet
    await user.clear(ta);
    await user.paste(CONFIG.replace('8090', '7000'));
    await user.type(ta, '{ArrowLeft}'.repeat(CONFIG.length - CONFIG.indexOf('8090') - 4) + '0');
    expect(ta).toHaveValue(CONFIG.replace('8090', '70000'));
    const problems = await screen.findByRole('list', { name: 'Config problems' });
    expect(problems).toHaveTextContent('endpoints[0].port_end: 70000 is not a port');
    expect(ta).toHaveAttribute('aria-invalid', 'true');
    expect(save()).toBeDisabled();
    await user.keyboard('{Backspace}');
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Config problems' })).toBeNull());
    expect(save()).toBeEnabled();
  });

  it('shows a JSON syntax error for the whole document', async () => {
    const { user, ta } = await openConfig();
    await user.clear(ta);
    await user.paste('{"port": ');
    expect(await screen.findByRole('list', { name: 'Config problems' })).toHaveTextContent('line 1, column 2: invalid character');
  });

  it('Ctrl+S in the Config tab saves as the Save button does', async () => {
    const { user, ta, save } = await openConfig();
    const edited = CONFIG.replace('3333', '3334');
    await user.clear(ta);
    await user.paste(edited);
    await waitFor(() => expect(save()).toBeEnabled());
    await user.keyboard('{Control>}s{/Control}');
    expect(calls.save).toHaveBeenCalledWith(edited);
    expect(await screen.findByText('Saved and applied.')).toBeInTheDocument();
  });

  it('Save calls SaveProxyConfig with the text and says it is applied; Revert restores the file', async () => {
    const { user, ta, save } = await openConfig();
    const edited = CONFIG.replace('3333', '3334');
    await user.clear(ta);
    await user.paste(edited);
    await waitFor(() => expect(save()).toBeEnabled());
    await user.click(save());
    expect(calls.save).toHaveBeenCalledWith(edited);
    expect(await screen.findByText('Saved and applied.')).toBeInTheDocument();
    expect(save()).toBeDisabled();

    await user.type(ta, ' ');
    expect(screen.getByRole('button', { name: 'Revert' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Revert' }));
    await waitFor(() => expect(ta).toHaveValue(edited));
  });

  it("shows SaveProxyConfig's error", async () => {
    bridgeMock.methods({
      SaveProxyConfig: () => {
        throw new Error('port 3334 on 127.0.0.1 is already in use');
      },
    });
    const { user, ta, save } = await openConfig();
    await user.clear(ta);
    await user.paste(CONFIG.replace('3333', '3334'));
    await waitFor(() => expect(save()).toBeEnabled());
    await user.click(save());
    expect(await screen.findByRole('alert')).toHaveTextContent('port 3334 on 127.0.0.1 is already in use');
  });

  it('keeps unsaved edits when the panel closes and opens again', async () => {
    const { user, ta } = await openConfig();
    await user.clear(ta);
    await user.paste('{"port": 1}');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Proxy' })).toBeNull();
    await user.keyboard('{Control>}p{/Control}');
    await user.click(await screen.findByRole('tab', { name: /Config/ }));
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Proxy config (JSON)' })).toHaveValue('{"port": 1}'));
  });

  it('a config applied elsewhere reaches an editor without edits', async () => {
    const { ta } = await openConfig();
    configText = CONFIG.replace('3333', '4000');
    emit({ kind: 'config-applied' });
    await waitFor(() => expect(ta).toHaveValue(configText));
  });
});

describe('when the port is taken', () => {
  it('by another llproxy: says so and offers to use it or another port', async () => {
    status = {
      ...baseStatus(),
      running: false,
      listenAddr: '',
      models: [],
      error: 'port 3333 on 127.0.0.1 is already in use by another llproxy (instance srv-1, version 0.9.2)',
      portInUse: { host: '127.0.0.1', port: 3333, llproxy: true, instance: 'srv-1', version: '0.9.2', baseUrl: 'http://127.0.0.1:3333/v1' },
    };
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}p{/Control}');
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Port 3333 is served by another llproxy (version 0.9.2).');
    expect(within(banner).getByRole('button', { name: 'Use it' })).toBeEnabled();
    const other = await within(banner).findByRole('button', { name: 'Use port 45678 instead' });
    expect(baseUrl()).toHaveTextContent('not serving');

    await user.click(within(banner).getByRole('button', { name: 'Use it' }));
    expect(await screen.findByText(/Using the llproxy already serving port 3333 \(version 0.9.2\)/)).toBeInTheDocument();
    expect(baseUrl()).toHaveTextContent('http://127.0.0.1:3333/v1');
    expect(screen.getByTestId('proxy-state')).toHaveTextContent('Using the llproxy on 127.0.0.1:3333');
    expect(screen.getByText(/The other llproxy serves its models/)).toHaveTextContent('curl http://127.0.0.1:3333/v1/models');
    expect(other).not.toBeInTheDocument();

    // Changing one's mind: another port after all.
    await user.click(screen.getByRole('button', { name: 'Use port 45678 instead' }));
    expect(calls.save).toHaveBeenCalledWith(CONFIG.replace('"port": 3333', '"port": 45678'));
  });

  it('"Use port N instead" saves the config with the free port and the proxy comes up', async () => {
    status = {
      ...baseStatus(),
      running: false,
      listenAddr: '',
      error: 'port 3333 on 127.0.0.1 is already in use by another llproxy (instance srv-1, version 0.9.2)',
      portInUse: { host: '127.0.0.1', port: 3333, llproxy: true, instance: 'srv-1', version: '0.9.2', baseUrl: 'http://127.0.0.1:3333/v1' },
    };
    bridgeMock.methods({
      SaveProxyConfig: (text) => {
        calls.save(text);
        configText = text;
        status = { ...baseStatus(), listenAddr: '127.0.0.1:45678', baseUrl: 'http://127.0.0.1:45678/v1' };
      },
    });
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}p{/Control}');
    await user.click(await screen.findByRole('button', { name: 'Use port 45678 instead' }));
    expect(calls.save).toHaveBeenCalledWith(CONFIG.replace('"port": 3333', '"port": 45678'));
    expect(await screen.findByText('Serving on 127.0.0.1:45678')).toBeInTheDocument();
    expect(baseUrl()).toHaveTextContent('http://127.0.0.1:45678/v1');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('by another program: says so and offers another port only', async () => {
    status = {
      ...baseStatus(),
      running: false,
      listenAddr: '',
      error: 'port 3333 on 127.0.0.1 is already in use',
      portInUse: { host: '127.0.0.1', port: 3333, llproxy: false, baseUrl: 'http://127.0.0.1:3333/v1' },
    };
    const user = userEvent.setup();
    render(<Editor />);
    await user.keyboard('{Control>}p{/Control}');
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Port 3333 on 127.0.0.1 is used by another program.');
    expect(within(banner).queryByRole('button', { name: 'Use it' })).toBeNull();
    expect(await within(banner).findByRole('button', { name: 'Use port 45678 instead' })).toBeEnabled();
  });
});

describe('keep serving and logs', () => {
  it('the switch calls SetAppSettings', async () => {
    const { user } = await openPanel();
    const sw = await screen.findByRole('switch', { name: 'Keep serving when the window closes' });
    await waitFor(() => expect(sw).toBeEnabled());
    expect(sw).toHaveAttribute('aria-checked', 'false');
    await user.click(sw);
    expect(calls.setSettings).toHaveBeenCalledWith({ keep_serving: true });
    expect(sw).toHaveAttribute('aria-checked', 'true');
  });

  it('a failing SetAppSettings puts the switch back and says why', async () => {
    bridgeMock.methods({
      SetAppSettings: () => {
        throw new Error('settings: read-only file system');
      },
    });
    const { user } = await openPanel();
    const sw = await screen.findByRole('switch', { name: 'Keep serving when the window closes' });
    await waitFor(() => expect(sw).toBeEnabled());
    await user.click(sw);
    expect(await screen.findByText('settings: read-only file system')).toBeInTheDocument();
    expect(sw).toHaveAttribute('aria-checked', 'false');
  });

  it('renders the log ring, newest last, with levels and attributes', async () => {
    const { user } = await openPanel();
    await user.click(tab(/Logs/));
    const log = screen.getByRole('log', { name: 'Proxy log' });
    const lines = [...log.querySelectorAll('.px-log')];
    expect(lines.map((l) => l.getAttribute('data-level'))).toEqual(['info', 'warn', 'error']);
    expect(lines[2]).toHaveTextContent(/ERROR\s*upstream error\s*req.model=qwen/);
    expect(tab(/Logs/)).toHaveTextContent('3');
  });

  it('Refresh and the timer fetch new records while the log is shown', async () => {
    let logs = LOGS.slice(0, 1);
    bridgeMock.methods({ ProxyLogs: () => logs });
    const { user } = await openPanel();
    await user.click(tab(/Logs/));
    const log = screen.getByRole('log', { name: 'Proxy log' });
    expect(log.querySelectorAll('.px-log')).toHaveLength(1);
    logs = LOGS.slice(0, 2);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(log.querySelectorAll('.px-log')).toHaveLength(2));
    logs = LOGS;
    await waitFor(() => expect(log.querySelectorAll('.px-log')).toHaveLength(3), { timeout: LOG_POLL_MS * 3 });
  });
});

describe('serve the editor to other devices', () => {
  it('the switch serves the editor and shows its URL, a QR code and the key', async () => {
    const { user } = await openPanel();
    const sw = screen.getByRole('switch', { name: 'Serve the editor to other devices' });
    expect(sw).toHaveAttribute('aria-checked', 'false');
    await user.click(sw);
    expect(calls.setSettings).toHaveBeenCalledWith({ keep_serving: false, serve_editor: true });
    expect(await screen.findByRole('link', { name: 'http://192.168.1.20:3333/' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'QR code of http://192.168.1.20:3333/' })).toBeInTheDocument();
    expect(screen.getByText('fe-key')).toBeInTheDocument();
  });
});
