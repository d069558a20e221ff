// Package llproxy is the LLProxy service: it ties the config file,
// discovery, the model registry and the /v1 proxy together behind one
// life cycle (Start, Apply, Stop), watches the config file for live edits,
// keeps a ring of recent log records and notifies subscribers of changes.
// The desktop app and the headless binary (backend/cmd/llproxy) both run
// it. It owns the listener and the order of changes; discovery, proxying
// and config parsing are left to their own packages.
package llproxy

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/discovery"
	"fragmenteditor/backend/metrics"
	"fragmenteditor/backend/proxy"
	"fragmenteditor/backend/registry"
	"fragmenteditor/backend/sshpool"
)

// Options configure a Service.
type Options struct {
	// ConfigPath is the JSON config file. Required.
	ConfigPath string
	// CreateDefault writes config.Default() to ConfigPath on Start when the
	// file does not exist (the desktop app's first run).
	CreateDefault bool
	// Logger receives every record (with secrets redacted). Nil means
	// slog.Default().
	Logger *slog.Logger
	// Version is reported by /health and Status. Empty means "dev".
	Version string
	// LogBuffer is how many records (info and above) Logs keeps. Zero
	// means 500.
	LogBuffer int
}

// Sentinel errors.
var (
	// ErrRunning: Start was called on a running service.
	ErrRunning = errors.New("llproxy is already running")
	// ErrNotRunning: Apply was called on a stopped service.
	ErrNotRunning = errors.New("llproxy is not running")
	// ErrConfig is matched by every *ConfigError.
	ErrConfig = errors.New("invalid config")
)

// ConfigError says the config file could not be read or is invalid.
type ConfigError struct {
	Path string
	Err  error
}

// Error names the file, then each field problem on its own line.
func (e *ConfigError) Error() string {
	problems := ConfigProblems(e.Err)
	if len(problems) == 0 {
		return fmt.Sprintf("config: %v", e.Err) // e.Err names the file
	}
	var b strings.Builder
	fmt.Fprintf(&b, "invalid config %s:", e.Path)
	for _, p := range problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}
