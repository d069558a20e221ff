package proxy

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

func TestProxy_RewritesOnlyModel(t *testing.T) {
	be, got := fakeBackend(t, nil)
	s := newTestServer(t, nil, model("mistral:gpu", "/srv/models/mistral.gguf", be.URL))
	tests := []struct {
		name, path, body, want string
	}{
		{"chat", "/v1/chat/completions",
			`{"model":"mistral:gpu","messages":[{"role":"user","content":"hi"}],"stream":true}`,
			`{"model":"/srv/models/mistral.gguf","messages":[{"role":"user","content":"hi"}],"stream":true}`},
		{"legacy completion keeps formatting", "/v1/completions",
			"{\n  \"prompt\" : \"x\\u00e9\",\n  \"model\"  :  \"mistral:gpu\" ,\n  \"max_tokens\": 1.0e1 }",
			"{\n  \"prompt\" : \"x\\u00e9\",\n  \"model\"  :  \"/srv/models/mistral.gguf\" ,\n  \"max_tokens\": 1.0e1 }"},
		{"nested model untouched", "/v1/responses",
			`{"input":[{"model":"mistral:gpu"}],"model":"mistral:gpu","extra":{"model":"keep"}}`,
			`{"input":[{"model":"mistral:gpu"}],"model":"/srv/models/mistral.gguf","extra":{"model":"keep"}}`},
		{"escaped model name", "/v1/embeddings",
			`{"model":"mistral\u003agpu","input":"a"}`,
			`{"model":"/srv/models/mistral.gguf","input":"a"}`},
		{"any other route with query", "/v1/rerank?x=1&y=%2F",
			`{"model":"mistral:gpu","query":"q","documents":["a"]}`,
			`{"model":"/srv/models/mistral.gguf","query":"q","documents":["a"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(s, http.MethodPost, tt.path, tt.body)
			if rec.Code != 200 || rec.Body.String() != chatCompletion {
				t.Fatalf("client got %d %s", rec.Code, rec.Body)
			}
			r := recv(t, got, "backend request")
			if string(r.Body) != tt.want {
				t.Fatalf("backend got  %s\nwant         %s", r.Body, tt.want)
			}
			path, query, _ := strings.Cut(tt.path, "?")
			if r.Method != http.MethodPost || r.Path != path || r.Query != query {
				t.Fatalf("backend got %s %s?%s", r.Method, r.Path, r.Query)
			}
			if r.Header.Get("Content-Length") != "" && r.Header.Get("Content-Length") != fmt.Sprint(len(tt.want)) {
				t.Fatalf("content-length %s", r.Header.Get("Content-Length"))
			}
		})
	}
}

func TestProxy_BaseURLWithPrefix(t *testing.T) {
	be, got := fakeBackend(t, nil)
	s := newTestServer(t, nil, model("m", "m", be.URL+"/api/"))
	if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if r := recv(t, got, "request"); r.Path != "/api/v1/chat/completions" {
		t.Fatalf("path %s", r.Path)
	}
}

func TestProxy_Headers(t *testing.T) {
	be, got := fakeBackend(t, nil)
	withKey := model("keyed", "k", be.URL)
	withKey.Replicas[0].APIKey = "backend-secret"
	s := newTestServer(t, validConfig(config.Config{APIKeys: []string{"client-secret"}}), withKey, model("open", "o", be.URL))
	tests := []struct {
		name, model string
		hdr         []string
		wantAuth    string
		wantChain   string
	}{
		{"backend key replaces client bearer", "keyed", []string{"Authorization", "Bearer client-secret"}, "Bearer backend-secret", testInstance},
		{"x-api-key not forwarded", "keyed", []string{"X-Api-Key", "client-secret"}, "Bearer backend-secret", testInstance},
		{"no backend key, nothing sent", "open", []string{"Authorization", "Bearer client-secret"}, "", testInstance},
		{"chain appended", "open", []string{"X-Api-Key", "client-secret", InstanceHeader, "other-proxy"}, "", "other-proxy," + testInstance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := append([]string{"Cookie", "c=1", "X-Stainless-Lang", "js", "Connection", "X-Hop", "X-Hop", "1",
				"Accept-Encoding", "gzip", "Api-Key", "client-secret"}, tt.hdr...)
			rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"`+tt.model+`"}`, hdr...)
			if rec.Code != 200 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			h := recv(t, got, "request").Header
			if h.Get("Authorization") != tt.wantAuth {
				t.Errorf("Authorization %q, want %q", h.Get("Authorization"), tt.wantAuth)
			}
			for _, k := range []string{"X-Api-Key", "Api-Key", "Cookie", "X-Hop"} {
				if h.Get(k) != "" {
					t.Errorf("%s forwarded: %q", k, h.Get(k))
				}
			}
			for k, vs := range h {
				for _, v := range vs {
					if strings.Contains(v, "client-secret") {
						t.Errorf("client key forwarded in %s", k)
					}
				}
			}
			if h.Get("X-Stainless-Lang") != "js" {
				t.Errorf("client header dropped")
			}
			if h.Get("Accept-Encoding") == "gzip" {
				t.Errorf("client Accept-Encoding forwarded")
			}
			if h.Get(InstanceHeader) != tt.wantChain {
				t.Errorf("%s = %q, want %q", InstanceHeader, h.Get(InstanceHeader), tt.wantChain)
			}
		})
	}
}

