/** Pure helpers of the proxy panel: client snippets, durations, times, config edits. */

export interface Snippets {
  curl: string;
  python: string;
  js: string;
}

/** Stands in for a model name until discovery found one. */
export const MODEL_PLACEHOLDER = 'MODEL_NAME';
/** The environment variable the snippets read a key from when the proxy asks for one. */
export const KEY_VARIABLE = 'LLPROXY_API_KEY';

/** Quotes s for a POSIX shell (single quotes, `'` written as `'\''`). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/**
 * Ready-to-run client snippets for the proxy at baseUrl: list the models, then stream a chat
 * completion from model. With keyRequired the key comes from $LLPROXY_API_KEY (never printed).
 */
export function clientSnippets(baseUrl: string, model: string | undefined, keyRequired: boolean): Snippets {
  const name = model ?? MODEL_PLACEHOLDER;
  const body = JSON.stringify({ model: name, stream: true, messages: [{ role: 'user', content: 'Say hello in five words.' }] });
  const auth = keyRequired ? ` -H "Authorization: Bearer $${KEY_VARIABLE}"` : '';
  const curl = [
    `curl${auth} ${baseUrl}/models`,
    '',
    `curl -N ${baseUrl}/chat/completions${auth} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(body)}`,
  ].join('\n');
  const pyKey = keyRequired ? `os.environ["${KEY_VARIABLE}"]` : '"sk-local"';
  const python = [
    ...(keyRequired ? ['import os', ''] : []),
    'from openai import OpenAI',
    '',
    `client = OpenAI(base_url=${JSON.stringify(baseUrl)}, api_key=${pyKey})`,
    'print([m.id for m in client.models.list()])',
    '',
    'stream = client.chat.completions.create(',
    `    model=${JSON.stringify(name)},`,
    '    messages=[{"role": "user", "content": "Say hello in five words."}],',
    '    stream=True,',
    ')',
    'for chunk in stream:',
    '    if chunk.choices:',
    '        print(chunk.choices[0].delta.content or "", end="", flush=True)',
    'print()',
  ].join('\n');
  const jsKey = keyRequired ? `process.env.${KEY_VARIABLE}` : '"sk-local"';
  const js = [
    'import OpenAI from "openai";',
    '',
    `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: ${jsKey} });`,
    'console.log((await client.models.list()).data.map((m) => m.id));',
    '',
    'const stream = await client.chat.completions.create({',
    `  model: ${JSON.stringify(name)},`,
    '  messages: [{ role: "user", content: "Say hello in five words." }],',
    '  stream: true,',
    '});',
    'for await (const chunk of stream) {',
    '  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
    '}',
    'process.stdout.write("\\n");',
  ].join('\n');
  return { curl, python, js };
}

/** A Go time.Duration (nanoseconds) for people: "850 µs", "42 ms", "1.25 s", "2 min 5 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns) || ns <= 0) return '0 ms';
  if (ns < 1e6) return `${Math.round(ns / 1e3)} µs`;
  if (ns < 1e9) return `${Math.round(ns / 1e6)} ms`;
  if (ns < 60e9) return `${(ns / 1e9).toFixed(ns < 10e9 ? 2 : 1)} s`;
  const s = Math.round(ns / 1e9);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Parses an RFC 3339 time; null for Go's zero time (year 1) and anything unparsable. */
export function parseGoTime(iso: string | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() <= 1 ? null : d;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time with milliseconds: "14:03:05.120". */
export function clockTime(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago" relative to now. */
export function ago(d: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether the config text sets api_keys (clients then need a key). False when it does not parse. */
export function requiresApiKey(text: string): boolean {
  const keys = parseObject(text)?.api_keys;
  return Array.isArray(keys) && keys.length > 0;
}

/**
 * The config text with its top-level "port" set to port. Keeps the user's formatting when the
 * one "port" field can be rewritten in place; otherwise re-serialises the JSON. Null when the
 * text is not a JSON object.
 */
export function withPort(text: string, port: number): string | null {
  const obj = parseObject(text);
  if (!obj) return null;
  const want = JSON.stringify({ ...obj, port });
  const re = /("port"\s*:\s*)(-?\d+(?:\.\d+)?|null)/g;
  const hits = [...text.matchAll(re)];
  for (const m of hits) {
    const at = m.index;
    const candidate = text.slice(0, at) + m[1] + String(port) + text.slice(at + m[0].length);
    const parsed = parseObject(candidate);
    if (parsed && JSON.stringify(parsed) === want) return candidate;
  }
  return `${JSON.stringify({ ...obj, port }, null, 2)}\n`;
}

/** A problem as the loader prints it: "path: message", or just the message for the whole document. */
export function problemText(p: { path: string; message: string }): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** The raw /v1/models entry of a model, pretty-printed. */
export function prettyJSON(v: unknown): string {
  if (v === undefined || v === null) return '(none)';
  return JSON.stringify(v, null, 2);
}
