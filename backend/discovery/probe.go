package discovery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/sshpool"
)

// maxModelsBody bounds how much of a /v1/models answer is read.
const maxModelsBody = 8 << 20

// outcome classifies a probe for the retention rule.
type outcome int

const (
	answered outcome = iota // a 2xx JSON model list
	refused                 // connection refused: the server is gone
	busy                    // timed out or 503: keep its models one more run
	failed                  // anything else: it contributes nothing now
)

// target is one place to ask for models: a host and port, or a fixed URL.
type target struct {
	Endpoint int
	Host     string
	Port     int
	Fixed    bool   // a URL endpoint: Host and Port come from its URL
	BaseURL  string // without /v1
	Label    string // "host:port" or the (redacted) URL, for logs and reports
	APIKey   string
	Static   []entry // the endpoint's "models" list; nil means probe
	// Tunnel, when set, is the SSH login through which the port is dialled.
	Tunnel sshpool.Target
}

// probeResult is what one probe found.
type probeResult struct {
	Outcome outcome
	Entries []entry // when Outcome == answered
	Err     error   // otherwise
	// Elapsed is the time from the run's start until this probe finished.
	Elapsed time.Duration
}

// probe asks one target for its model list, within timeout.
func probe(ctx context.Context, client *http.Client, t target, timeout time.Duration) probeResult {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.BaseURL+"/v1/models", nil)
	if err != nil {
		return probeResult{Outcome: failed, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if t.Fixed {
		req = req.WithContext(context.WithValue(req.Context(), envProxyKey{}, true))
	}
	if t.Tunnel.Host != "" {
		// What the remote side dials first; servers that check Host
		// (Ollama, llproxy) accept loopback names.
		req.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(t.Port))
	}
	if t.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+t.APIKey)
	}
	resp, err := client.Do(req)
	if err != nil {
		return failure(err, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusServiceUnavailable {
		return probeResult{Outcome: busy, Err: errors.New("HTTP 503")}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return probeResult{Outcome: failed, Err: fmt.Errorf("HTTP %d", resp.StatusCode)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxModelsBody+1))
	if err != nil {
		return failure(err, timeout)
	}
	if len(body) > maxModelsBody {
		return probeResult{Outcome: failed, Err: fmt.Errorf("answer larger than %d bytes", maxModelsBody)}
	}
	entries, err := parseModelList(body)
	if err != nil {
		return probeResult{Outcome: failed, Err: err}
	}
	if peer := resp.Header.Get(InstanceHeader); peer != "" {
		for i := range entries {
			entries[i].Through = peer
		}
	}
	return probeResult{Outcome: answered, Entries: entries}
}

// failure classifies a transport error.
func failure(err error, timeout time.Duration) probeResult {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // the URL is in the report's label already
	}
	var netErr net.Error
	switch {
	case errors.Is(err, sshpool.ErrNoConnection):
		// The host is unreachable: its servers count as timed out.
		return probeResult{Outcome: busy, Err: err}
	case isRefused(err):
		return probeResult{Outcome: refused, Err: errors.New("connection refused")}
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return probeResult{Outcome: busy, Err: fmt.Errorf("no answer within %v", timeout)}
	}
	return probeResult{Outcome: failed, Err: err}
}

// InstanceHeader is the llproxy loop-guard header (proxy.InstanceHeader).
// Probes carry this llproxy's instance in it, so that another llproxy
// lists only the models it found itself; its answer carries its own
// instance, so that discovery knows the models came through an llproxy
// (registry.Model.Through).
const InstanceHeader = "X-LLProxy-Instance"

// envProxyKey marks a probe's context when the probe may go through the
// environment's proxy: only a fixed URL endpoint's (a hosted API), as the
// proxy does when it forwards (registry.Backend.EnvProxy).
type envProxyKey struct{}

// envProxy is http.ProxyFromEnvironment; tests replace it.
var envProxy = http.ProxyFromEnvironment

// proxyFor is the probing transport's Proxy: direct, except for probes
// marked with envProxyKey.
func proxyFor(r *http.Request) (*url.URL, error) {
	if on, _ := r.Context().Value(envProxyKey{}).(bool); on {
		return envProxy(r)
	}
	return nil, nil
}

// instanceTransport names this llproxy's instance on every probe.
type instanceTransport struct {
	base     http.RoundTripper
	instance string
}

func (t instanceTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(InstanceHeader, t.instance)
	return t.base.RoundTrip(r)
}

// withInstance returns c sending InstanceHeader: instance on every
// request; c itself when instance is empty.
func withInstance(c *http.Client, instance string) *http.Client {
	if instance == "" {
		return c
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out := *c
	out.Transport = instanceTransport{base: base, instance: instance}
	return &out
}

// wsaeConnRefused is Windows' WSAECONNREFUSED, which syscall.ECONNREFUSED
// does not match there.
const wsaeConnRefused = syscall.Errno(10061)

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, wsaeConnRefused)
}

// newClient builds the probing client for cfg: a dial timeout no longer than
// the probe timeout, no connection reuse, and the environment's proxy only
// for URL endpoints (see proxyFor).
func newClient(cfg *config.Config) *http.Client {
	dial := min(cfg.ProbeTimeoutDuration(), cfg.ConnectTimeoutDuration())
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                  proxyFor,
			DialContext:            (&net.Dialer{Timeout: dial}).DialContext,
			DisableKeepAlives:      true,
			TLSHandshakeTimeout:    cfg.ProbeTimeoutDuration(),
			MaxResponseHeaderBytes: 1 << 20,
		},
		// A redirect is not followed: a probe asks only the configured
		// address, and a 3xx is not a model list.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// tunnelClient is newClient's counterpart for targets behind an SSH
// tunnel: every connection is a direct-tcpip channel of pool's connection
// to t (127.0.0.1:port on the remote side, then the host's address).
func tunnelClient(pool *sshpool.Pool, t sshpool.Target, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
				_, portStr, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				port, err := strconv.Atoi(portStr)
				if err != nil {
					return nil, err
				}
				return pool.DialPort(ctx, t, port)
			},
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 1 << 20,
			TLSHandshakeTimeout:    timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
