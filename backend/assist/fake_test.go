package assist

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fragmenteditor/backend/registry"
)

// fakeReply scripts one answer of the fake backend.
type fakeReply struct {
	// Status and Body, when Status is set, answer with an error instead.
	Status int
	Body   string
	// Reasoning chunks are sent first as delta.reasoning_content (chat).
	Reasoning []string
	// Chunks are sent as delta.content (chat) or text (completions).
	Chunks []string
	// StreamError is sent as an error event after the chunks.
	StreamError string
	// Hang keeps the stream open after the chunks until the client goes.
	Hang bool
	// Probs is the logprob shape the chunks carry (shapeNone: none). Each
	// chunk is one token; its probability is Prob[i] (0.5 when missing),
	// its candidates are itself and "~"+itself with the rest.
	Probs probShape
	Prob  []float64
}

// probShape is how a server sends token probabilities in a stream, as
// documented in the package doc ("Token probabilities").
type probShape int

const (
	shapeNone probShape = iota
	// shapeChat: choices[0].logprobs.content[] with token, logprob, bytes,
	// top_logprobs (OpenAI chat; Ollama v0.17, vLLM and llama.cpp chat).
	shapeChat
	// shapeCompletions: choices[0].logprobs {tokens, token_logprobs,
	// top_logprobs [{tok: lp}], text_offset} (OpenAI completions; vLLM).
	shapeCompletions
	// shapeLlamaCppCompletions: llama.cpp's /v1/completions, which uses
	// the chat shape under choices[0].logprobs.content.
	shapeLlamaCppCompletions
	// shapeLlamaCppNative: chunk-level completion_probabilities with
	// content and probs [{tok_str, prob}] (llama.cpp with n_probs).
	shapeLlamaCppNative
)

// fakeRequest is what the fake backend received.
type fakeRequest struct {
	Path   string
	Header http.Header
	Body   map[string]any
}

func (r fakeRequest) model() string { s, _ := r.Body["model"].(string); return s }

// fakeBackend is an OpenAI-compatible server on loopback streaming SSE the
// way llama.cpp and vLLM do.
type fakeBackend struct {
	srv *httptest.Server
	// reply decides the answer to a request.
	reply func(fakeRequest) fakeReply
	// requests receives every request as it arrives.
	requests chan fakeRequest
	// gone receives the model of every request whose client went away
	// before the answer was complete (the upstream cancel).
	gone chan string

	mu  sync.Mutex
	log []fakeRequest // guarded by mu: every request, in arrival order
}

// seen returns the request log.
func (f *fakeBackend) seen() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

func newFakeBackend(t *testing.T, reply func(fakeRequest) fakeReply) *fakeBackend {
	t.Helper()
	f := &fakeBackend{reply: reply, requests: make(chan fakeRequest, 100), gone: make(chan string, 100)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.serve)
	mux.HandleFunc("POST /v1/completions", f.serve)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBackend) baseURL() string { return f.srv.URL + "/v1" }

