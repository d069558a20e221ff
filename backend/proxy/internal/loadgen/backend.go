// Package loadgen holds what the proxy's benchmarks and its load program
// share: a fake OpenAI-compatible backend, the minimal
// httputil.ReverseProxy the proxy is compared with, and load drivers that
// measure throughput, latency, time to first byte and abort-to-cancel time.
// Everything listens and connects on loopback only.
package loadgen

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Headers a client sets to shape a streamed answer of the fake backend.
const (
	// HeaderChunks is the number of events before [DONE] (default 1).
	HeaderChunks = "X-Bench-Chunks"
	// HeaderDelay is the pause between events, as a Go duration.
	HeaderDelay = "X-Bench-Delay"
	// HeaderHold makes the backend send one event and then wait until the
	// request is cancelled, reporting when on Backend.Cancelled.
	HeaderHold = "X-Bench-Hold"
)

// Completion is the fake backend's non-streamed answer.
const Completion = `{"id":"chatcmpl-bench","object":"chat.completion","created":1735142223,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how can I help?"},"finish_reason":"stop"}],"usage":{"prompt_tokens":40,"completion_tokens":8,"total_tokens":48}}`

// Chunk is one streamed event's JSON.
const Chunk = `{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1735142223,"model":"bench","choices":[{"index":0,"delta":{"content":" token"},"finish_reason":null}]}`

// Backend is a fake LLM server on a loopback port.
type Backend struct {
	URL string
	// Cancelled receives the time at which a held request (HeaderHold)
	// saw its context end.
	Cancelled chan time.Time
	srv       *http.Server
}

// StartBackend starts a fake backend on 127.0.0.1.
func StartBackend() (*Backend, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &Backend{URL: "http://" + ln.Addr().String(), Cancelled: make(chan time.Time, 1024)}
	b.srv = &http.Server{Handler: http.HandlerFunc(b.serve), ReadHeaderTimeout: 10 * time.Second}
	go b.srv.Serve(ln)
	return b, nil
}

// Close stops the backend at once.
func (b *Backend) Close() { b.srv.Close() }

func (b *Backend) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/v1/models" {
		io.WriteString(w, `{"object":"list","data":[{"id":"bench-model","object":"model","owned_by":"bench"}]}`)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if !bytes.Contains(body, []byte(`"stream":true`)) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(Completion)))
		io.WriteString(w, Completion)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	send := func(data string) error {
		if _, err := io.WriteString(w, "data: "+data+"\n\n"); err != nil {
			return err
		}
		return rc.Flush()
	}
	if r.Header.Get(HeaderHold) != "" {
		send(Chunk)
		<-r.Context().Done()
		b.Cancelled <- time.Now()
		return
	}
	chunks, _ := strconv.Atoi(r.Header.Get(HeaderChunks))
	delay, _ := time.ParseDuration(r.Header.Get(HeaderDelay))
	for i := range max(chunks, 1) {
		if i > 0 && delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		if send(Chunk) != nil {
			return
		}
	}
	send("[DONE]")
}

// ChatBody is a realistic chat request of about 1 KiB for model.
func ChatBody(model string, stream bool) []byte {
	history := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 16)
	return fmt.Appendf(nil, `{"model":%q,"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":%q},{"role":"assistant","content":"Sure."},{"role":"user","content":"Go on."}],"temperature":0.7,"max_tokens":128,"stream":%t}`,
		model, history, stream)
}
