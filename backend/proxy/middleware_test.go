package proxy

import (
	"net/http"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
)

func TestAuth(t *testing.T) {
	be, _ := fakeBackend(t, nil)
	open := newTestServer(t, nil, model("m", "m", be.URL))
	keyed := newTestServer(t, validConfig(config.Config{APIKeys: []string{"k1", "k2"}}), model("m", "m", be.URL))
	chat := `{"model":"m"}`
	tests := []struct {
		name         string
		s            *Server
		method, path string
		hdr          []string
		status       int
	}{
		{"no keys configured", open, "POST", "/v1/chat/completions", nil, 200},
		{"no keys configured, metrics", open, "GET", "/metrics", nil, 200},
		{"missing key", keyed, "POST", "/v1/chat/completions", nil, 401},
		{"wrong key", keyed, "POST", "/v1/chat/completions", []string{"Authorization", "Bearer k3"}, 401},
		{"prefix of a key", keyed, "POST", "/v1/chat/completions", []string{"Authorization", "Bearer k"}, 401},
		{"not bearer", keyed, "POST", "/v1/chat/completions", []string{"Authorization", "Basic k1"}, 401},
		{"bearer", keyed, "POST", "/v1/chat/completions", []string{"Authorization", "Bearer k1"}, 200},
		{"bearer, any case", keyed, "POST", "/v1/chat/completions", []string{"Authorization", "bearer k2"}, 200},
		{"x-api-key", keyed, "POST", "/v1/chat/completions", []string{"X-Api-Key", "k2"}, 200},
		{"models need a key", keyed, "GET", "/v1/models", nil, 401},
		{"models with key", keyed, "GET", "/v1/models", []string{"x-api-key", "k1"}, 200},
		{"metrics need a key", keyed, "GET", "/metrics", nil, 401},
		{"metrics with key", keyed, "GET", "/metrics", []string{"Authorization", "Bearer k1"}, 200},
		{"health stays open", keyed, "GET", "/health", nil, 200},
		{"preflight needs none", keyed, "OPTIONS", "/v1/chat/completions",
			[]string{"Origin", "http://localhost:5173", "Access-Control-Request-Method", "POST"}, 204},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == "POST" {
				body = chat
			}
			rec := do(tt.s, tt.method, tt.path, body, tt.hdr...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 401 {
				if e := apiErr(t, rec.Body.Bytes()); code(e) != "invalid_api_key" {
					t.Fatalf("code %q", code(e))
				}
			}
		})
	}
}

func TestLoopGuard(t *testing.T) {
	be, got := fakeBackend(t, nil)
	s := newTestServer(t, nil, model("m", "m", be.URL))
	eight := strings.Repeat("p,", MaxHops-1) + "p"
	tests := []struct {
		name, method, path string
		chain              []string
		status             int
		upstream           string
	}{
		{"own id", "POST", "/v1/chat/completions", []string{testInstance}, 508, ""},
		{"own id in a chain", "POST", "/v1/chat/completions", []string{"a, " + testInstance + ",b"}, 508, ""},
		{"own id in a second header", "POST", "/v1/chat/completions", []string{"a", testInstance}, 508, ""},
		{"own id on the model list", "GET", "/v1/models", []string{testInstance}, 508, ""},
		{"too many hops", "POST", "/v1/chat/completions", []string{eight}, 508, ""},
		{"another instance", "POST", "/v1/chat/completions", []string{"other"}, 200, "other," + testInstance},
		{"none", "POST", "/v1/chat/completions", nil, 200, testInstance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			for _, c := range tt.chain {
				hdr = append(hdr, InstanceHeader, c)
			}
			body := ""
			if tt.method == "POST" {
				body = `{"model":"m"}`
			}
			rec := do(s, tt.method, tt.path, body, hdr...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 508 {
				if e := apiErr(t, rec.Body.Bytes()); code(e) != "loop_detected" {
					t.Fatalf("code %q", code(e))
				}
				return
			}
			if tt.upstream != "" {
				if h := recv(t, got, "request").Header.Get(InstanceHeader); h != tt.upstream {
					t.Fatalf("upstream chain %q, want %q", h, tt.upstream)
				}
			}
		})
	}
}

