package access

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newTestGuard(s Settings) *Guard {
	return New(Options{}, s)
}

// protected is a Guard-protected handler answering "secret".
func protected(g *Guard) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/login", g.Login)
	mux.Handle("/", g.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secret")
	})))
	return mux
}

func do(h http.Handler, method, target string, body string, hdr map[string]string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.Host = "127.0.0.1:3333"
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestGuard_Protect(t *testing.T) {
	keyed := Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"k1", "k2"}}
	open := Settings{Bind: "127.0.0.1", Port: 3333}
	tests := []struct {
		name     string
		s        Settings
		method   string
		hdr      map[string]string
		status   int
		contains string
	}{
		{"open, loopback", open, "GET", nil, 200, "secret"},
		{"open, rebinding host", open, "GET", map[string]string{"Host": "evil.example"}, 421, `"code":"misdirected_request"`},
		{"keyed, no key, API client", keyed, "GET", nil, 401, `"code":"invalid_api_key"`},
		{"keyed, no key, browser gets the login form", keyed, "GET", map[string]string{"Accept": "text/html,*/*"}, 401, `name="key"`},
		{"keyed, bearer", keyed, "GET", map[string]string{"Authorization": "Bearer k2"}, 200, "secret"},
		{"keyed, bearer lower-case scheme", keyed, "GET", map[string]string{"Authorization": "bearer k1"}, 200, "secret"},
		{"keyed, x-api-key", keyed, "GET", map[string]string{"X-Api-Key": "k1"}, 200, "secret"},
		{"keyed, wrong key", keyed, "GET", map[string]string{"X-Api-Key": "k3"}, 401, "invalid_api_key"},
		{"keyed, host checked before the key", keyed, "GET", map[string]string{"Host": "evil.example", "X-Api-Key": "k1"}, 421, "allowed_hosts"},
		{"cross-origin POST refused", open, "POST", map[string]string{"Origin": "http://evil.example"}, 403, `"code":"cross_origin"`},
		{"cross-site fetch metadata refused", open, "POST", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross_origin"},
		{"same-origin POST", open, "POST", map[string]string{"Origin": "http://127.0.0.1:3333"}, 200, "secret"},
		{"POST without Origin (curl)", open, "POST", nil, 200, "secret"},
		{"cross-origin GET is a read", open, "GET", map[string]string{"Origin": "http://evil.example"}, 200, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(protected(newTestGuard(tt.s)), tt.method, "/status", "", tt.hdr)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) {
				t.Fatalf("got %d %q, want %d containing %q", rec.Code, rec.Body, tt.status, tt.contains)
			}
		})
	}
}

func TestGuard_LoginSetsSessionCookie(t *testing.T) {
	for _, tlsOn := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[tlsOn], func(t *testing.T) {
			g := newTestGuard(Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"sesame"}, TLS: tlsOn})
			h := protected(g)
			form := url.Values{"key": {"sesame"}, "next": {"/status?x=1"}}.Encode()
			rec := do(h, "POST", "/login", form, map[string]string{"Origin": "http://127.0.0.1:3333"})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/status?x=1" {
				t.Fatalf("login: %d Location %q", rec.Code, rec.Header().Get("Location"))
			}
			cookies := rec.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("cookies = %v", cookies)
			}
			c := cookies[0]
			wantName := "llproxy_session_3333"
			if tlsOn {
				wantName = "__Host-" + wantName
			}
			if c.Name != wantName || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tlsOn || c.Path != "/" ||
				c.Value == "" || c.Value == "sesame" || c.MaxAge != int(SessionTTL.Seconds()) {
				t.Fatalf("cookie = %+v", c)
			}
			rec = do(h, "GET", "/status", "", map[string]string{"Cookie": c.Name + "=" + c.Value})
			if rec.Code != 200 {
				t.Fatalf("with the cookie: %d %s", rec.Code, rec.Body)
			}
			// Logging out ends the session on the server, not only in the browser.
			rec = do(h, "POST", "/login?logout", "next=/status", map[string]string{"Cookie": c.Name + "=" + c.Value})
			if rec.Code != http.StatusSeeOther || rec.Result().Cookies()[0].MaxAge >= 0 {
				t.Fatalf("logout: %d %v", rec.Code, rec.Result().Cookies())
			}
			if rec = do(h, "GET", "/status", "", map[string]string{"Cookie": c.Name + "=" + c.Value}); rec.Code != 401 {
				t.Fatalf("after logout: %d", rec.Code)
			}
		})
	}
}

