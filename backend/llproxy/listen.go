package llproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ErrPortInUse is matched (errors.Is) by every *PortInUseError.
var ErrPortInUse = errors.New("port already in use")

// PortInUseError says the listen address is taken, and by whom if the
// occupant answered GET /health as an llproxy.
type PortInUseError struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// LLProxy is true when the occupant's /health said service=llproxy;
	// Instance and Version are what it reported.
	LLProxy  bool   `json:"llproxy"`
	Instance string `json:"instance,omitempty"`
	Version  string `json:"version,omitempty"`
	// BaseURL is the occupant's /v1 base URL, for a client that would
	// rather use the llproxy already there.
	BaseURL string `json:"baseUrl"`
}

func (e *PortInUseError) Error() string {
	msg := fmt.Sprintf("port %d on %s is already in use", e.Port, e.Host)
	if e.LLProxy {
		msg += fmt.Sprintf(" by another llproxy (instance %s, version %s)", e.Instance, e.Version)
	}
	return msg
}

// Is makes errors.Is(err, ErrPortInUse) true.
func (e *PortInUseError) Is(target error) bool { return target == ErrPortInUse }

// healthProbeTimeout bounds the question put to a port's occupant.
const healthProbeTimeout = 2 * time.Second

// listen binds host:port (an empty host is loopback, never the
// wildcard). When the address is taken it asks the occupant who it is and
// returns a *PortInUseError.
func listen(ctx context.Context, host string, port int) (net.Listener, error) {
	host = bindHost(host)
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err == nil {
		return ln, nil
	}
	if !addrInUse(err) {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	inUse := &PortInUseError{Host: host, Port: port, BaseURL: baseURL(host, port)}
	if h, ok := askOccupant(ctx, dialHost(host), port); ok {
		inUse.LLProxy, inUse.Instance, inUse.Version = true, h.Instance, h.Version
	}
	return nil, inUse
}

// health is the part of an llproxy's /health answer this package reads.
type health struct {
	Status   string `json:"status"`
	Service  string `json:"service"`
	Instance string `json:"instance"`
	Version  string `json:"version"`
	Models   int    `json:"models"`
}

// askOccupant does GET /health on host:port and reports whether the
// answer came from an llproxy.
func askOccupant(ctx context.Context, host string, port int) (health, bool) {
	ctx, cancel := context.WithTimeout(ctx, healthProbeTimeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/health"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return health{}, false
	}
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return health{}, false
	}
	defer resp.Body.Close()
	var h health
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&h) != nil {
		return health{}, false
	}
	return h, h.Service == "llproxy"
}

// dialHost is the address a client on this machine uses to reach a server
// bound to host: the loopback address when host is a wildcard.
func dialHost(host string) string {
	switch host {
	case "", "0.0.0.0":
		return "127.0.0.1"
	case "::", "[::]":
		return "::1"
	}
	return strings.Trim(host, "[]")
}

// selfAddrs is the listen address as discovery's Self: discovery itself
// resolves names and expands wildcard binds to this machine's addresses.
func selfAddrs(host string, port int) []string {
	return []string{net.JoinHostPort(bindHost(host), strconv.Itoa(port))}
}

// bindHost is the address actually bound for a configured host: an empty
// host means loopback, never the wildcard.
func bindHost(host string) string {
	host = strings.Trim(host, "[]")
	if host == "" {
		return "127.0.0.1"
	}
	return host
}
