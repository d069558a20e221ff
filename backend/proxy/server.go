// Package proxy owns LLProxy's HTTP front door: an Echo server that lists
// the discovered models on /v1/models, routes every other POST /v1/* by the
// "model" in its JSON body to a replica of that model, and streams the
// backend's answer back byte for byte. It also answers /health and /metrics,
// and enforces API keys, CORS and the loop guard.
//
// It reads the model list from a registry.Registry (discovery fills it) and
// its limits from a config.Config (SetConfig swaps them live). It never
// probes or parses the config file itself.
package proxy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/metrics"
	"fragmenteditor/backend/registry"
	"fragmenteditor/backend/sshpool"
)

// Options configure a Server.
type Options struct {
	// Registry holds the model list. Required.
	Registry *registry.Registry
	// Config supplies limits, timeouts, API keys and CORS origins. It must
	// come from package config (Parse, Load, Validate), which defaults it;
	// nil means config.Defaults().
	Config *config.Config
	// Logger gets one info line per proxied request (model, backend,
	// status, duration, ttfb; never keys). Nil discards.
	Logger *slog.Logger
	// Instance is this proxy's id, sent upstream in InstanceHeader. Empty
	// means a random id.
	Instance string
	// Metrics receives the proxy's measurements. Nil means a private one.
	Metrics *metrics.Metrics
	// Version is reported by /health.
	Version string
	// SSH carries requests to tunneled backends (registry.Backend.Tunnel);
	// share discovery's so one connection per host serves both. Nil means
	// a pool of the proxy's own.
	SSH *sshpool.Pool
	// Sessions keeps browser logins (see package access). Nil means a
	// private store; share one with other guards on the same port.
	Sessions *access.Sessions
}

// Server is the proxy. Build it with New; serve Handler with an
// http.Server. Safe for concurrent use.
type Server struct {
	reg      *registry.Registry
	log      *slog.Logger
	instance string
	version  string
	metrics  *metrics.Metrics

	// settings is derived from the Config; written by SetConfig, read once
	// per request by atomic load.
	settings atomic.Pointer[settings]

	// guard applies the Host check, keys, logins and same-origin rules;
	// SetConfig updates it.
	guard     *access.Guard
	echo      *echo.Echo
	transport *http.Transport // direct
	// envTransport goes through the environment's proxy (HTTPS_PROXY,
	// HTTP_PROXY, NO_PROXY), for backends with EnvProxy (URL endpoints).
	envTransport *http.Transport
	// aborting ends when AbortStreams is called: every request still in
	// progress then ends (an event stream with a final error event).
	aborting      context.Context
	abortRequests context.CancelFunc
	ssh           *sshpool.Pool
	ownSSH        bool
	tunnels       sync.Map // sshpool.Target → *http.Transport
	inFlight      inFlight
	next          atomic.Uint64 // round-robin start among equally busy replicas
}

// New builds a Server from opts.
func New(opts Options) (*Server, error) {
	if opts.Registry == nil {
		return nil, errors.New("proxy: Options.Registry is nil")
	}
	s := &Server{
		reg:      opts.Registry,
		log:      opts.Logger,
		instance: opts.Instance,
		version:  opts.Version,
		metrics:  opts.Metrics,
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "proxy")
	if s.instance == "" {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand never fails on supported platforms
		s.instance = hex.EncodeToString(b[:])
	}
	if s.metrics == nil {
		s.metrics = metrics.New()
	}
	s.settings.Store(newSettings(opts.Config))
	s.guard = access.New(access.Options{
		Sessions:  opts.Sessions,
		LoginPath: loginPath,
		OnError:   func(w http.ResponseWriter, _ *http.Request, err error) { writeAPIError(w, accessError(err)) },
	}, accessSettings(opts.Config))
	s.transport = s.newTransport()
	s.envTransport = s.newTransport()
	s.envTransport.Proxy = envProxy
	s.aborting, s.abortRequests = context.WithCancel(context.Background())
	s.ssh = opts.SSH
	if s.ssh == nil {
		s.ssh, s.ownSSH = sshpool.New(sshpool.Options{ConnectTimeout: s.settings.Load().connectTimeout,
			IdleTimeout: sshpool.IdleTimeoutFor(0), Logger: s.log}), true
	}
	s.echo = s.routes()
	return s, nil
}

// Handler is the Echo instance, to be served by an http.Server.
func (s *Server) Handler() http.Handler { return s.echo }

// Instance is this proxy's id, as sent in InstanceHeader.
func (s *Server) Instance() string { return s.instance }

// SetConfig applies the keys, CORS origins, body limit and timeouts of cfg
// to the requests that start from now on; requests in progress keep the
// settings they started with. cfg comes from package config, as for
// Options.Config; nil means config.Defaults().
func (s *Server) SetConfig(cfg *config.Config) {
	s.settings.Store(newSettings(cfg))
	s.guard.Set(accessSettings(cfg))
}

// Guard is the proxy's access guard, for other handlers on its port
// (they then follow the same Host check, keys and logins).
func (s *Server) Guard() *access.Guard { return s.guard }

