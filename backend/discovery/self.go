package discovery

import (
	"context"
	"net"
	"strconv"
	"strings"
	"time"
)

// selfFilter recognises the proxy's own listen addresses, which discovery
// must never probe (two proxies that found themselves would loop).
type selfFilter struct {
	exact     map[string]bool // canonical "ip:port" and "hostname:port"
	anyHost   map[int]bool    // ports of wildcard listeners (0.0.0.0, ::, "")
	ports     map[int]bool    // every port in exact or anyHost
	resolve   func(ctx context.Context, host string) []net.IP
	localIPs  func() []net.IP
	resolved  map[string][]net.IP
	localSeen []net.IP
	localDone bool
}

// newSelfFilter parses "host:port" listen addresses; malformed ones are
// ignored (there is nothing to probe there either way).
func newSelfFilter(ctx context.Context, addrs []string) *selfFilter {
	return newSelfFilterWith(ctx, addrs, lookupIPs, interfaceIPs)
}

// newSelfFilterWith is newSelfFilter with the name resolver and the list of
// local addresses given.
func newSelfFilterWith(ctx context.Context, addrs []string,
	resolve func(ctx context.Context, host string) []net.IP, localIPs func() []net.IP) *selfFilter {
	f := &selfFilter{
		exact:    map[string]bool{},
		anyHost:  map[int]bool{},
		ports:    map[int]bool{},
		resolve:  resolve,
		localIPs: localIPs,
		resolved: map[string][]net.IP{},
	}
	for _, addr := range addrs {
		host, portStr, err := net.SplitHostPort(addr)
		port, perr := strconv.Atoi(portStr)
		if err != nil || perr != nil || port <= 0 {
			continue
		}
		f.ports[port] = true
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			f.anyHost[port] = true
			continue
		}
		f.exact[hostPortKey(strings.ToLower(host), port)] = true
		for _, ip := range f.lookup(ctx, host) {
			f.exact[hostPortKey(ip.String(), port)] = true
		}
	}
	return f
}

// skip reports whether host:port is one of the proxy's own addresses.
func (f *selfFilter) skip(ctx context.Context, host string, port int) bool {
	if !f.ports[port] {
		return false
	}
	if f.exact[hostPortKey(strings.ToLower(host), port)] {
		return true
	}
	ips := f.lookup(ctx, host)
	for _, ip := range ips {
		if f.exact[hostPortKey(ip.String(), port)] {
			return true
		}
	}
	if !f.anyHost[port] {
		return false
	}
	for _, ip := range ips {
		if ip.IsLoopback() || ip.IsUnspecified() || f.isLocal(ip) {
			return true
		}
	}
	return false
}

func (f *selfFilter) lookup(ctx context.Context, host string) []net.IP {
	if ip := net.ParseIP(host); ip != nil {
		return []net.IP{ip}
	}
	if ips, ok := f.resolved[host]; ok {
		return ips
	}
	ips := f.resolve(ctx, host)
	f.resolved[host] = ips
	return ips
}

func (f *selfFilter) isLocal(ip net.IP) bool {
	if !f.localDone {
		f.localSeen, f.localDone = f.localIPs(), true
	}
	for _, l := range f.localSeen {
		if l.Equal(ip) {
			return true
		}
	}
	return false
}

func hostPortKey(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// lookupIPs resolves a host name, giving up quickly; a name that does not
// resolve is simply not ours.
func lookupIPs(ctx context.Context, host string) []net.IP {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil
	}
	ips := make([]net.IP, 0, len(addrs))
	for _, a := range addrs {
		ips = append(ips, a.IP)
	}
	return ips
}

// interfaceIPs lists this machine's own addresses.
func interfaceIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var ips []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			ips = append(ips, n.IP)
		}
	}
	return ips
}