func (e *ConfigError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// Service runs one LLProxy. Its methods are safe for concurrent use.
type Service struct {
	opts     Options
	log      *slog.Logger // component=llproxy, through the ring
	root     *slog.Logger // through the ring; subsystems add their component
	ring     *logRing
	reg      *registry.Registry
	metrics  *metrics.Metrics
	instance string
	hub      hub
	// wrap, if set (by tests), wraps the proxy's handler on every listener.
	wrap func(http.Handler) http.Handler
	// sessions keeps browser logins for every guard on the port (the
	// proxy's, the editor's), across restarts of the proxy.
	sessions *access.Sessions
	// site, when set, serves the paths the proxy does not own (SetSite).
	site atomic.Pointer[http.Handler]

	// changeMu serialises Start, Stop and Apply: one change at a time.
	changeMu sync.Mutex

	mu sync.Mutex // guards the fields below
	// cfg is the configuration in force (the last one applied).
	cfg *config.Config
	// lastErr is the last config or listen failure since the last
	// successful apply; the running config was kept.
	lastErr error
	// warning is exposureWarning(cfg), worked out when cfg was applied.
	warning string
	// run is the running state; nil when stopped.
	run *running
}

// running is what one Start created. Its fields are changed only with
// changeMu held; srv, host and port are also read under Service.mu.
type running struct {
	cfg       *config.Config     // the config it started with
	ln        net.Listener       // the listener it started with
	cancel    context.CancelFunc // ends discovery and the watcher
	stopAfter func() bool        // unregisters the stop-on-ctx-done hook
	srv       *http.Server       // serving the current listen address
	host      string
	port      int
	proxy     *proxy.Server
	disc      *discovery.Scheduler
	ssh       *sshpool.Pool  // SSH endpoints' connections, shared by proxy and discovery
	retired   []*http.Server // servers of earlier addresses, draining
	conns     *connLimit     // max_connections, over every listener of the run
	// tls is the TLS config every listener of this run wraps new
	// connections in; nil means plain HTTP.
	tls atomic.Pointer[tls.Config]
	wg  sync.WaitGroup // serve loops, discovery, watcher, drains
}

// New checks opts and prepares a Service. It does no I/O.
func New(opts Options) (*Service, error) {
	if opts.ConfigPath == "" {
		return nil, errors.New("llproxy: Options.ConfigPath is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if opts.LogBuffer <= 0 {
		opts.LogBuffer = 500
	}
	ring := newLogRing(opts.LogBuffer)
	root := slog.New(newTeeHandler(opts.Logger.Handler(), ring, slog.LevelInfo))
	return &Service{
		opts:     opts,
		log:      root.With("component", "llproxy"),
		root:     root,
		ring:     ring,
		reg:      &registry.Registry{},
		metrics:  metrics.New(),
		instance: newInstanceID(),
		sessions: access.NewSessions(),
	}, nil
}

// newInstanceID names this Service for loop detection and /health: 16
// random hex digits, opaque (it goes to every backend, hosted APIs
// included, so it says nothing about the machine).
func newInstanceID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}

// Instance is this service's instance id (sent as a loop-guard header and
// reported by /health).
func (s *Service) Instance() string { return s.instance }

// Start loads the config file (creating it first when CreateDefault),
// binds the listen address (a taken address is a *PortInUseError), then
// starts serving, discovery and the config file watcher. They run until
// ctx is done or Stop is called. On error nothing is left running.
func (s *Service) Start(ctx context.Context) error {
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	if s.running() != nil {
		return ErrRunning
	}
	if err := s.ensureConfig(); err != nil {
		s.failed(err)
		return err
	}
	// The watch is in place before the file is read, and the file is read
	// once: no edit is missed, and a pipe is refused, not read empty.
	watcher, err := config.NewWatcher(s.opts.ConfigPath, s.log)
	if err != nil {
		s.failed(err)
		return err
	}
	r, err := s.open(ctx, watcher)
	if err != nil {
		watcher.Close()
		return err
	}
	s.launch(ctx, r, watcher)
	return nil
}

// open parses the config the watcher read, builds the proxy and binds the
// listener.
func (s *Service) open(ctx context.Context, watcher *config.Watcher) (*running, error) {
	cfg, err := watcher.Load()
	if err != nil {
		err = &ConfigError{Path: s.opts.ConfigPath, Err: err}
		s.failed(err)
		return nil, err
	}
	pool := sshpool.New(sshpool.Options{ConnectTimeout: cfg.ConnectTimeoutDuration(),
		IdleTimeout: sshpool.IdleTimeoutFor(cfg.IntervalDuration()), Logger: s.root})
	px, err := proxy.New(proxy.Options{
		Registry: s.reg, Config: cfg, Logger: s.root, // it adds its component
		Instance: s.instance, Metrics: s.metrics, Version: s.opts.Version, SSH: pool,
		Sessions: s.sessions,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("llproxy: %w", err)
	}
	tc, err := s.tlsConfigFor(cfg)
	if err != nil {
		pool.Close()
		s.failed(err)
		return nil, err
	}
	ln, err := listen(ctx, cfg.Host, cfg.Port)
	if err != nil {
		pool.Close()
		s.failed(err)
		return nil, err
	}
	r := &running{cfg: cfg, ln: ln, host: cfg.Host, port: cfg.Port, proxy: px, ssh: pool,
		conns: newConnLimit(cfg.MaxConnections)}
	r.tls.Store(tc)
	s.mountStatus(r)
	r.disc = discovery.New(discovery.Options{
		Config: cfg, Registry: s.reg, Logger: s.root, // it adds its component
		Self: selfAddrs(cfg.Host, cfg.Port), OnRun: s.discoveryRan, SSH: pool,
		Instance: s.instance,
	})
	return r, nil
}

// launch starts serving, discovery and the watcher (if any) of r, and
// makes r the running state.
func (s *Service) launch(ctx context.Context, r *running, watcher *config.Watcher) {
	runCtx, cancel := context.WithCancel(ctx)
	r.cancel = cancel
	r.srv = s.serve(r, r.ln, r.proxy.Handler())
	s.goRun(r, func() { r.disc.Run(runCtx) })
	s.goRun(r, func() { s.watch(runCtx, watcher) })
	r.stopAfter = context.AfterFunc(ctx, func() {
		grace, cancel := context.WithTimeout(context.Background(), stopGrace)
		defer cancel()
		_ = s.Stop(grace)
	})
	warning := exposureWarning(r.cfg)
	s.mu.Lock()
	s.cfg, s.lastErr, s.run, s.warning = r.cfg, nil, r, warning
	s.mu.Unlock()
	s.log.Info("listening", "addr", r.ln.Addr().String(), "base_url", s.BaseURL(),
		"instance", s.instance, "version", s.opts.Version, "config", s.opts.ConfigPath)
	if warning != "" {
		s.log.Warn(warning, "addr", r.ln.Addr().String())
	}
	s.hub.emit(Event{Kind: EventStatusChanged})
}

// stopGrace bounds the graceful part of a stop caused by Start's ctx.
const stopGrace = 10 * time.Second

func (s *Service) running() *running {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.run
}

func (s *Service) goRun(r *running, fn func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		fn()
	}()
}

// ensureConfig creates the config file from the default when asked to
// and it is missing.
func (s *Service) ensureConfig() error {
	if !s.opts.CreateDefault {
		return nil
	}
	created, err := config.EnsureFile(s.opts.ConfigPath)
	if err != nil {
		return &ConfigError{Path: s.opts.ConfigPath, Err: err}
	}
	if created {
		s.log.Info("created default config", "path", s.opts.ConfigPath)
	}
	return nil
}

// serve starts an HTTP server on ln.
func (s *Service) serve(r *running, ln net.Listener, h http.Handler) *http.Server {
	h = s.route(h)
	if s.wrap != nil {
		h = s.wrap(h)
	}
	ln = newTLSSwitch(&limitedListener{Listener: ln, limit: r.conns}, &r.tls)
	srv := &http.Server{
		Handler: h,
		// Only the request headers are bounded: prompt processing and
		// streams take as long as they take (the proxy's idle limit
		// guards hung backends).
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	addr := ln.Addr().String()
	s.goRun(r, func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("serving stopped", "addr", addr, "err", err)
		}
	})
	return srv
}

