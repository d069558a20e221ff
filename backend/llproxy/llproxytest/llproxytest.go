// Package llproxytest provides a fake OpenAI-compatible LLM server for
// tests of the proxy service and the headless binary: llama.cpp-shaped
// /v1/models, chat and legacy completions, plain or streamed as SSE, on a
// loopback address of the test's choosing.
package llproxytest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Backend is a fake LLM server. Its answers are deterministic:
// a completion of model M says "hello from M" word by word.
type Backend struct {
	*httptest.Server
	// Host and Port are where it listens.
	Host string
	Port int

	// gate, if set, holds every stream after its first chunk until a value
	// arrives (or the request ends): proof that the first chunk reached
	// the client before the rest was even written.
	gate chan struct{}

	modelsCalls atomic.Int64
	mu          sync.Mutex // guards models and lastModel
	models      []string
	lastModel   string
}

// Option changes a Backend.
type Option func(*Backend)

// WithGate holds each stream after its first chunk until Release.
func WithGate() Option { return func(b *Backend) { b.gate = make(chan struct{}, 64) } }

// NewBackend starts a fake serving ids on host (a loopback IP such as
// "127.0.0.120") and a free port; it stops when the test ends.
func NewBackend(t testing.TB, host string, ids []string, opts ...Option) *Backend {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("fake backend: listen on %s: %v", host, err)
	}
	b := &Backend{models: ids, Host: host, Port: ln.Addr().(*net.TCPAddr).Port}
	for _, o := range opts {
		o(b)
	}
	b.Server = httptest.NewUnstartedServer(b.handler())
	b.Server.Listener.Close()
	b.Server.Listener = ln
	b.Server.Start()
	t.Cleanup(b.Server.Close)
	return b
}

// Release lets one gated stream continue past its first chunk. It never
// blocks: a stream that already ended (say its client went away) leaves
// the release for the next one.
func (b *Backend) Release() {
	select {
	case b.gate <- struct{}{}:
	default:
	}
}

// SetModels replaces the ids the fake serves.
func (b *Backend) SetModels(ids ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.models = ids
}

// ModelsCalls counts GET /v1/models requests.
func (b *Backend) ModelsCalls() int64 { return b.modelsCalls.Load() }

// LastModel is the "model" of the last completion request received.
func (b *Backend) LastModel() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lastModel
}

func (b *Backend) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", b.listModels)
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) { b.complete(w, r, true) })
	mux.HandleFunc("POST /v1/completions", func(w http.ResponseWriter, r *http.Request) { b.complete(w, r, false) })
	return mux
}

func (b *Backend) listModels(w http.ResponseWriter, _ *http.Request) {
	b.modelsCalls.Add(1)
	b.mu.Lock()
	ids := b.models
	b.mu.Unlock()
	data := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		data = append(data, map[string]any{
			"id": id, "object": "model", "created": 1735142223, "owned_by": "llamacpp",
			"meta": map[string]any{"n_ctx_train": 32768, "n_params": 7248023552},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

type completionRequest struct {
	Model  string `json:"model"`
	Stream bool   `json:"stream"`
}

func (b *Backend) complete(w http.ResponseWriter, r *http.Request, chat bool) {
	var req completionRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"message": "bad json", "type": "invalid_request_error"}})
		return
	}
	b.mu.Lock()
	b.lastModel = req.Model
	b.mu.Unlock()
	if !b.known(req.Model) {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"message": "model not loaded: " + req.Model, "type": "not_found_error"}})
		return
	}
	words := Words(req.Model)
	if !req.Stream {
		writeJSON(w, http.StatusOK, whole(req.Model, strings.Join(words, ""), chat))
		return
	}
	b.stream(w, r, req.Model, words, chat)
}

func (b *Backend) known(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.models {
		if m == id {
			return true
		}
	}
	return false
}

// Words is what a completion of model id says, one SSE chunk per word.
func Words(id string) []string { return []string{"hello", " from", " " + id} }

func (b *Backend) stream(w http.ResponseWriter, r *http.Request, model string, words []string, chat bool) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher := w.(http.Flusher)
	for i, word := range words {
		fmt.Fprintf(w, "data: %s\n\n", mustJSON(chunk(model, word, chat, false)))
		flusher.Flush()
		if i == 0 && b.gate != nil {
			select {
			case <-b.gate:
			case <-r.Context().Done():
				return
			}
		}
	}
	fmt.Fprintf(w, "data: %s\n\n", mustJSON(chunk(model, "", chat, true)))
	fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}

func chunk(model, text string, chat, last bool) map[string]any {
	var finish any
	if last {
		finish = "stop"
	}
	choice := map[string]any{"index": 0, "finish_reason": finish, "logprobs": nil}
	c := map[string]any{"id": "cmpl-fake", "created": time.Now().Unix(), "model": model}
	if chat {
		c["object"] = "chat.completion.chunk"
		delta := map[string]any{}
		if text != "" {
			delta["content"] = text
			delta["role"] = "assistant"
		}
		choice["delta"] = delta
	} else {
		c["object"] = "text_completion"
		choice["text"] = text
	}
	c["choices"] = []any{choice}
	return c
}

func whole(model, text string, chat bool) map[string]any {
	c := map[string]any{"id": "cmpl-fake", "created": time.Now().Unix(), "model": model,
		"usage": map[string]any{"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6}}
	if chat {
		c["object"] = "chat.completion"
		c["choices"] = []any{map[string]any{"index": 0, "finish_reason": "stop", "logprobs": nil,
			"message": map[string]any{"role": "assistant", "content": text}}}
	} else {
		c["object"] = "text_completion"
		c["choices"] = []any{map[string]any{"index": 0, "finish_reason": "stop", "logprobs": nil, "text": text}}
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(v))
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of plain values are marshalled here
	}
	return data
}

// FreePort returns a port on host that was free a moment ago. Tests give
// each service its own loopback host, so no one else races for it.
func FreePort(t testing.TB, host string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatalf("free port on %s: %v", host, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Addr is "host:port".
func (b *Backend) Addr() string { return net.JoinHostPort(b.Host, strconv.Itoa(b.Port)) }