func TestGuard_LoginPageWithoutKeysGoesOn(t *testing.T) {
	h := protected(newTestGuard(Settings{Bind: "127.0.0.1", Port: 3333}))
	rec := do(h, "GET", "/login?next=/status", "", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/status" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
	rec = do(protected(newTestGuard(Settings{Port: 3333, Keys: []string{"k"}})), "GET", "/login?next=/status", "", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="next" value="/status"`) {
		t.Fatalf("with keys: %d %s", rec.Code, rec.Body)
	}
}

func TestGuard_LoginRefusals(t *testing.T) {
	g := newTestGuard(Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"sesame"}})
	h := protected(g)
	tests := []struct {
		name     string
		form     string
		hdr      map[string]string
		status   int
		contains string
	}{
		{"wrong key", "key=nope&next=/status", nil, 401, "not accepted"},
		{"empty key", "key=&next=/status", nil, 401, "not accepted"},
		{"login CSRF from another site", "key=sesame", map[string]string{"Origin": "http://evil.example"}, 403, "cross_origin"},
		{"rebinding host", "key=sesame", map[string]string{"Host": "evil.example:3333"}, 421, "misdirected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "POST", "/login", tt.form, tt.hdr)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) || len(rec.Result().Cookies()) != 0 {
				t.Fatalf("got %d %q cookies %v", rec.Code, rec.Body, rec.Result().Cookies())
			}
		})
	}
	if g.Sessions().Len() != 0 {
		t.Fatalf("a refused login opened a session")
	}
}

// login logs in with key and returns the Cookie header value.
func login(t *testing.T, h http.Handler, key string) string {
	t.Helper()
	rec := do(h, "POST", "/login", "key="+key, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	c := rec.Result().Cookies()[0]
	return c.Name + "=" + c.Value
}

func TestGuard_RemovedKeyEndsItsSessions(t *testing.T) {
	s := Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"old", "other"}}
	g := newTestGuard(s)
	h := protected(g)
	cookie := login(t, h, "old")
	s.Keys = []string{"other"}
	g.Set(s)
	if rec := do(h, "GET", "/", "", map[string]string{"Cookie": cookie}); rec.Code != 401 {
		t.Fatalf("session of a removed key still works: %d", rec.Code)
	}
	s.Keys = []string{"other", "old"}
	g.Set(s)
	if rec := do(h, "GET", "/", "", map[string]string{"Cookie": cookie}); rec.Code != 200 {
		t.Fatalf("key back, session refused: %d", rec.Code)
	}
}

// Two Guards share one store: a session opened with a key both accept
// works on both; one opened with a key only the second accepts (the
// editor's generated key) does not open the first.
func TestGuard_SharedSessions(t *testing.T) {
	store := NewSessions()
	api := New(Options{Sessions: store}, Settings{Port: 3333, Keys: []string{"apikey"}})
	editor := New(Options{Sessions: store}, Settings{Port: 3333, Keys: []string{"apikey", "editorkey"}})
	apiH, editorH := protected(api), protected(editor)
	byAPIKey := login(t, apiH, "apikey")
	byEditorKey := login(t, editorH, "editorkey")
	for _, c := range []struct {
		h      http.Handler
		cookie string
		want   int
	}{{apiH, byAPIKey, 200}, {editorH, byAPIKey, 200}, {editorH, byEditorKey, 200}, {apiH, byEditorKey, 401}} {
		if rec := do(c.h, "GET", "/", "", map[string]string{"Cookie": c.cookie}); rec.Code != c.want {
			t.Errorf("cookie %s: %d, want %d", c.cookie[:30], rec.Code, c.want)
		}
	}
}

func TestSessions_Expire(t *testing.T) {
	now := time.Unix(0, 0)
	s := NewSessions()
	s.now = func() time.Time { return now }
	sess := s.open(hashKey("k"))
	if _, ok := s.lookup(sess.ID); !ok {
		t.Fatal("fresh session not found")
	}
	now = now.Add(SessionTTL)
	if _, ok := s.lookup(sess.ID); ok {
		t.Fatal("expired session accepted")
	}
	if s.Len() != 0 {
		t.Fatal("expired session kept")
	}
}

func TestSessions_Bounded(t *testing.T) {
	now := time.Unix(0, 0)
	s := NewSessions()
	s.now = func() time.Time { return now }
	for range maxSessions + 10 {
		s.open(hashKey("k"))
		now = now.Add(time.Second)
	}
	if n := s.Len(); n > maxSessions {
		t.Fatalf("%d sessions held, max %d", n, maxSessions)
	}
	last := s.open(hashKey("k"))
	if _, ok := s.lookup(last.ID); !ok {
		t.Fatal("the newest session was evicted")
	}
}

func TestSession_CSRF(t *testing.T) {
	sess := NewSessions().open(hashKey("k"))
	if !sess.CheckCSRF(sess.CSRF) || sess.CheckCSRF("") || sess.CheckCSRF(sess.CSRF+"x") || sess.CSRF == sess.ID {
		t.Fatal("CSRF token check is wrong")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/status":               "/status",
		"/status?a=1#x":         "/status?a=1#x",
		"":                      "/",
		"status":                "/",
		"//evil.example/":       "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"/a\r\nSet-Cookie: x":   "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoginPage_WarnsWithoutTLSOffLoopback(t *testing.T) {
	g := newTestGuard(Settings{Bind: "0.0.0.0", Port: 3333, Keys: []string{"k"}})
	rec := do(protected(g), "GET", "/status", "", map[string]string{"Accept": "text/html", "Host": "localhost:3333"})
	if strings.Contains(rec.Body.String(), "not served over HTTPS") {
		t.Fatal("TLS warning on loopback")
	}
	local := fakeLocal("box", "198.18.0.2")
	g.policy.Load().hosts.local = local
	rec = do(protected(g), "GET", "/status", "", map[string]string{"Accept": "text/html", "Host": "198.18.0.2:3333"})
	if rec.Code != 401 || !strings.Contains(rec.Body.String(), "not served over HTTPS") ||
		!strings.Contains(rec.Body.String(), `value="/status"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestStatusAndCode(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		code   string
	}{
		{ErrMisdirected, 421, "misdirected_request"},
		{errUnauthorized, 401, "invalid_api_key"},
		{ErrCrossOrigin, 403, "cross_origin"},
		{errors.New("other"), 500, ""},
	} {
		if Status(c.err) != c.status || Code(c.err) != c.code {
			t.Errorf("%v: %d %q", c.err, Status(c.err), Code(c.err))
		}
	}
}

func TestIsLoopbackBind(t *testing.T) {
	for bind, want := range map[string]bool{
		"": true, "127.0.0.1": true, "127.0.0.9": true, "::1": true, "[::1]": true, "localhost": true,
		"0.0.0.0": false, "::": false, "198.18.0.2": false, "::ffff:127.0.0.1": true, "192.168.1.5": false,
	} {
		if got := IsLoopbackBind(bind); got != want {
			t.Errorf("IsLoopbackBind(%q) = %v, want %v", bind, got, want)
		}
	}
}