// Stop shuts down gracefully: no new connections, open requests get
// until ctx is done, then everything is closed; discovery and the watcher
// end before it returns. Stopping a stopped service is a no-op. Do not
// call it from a Subscribe callback (it waits for the goroutine that runs
// the callback).
func (s *Service) Stop(ctx context.Context) error {
	r, err := s.shutdown(ctx)
	if r == nil {
		return nil
	}
	// Waited for without changeMu: the watcher may be inside Apply.
	r.wg.Wait()
	r.ssh.Close()
	s.log.Info("stopped")
	s.hub.emit(Event{Kind: EventStatusChanged})
	return err
}

// shutdown closes the listeners, waits for open requests until ctx is
// done, and ends discovery and the watcher. It returns the stopped run
// (nil if none was running) and whether the graceful part was cut short.
func (s *Service) shutdown(ctx context.Context) (*running, error) {
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	r := s.running()
	if r == nil {
		return nil, nil
	}
	r.stopAfter()
	errs := s.drain(ctx, r, append([]*http.Server{r.srv}, r.retired...))
	r.conns.close()
	r.cancel()
	s.mu.Lock()
	s.run = nil
	s.mu.Unlock()
	if len(errs) > 0 {
		return r, fmt.Errorf("llproxy: graceful stop cut short: %w", errors.Join(errs...))
	}
	return r, nil
}

// abortMargin is how long before a stop's deadline the requests still
// open are ended (event streams with an error event), so that the end is
// written and logged before the connections close.
const abortMargin = time.Second

