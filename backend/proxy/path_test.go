package proxy

import (
	"errors"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
)

// pathCases are request paths as a client may send them (curl
// --path-as-is); ok means forwarded as they are.
var pathCases = []struct {
	raw string
	ok  bool
}{
	{"/v1/chat/completions", true},
	{"/v1/completions", true},
	{"/v1/embeddings/", true},
	{"/v1/models%3Aextra", true},
	{"/v1/chat/completions%20x", true},
	// Issue 14, bug 2: dot segments used to reach the backend with its key.
	{"/v1/../../admin", false},
	{"/v1/%2e%2e/%2e%2e/admin", false},
	{"/v1/%2E%2E/admin", false},
	{"/v1/..%2f..%2fadmin", false},
	{"/v1/..%2F..%2Fadmin", false},
	{"/v1/chat/../../../etc/passwd", false},
	{"/v1/./chat/completions", false},
	{"/v1/chat/.", false},
	{"/v1/chat/..", false},
	{"/v1/a%2fb", false},
	{"/v1/a%5cb", false},
	{`/v1/a\..\b`, false},
	{"/v1//chat", false},
	{"/v1/", false},
	{"/v1/a%00b", false},
	{"/v1/a%0d%0ab", false},
	{"/v2/x", false},
}

func TestUpstreamPath(t *testing.T) {
	for _, tc := range pathCases {
		u, err := url.Parse(tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := upstreamPath(u)
		if tc.ok && (err != nil || got != u.EscapedPath()) {
			t.Errorf("%q: got %q, %v; want it forwarded as it is", tc.raw, got, err)
		}
		if !tc.ok && !errors.Is(err, ErrBadPath) {
			t.Errorf("%q: got %q, %v; want ErrBadPath", tc.raw, got, err)
		}
	}
}

// Through the real server: refused with 400, and the backend never hears
// of it.
func TestProxy_RefusesPathsOutsideV1(t *testing.T) {
	be, got := fakeBackend(t, nil)
	m := model("m", "m", be.URL)
	m.Replicas[0].APIKey = "backend-secret"
	srv := serve(t, newTestServer(t, nil, m))
	for _, tc := range pathCases {
		if tc.ok || !strings.HasPrefix(tc.raw, "/v1/") || strings.ContainsAny(tc.raw, `\`) {
			continue
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/x", strings.NewReader(`{"model":"m"}`))
		req.URL.Opaque = tc.raw // sent byte for byte, like curl --path-as-is
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.raw, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", tc.raw, resp.StatusCode)
		}
	}
	select {
	case r := <-got:
		t.Fatalf("the backend got %s %s", r.Method, r.Path)
	default:
	}
}

// FuzzUpstreamPath: whatever is forwarded decodes to a clean path under
// /v1/, and is what the client sent.
func FuzzUpstreamPath(f *testing.F) {
	for _, tc := range pathCases {
		f.Add(tc.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil || u.Opaque != "" || u.Host != "" {
			return
		}
		got, err := upstreamPath(u)
		if err != nil {
			if !errors.Is(err, ErrBadPath) {
				t.Fatalf("%q: error %v is not ErrBadPath", raw, err)
			}
			return
		}
		dec, err := url.PathUnescape(got)
		if err != nil || got != u.EscapedPath() {
			t.Fatalf("%q: forwarded %q", raw, got)
		}
		trimmed := strings.TrimSuffix(dec, "/")
		if !strings.HasPrefix(dec, "/v1/") || path.Clean(trimmed) != trimmed ||
			strings.Contains(strings.ToLower(got), "%2f") || strings.Contains(dec, `\`) {
			t.Fatalf("%q: forwarded %q (decoded %q), which is not a clean path under /v1/", raw, got, dec)
		}
	})
}