func TestProxy_BadRequests(t *testing.T) {
	be, got := fakeBackend(t, nil)
	s := newTestServer(t, validConfig(config.Config{MaxBodyBytes: 64}), model("a:x", "a", be.URL), model("b:x", "b", be.URL))
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"not JSON", "POST", "/v1/chat/completions", `model=a`, 400, "invalid_json"},
		{"empty body", "POST", "/v1/chat/completions", ``, 400, "invalid_json"},
		{"array", "POST", "/v1/chat/completions", `[{"model":"a:x"}]`, 400, "invalid_json"},
		{"no model", "POST", "/v1/chat/completions", `{"messages":[]}`, 400, "missing_model"},
		{"model not a string", "POST", "/v1/chat/completions", `{"model":1}`, 400, "missing_model"},
		{"two models", "POST", "/v1/chat/completions", `{"model":"a:x","model":"b:x"}`, 400, "missing_model"},
		{"unknown model", "POST", "/v1/chat/completions", `{"model":"c"}`, 404, "model_not_found"},
		{"true id is not a name", "POST", "/v1/chat/completions", `{"model":"a"}`, 404, "model_not_found"},
		{"too large", "POST", "/v1/chat/completions", `{"model":"a:x","p":"` + strings.Repeat("x", 64) + `"}`, 413, "body_too_large"},
		{"GET on a POST route", "GET", "/v1/chat/completions", ``, 405, ""},
		{"outside /v1", "POST", "/v2/chat/completions", `{"model":"a:x"}`, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(s, tt.method, tt.path, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			e := apiErr(t, rec.Body.Bytes())
			if code(e) != tt.code {
				t.Fatalf("code %q, want %q (%s)", code(e), tt.code, e.Message)
			}
			if tt.status == 404 && tt.code != "" && !(strings.Contains(e.Message, "a:x, b:x")) {
				t.Fatalf("404 does not list the models: %s", e.Message)
			}
		})
	}
	select {
	case r := <-got:
		t.Fatalf("a refused request reached the backend: %s", r.Body)
	default:
	}
}

func TestProxy_BodyLimitWithoutContentLength(t *testing.T) {
	be, _ := fakeBackend(t, nil)
	s := newTestServer(t, validConfig(config.Config{MaxBodyBytes: 100}), model("a", "a", be.URL))
	srv := serve(t, s)
	body := `{"model":"a","p":"` + strings.Repeat("y", 200) + `"}`
	// A reader that hides its length makes the client send it chunked.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/completions", io.MultiReader(strings.NewReader(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 || code(apiErr(t, b)) != "body_too_large" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

func TestProxy_BackendErrorPassthrough(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		extra  [2]string
	}{
		{"llama.cpp loading", 503, "application/json", `{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}`, [2]string{"Retry-After", "5"}},
		{"rate limited", 429, "application/json", `{"error":{"message":"slow down","type":"rate_limit"}}`, [2]string{"X-Ratelimit-Remaining", "0"}},
		{"plain text 500", 500, "text/plain", "Internal Server Error\n", [2]string{"X-Backend", "vllm"}},
		{"vLLM validation", 400, "application/json", `{"object":"error","message":"max_tokens too large","type":"BadRequestError","param":null,"code":400}`, [2]string{"X-Request-Id", "r1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.Header().Set(tt.extra[0], tt.extra[1])
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			s := newTestServer(t, nil, model("m", "m", be.URL))
			rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`)
			if rec.Code != tt.status || rec.Body.String() != tt.body ||
				rec.Header().Get("Content-Type") != tt.ctype || rec.Header().Get(tt.extra[0]) != tt.extra[1] {
				t.Fatalf("got %d %q %v", rec.Code, rec.Body, rec.Header())
			}
		})
	}
}

func TestFailover(t *testing.T) {
	live, got := fakeBackend(t, nil)
	tests := []struct {
		name     string
		replicas []string
		status   int
		code     string
	}{
		{"refused first, live second", []string{closedURL(t), live.URL}, 200, ""},
		{"two refused, live last", []string{closedURL(t), closedURL(t), live.URL}, 200, ""},
		{"all refused", []string{closedURL(t), closedURL(t)}, 502, "backend_unreachable"},
		{"no replicas", nil, 503, "no_backend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, nil, model("m", "m", tt.replicas...))
			// Every start position of the round-robin must end up at the
			// live replica.
			for range max(len(tt.replicas), 1) {
				rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`)
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
				}
				if tt.status == 200 {
					recv(t, got, "request on the live replica")
					continue
				}
				if e := apiErr(t, rec.Body.Bytes()); code(e) != tt.code {
					t.Fatalf("code %q, want %q", code(e), tt.code)
				}
			}
		})
	}
}

