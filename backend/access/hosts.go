package access

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"
)

// ErrMisdirected: the request's Host does not name this server (HTTP 421).
var ErrMisdirected = errors.New("host not served here")

// HostRule decides which Host header values name this server. Build it
// with NewHostRule; it is safe for concurrent use.
type HostRule struct {
	any      bool            // allowed_hosts has "*"
	exact    map[string]bool // lower-case names and canonical IPs
	suffixes []string        // ".example.com" entries
	loopback bool            // accept localhost, 127.0.0.1, ::1
	wildcard bool            // accept this machine's interface addresses and host name
	local    *localAddrs     // nil unless wildcard
}

// NewHostRule builds the rule for a server bound to bind (an IP, a host
// name, or a wildcard; "" means 127.0.0.1) that also answers to allowed
// (the config's allowed_hosts, already validated).
func NewHostRule(bind string, allowed []string) *HostRule {
	return newHostRule(bind, allowed, systemLocal, net.DefaultResolver.LookupNetIP)
}

type resolveFunc func(ctx context.Context, network, host string) ([]netip.Addr, error)

func newHostRule(bind string, allowed []string, local *localAddrs, resolve resolveFunc) *HostRule {
	r := &HostRule{exact: map[string]bool{}}
	bind = strings.Trim(bind, "[]")
	if bind == "" {
		bind = "127.0.0.1"
	}
	r.exact[canonicalHost(bind)] = true
	switch ip, err := netip.ParseAddr(bind); {
	case err == nil && ip.IsUnspecified():
		r.wildcard, r.loopback, r.local = true, true, local
	case err == nil:
		r.loopback = ip.Unmap().IsLoopback()
	default:
		r.loopback = resolvesToLoopback(bind, resolve)
	}
	for _, a := range allowed {
		a = strings.ToLower(strings.Trim(strings.TrimSpace(a), "[]"))
		switch {
		case a == "*":
			r.any = true
		case strings.HasPrefix(a, "."):
			r.suffixes = append(r.suffixes, a)
		case a != "":
			r.exact[canonicalHost(a)] = true
		}
	}
	return r
}

// resolvesToLoopback reports whether a bind name like "localhost" resolves
// to loopback addresses only.
func resolvesToLoopback(name string, resolve resolveFunc) bool {
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ips, err := resolve(ctx, "ip", name)
	if err != nil || len(ips) == 0 {
		return false
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			return false
		}
	}
	return true
}

// Allowed reports whether hostport (a Host header: "name", "name:port",
// "1.2.3.4:port", "[::1]:port") names this server. The port is ignored.
func (r *HostRule) Allowed(hostport string) bool {
	if hostport == "" || r.any {
		return true
	}
	host := canonicalHost(hostOnly(hostport))
	if host == "" {
		return false
	}
	if r.exact[host] {
		return true
	}
	for _, s := range r.suffixes {
		if host == s[1:] || strings.HasSuffix(host, s) {
			return true
		}
	}
	if r.loopback && isLoopbackName(host) {
		return true
	}
	return r.wildcard && r.local.has(host)
}

// Check is Allowed as an error: nil, or one matching ErrMisdirected whose
// message names the host and says how to allow it.
func (r *HostRule) Check(hostport string) error {
	if r.Allowed(hostport) {
		return nil
	}
	return &hostError{host: hostOnly(hostport)}
}

type hostError struct{ host string }

func (e *hostError) Error() string {
	return fmt.Sprintf("host %q is not served here: this server answers only to its own names "+
		"(a protection against DNS rebinding); to reach it as %q, add that name to allowed_hosts in the config",
		e.host, e.host)
}

func (e *hostError) Is(target error) bool { return target == ErrMisdirected }

// hostOnly strips the port from a Host header value.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	if inner, ok := strings.CutPrefix(hostport, "["); ok {
		inner, ok = strings.CutSuffix(inner, "]")
		if !ok {
			return "" // malformed
		}
		return inner
	}
	return hostport
}

// canonicalHost lower-cases a name, drops one trailing dot, and writes an
// IP the one way netip does ("::ffff:127.0.0.1" → "127.0.0.1").
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().WithZone("").String()
	}
	return h
}

func isLoopbackName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// localAddrs knows this machine's interface addresses and host name,
// re-reading the addresses when asked about an IP it does not know (at
// most once per refresh interval), so a new DHCP lease is picked up.
type localAddrs struct {
	addrs    func() ([]netip.Addr, error)
	hostname func() (string, error)
	refresh  time.Duration
	now      func() time.Time

	mu     sync.Mutex // guards the fields below
	known  map[string]bool
	loaded time.Time
	name   string
}

var systemLocal = &localAddrs{addrs: interfaceAddrs, hostname: os.Hostname, refresh: time.Second, now: time.Now}

func (l *localAddrs) has(host string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.known == nil {
		l.load()
	}
	if l.known[host] || (l.name != "" && host == l.name) {
		return true
	}
	if _, err := netip.ParseAddr(host); err != nil || l.now().Sub(l.loaded) < l.refresh {
		return false
	}
	l.load()
	return l.known[host]
}

// load reads the addresses and the host name; called with mu held.
func (l *localAddrs) load() {
	l.known, l.loaded = map[string]bool{}, l.now()
	if ips, err := l.addrs(); err == nil {
		for _, ip := range ips {
			l.known[canonicalHost(ip.String())] = true
		}
	}
	if name, err := l.hostname(); err == nil {
		l.name = canonicalHost(name)
	}
}

func interfaceAddrs() ([]netip.Addr, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr())
		}
	}
	return out, nil
}
