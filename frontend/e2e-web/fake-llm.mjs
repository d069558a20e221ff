// A fake OpenAI-compatible LLM server shaped like llama.cpp (see /work/shared/docs/llm-servers.md):
// one model in /v1/models, chat and text completions streamed as SSE, a word every `tokenMs`, so
// a test can watch a suggestion grow. The n-th request gets replies[n % replies.length].
import { createServer } from 'node:http';

export const MODEL_ID = '/models/fake-writer-7b.Q4_K_M.gguf';

/** Starts the fake on 127.0.0.1 and a free port; resolves to { port, requests, pace(ms), close() }: pace sets tokenMs for the requests that come after. */
export async function startFakeLLM({ replies = [' The rain came back.'], tokenMs = 60 } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 1735142223, owned_by: 'llamacpp', meta: { n_ctx_train: 4096 } }] }));
      return;
    }
    const chat = req.url === '/v1/chat/completions';
    if (req.method !== 'POST' || !(chat || req.url === '/v1/completions')) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ error: { code: 404, message: 'File Not Found', type: 'not_found_error' } }));
      return;
    }
    let body = '';
    for await (const chunk of req) body += chunk;
    const reply = replies[requests.length % replies.length];
    const ms = tokenMs;
    requests.push(JSON.parse(body || '{}'));
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    let gone = false;
    res.on('close', () => (gone = true));
    for (const piece of words(reply)) {
      if (gone) return;
      const choice = chat ? { index: 0, delta: { content: piece }, finish_reason: null } : { index: 0, text: piece, finish_reason: null };
      res.write(`data: ${JSON.stringify({ id: 'c1', object: chat ? 'chat.completion.chunk' : 'text_completion', created: 1, model: MODEL_ID, choices: [choice] })}\n\n`);
      await new Promise((r) => setTimeout(r, ms));
    }
    if (!gone) res.end('data: [DONE]\n\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    port: /** @type {import('node:net').AddressInfo} */ (server.address()).port,
    requests,
    pace: (ms) => {
      tokenMs = ms;
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Splits s into streamable pieces, each word with the space before it. */
export function words(s) {
  return s.match(/\s*\S+/g) ?? [s];
}