// TestBalance_LeastInFlight holds requests open on two replicas and checks
// where the next ones go.
func TestBalance_LeastInFlight(t *testing.T) {
	release := make(chan struct{})
	type hit struct{ backend string }
	arrived := make(chan hit, 64)
	newHeld := func(name string) *registry.Backend {
		be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
			arrived <- hit{name}
			<-release
			io.WriteString(w, chatCompletion)
		})
		return &registry.Backend{BaseURL: be.URL}
	}
	a, b := newHeld("a"), newHeld("b")
	s := newTestServer(t, nil, registry.Model{Name: "m", ID: "m", Replicas: []registry.Backend{*a, *b}})
	srv := serve(t, s)

	var wg sync.WaitGroup
	defer func() { close(release); wg.Wait() }()
	send := func() string {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`))
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		return recv(t, arrived, "request at a backend").backend
	}
	// One at a time, each held open: the loads are exact when the next
	// request chooses, so the spread is 2/2 whatever the tie-breaks.
	counts := map[string]int{}
	for range 4 {
		counts[send()]++
	}
	if counts["a"] != 2 || counts["b"] != 2 {
		t.Fatalf("spread %v, want 2/2", counts)
	}
	if n := s.inFlight.load(a.BaseURL) + s.inFlight.load(b.BaseURL); n != 4 {
		t.Fatalf("in flight %d, want 4", n)
	}
}

func TestReplicaOrder(t *testing.T) {
	reps := []registry.Backend{{BaseURL: "a"}, {BaseURL: "b"}, {BaseURL: "c"}}
	tests := []struct {
		name  string
		loads map[string]int64
		start uint64
		want  []int
	}{
		{"all idle, start 0", nil, 0, []int{0, 1, 2}},
		{"all idle, start 1", nil, 1, []int{1, 2, 0}},
		{"all idle, start wraps", nil, 5, []int{2, 0, 1}},
		{"least busy first", map[string]int64{"a": 3, "b": 1, "c": 2}, 0, []int{1, 2, 0}},
		{"ties keep rotation", map[string]int64{"a": 1, "b": 0, "c": 0}, 2, []int{2, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := replicaOrder(reps, func(u string) int64 { return tt.loads[u] }, tt.start)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("order %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRetry_NeverResendsWhatTheBackendGot: the backend reads a request
// that came on a kept-alive connection, works on it, then drops the
// connection (issue 14). The proxy used to send it again: two generations,
// paid twice on a hosted API. It must answer 502 and send it once.
func TestRetry_NeverResendsWhatTheBackendGot(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]int{} // remote addr → requests seen on it
	be, got := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr]++
		drop := conns[r.RemoteAddr] == 2
		mu.Unlock()
		if drop {
			c, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				c.(*net.TCPConn).SetLinger(0) // a reset, as a dying server sends
				c.Close()
			}
			return
		}
		io.WriteString(w, chatCompletion)
	})
	s := newTestServer(t, nil, model("m", "m", be.URL))
	if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`); rec.Code != 200 {
		t.Fatalf("first request: %d %s", rec.Code, rec.Body)
	}
	rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`)
	if rec.Code != http.StatusBadGateway {
		t.Fatalf("request dropped by the backend: %d %s, want 502", rec.Code, rec.Body)
	}
	recv(t, got, "first request")
	recv(t, got, "second request")
	select {
	case r := <-got:
		t.Fatalf("the dropped request was sent again (%s %s)", r.Method, r.Path)
	default:
	}
}

// TestRetry_IdleConnectionClosedByBackend: a backend that closes each
// connection after one answer (without saying so) leaves dead connections
// in the pool; requests still succeed, each sent once.
func TestRetry_IdleConnectionClosedByBackend(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var served atomic.Int64
	closed := make(chan struct{}, 8) // one per answered connection, once closed
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					c.Close()
					return
				}
				io.Copy(io.Discard, req.Body)
				served.Add(1)
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(chatCompletion), chatCompletion)
				c.Close()
				closed <- struct{}{}
			}()
		}
	}()
	s := newTestServer(t, nil, model("m", "m", "http://"+ln.Addr().String()))
	for i := range 3 {
		if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m"}`); rec.Code != 200 {
			t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
		}
		// The next request must meet a connection the backend has
		// already closed: one it closes later may have got that request.
		recv(t, closed, "the backend closing the connection")
	}
	if n := served.Load(); n != 3 {
		t.Fatalf("the backend answered %d requests, want 3", n)
	}
}