// drain shuts the servers down gracefully until shortly before ctx's
// deadline (or until ctx ends, if it has none); then it ends the open
// requests (AbortStreams: an event stream gets a final "shutting_down"
// event, and each is logged) and closes what is left.
func (s *Service) drain(ctx context.Context, r *running, servers []*http.Server) []error {
	graceful, cancel := ctx, context.CancelFunc(func() {})
	if d, ok := ctx.Deadline(); ok {
		margin := min(abortMargin, time.Until(d)/4)
		graceful, cancel = context.WithDeadline(ctx, d.Add(-margin))
	}
	defer cancel()
	var open []*http.Server
	for _, srv := range servers {
		if srv.Shutdown(graceful) != nil {
			open = append(open, srv)
		}
	}
	if len(open) == 0 {
		return nil
	}
	s.log.Warn("stop ran out of time; ending the requests still open")
	r.proxy.AbortStreams()
	last := ctx
	if ctx.Err() != nil { // a forced stop: a moment for the error events
		var cancelLast context.CancelFunc
		last, cancelLast = context.WithTimeout(context.Background(), abortMargin/2)
		defer cancelLast()
	}
	var errs []error
	for _, srv := range open {
		if err := srv.Shutdown(last); err != nil {
			errs = append(errs, err)
			srv.Close()
		}
	}
	if len(errs) == 0 {
		errs = append(errs, errors.New("open requests were ended"))
	}
	return errs
}

// Apply makes cfg the running configuration: a changed host or port gets
// a new listener first (if that fails the old one keeps serving and the
// error is returned), then proxy and discovery take the new config. The
// old listener stops accepting at once; its open requests finish. A cfg
// equal to the running one changes nothing but clears a reported error.
// Apply on a stopped service returns ErrNotRunning (Start reads the file).
func (s *Service) Apply(cfg *config.Config) error {
	if cfg == nil {
		return errors.New("llproxy: Apply(nil)")
	}
	s.changeMu.Lock()
	defer s.changeMu.Unlock()
	r := s.running()
	if r == nil {
		return ErrNotRunning
	}
	s.mu.Lock()
	same := reflect.DeepEqual(s.cfg, cfg)
	hadErr := s.lastErr != nil
	s.mu.Unlock()
	if same {
		if hadErr {
			s.mu.Lock()
			s.lastErr = nil
			s.mu.Unlock()
			s.hub.emit(Event{Kind: EventStatusChanged})
		}
		return nil
	}
	tc := r.tls.Load()
	if cfg.TLSCert != s.cfg.TLSCert || cfg.TLSKey != s.cfg.TLSKey {
		var err error
		if tc, err = s.tlsConfigFor(cfg); err != nil {
			s.failed(err)
			return err
		}
	}
	var ln net.Listener
	if cfg.Host != r.host || cfg.Port != r.port {
		var err error
		if ln, err = listen(context.Background(), cfg.Host, cfg.Port); err != nil {
			s.failed(err)
			return err
		}
	}
	r.tls.Store(tc)
	r.proxy.SetConfig(cfg)
	r.conns.set(cfg.MaxConnections)
	// Discovery takes its own address from cfg: it skips the new port
	// from its next run on.
	r.disc.SetConfig(cfg)
	if ln != nil {
		s.moveListener(r, ln, cfg)
	}
	warning := exposureWarning(cfg)
	s.mu.Lock()
	s.cfg, s.lastErr = cfg, nil
	oldWarning := s.warning
	s.warning = warning
	s.mu.Unlock()
	s.log.Info("config applied", "addr", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		"endpoints", len(cfg.Endpoints), "interval_ms", cfg.Interval)
	if warning != "" && warning != oldWarning {
		s.log.Warn(warning)
	}
	s.hub.emit(Event{Kind: EventConfigApplied})
	s.hub.emit(Event{Kind: EventStatusChanged})
	return nil
}

// moveListener starts serving on ln and drains the previous server.
func (s *Service) moveListener(r *running, ln net.Listener, cfg *config.Config) {
	old := r.srv
	srv := s.serve(r, ln, r.proxy.Handler())
	s.mu.Lock()
	r.srv, r.host, r.port = srv, cfg.Host, cfg.Port
	r.retired = append(r.retired, old)
	s.mu.Unlock()
	s.goRun(r, func() {
		// Closes the old listener at once; open requests finish. Stop
		// shuts it down again with its own deadline.
		_ = old.Shutdown(context.Background())
	})
}