// TestLoopGuard_TwoProxies: two proxies that list each other's models
// bounce a request until the first sees its own id.
func TestLoopGuard_TwoProxies(t *testing.T) {
	a, b := newTestServer(t, nil), newTestServer(t, nil)
	a.instance, b.instance = "proxy-a", "proxy-b"
	srvA, srvB := serve(t, a), serve(t, b)
	a.reg.Store(snapshotOf(model("m", "m", srvB.URL)))
	b.reg.Store(snapshotOf(model("m", "m", srvA.URL)))
	resp, err := http.Post(srvA.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{"model":"m"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusLoopDetected {
		t.Fatalf("status %d, want 508", resp.StatusCode)
	}
}

func TestCORS(t *testing.T) {
	be, got := fakeBackend(t, nil)
	m := model("m", "m", be.URL)
	def := newTestServer(t, nil, m)
	listed := newTestServer(t, validConfig(config.Config{CORSOrigins: []string{"https://app.example.com"}}), m)
	anyOrigin := newTestServer(t, validConfig(config.Config{CORSOrigins: []string{"*"}}), m)
	preflight := func(origin string) []string {
		return []string{"Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization,content-type,x-stainless-os,x-stainless-lang"}
	}
	tests := []struct {
		name       string
		s          *Server
		method     string
		path       string
		hdr        []string
		status     int
		allowed    bool
		backendHit bool
	}{
		{"preflight vite dev server", def, "OPTIONS", "/v1/chat/completions", preflight("http://localhost:5173"), 204, true, false},
		{"preflight 127.0.0.1 https", def, "OPTIONS", "/v1/completions", preflight("https://127.0.0.1"), 204, true, false},
		{"preflight [::1]", def, "OPTIONS", "/v1/models", preflight("http://[::1]:8080"), 204, true, false},
		{"preflight model by name", def, "OPTIONS", "/v1/models/m", preflight("http://localhost"), 204, true, false},
		{"preflight wails linux", def, "OPTIONS", "/v1/embeddings", preflight("wails://wails"), 204, true, false},
		{"preflight wails windows", def, "OPTIONS", "/v1/chat/completions", preflight("http://wails.localhost"), 204, true, false},
		{"preflight web page", def, "OPTIONS", "/v1/chat/completions", preflight("https://evil.example"), 403, false, false},
		{"preflight lookalike", def, "OPTIONS", "/v1/chat/completions", preflight("http://localhost.evil.example"), 403, false, false},
		{"preflight file page", def, "OPTIONS", "/v1/chat/completions", preflight("null"), 403, false, false},
		{"simple POST from web page refused", def, "POST", "/v1/chat/completions", []string{"Origin", "https://evil.example"}, 403, false, false},
		{"POST from loopback page", def, "POST", "/v1/chat/completions", []string{"Origin", "http://localhost:3000"}, 200, true, true},
		{"error has CORS headers", def, "POST", "/v1/nothing", []string{"Origin", "http://localhost:3000"}, 404, true, false},
		{"configured list replaces default", listed, "OPTIONS", "/v1/chat/completions", preflight("http://localhost:5173"), 403, false, false},
		{"configured origin", listed, "OPTIONS", "/v1/chat/completions", preflight("https://app.example.com"), 204, true, false},
		{"star allows any", anyOrigin, "OPTIONS", "/v1/chat/completions", preflight("https://evil.example"), 204, true, false},
		{"no origin: not a browser", def, "POST", "/v1/chat/completions", nil, 200, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == "POST" {
				body = `{"model":"m"}`
				if tt.path == "/v1/nothing" {
					body = `{"model":"zz"}`
				}
			}
			rec := do(tt.s, tt.method, tt.path, body, tt.hdr...)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			h := rec.Header()
			origin := ""
			if len(tt.hdr) > 1 {
				origin = tt.hdr[1]
			}
			if got := h.Get("Access-Control-Allow-Origin"); (got == origin && got != "") != tt.allowed {
				t.Fatalf("Allow-Origin %q (origin %q, allowed %v)", got, origin, tt.allowed)
			}
			if tt.method == "OPTIONS" && tt.allowed {
				if h.Get("Access-Control-Allow-Headers") != "authorization,content-type,x-stainless-os,x-stainless-lang" {
					t.Errorf("Allow-Headers %q", h.Get("Access-Control-Allow-Headers"))
				}
				if h.Get("Access-Control-Allow-Methods") != "GET, POST, OPTIONS" {
					t.Errorf("Allow-Methods %q", h.Get("Access-Control-Allow-Methods"))
				}
			}
			if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
				t.Errorf("no Vary: Origin")
			}
			select {
			case r := <-got:
				if !tt.backendHit {
					t.Fatalf("reached the backend: %s %s", r.Method, r.Path)
				}
				if r.Header.Get("Origin") != "" {
					t.Fatalf("Origin forwarded")
				}
			default:
				if tt.backendHit {
					t.Fatalf("never reached the backend")
				}
			}
		})
	}
}

func TestIsLoopbackOrigin(t *testing.T) {
	tests := []struct {
		origin string
		want   bool
	}{
		{"http://localhost", true}, {"http://localhost:5173", true}, {"https://localhost:443", true},
		{"http://127.0.0.1:34115", true}, {"http://[::1]", true}, {"https://[::1]:8443", true},
		{"HTTP://LOCALHOST:80", true}, {"wails://wails", true}, {"http://wails.localhost", true},
		{"http://wails.localhost:34115", false}, {"https://example.com", false}, {"http://localhost.example.com", false},
		{"http://127.0.0.2", false}, {"http://127.0.0.1.nip.io", false}, {"http://evil.localhost", false},
		{"http://user@localhost", false}, {"http://localhost/path", false}, {"ftp://localhost", false},
		{"http://localhost:99999", false}, {"null", false}, {"", false}, {"file://", false},
	}
	for _, tt := range tests {
		if got := isLoopbackOrigin(tt.origin); got != tt.want {
			t.Errorf("isLoopbackOrigin(%q) = %v, want %v", tt.origin, got, tt.want)
		}
	}
}
