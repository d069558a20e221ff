package proxy

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
)

// The Host check closes DNS rebinding: a page on evil.example that
// resolves to 127.0.0.1 reaches the port, but with its own name in Host.
func TestHostCheck(t *testing.T) {
	be, _ := fakeBackend(t, nil)
	loop := newTestServer(t, nil, model("m", "m", be.URL))
	allowed := newTestServer(t, validConfig(config.Config{AllowedHosts: []string{"gpu1.tail1234.ts.net", ".lab.example"}}), model("m", "m", be.URL))
	tests := []struct {
		name         string
		s            *Server
		method, path string
		host         string
		status       int
	}{
		{"rebinding: models", loop, "GET", "/v1/models", "evil.example", 421},
		{"rebinding with port: chat", loop, "POST", "/v1/chat/completions", "evil.example:3333", 421},
		{"rebinding: health", loop, "GET", "/health", "evil.example", 421},
		{"rebinding: metrics", loop, "GET", "/metrics", "evil.example", 421},
		{"rebinding: login", loop, "GET", "/login", "evil.example", 421},
		{"rebinding: unknown path", loop, "GET", "/nowhere", "evil.example", 421},
		{"loopback address", loop, "GET", "/v1/models", "127.0.0.1:3333", 200},
		{"localhost other port", loop, "GET", "/v1/models", "localhost:1", 200},
		{"[::1]", loop, "GET", "/v1/models", "[::1]:3333", 200},
		{"allowed_hosts exact", allowed, "GET", "/v1/models", "gpu1.tail1234.ts.net:3333", 200},
		{"allowed_hosts domain", allowed, "GET", "/v1/models", "box.lab.example", 200},
		{"allowed_hosts: others still refused", allowed, "GET", "/v1/models", "evil.example", 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(tt.s, tt.method, tt.path, `{"model":"m"}`, "Host", tt.host)
			if rec.Code != tt.status {
				t.Fatalf("%d %s, want %d", rec.Code, rec.Body, tt.status)
			}
			if tt.status == 421 {
				e := apiErr(t, rec.Body.Bytes())
				if e.Code == nil || *e.Code != "misdirected_request" || !strings.Contains(e.Message, "allowed_hosts") ||
					!strings.Contains(e.Message, strings.Split(tt.host, ":")[0]) {
					t.Fatalf("error %+v", e)
				}
			}
		})
	}
}

// Over a real connection, with the headers written byte for byte: none of
// the client's credentials, cookies, origin, hop-by-hop or forwarding
// headers reach the backend.
func TestProxy_HeadersNeverSentUpstream(t *testing.T) {
	be, got := fakeBackend(t, nil)
	s := newTestServer(t, validConfig(config.Config{APIKeys: []string{"client-secret"}}), model("m", "m", be.URL))
	srv := serve(t, s)
	addr := strings.TrimPrefix(srv.URL, "http://")
	body := `{"model":"m"}`
	raw := "POST /v1/chat/completions HTTP/1.1\r\n" +
		"Host: " + addr + "\r\n" +
		"Content-Type: application/json\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n", len(body)) +
		"Authorization: Bearer client-secret\r\n" +
		"X-Api-Key: client-secret\r\n" +
		"Api-Key: client-secret\r\n" +
		"Cookie: llproxy_session_3333=abc; other=1\r\n" +
		"Origin: http://localhost:5173\r\n" +
		"Referer: http://localhost:5173/page\r\n" +
		"Connection: keep-alive, X-Hop\r\n" +
		"X-Hop: named-by-connection\r\n" +
		"Keep-Alive: timeout=5\r\n" +
		"Te: trailers\r\n" +
		"Upgrade: h2c\r\n" +
		"Proxy-Authorization: Basic eDp5\r\n" +
		"Proxy-Connection: keep-alive\r\n" +
		"Forwarded: for=203.0.113.9;proto=https;host=evil.example\r\n" +
		"X-Forwarded-For: 203.0.113.9\r\n" +
		"X-Forwarded-Host: evil.example\r\n" +
		"X-Forwarded-Proto: https\r\n" +
		"X-Real-Ip: 203.0.113.9\r\n" +
		"X-Stainless-Lang: js\r\n" +
		"\r\n" + body
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	h := recv(t, got, "request").Header
	for _, k := range []string{"Authorization", "X-Api-Key", "Api-Key", "Cookie", "Origin", "Referer", "X-Hop",
		"Keep-Alive", "Te", "Upgrade", "Proxy-Authorization", "Proxy-Connection", "Forwarded",
		"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-Ip"} {
		if v, ok := h[k]; ok {
			t.Errorf("%s reached the backend: %q", k, v)
		}
	}
	for k, vs := range h {
		for _, v := range vs {
			if strings.Contains(v, "client-secret") || strings.Contains(v, "evil.example") || strings.Contains(v, "203.0.113.9") {
				t.Errorf("%s carries the client's %q", k, v)
			}
		}
	}
	if h.Get("X-Stainless-Lang") != "js" {
		t.Errorf("an ordinary client header was dropped: %v", h)
	}
}

