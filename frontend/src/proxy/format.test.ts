import { describe, expect, it } from 'vitest';
import { ago, clientSnippets, formatDuration, parseGoTime, problemText, requiresApiKey, shellQuote, withPort } from './format';

describe('clientSnippets', () => {
  const base = 'http://127.0.0.1:3333/v1';

  it('uses the base URL and a discovered model, with a dummy key when none is needed', () => {
    const s = clientSnippets(base, 'qwen2.5-7b:gpu', false);
    expect(s.curl).toContain(`curl ${base}/models`);
    expect(s.curl).toContain(`curl -N ${base}/chat/completions`);
    expect(s.curl).toContain('"model":"qwen2.5-7b:gpu","stream":true');
    expect(s.curl).not.toContain('Authorization');
    expect(s.python).toContain(`client = OpenAI(base_url="${base}", api_key="sk-local")`);
    expect(s.python).toContain('model="qwen2.5-7b:gpu"');
    expect(s.js).toContain(`new OpenAI({ baseURL: "${base}", apiKey: "sk-local" })`);
    expect(s.js).toContain('model: "qwen2.5-7b:gpu"');
  });

  it('reads the key from the environment when the proxy asks for one', () => {
    const s = clientSnippets(base, undefined, true);
    expect(s.curl).toContain('-H "Authorization: Bearer $LLPROXY_API_KEY"');
    expect(s.curl).toContain('"model":"MODEL_NAME"');
    expect(s.python).toContain('api_key=os.environ["LLPROXY_API_KEY"]');
    expect(s.python.startsWith('import os\n')).toBe(true);
    expect(s.js).toContain('apiKey: process.env.LLPROXY_API_KEY');
  });

  it("quotes a model name with a quote for the shell and the languages", () => {
    const s = clientSnippets(base, `it's "odd"`, false);
    expect(s.curl).toContain(`'{"model":"it'\\''s \\"odd\\""`);
    expect(s.python).toContain(`model="it's \\"odd\\""`);
  });
});

describe('shellQuote', () => {
  it.each([
    ['plain', `'plain'`],
    [`a'b`, `'a'\\''b'`],
    ['', `''`],
  ])('%s', (input, want) => expect(shellQuote(input)).toBe(want));
});

describe('formatDuration (Go nanoseconds)', () => {
  it.each([
    [0, '0 ms'],
    [-5, '0 ms'],
    [850_000, '850 µs'],
    [42_400_000, '42 ms'],
    [1_254_000_000, '1.25 s'],
    [12_340_000_000, '12.3 s'],
    [125_000_000_000, '2 min 5 s'],
  ])('%d → %s', (ns, want) => expect(formatDuration(ns)).toBe(want));
});

describe('parseGoTime and ago', () => {
  it("treats Go's zero time and garbage as no time", () => {
    expect(parseGoTime('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseGoTime('')).toBeNull();
    expect(parseGoTime('yesterday')).toBeNull();
    expect(parseGoTime('2026-11-27T10:00:00.5+01:00')?.toISOString()).toBe('2026-11-27T09:00:00.500Z');
  });

  it.each([
    [0, 'just now'],
    [12_000, '12 s ago'],
    [185_000, '3 min ago'],
    [7_300_000, '2 h ago'],
  ])('%d ms → %s', (ms, want) => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(ago(new Date(now.getTime() - ms), now)).toBe(want);
  });
});

describe('requiresApiKey', () => {
  it.each([
    ['{"port": 1, "api_keys": ["sk-1"]}', true],
    ['{"port": 1, "api_keys": []}', false],
    ['{"port": 1}', false],
    ['{"port": 1, "api_keys": null}', false],
    ['not json', false],
    ['[1]', false],
  ])('%s → %s', (text, want) => expect(requiresApiKey(text)).toBe(want));
});

describe('withPort', () => {
  it('rewrites the top-level port in place, keeping the formatting', () => {
    const text = '{\n  "port":   3333,\n  "endpoints": [ {"hostname": "127.0.0.1", "port_start": 3333, "port_end": 3340} ]\n}\n';
    expect(withPort(text, 41234)).toBe(text.replace('3333,', '41234,'));
  });

  it('skips a "port" that is not the top-level field', () => {
    const text = '{"endpoints": [{"label": "x", "url": "http://h", "tags": ["a"]}], "note": {"port": 1}, "port": 2}';
    const out = withPort(text, 9)!;
    expect(JSON.parse(out)).toEqual({ endpoints: [{ label: 'x', url: 'http://h', tags: ['a'] }], note: { port: 1 }, port: 9 });
    expect(out).toContain('"note": {"port": 1}');
  });

  it('adds a missing port by re-serialising', () => {
    const out = withPort('{"endpoints": []}', 5000)!;
    expect(JSON.parse(out)).toEqual({ endpoints: [], port: 5000 });
  });

  it('gives up on a text that is not a JSON object', () => {
    expect(withPort('{"port": ', 1)).toBeNull();
    expect(withPort('[]', 1)).toBeNull();
  });
});

describe('problemText', () => {
  it('prints problems as the loader does', () => {
    expect(problemText({ path: 'endpoints[1].port_end', message: '70000 is not a port' })).toBe('endpoints[1].port_end: 70000 is not a port');
    expect(problemText({ path: '', message: 'line 1, column 2: invalid character' })).toBe('line 1, column 2: invalid character');
  });
});
