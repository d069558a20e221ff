package proxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/llproxy/llproxytest"
	"fragmenteditor/backend/registry"
)

// sseWriter writes server-sent events as llama.cpp and vLLM do: one
// "data: …\n\n" per chunk, flushed.
func sseWriter(w http.ResponseWriter) func(string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(200)
	rc := http.NewResponseController(w)
	rc.Flush()
	return func(data string) {
		fmt.Fprintf(w, "data: %s\n\n", data)
		rc.Flush()
	}
}

func chatChunk(content string) string {
	return `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1735142223,"model":"m","choices":[{"index":0,"delta":{"content":` + string(quote(content)) + `},"finish_reason":null}]}`
}

func completionChunk(text string) string {
	return `{"id":"cmpl-1","object":"text_completion","created":1735142223,"model":"m","choices":[{"index":0,"text":` + string(quote(text)) + `,"logprobs":null,"finish_reason":null}]}`
}

func postStream(t *testing.T, ctx context.Context, url, path, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://localhost:5173")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestStream_PassesEventsThrough(t *testing.T) {
	long := strings.Repeat("λ", 40<<10) // one 80 KiB line: bigger than a default line scanner
	tests := []struct {
		name, path string
		chunks     []string
	}{
		{"chat", "/v1/chat/completions", []string{chatChunk("Hel"), chatChunk("lo"), `{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`, "[DONE]"}},
		{"legacy completion", "/v1/completions", []string{completionChunk("Once"), completionChunk(" upon"), "[DONE]"}},
		{"long line", "/v1/chat/completions", []string{chatChunk(long), chatChunk("end"), "[DONE]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
				send := sseWriter(w)
				for _, c := range tt.chunks {
					send(c)
				}
			})
			srv := serve(t, newTestServer(t, nil, model("m", "m", be.URL)))
			resp := postStream(t, t.Context(), srv.URL, tt.path, `{"model":"m","stream":true}`)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			for _, c := range tt.chunks {
				want.WriteString("data: " + c + "\n\n")
			}
			if string(got) != want.String() {
				t.Fatalf("stream changed: got %d bytes, want %d", len(got), want.Len())
			}
			h := resp.Header
			for k, v := range map[string]string{"Content-Type": "text/event-stream", "X-Accel-Buffering": "no",
				"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "http://localhost:5173", "Content-Encoding": ""} {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
		})
	}
}

// TestStream_FlushesEachChunk: the client reads the first event while the
// backend is still holding back the second.
func TestStream_FlushesEachChunk(t *testing.T) {
	next := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(next) }) }
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		send := sseWriter(w)
		send(chatChunk("first"))
		<-next
		send(chatChunk("second"))
		send("[DONE]")
	})
	t.Cleanup(release) // before the backend's Close, even when the test fails
	srv := serve(t, newTestServer(t, nil, model("m", "m", be.URL)))
	resp := postStream(t, t.Context(), srv.URL, "/v1/chat/completions", `{"model":"m","stream":true}`)
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	first := make(chan string, 1)
	go func() {
		line, _ := br.ReadString('\n')
		first <- line
	}()
	if got := recv(t, first, "first event before the second is sent"); got != "data: "+chatChunk("first")+"\n" {
		t.Fatalf("first line %q", got)
	}
	release()
	rest, _ := io.ReadAll(br)
	if want := "\ndata: " + chatChunk("second") + "\n\ndata: [DONE]\n\n"; string(rest) != want {
		t.Fatalf("rest %q", rest)
	}
}

// TestStream_ClientDisconnectCancelsUpstream: closing the client's
// request cancels the backend's request context.
func TestStream_ClientDisconnectCancelsUpstream(t *testing.T) {
	cancelled := make(chan struct{})
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		send := sseWriter(w)
		send(chatChunk("tok"))
		<-r.Context().Done() // a generating GPU until the proxy lets go
		close(cancelled)
	})
	s := newTestServer(t, nil, model("m", "m", be.URL))
	srv := serve(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	resp := postStream(t, ctx, srv.URL, "/v1/chat/completions", `{"model":"m","stream":true}`)
	defer resp.Body.Close()
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	cancel()
	recv(t, cancelled, "backend context cancelled")
	eventually(t, "in-flight count back to 0", func() bool { return s.inFlight.load(be.URL) == 0 })
	eventually(t, "a 499 in the metrics", func() bool {
		return strings.Contains(scrapeMetrics(t, s), `llproxy_requests_total{code="499",model="m"} 1`)
	})
}

