package access

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkGuard_PerRequest is what every request to the port pays: the
// Host check and the key check (with api_keys set, the key in a header).
func BenchmarkGuard_PerRequest(b *testing.B) {
	for _, bc := range []struct {
		name string
		s    Settings
		host string
	}{
		{"loopback, no keys", Settings{Bind: "127.0.0.1", Port: 3333}, "127.0.0.1:3333"},
		{"wildcard, interface address, 2 keys", Settings{Bind: "0.0.0.0", Port: 3333, Keys: []string{"k1", "sk-right"}}, "127.0.0.1:3333"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			g := New(Options{}, bc.s)
			req := httptest.NewRequest("POST", "/v1/chat/completions", nil)
			req.Host = bc.host
			req.Header.Set("Authorization", "Bearer sk-right")
			b.ReportAllocs()
			for b.Loop() {
				if g.CheckHost(req) != nil {
					b.Fatal("host refused")
				}
				if _, err := g.Authenticate(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
