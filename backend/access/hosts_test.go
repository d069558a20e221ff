package access

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// fakeLocal is a machine with the given interface addresses and host name.
func fakeLocal(name string, addrs ...string) *localAddrs {
	l := &localAddrs{
		hostname: func() (string, error) { return name, nil },
		refresh:  time.Second,
		now:      time.Now,
	}
	l.addrs = func() ([]netip.Addr, error) {
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}
	return l
}

func resolveTo(addrs ...string) resolveFunc {
	return func(context.Context, string, string) ([]netip.Addr, error) {
		if len(addrs) == 0 {
			return nil, errors.New("no such host")
		}
		var out []netip.Addr
		for _, a := range addrs {
			out = append(out, netip.MustParseAddr(a))
		}
		return out, nil
	}
}

func TestHostRule_Allowed(t *testing.T) {
	local := fakeLocal("gpubox", "127.0.0.1", "::1", "198.18.0.2", "fe80::1")
	tests := []struct {
		name    string
		bind    string
		allowed []string
		resolve resolveFunc
		host    string
		want    bool
	}{
		{"loopback bind, its own address", "127.0.0.1", nil, nil, "127.0.0.1:3333", true},
		{"loopback bind, localhost any port", "127.0.0.1", nil, nil, "localhost:9", true},
		{"loopback bind, LOCALHOST with dot", "127.0.0.1", nil, nil, "LOCALHOST.:3333", true},
		{"loopback bind, ::1", "127.0.0.1", nil, nil, "[::1]:3333", true},
		{"loopback bind, no port", "127.0.0.1", nil, nil, "127.0.0.1", true},
		{"loopback bind, other loopback IP", "127.0.0.1", nil, nil, "127.0.0.2:3333", true},
		{"default bind is loopback", "", nil, nil, "localhost:3333", true},
		{"DNS rebinding on loopback", "127.0.0.1", nil, nil, "evil.example", false},
		{"DNS rebinding with port", "127.0.0.1", nil, nil, "evil.example:3333", false},
		{"LAN address on loopback bind", "127.0.0.1", nil, nil, "198.18.0.2:3333", false},
		{"no Host (HTTP/1.0)", "127.0.0.1", nil, nil, "", true},
		{"garbage", "127.0.0.1", nil, nil, "[::1", false},
		{"IPv6 loopback bind", "::1", nil, nil, "localhost:3333", true},
		{"bracketed IPv6 bind", "[::1]", nil, nil, "[::1]:1", true},
		{"specific LAN bind, itself", "198.18.0.2", nil, nil, "198.18.0.2:3333", true},
		{"specific LAN bind, localhost refused", "198.18.0.2", nil, nil, "localhost:3333", false},
		{"specific LAN bind, host name needs allowed_hosts", "198.18.0.2", nil, nil, "gpubox:3333", false},
		{"name bind, the name", "gpubox.lan", nil, resolveTo("198.18.0.2"), "GPUBOX.lan:3333", true},
		{"name bind resolving to loopback", "myloop", nil, resolveTo("127.0.0.1"), "localhost", true},
		{"name bind resolving to LAN", "gpubox.lan", nil, resolveTo("198.18.0.2"), "localhost", false},
		{"name bind unresolvable", "nowhere", nil, resolveTo(), "localhost", false},
		{"wildcard, interface address", "0.0.0.0", nil, nil, "198.18.0.2:3333", true},
		{"wildcard, IPv6 interface address", "::", nil, nil, "[fe80::1]:3333", true},
		{"wildcard, host name", "0.0.0.0", nil, nil, "GpuBox:3333", true},
		{"wildcard, localhost", "0.0.0.0", nil, nil, "localhost:3333", true},
		{"wildcard, foreign address", "0.0.0.0", nil, nil, "198.18.0.9:3333", false},
		{"wildcard, rebinding name", "0.0.0.0", nil, nil, "evil.example", false},
		{"wildcard, host name as prefix of a foreign domain", "0.0.0.0", nil, nil, "gpubox.evil.example", false},
		{"allowed_hosts exact", "0.0.0.0", []string{"gpu1.tail1234.ts.net"}, nil, "gpu1.tail1234.ts.net:443", true},
		{"allowed_hosts exact is not a suffix", "0.0.0.0", []string{"example.com"}, nil, "a.example.com", false},
		{"allowed_hosts domain", "0.0.0.0", []string{".example.com"}, nil, "a.b.example.com", true},
		{"allowed_hosts domain itself", "0.0.0.0", []string{".example.com"}, nil, "example.com:80", true},
		{"allowed_hosts domain is not a bare suffix", "0.0.0.0", []string{".example.com"}, nil, "badexample.com", false},
		{"allowed_hosts IP", "127.0.0.1", []string{"198.18.0.7"}, nil, "198.18.0.7:3333", true},
		{"allowed_hosts IPv6 in brackets", "127.0.0.1", []string{"[2001:db8::1]"}, nil, "[2001:db8::1]:3333", true},
		{"allowed_hosts star", "127.0.0.1", []string{"*"}, nil, "evil.example", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resolve := tt.resolve
			if resolve == nil {
				resolve = resolveTo()
			}
			r := newHostRule(tt.bind, tt.allowed, local, resolve)
			if got := r.Allowed(tt.host); got != tt.want {
				t.Errorf("Allowed(%q) with bind %q, allowed %v = %v, want %v", tt.host, tt.bind, tt.allowed, got, tt.want)
			}
		})
	}
}

func TestHostRule_CheckNamesTheHost(t *testing.T) {
	err := newHostRule("127.0.0.1", nil, nil, resolveTo()).Check("evil.example:3333")
	if !errors.Is(err, ErrMisdirected) {
		t.Fatalf("err = %v, want ErrMisdirected", err)
	}
	for _, want := range []string{`"evil.example"`, "allowed_hosts", "DNS rebinding"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not mention %s", err, want)
		}
	}
}

// A wildcard-bound server learns a new interface address (a DHCP lease)
// without a restart, but does not re-read the addresses more than once
// per refresh interval.
func TestLocalAddrs_RereadsOnUnknownIP(t *testing.T) {
	addrs := []string{"127.0.0.1"}
	reads := 0
	now := time.Unix(1000, 0)
	l := &localAddrs{
		hostname: func() (string, error) { return "box", nil },
		refresh:  time.Second,
		now:      func() time.Time { return now },
		addrs: func() ([]netip.Addr, error) {
			reads++
			var out []netip.Addr
			for _, a := range addrs {
				out = append(out, netip.MustParseAddr(a))
			}
			return out, nil
		},
	}
	if l.has("198.18.0.5") {
		t.Fatal("unknown address accepted")
	}
	addrs = append(addrs, "198.18.0.5")
	if l.has("198.18.0.5") {
		t.Fatal("addresses re-read within the refresh interval")
	}
	if l.has("evil.example") || reads != 1 {
		t.Fatalf("a name made the addresses be read again (reads = %d)", reads)
	}
	now = now.Add(2 * time.Second)
	if !l.has("198.18.0.5") {
		t.Fatal("new interface address not picked up after the refresh interval")
	}
	if reads != 2 {
		t.Fatalf("reads = %d, want 2", reads)
	}
}