func TestStream_BackendDiesMidStream(t *testing.T) {
	tests := []struct {
		name     string
		chunks   []string // raw bytes the backend sends before dying
		wantHead string
	}{
		{"between events", []string{"data: " + chatChunk("a") + "\n\n", "data: " + chatChunk("b") + "\n\n"},
			"data: " + chatChunk("a") + "\n\ndata: " + chatChunk("b") + "\n\n"},
		// Issue 14: the partial event used to reach the client, closed
		// by a blank line, as a malformed event.
		{"inside an event", []string{"data: " + chatChunk("a") + "\n\n", `data: {"id":"chatcmpl-1","obj`},
			"data: " + chatChunk("a") + "\n\n"},
		{"event split over writes, then a break", []string{"data: " + chatChunk("a") + "\n", "\ndata: " + chatChunk("b")[:9], chatChunk("b")[9:] + "\n\ndata: x"},
			"data: " + chatChunk("a") + "\n\ndata: " + chatChunk("b") + "\n\n"},
		{"CRLF line ends", []string{"data: " + chatChunk("a") + "\r\n\r", "\ndata: {"},
			"data: " + chatChunk("a") + "\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Die") == "" {
					io.WriteString(w, chatCompletion)
					return
				}
				conn, rw, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Error(err)
					return
				}
				defer conn.Close()
				rw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
				for _, c := range tt.chunks {
					fmt.Fprintf(rw, "%x\r\n%s\r\n", len(c), c)
					rw.Flush()
				}
				// The process dies: no terminating chunk.
			})
			s := newTestServer(t, nil, model("m", "m", be.URL))
			srv := serve(t, s)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(`{"model":"m","stream":true}`))
			req.Header.Set("X-Die", "1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatalf("stream did not end cleanly: %v", err)
			}
			head, last, ok := strings.Cut(string(got), "data: {\"error\"")
			if !ok || head != tt.wantHead {
				t.Fatalf("stream %q", got)
			}
			e := apiErr(t, []byte(`{"error"`+strings.TrimSuffix(last, "\n\n")))
			if code(e) != "backend_disconnected" || !strings.HasSuffix(last, "}\n\n") {
				t.Fatalf("final event %q", last)
			}
			// The proxy keeps serving.
			if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`); rec.Code != 200 {
				t.Fatalf("after the failure: %d %s", rec.Code, rec.Body)
			}
		})
	}
}

// TestStream_NonStreamBodyCutAborts: a JSON answer cut short must not look
// complete to the client.
func TestStream_NonStreamBodyCutAborts(t *testing.T) {
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		conn, rw, _ := http.NewResponseController(w).Hijack()
		defer conn.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
		fmt.Fprintf(rw, "%x\r\n%s\r\n", 10, `{"id":"cha`)
		rw.Flush()
	})
	s := newTestServer(t, nil, model("m", "m", be.URL))
	srv := serve(t, s)
	resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatal("a truncated JSON answer ended like a complete one")
	}
	eventually(t, "in-flight count back to 0", func() bool { return s.inFlight.load(be.URL) == 0 })
}

func TestStream_IdleTimeout(t *testing.T) {
	upstreamDone := make(chan struct{})
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		send := sseWriter(w)
		send(chatChunk("tok"))
		<-r.Context().Done() // stalls until the proxy gives up
		close(upstreamDone)
	})
	srv := serve(t, newTestServer(t, validConfig(config.Config{IdleTimeout: 30}), model("m", "m", be.URL)))
	resp := postStream(t, t.Context(), srv.URL, "/v1/chat/completions", `{"model":"m","stream":true}`)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "data: "+chatChunk("tok")+"\n\ndata: {\"error\"") || !strings.Contains(string(got), "backend_idle_timeout") {
		t.Fatalf("stream %q", got)
	}
	recv(t, upstreamDone, "backend request cancelled")
}

func scrapeMetrics(t testing.TB, s *Server) string {
	t.Helper()
	return do(s, http.MethodGet, "/metrics", "").Body.String()
}

// TestStream_NoLimitBeforeFirstByte: a backend slow to start (a cold model
// load, a long prompt) is waited for, however short the idle limit.
func TestStream_NoLimitBeforeFirstByte(t *testing.T) {
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(400 * time.Millisecond) // the fake's prompt processing: 10× the idle limit
		// The answer in one write: a gap between its events on a busy
		// machine must not count against the limit this test is not about.
		sseWriter(w)(chatChunk("late") + "\n\ndata: [DONE]")
	})
	srv := serve(t, newTestServer(t, validConfig(config.Config{IdleTimeout: 40}), model("m", "m", be.URL)))
	resp := postStream(t, t.Context(), srv.URL, "/v1/chat/completions", `{"model":"m","stream":true}`)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "data: " + chatChunk("late") + "\n\ndata: [DONE]\n\n"; err != nil || string(got) != want {
		t.Fatalf("got %q (%v)", got, err)
	}
}

