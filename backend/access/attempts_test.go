package access

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestGuard_WrongKeysAreSlowedDown(t *testing.T) {
	now := time.Unix(1000, 0)
	g := newTestGuard(Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"right"}})
	g.wrong.now = func() time.Time { return now }
	h := protected(g)
	from := func(addr, key string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host, req.RemoteAddr = "127.0.0.1:3333", addr+":40000"
		if key != "" {
			req.Header.Set("X-Api-Key", key)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for range 50 {
		if rec := from("198.18.0.9", ""); rec.Code != 401 {
			t.Fatalf("no key: %d", rec.Code)
		}
	}
	for i := range MaxWrongKeys {
		if rec := from("198.18.0.9", "guess"); rec.Code != 401 {
			t.Fatalf("wrong key %d: %d", i, rec.Code)
		}
	}
	rec := from("198.18.0.9", "right")
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "too_many_attempts") ||
		!strings.Contains(rec.Body.String(), "try again in 60 s") {
		t.Fatalf("after %d wrong keys, the right one: %d %s", MaxWrongKeys, rec.Code, rec.Body)
	}
	if rec := from("198.18.0.10", "right"); rec.Code != 200 {
		t.Fatalf("another address: %d", rec.Code)
	}
	now = now.Add(WrongKeyWindow)
	if rec := from("198.18.0.9", "right"); rec.Code != 200 {
		t.Fatalf("after the window: %d", rec.Code)
	}
}

func TestGuard_WrongLoginsAreSlowedDown(t *testing.T) {
	g := newTestGuard(Settings{Bind: "127.0.0.1", Port: 3333, Keys: []string{"right"}})
	h := protected(g)
	for range MaxWrongKeys {
		if rec := do(h, "POST", "/login", "key=guess", nil); rec.Code != 401 {
			t.Fatalf("wrong login: %d", rec.Code)
		}
	}
	rec := do(h, "POST", "/login", "key=right", nil)
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "Too many wrong keys") || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestAttempts_Bounded(t *testing.T) {
	a := newAttempts()
	for i := range maxTracked + 5 {
		a.fail(strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String())
	}
	if n := len(a.by); n > maxTracked {
		t.Fatalf("%d addresses tracked", n)
	}
}