// failed records a config or listen failure for Status and subscribers,
// and logs it when a running config is kept; a failed Start is reported by
// Start's caller, once.
func (s *Service) failed(err error) {
	s.mu.Lock()
	s.lastErr = err
	running := s.run != nil
	s.mu.Unlock()
	if running {
		s.log.Error("config not applied; the running config is kept", "err", err)
	}
	s.hub.emit(Event{Kind: EventConfigError, Error: err.Error(), Problems: ConfigProblems(err)})
	s.hub.emit(Event{Kind: EventStatusChanged})
}

// Reload reads the config file again and applies it (SIGHUP). A broken
// file keeps the running config and is reported like a broken edit.
func (s *Service) Reload() error {
	cfg, err := config.Load(s.opts.ConfigPath)
	if err != nil {
		err = &ConfigError{Path: s.opts.ConfigPath, Err: err}
		s.failed(err)
		return err
	}
	return s.Apply(cfg)
}

// watch applies every edit of the config file until ctx is done. A broken
// edit (or a removed file) keeps the running config and is reported.
func (s *Service) watch(ctx context.Context, w *config.Watcher) {
	_ = w.Run(ctx, func(cfg *config.Config, err error) { // Run logs its own trouble
		if err != nil {
			s.failed(&ConfigError{Path: s.opts.ConfigPath, Err: err})
			return
		}
		_ = s.Apply(cfg) // Apply reports its own failures
	})
}

// discoveryRan is discovery's OnRun hook.
func (s *Service) discoveryRan(rep discovery.Report) {
	s.metrics.ObserveDiscovery(rep.Duration, rep.Models, unreachable(rep))
	if len(rep.Added) > 0 || len(rep.Removed) > 0 {
		s.hub.emit(Event{Kind: EventModelsChanged, Added: rep.Added, Removed: rep.Removed})
	}
	s.hub.emit(Event{Kind: EventStatusChanged})
}

// unreachable counts the endpoints that were probed and where nothing
// answered or was kept.
func unreachable(rep discovery.Report) int {
	n := 0
	for _, e := range rep.Endpoints {
		if !e.Skipped && e.Probed > 0 && e.Answered == 0 && e.Kept == 0 {
			n++
		}
	}
	return n
}

// Rescan asks for a discovery run now (no-op when stopped).
func (s *Service) Rescan() {
	if r := s.running(); r != nil {
		r.disc.Rescan()
	}
}

// Subscribe calls fn for every event until cancel is called (cancel may
// be called more than once). fn runs on the goroutine that caused the
// event, possibly while a change is in progress: it must not block, and
// must not call Start, Stop, Apply, Reload or SaveConfigText (Status,
// Logs, BaseURL and Rescan are fine).
func (s *Service) Subscribe(fn func(Event)) (cancel func()) { return s.hub.subscribe(fn) }

// Logs returns the recent log records, oldest first.
func (s *Service) Logs() []LogEntry { return s.ring.entries() }

// BaseURL is the /v1 base URL clients on this machine use, e.g.
// "http://127.0.0.1:3333/v1"; empty before the first successful Start.
func (s *Service) BaseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.localBaseURLLocked()
	if s.cfg != nil && s.cfg.TLSCert != "" {
		return "https" + strings.TrimPrefix(u, "http")
	}
	return u
}

// localBaseURLLocked is the plain-HTTP base URL for a client on this
// machine, which the port serves even with TLS on (see tlsSwitch); called
// with mu held.
func (s *Service) localBaseURLLocked() string {
	switch {
	case s.run != nil:
		return baseURL(s.run.host, s.run.port)
	case s.cfg != nil:
		return baseURL(s.cfg.Host, s.cfg.Port)
	}
	return ""
}

func baseURL(host string, port int) string {
	return "http://" + net.JoinHostPort(dialHost(host), strconv.Itoa(port)) + "/v1"
}