func (f *fakeBackend) serve(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	req := fakeRequest{Path: r.URL.Path, Header: r.Header.Clone()}
	if err := json.Unmarshal(data, &req.Body); err != nil {
		http.Error(w, `{"error":{"message":"bad json"}}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.log = append(f.log, req)
	f.mu.Unlock()
	f.requests <- req
	rep := f.reply(req)
	if rep.Status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.Status)
		io.WriteString(w, rep.Body)
		return
	}
	chat := strings.HasSuffix(req.Path, "/chat/completions")
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	send := func(v any) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		w.(http.Flusher).Flush()
		return true
	}
	for _, c := range rep.Reasoning {
		send(chatChunk(req.model(), map[string]any{"reasoning_content": c}, nil))
	}
	for i, c := range rep.Chunks {
		p := 0.5
		if i < len(rep.Prob) {
			p = rep.Prob[i]
		}
		var chunk map[string]any
		if chat {
			chunk = chatChunk(req.model(), map[string]any{"content": c}, nil)
		} else {
			chunk = textChunk(req.model(), c, nil)
		}
		addProbs(chunk, rep.Probs, c, p)
		send(chunk)
	}
	if rep.StreamError != "" {
		send(map[string]any{"error": map[string]any{"message": rep.StreamError, "type": "server_error"}})
		return
	}
	if rep.Hang {
		<-r.Context().Done()
		f.gone <- req.model()
		return
	}
	stop := "stop"
	if chat {
		send(chatChunk(req.model(), map[string]any{}, &stop))
	} else {
		send(textChunk(req.model(), "", &stop))
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

func chatChunk(model string, delta map[string]any, finish *string) map[string]any {
	return map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model,
		"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
	}
}

func textChunk(model, text string, finish *string) map[string]any {
	return map[string]any{
		"id": "cmpl-1", "object": "text_completion", "created": 1, "model": model,
		"choices": []any{map[string]any{"index": 0, "text": text, "logprobs": nil, "finish_reason": finish}},
	}
}

// addProbs puts the probability of token tok (the chunk's text) into a
// chunk in the given shape.
func addProbs(chunk map[string]any, shape probShape, tok string, p float64) {
	choice := chunk["choices"].([]any)[0].(map[string]any)
	lp, alt, altP := math.Log(p), "~"+tok, math.Log(max(1-p, 1e-9))
	byteList := func(s string) []int {
		out := []int{}
		for _, b := range []byte(s) {
			out = append(out, int(b))
		}
		return out
	}
	entry := map[string]any{"token": tok, "logprob": lp, "bytes": byteList(tok), "top_logprobs": []any{
		map[string]any{"token": tok, "logprob": lp, "bytes": byteList(tok)},
		map[string]any{"token": alt, "logprob": altP, "bytes": byteList(alt)},
	}}
	switch shape {
	case shapeChat, shapeLlamaCppCompletions:
		choice["logprobs"] = map[string]any{"content": []any{entry}}
	case shapeCompletions:
		choice["logprobs"] = map[string]any{"tokens": []string{tok}, "token_logprobs": []float64{lp},
			"top_logprobs": []any{map[string]float64{tok: lp, alt: altP}}, "text_offset": []int{0}}
	case shapeLlamaCppNative:
		chunk["completion_probabilities"] = []any{map[string]any{"content": tok, "probs": []any{
			map[string]any{"tok_str": tok, "prob": p}, map[string]any{"tok_str": alt, "prob": 1 - p}}}}
	}
}

// events collects emitted batches.
type events struct {
	ch   chan Batch
	seen map[string][]Batch // read by the test goroutine only
}

func newEvents() *events { return &events{ch: make(chan Batch, 10000), seen: map[string][]Batch{}} }

func (e *events) emit(name string, payload any) {
	if name != EventBatch {
		panic("unexpected event " + name)
	}
	e.ch <- payload.(Batch)
}

// waitTimeout guards against hangs; tests never rely on it for timing.
const waitTimeout = 20 * time.Second

// waitFor reads batches until one of round satisfies ok, and returns the
// round's batches so far.
func (e *events) waitFor(t *testing.T, round string, ok func(Batch) bool) []Batch {
	t.Helper()
	for _, b := range e.seen[round] {
		if ok(b) {
			return e.seen[round]
		}
	}
	deadline := time.After(waitTimeout)
	for {
		select {
		case b := <-e.ch:
			e.seen[b.Round] = append(e.seen[b.Round], b)
			if b.Round == round && ok(b) {
				return e.seen[round]
			}
		case <-deadline:
			t.Fatalf("round %s: condition not met; got %d batches", round, len(e.seen[round]))
		}
	}
}

// until returns the batches of round up to and including its last one.
func (e *events) until(t *testing.T, round string) []Batch {
	t.Helper()
	return e.waitFor(t, round, func(b Batch) bool { return b.Finished })
}

// final folds batches into the last state of every slot, by slot.
func final(batches []Batch) map[int]Update {
	out := map[int]Update{}
	for _, b := range batches {
		for _, u := range b.Updates {
			out[u.Slot] = u
		}
	}
	return out
}

func lastStatus(batches []Batch) map[string]Status {
	out := map[string]Status{}
	for _, s := range batches[len(batches)-1].Status {
		out[s.Model] = s
	}
	return out
}

func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// fixture is a Service talking to a fake backend.
type fixture struct {
	svc    *Service
	fake   *fakeBackend
	events *events
	list   []registry.Model
}

// newFixture starts a fake backend and a Service whose models are names,
// all active with settings from configure (nil: defaults).
func newFixture(t *testing.T, reply func(fakeRequest) fakeReply, configure func(i int, s *ModelSettings), names ...string) *fixture {
	t.Helper()
	fx := &fixture{fake: newFakeBackend(t, reply), events: newEvents(), list: models(names...)}
	svc, err := New(Options{
		BaseURL: fx.fake.baseURL(), SettingsDir: t.TempDir(),
		Models: func() []registry.Model { return fx.list }, Emit: fx.events.emit,
		Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	fx.svc = svc
	for i, m := range svc.Models() {
		s := m.Settings
		s.Active = true
		if configure != nil {
			configure(i, &s)
		}
		if err := svc.SetModelSettings(m.Name, s); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

func (fx *fixture) suggest(t *testing.T, req SuggestRequest) string {
	t.Helper()
	id, err := fx.svc.Suggest(req)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// quiet drops the service's logs in tests.
var quiet = slog.New(slog.DiscardHandler)

func oneSuggestion(_ int, s *ModelSettings) { s.Suggestions = 1 }
