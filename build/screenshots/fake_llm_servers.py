#!/usr/bin/env python3
"""Fake OpenAI-compatible LLM servers on private loopback addresses, for the proxy panel screenshot.

Each server answers GET /v1/models with a fixed list and POST /v1/chat/completions with a short
stream; one answers 500 to show an endpoint error. Runs until killed.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

QWEN = {"id": "/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf", "object": "model", "created": 1735142223,
        "owned_by": "llamacpp", "meta": {"vocab_type": 2, "n_vocab": 152064, "n_ctx_train": 32768,
                                          "n_embd": 3584, "n_params": 7615616512, "size": 4677120000}}
NEMO = {"id": "/models/Mistral-Nemo-Instruct-2407-Q5_K_M.gguf", "object": "model", "created": 1735142223,
        "owned_by": "llamacpp", "meta": {"n_ctx_train": 131072, "n_params": 12247782400}}
LLAMA = {"id": "meta-llama/Llama-3.1-8B-Instruct", "object": "model", "created": 1735142300,
         "owned_by": "vllm", "root": "meta-llama/Llama-3.1-8B-Instruct", "max_model_len": 16384}

SERVERS = {
    ("127.0.0.211", 8080): [QWEN],
    ("127.0.0.211", 8081): [QWEN],
    ("127.0.0.211", 8083): [NEMO],
    ("127.0.0.212", 8000): [LLAMA],
    ("127.0.0.213", 5000): None,  # broken: 500
}


def handler(models):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, code, body, ctype="application/json"):
            data = body.encode()
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path != "/v1/models":
                return self.send(404, '{"error":"not found"}')
            if models is None:
                return self.send(500, '{"error":{"message":"model failed to load"}}')
            self.send(200, json.dumps({"object": "list", "data": models}))

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(n) or b"{}")
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for word in ["Hello", " from", " a", " fake", " server."]:
                chunk = {"object": "chat.completion.chunk", "model": body.get("model", ""),
                         "choices": [{"index": 0, "delta": {"content": word}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.02)
            self.wfile.write(b"data: [DONE]\n\n")

    return H


if __name__ == "__main__":
    for (ip, port), models in SERVERS.items():
        srv = ThreadingHTTPServer((ip, port), handler(models))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    print("fake servers up", flush=True)
    threading.Event().wait()
