package proxy

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

const testInstance = "test-instance"

// newTestServer builds a proxy over models with cfg (nil = defaults).
func newTestServer(t testing.TB, cfg *config.Config, models ...registry.Model) *Server {
	t.Helper()
	reg := &registry.Registry{}
	reg.Store(registry.NewSnapshot(models))
	s, err := New(Options{Registry: reg, Config: cfg, Instance: testInstance, Version: "v-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// serve runs s on a real loopback server.
func serve(t testing.TB, s *Server) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// model builds a registry model named name serving id on the given base
// URLs, with a llama.cpp-like raw entry.
func model(name, id string, urls ...string) registry.Model {
	m := registry.Model{Name: name, ID: id,
		Raw: json.RawMessage(`{"id":` + string(quote(id)) + `,"object":"model","created":1735142223,"owned_by":"llamacpp"}`)}
	for _, u := range urls {
		m.Replicas = append(m.Replicas, registry.Backend{BaseURL: u})
	}
	return m
}

// seen is one request as a fake backend received it.
type seen struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// fakeBackend records each request on a channel, then runs h (nil: answer
// a small chat completion).
func fakeBackend(t testing.TB, h http.HandlerFunc) (*httptest.Server, <-chan seen) {
	t.Helper()
	ch := make(chan seen, 256)
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, chatCompletion)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ch <- seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

const chatCompletion = `{"id":"chatcmpl-1","object":"chat.completion","created":1735142223,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}`

// closedURL is a loopback base URL on which nothing listens: connecting
// to it is refused.
func closedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// do runs one request through the Echo handler in memory, addressed to
// 127.0.0.1:3333 unless hdr sets "Host".
func do(s *Server, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "127.0.0.1:3333"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		switch hdr[i] {
		case "Host":
			req.Host = hdr[i+1]
		case "Content-Type":
			req.Header.Set(hdr[i], hdr[i+1])
		default:
			req.Header.Add(hdr[i], hdr[i+1])
		}
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// apiErr decodes OpenAI's error shape, failing the test if it is not that.
func apiErr(t testing.TB, body []byte) errorDetail {
	t.Helper()
	var e struct {
		Error *errorDetail `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Message == "" || e.Error.Type == "" {
		t.Fatalf("not an OpenAI error body: %s", body)
	}
	return *e.Error
}

func code(d errorDetail) string {
	if d.Code == nil {
		return ""
	}
	return *d.Code
}

// recv waits for one value, failing the test after a generous deadline
// (a guard against hangs, not a timing assertion).
func recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// eventually polls cond until it holds, failing after a generous deadline.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func snapshotOf(models ...registry.Model) *registry.Snapshot { return registry.NewSnapshot(models) }

// validConfig is c as config.Validate makes it (defaulted), with port 1
// when c has none: the proxy trusts a defaulted config.
func validConfig(c config.Config) *config.Config {
	if c.Port == 0 {
		c.Port = 1
	}
	v, err := config.Validate(c)
	if err != nil {
		panic(err)
	}
	return v
}