// Mount serves h at path (Echo's syntax: "/status", "/status/*") for any
// method, behind the same rules as /v1: the Host check, then a key or a
// browser session (a browser without one gets the login page), then
// same-origin for writes. Call it before the handler is served.
func (s *Server) Mount(path string, h http.Handler) { s.MountWith(path, s.guard, h) }

// MountWith is Mount behind another guard: one with other keys (the
// editor's generated key next to api_keys) that shares this proxy's
// sessions (access.Options.Sessions: s.Guard().Sessions()). The proxy's
// own Host check still runs first.
func (s *Server) MountWith(path string, g *access.Guard, h http.Handler) {
	s.echo.Any(path, echo.WrapHandler(g.Protect(h)))
}

// MountLogin serves g's login form at path, which must be g's LoginPath
// (the proxy's own is at /login).
func (s *Server) MountLogin(path string, g *access.Guard) {
	s.echo.Any(path, echo.WrapHandler(http.HandlerFunc(g.Login)))
}

// InFlight is the number of requests in flight to the backend at baseURL.
func (s *Server) InFlight(baseURL string) int64 { return s.inFlight.load(baseURL) }

// Close drops idle upstream connections (and the SSH connections of a
// pool of its own).
func (s *Server) Close() {
	s.transport.CloseIdleConnections()
	s.envTransport.CloseIdleConnections()
	s.tunnels.Range(func(_, tr any) bool {
		tr.(*http.Transport).CloseIdleConnections()
		return true
	})
	if s.ownSSH {
		s.ssh.Close()
	}
}

// AbortStreams ends every request in progress: an event stream gets a
// final error event ("shutting_down") and a clean end, a request still
// waiting for its backend gets 503, any other body is cut. Each is logged.
// Call it when a graceful shutdown runs out of time, before closing the
// connections. It is for the end of the server's life: requests that
// start after it are ended at once too.
func (s *Server) AbortStreams() { s.abortRequests() }

// envProxy is how envTransport picks its proxy; tests replace it.
var envProxy = http.ProxyFromEnvironment

// transportFor is the transport that reaches b: direct, through the
// environment's proxy (EnvProxy), or b's SSH tunnel's (one per host, so
// pooled connections never mix routes).
func (s *Server) transportFor(b registry.Backend) http.RoundTripper {
	if !b.Tunneled() {
		if b.EnvProxy {
			return s.envTransport
		}
		return s.transport
	}
	if tr, ok := s.tunnels.Load(b.Tunnel); ok {
		return tr.(*http.Transport)
	}
	tr, _ := s.tunnels.LoadOrStore(b.Tunnel, s.newTunnelTransport(b.Tunnel))
	return tr.(*http.Transport)
}

// newTunnelTransport is newTransport for backends behind t: every
// connection is a direct-tcpip channel of t's SSH connection, to the
// backend's port on the remote side (127.0.0.1 first, then the host's own
// address). A host that cannot be reached is a dial error, so the request
// moves on to the next replica.
func (s *Server) newTunnelTransport(t sshpool.Target) *http.Transport {
	tr := s.newTransport()
	tr.Proxy = nil
	tr.ForceAttemptHTTP2 = false
	tr.DialContext = func(ctx context.Context, _, addr string) (net.Conn, error) {
		_, portStr, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		port, err := strconv.Atoi(portStr)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithTimeout(ctx, s.settings.Load().connectTimeout)
		defer cancel()
		return s.ssh.DialPort(ctx, t, port)
	}
	return tr
}

// upstreamIdleConnTimeout keeps pooled connections for less than vLLM's 5 s
// keep-alive, so the proxy drops a connection before the backend does.
const upstreamIdleConnTimeout = 4 * time.Second

// newTransport is the upstream transport: direct (no proxy from the
// environment), a dial timeout read from the current settings, connections
// that write nothing once the backend closed them (checkPeerClose), no limit
// on the time to the response headers (a cold model load can take
// minutes), no compression (it would buffer streams).
func (s *Server) newTransport() *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := net.Dialer{Timeout: s.settings.Load().connectTimeout, KeepAlive: 30 * time.Second}
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return checkPeerClose(c), nil
		},
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     upstreamIdleConnTimeout,
		TLSHandshakeTimeout: 10 * time.Second,
		DisableCompression:  true,
	}
}

// loginPath serves the login form of package access.
const loginPath = "/login"

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	e.HTTPErrorHandler = s.handleError
	e.Pre(s.checkHost)

	v1 := []echo.MiddlewareFunc{s.countRequests, s.cors, s.requireKey, s.loopGuard}
	e.Any("/v1/models", s.listModels, v1...)
	e.Any("/v1/models/*", s.getModel, v1...)
	e.Any("/v1/*", s.proxy, v1...)
	e.GET("/metrics", echo.WrapHandler(s.metrics.Handler()), s.cors, s.requireKey)
	e.Any(loginPath, echo.WrapHandler(http.HandlerFunc(s.guard.Login)))
	e.GET("/health", s.health, s.cors)
	return e
}

// health identifies an llproxy on a port for other tools.
func (s *Server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{
		"status":   "ok",
		"service":  "llproxy",
		"instance": s.instance,
		"version":  s.version,
		"models":   len(s.reg.Load().Models()),
	})
}