func TestTransport_Settings(t *testing.T) {
	s := newTestServer(t, validConfig(config.Config{ConnectTimeout: 1234}))
	tr := s.transport
	if tr.IdleConnTimeout <= 0 || tr.IdleConnTimeout >= 5*time.Second {
		t.Errorf("IdleConnTimeout %s: must be under vLLM's 5 s keep-alive", tr.IdleConnTimeout)
	}
	if tr.ResponseHeaderTimeout != 0 {
		t.Errorf("ResponseHeaderTimeout %s: the first byte must have no limit", tr.ResponseHeaderTimeout)
	}
	if !tr.DisableCompression {
		t.Errorf("compression on: streams would be buffered")
	}
	if got := s.settings.Load().connectTimeout; got != 1234*time.Millisecond {
		t.Errorf("connect timeout %s", got)
	}
	s.SetConfig(nil)
	if got := s.settings.Load(); got.connectTimeout != config.DefaultConnectTimeout*time.Millisecond ||
		got.idleTimeout != config.DefaultIdleTimeout*time.Millisecond || got.maxBody != config.DefaultMaxBodyBytes {
		t.Errorf("defaults %+v", got)
	}
}

// Issue 13: the backend's trailers reach the client.
func TestStream_PassesTrailersThrough(t *testing.T) {
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Usage")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, chatCompletion)
		w.Header().Set("X-Usage", "tokens=4")
		w.Header().Set(http.TrailerPrefix+"X-Late", "undeclared")
	})
	srv := serve(t, newTestServer(t, nil, model("m", "m", be.URL)))
	resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != chatCompletion || resp.Trailer.Get("X-Usage") != "tokens=4" || resp.Trailer.Get("X-Late") != "undeclared" {
		t.Fatalf("body %q, trailers %v", body, resp.Trailer)
	}
}

// Issue 14: streams cut by a shutdown that ran out of time used to end
// with no error event and no log line.
func TestStream_AbortStreamsEndsWithAnErrorEvent(t *testing.T) {
	started := make(chan struct{})
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		send := sseWriter(w)
		send(chatChunk("a"))
		close(started)
		<-r.Context().Done() // a long generation
	})
	var logs llproxytest.Buffer
	reg := &registry.Registry{}
	reg.Store(snapshotOf(model("m", "m", be.URL)))
	s, _ := New(Options{Registry: reg, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	t.Cleanup(s.Close)
	srv := serve(t, s)
	resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m","stream":true}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recv(t, started, "the stream to start")
	// Abort once the first event has reached the client, not only left the
	// backend: aborted before the proxy forwarded it, the stream is the error
	// event alone (a loaded machine did that).
	body := bufio.NewReader(resp.Body)
	var first string
	for !strings.HasSuffix(first, "\n\n") {
		line, err := body.ReadString('\n')
		if err != nil {
			t.Fatalf("the first event: %q, %v", first+line, err)
		}
		first += line
	}
	s.AbortStreams()
	rest, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("the stream did not end cleanly: %v", err)
	}
	got := first + string(rest)
	head, last, ok := strings.Cut(got, "data: {\"error\"")
	if !ok || head != "data: "+chatChunk("a")+"\n\n" {
		t.Fatalf("stream %q", got)
	}
	if e := apiErr(t, []byte(`{"error"`+strings.TrimSuffix(last, "\n\n"))); code(e) != "shutting_down" {
		t.Fatalf("final event %q", last)
	}
	eventually(t, "the cut stream to be logged", func() bool {
		return strings.Contains(logs.String(), "shutting down") && strings.Contains(logs.String(), "model=m")
	})
}

// FuzzBodyWriter: however a backend's event stream is cut into reads, the
// client gets whole events before a break (a prefix of the stream that
// ends at an event boundary, with no whole event left out after it), then
// the error event; or every byte when the backend ends the stream itself.
func FuzzBodyWriter(f *testing.F) {
	f.Add([]byte("data: {\"a\":1}\n\ndata: {\"b\""), uint8(3))
	f.Add([]byte("data: a\r\n\r\ndata: b\r\n\r"), uint8(1))
	f.Add([]byte("data: a\n\n\n\ndata: [DONE]\n\n"), uint8(7))
	f.Add([]byte("event: x\rdata: y\r\rdata: z"), uint8(2))
	f.Add([]byte(`data: {"id":"chatcmpl-1","obj`), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, step uint8) {
		if len(data) > maxPendingEvent {
			return
		}
		for _, broken := range []bool{true, false} {
			rec := httptest.NewRecorder()
			bw := &bodyWriter{w: rec, rc: http.NewResponseController(rec), events: true}
			chunk := int(step%16) + 1
			for i := 0; i < len(data); i += chunk {
				if err := bw.write(data[i:min(i+chunk, len(data))]); err != nil {
					t.Fatal(err)
				}
			}
			if !broken {
				if err := bw.finish(); err != nil {
					t.Fatal(err)
				}
				if got := rec.Body.String(); got != string(data) {
					t.Fatalf("reads of %d: got %q, want %q", chunk, got, data)
				}
				continue
			}
			bw.endWith([]byte("data: ERR\n\n"))
			got, ok := strings.CutSuffix(rec.Body.String(), "data: ERR\n\n")
			k := len(got)
			if !ok || !strings.HasPrefix(string(data), got) || k > 0 && !endsEvent([]byte(got)) ||
				lastEventEnd(data[k:], 0) != 0 {
				t.Fatalf("reads of %d of %q: got %q", chunk, data, rec.Body.String())
			}
		}
	})
}