func TestMetrics_RefusesForeignOrigin(t *testing.T) {
	s := newTestServer(t, nil)
	if rec := do(s, "GET", "/metrics", "", "Origin", "http://evil.example"); rec.Code != 403 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin: %d %v", rec.Code, rec.Header())
	}
	if rec := do(s, "GET", "/metrics", ""); rec.Code != 200 {
		t.Fatalf("no origin: %d", rec.Code)
	}
}

// A page mounted on the proxy's port follows /v1's rules: with api_keys a
// browser gets the login form, then a cookie; writes must be same-origin.
func TestMount_FollowsAccessRules(t *testing.T) {
	s := newTestServer(t, validConfig(config.Config{APIKeys: []string{"sesame"}}))
	s.Mount("/page", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page "+r.Method) }))
	srv := serve(t, s)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	if resp, b := get("/page"); resp.StatusCode != 401 || !strings.Contains(b, "invalid_api_key") {
		t.Fatalf("API client without key: %d %s", resp.StatusCode, b)
	}
	if resp, b := get("/page", "Accept", "text/html"); resp.StatusCode != 401 || !strings.Contains(b, `<form class="login"`) {
		t.Fatalf("browser without key: %d %s", resp.StatusCode, b)
	}
	if resp, b := get("/page", "Authorization", "Bearer sesame"); resp.StatusCode != 200 || b != "page GET" {
		t.Fatalf("with key: %d %s", resp.StatusCode, b)
	}
	form := url.Values{"key": {"sesame"}, "next": {"/page"}}
	resp, err := client.PostForm(srv.URL+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("login: %d %v", resp.StatusCode, resp.Cookies())
	}
	cookie := resp.Cookies()[0].Name + "=" + resp.Cookies()[0].Value
	if resp, b := get("/page", "Cookie", cookie); resp.StatusCode != 200 {
		t.Fatalf("with the cookie: %d %s", resp.StatusCode, b)
	}
	// The session also opens /v1 and /metrics for that browser.
	if resp, _ := get("/v1/models", "Cookie", cookie); resp.StatusCode != 200 {
		t.Fatalf("/v1/models with the cookie: %d", resp.StatusCode)
	}
	post := func(origin string) int {
		req, _ := http.NewRequest("POST", srv.URL+"/page", nil)
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Origin", origin)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("http://evil.example"); code != 403 {
		t.Fatalf("cross-origin POST: %d", code)
	}
	if code := post(srv.URL); code != 200 {
		t.Fatalf("same-origin POST: %d", code)
	}
}

// A page behind a second guard with an extra key (the editor's) shares
// the proxy's logins: an api_keys session opens it; its own key opens it
// and not /v1.
func TestMountWith_SecondGuardSharesSessions(t *testing.T) {
	s := newTestServer(t, &config.Config{APIKeys: []string{"apikey"}})
	editor := access.New(access.Options{Sessions: s.Guard().Sessions(), LoginPath: "/editor/login"},
		access.Settings{Port: 3333, Keys: []string{"apikey", "editorkey"}})
	s.MountWith("/editor", editor, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "editor") }))
	s.MountLogin("/editor/login", editor)
	for _, c := range []struct {
		path, key string
		want      int
	}{
		{"/editor", "editorkey", 200}, {"/editor", "apikey", 200}, {"/editor", "", 401},
		{"/v1/models", "editorkey", 401}, {"/v1/models", "apikey", 200},
	} {
		if rec := do(s, "GET", c.path, "", "X-Api-Key", c.key); rec.Code != c.want {
			t.Errorf("%s with %q: %d, want %d", c.path, c.key, rec.Code, c.want)
		}
	}
	if rec := do(s, "GET", "/editor", "", "Host", "evil.example"); rec.Code != 421 {
		t.Errorf("rebinding: %d", rec.Code)
	}
	// A browser logs in with the editor's key at the editor's login form.
	rec := do(s, "GET", "/editor", "", "Accept", "text/html")
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), `action="/editor/login"`) {
		t.Fatalf("login page: %d %s", rec.Code, rec.Body)
	}
	rec = do(s, "POST", "/editor/login", "key=editorkey&next=/editor", "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || len(rec.Result().Cookies()) != 1 {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	c := rec.Result().Cookies()[0]
	if rec := do(s, "GET", "/editor", "", "Cookie", c.Name+"="+c.Value); rec.Code != 200 {
		t.Errorf("editor with the session: %d", rec.Code)
	}
	if rec := do(s, "GET", "/v1/models", "", "Cookie", c.Name+"="+c.Value); rec.Code != 401 {
		t.Errorf("/v1 with an editor-key session: %d", rec.Code)
	}
}

func TestWrongKeys_429InOpenAIShape(t *testing.T) {
	s := newTestServer(t, &config.Config{APIKeys: []string{"right"}})
	for range 20 {
		if rec := do(s, "GET", "/v1/models", "", "Authorization", "Bearer guess"); rec.Code != 401 {
			t.Fatalf("wrong key: %d", rec.Code)
		}
	}
	rec := do(s, "GET", "/v1/models", "", "Authorization", "Bearer right")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if e := apiErr(t, rec.Body.Bytes()); e.Code == nil || *e.Code != "too_many_attempts" || !strings.Contains(e.Message, "try again in") {
		t.Fatalf("%+v", e)
	}
}
