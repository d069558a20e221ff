package discovery

import (
	"context"
	"net"
	"testing"
)

func TestSelfFilter(t *testing.T) {
	hosts := map[string][]net.IP{
		"localhost": {net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		"myhost":    {net.ParseIP("192.168.1.20")},
		"other":     {net.ParseIP("192.168.1.99")},
	}
	resolve := func(_ context.Context, host string) []net.IP { return hosts[host] }
	local := func() []net.IP { return []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("192.168.1.20")} }

	for _, tc := range []struct {
		name string
		self []string
		host string
		port int
		want bool
	}{
		{"exact IP", []string{"127.0.0.1:3333"}, "127.0.0.1", 3333, true},
		{"other port", []string{"127.0.0.1:3333"}, "127.0.0.1", 3334, false},
		{"other loopback IP", []string{"127.0.0.1:3333"}, "127.0.0.2", 3333, false},
		{"name resolving to self", []string{"127.0.0.1:3333"}, "localhost", 3333, true},
		{"self given by name", []string{"localhost:3333"}, "::1", 3333, true},
		{"self name, same name in other case", []string{"LocalHost:3333"}, "localhost", 3333, true},
		{"IPv6 loopback", []string{"[::1]:3333"}, "::1", 3333, true},
		{"IPv4 wildcard, any loopback", []string{"0.0.0.0:3333"}, "127.0.0.9", 3333, true},
		{"IPv6 wildcard, IPv4 loopback", []string{"[::]:3333"}, "127.0.0.1", 3333, true},
		{"empty host is a wildcard", []string{":3333"}, "localhost", 3333, true},
		{"wildcard, own LAN address", []string{"0.0.0.0:3333"}, "myhost", 3333, true},
		{"wildcard, another machine", []string{"0.0.0.0:3333"}, "other", 3333, false},
		{"wildcard, other port", []string{"0.0.0.0:3333"}, "127.0.0.1", 3300, false},
		{"unresolvable name", []string{"127.0.0.1:3333"}, "nowhere", 3333, false},
		{"malformed self ignored", []string{"3333", "host:port", "h:0"}, "127.0.0.1", 3333, false},
		{"no self", nil, "127.0.0.1", 3333, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSelfFilterWith(context.Background(), tc.self, resolve, local)
			if got := f.skip(context.Background(), tc.host, tc.port); got != tc.want {
				t.Errorf("skip(%s, %d) with self %q = %v, want %v", tc.host, tc.port, tc.self, got, tc.want)
			}
		})
	}
}