// TestBalance_CountersOutliveSnapshots: a request in flight on a replica
// still counts after discovery publishes a new list.
func TestBalance_CountersOutliveSnapshots(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan string, 8)
	held := func(name string) string {
		be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
			arrived <- name
			<-release
		})
		return be.URL
	}
	a, b := held("a"), held("b")
	s := newTestServer(t, nil, model("m", "m", a))
	srv := serve(t, s)
	var wg sync.WaitGroup
	defer func() { close(release); wg.Wait() }()
	send := func() string {
		wg.Go(func() {
			if resp, err := http.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`)); err == nil {
				resp.Body.Close()
			}
		})
		return recv(t, arrived, "request at a backend")
	}
	if got := send(); got != "a" {
		t.Fatalf("first request went to %s", got)
	}
	s.reg.Store(snapshotOf(model("m", "m", a, b))) // a new snapshot, a first in order
	for range 3 {
		// a has one in flight from the old snapshot: b first, then a tie
		// broken either way, then the one with fewer.
		send()
	}
	if la, lb := s.inFlight.load(a), s.inFlight.load(b); la != 2 || lb != 2 {
		t.Fatalf("in flight a=%d b=%d, want 2/2", la, lb)
	}
}

func TestBodyReader(t *testing.T) {
	u := upstreamBody{[]byte(`{"model":`), []byte(`"id"`), []byte(`,"x":1}`)}
	want := `{"model":"id","x":1}`
	var viaRead strings.Builder
	buf := make([]byte, 3)
	r := u.reader()
	for {
		n, err := r.Read(buf)
		viaRead.Write(buf[:n])
		if err == io.EOF {
			break
		}
	}
	var viaWriteTo strings.Builder
	n, err := u.reader().(io.WriterTo).WriteTo(&viaWriteTo)
	if viaRead.String() != want || viaWriteTo.String() != want || n != int64(len(want)) || err != nil || u.len() != int64(len(want)) {
		t.Fatalf("Read %q, WriteTo %q (%d, %v)", viaRead.String(), viaWriteTo.String(), n, err)
	}
}

// Issue 14: a client that trickles its body used to hold a connection and
// a goroutine forever. After body_read_timeout it gets 408.
func TestProxy_BodyReadTimeout(t *testing.T) {
	be, got := fakeBackend(t, nil)
	srv := serve(t, newTestServer(t, validConfig(config.Config{BodyReadTimeout: 50}), model("m", "m", be.URL)))
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", srv.Listener.Addr())
	// ... and nothing more.
	c.SetReadDeadline(time.Now().Add(20 * time.Second)) // a guard against a hang
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || code(apiErr(t, body)) != "body_timeout" {
		t.Fatalf("%d %s; want 408 body_timeout", resp.StatusCode, body)
	}
	select {
	case r := <-got:
		t.Fatalf("the backend got %s %s", r.Method, r.Path)
	default:
	}
}

// Issue 14: forwarding used HTTP(S)_PROXY and discovery did not. Now a
// host's ports are always reached directly and a fixed URL (a hosted API)
// through the environment's proxy, by both.
func TestProxy_EnvironmentProxyOnlyForURLEndpoints(t *testing.T) {
	var viaProxy atomic.Int64
	envProxy = func(r *http.Request) (*url.URL, error) {
		viaProxy.Add(1)
		return nil, nil // then direct: the test only counts who asked
	}
	t.Cleanup(func() { envProxy = http.ProxyFromEnvironment })
	be, _ := fakeBackend(t, nil)
	local := model("local", "m", be.URL)
	hosted := model("hosted", "m", be.URL)
	hosted.Replicas[0].EnvProxy = true
	s := newTestServer(t, nil, local, hosted)
	if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"local"}`); rec.Code != 200 || viaProxy.Load() != 0 {
		t.Fatalf("local backend: %d, environment proxy asked %d times (want 0)", rec.Code, viaProxy.Load())
	}
	if rec := do(s, http.MethodPost, "/v1/chat/completions", `{"model":"hosted"}`); rec.Code != 200 || viaProxy.Load() != 1 {
		t.Fatalf("hosted backend: %d, environment proxy asked %d times (want 1)", rec.Code, viaProxy.Load())
	}
}
