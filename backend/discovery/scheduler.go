package discovery

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
	"fragmenteditor/backend/sshpool"
)

// Options configure a Scheduler.
type Options struct {
	// Config is the configuration as package config made it (defaulted
	// and valid; its values are used as they are). Nil means
	// config.Defaults(): no endpoints.
	Config *config.Config
	// Registry receives a new snapshot after every run. Nil means a private
	// registry (reports only).
	Registry *registry.Registry
	// Logger receives debug lines per port and an info line per run. Nil
	// discards them.
	Logger *slog.Logger
	// Self lists "host:port" listen addresses that are never probed, in
	// addition to the config's own host and port. A wildcard host
	// (0.0.0.0, ::, or empty) excludes that port on every loopback and
	// local address.
	Self []string
	// Client performs the probes. Nil means a client built from the
	// config's timeouts (rebuilt on SetConfig), without keep-alives.
	Client *http.Client
	// OnRun, if set, is called after each completed run with its report,
	// from the scheduler's goroutine.
	OnRun func(Report)
	// Instance is this llproxy's instance id, sent with every probe in
	// InstanceHeader so that another llproxy probed lists only the models
	// it found itself. Empty sends none.
	Instance string
	// SSH holds the connections to SSH endpoints' hosts, shared with the
	// proxy so that requests reuse them. Nil means a pool of the
	// scheduler's own, made on first need and closed when Run returns.
	SSH *sshpool.Pool
}

// Scheduler runs discovery: at start, every interval, on Rescan and on
// SetConfig. Runs never overlap.
type Scheduler struct {
	reg        *registry.Registry
	log        *slog.Logger
	self       []string
	userClient *http.Client
	onRun      func(Report)
	instance   string

	sshMu  sync.Mutex
	ssh    *sshpool.Pool
	ownSSH bool // ssh was made here: Run closes it

	rescan   chan struct{} // capacity 1: at most one pending request
	reconfig chan struct{} // capacity 1: a config change is pending

	mu     sync.Mutex // guards cfg, client, last and nextRun
	cfg    *config.Config
	client *http.Client
	last   Report
	// nextRun is when the ticker fires next; written by Run.
	nextRun time.Time

	runMu sync.Mutex // held for the whole of a run; runs never overlap
	// mem is written only by runOnce, under runMu.
	mem memory
	// run performs one run; runOnce except in scheduler tests.
	run func(ctx context.Context) (Report, bool)
}

// New builds a scheduler; call Run to start it.
func New(opts Options) *Scheduler {
	s := &Scheduler{
		reg:        opts.Registry,
		log:        opts.Logger,
		self:       slices.Clone(opts.Self),
		userClient: opts.Client,
		instance:   opts.Instance,
		onRun:      opts.OnRun,
		ssh:        opts.SSH,
		rescan:     make(chan struct{}, 1),
		reconfig:   make(chan struct{}, 1),
	}
	if s.reg == nil {
		s.reg = &registry.Registry{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = s.log.With("component", "discovery")
	s.setConfig(opts.Config)
	s.run = s.runOnce
	return s
}

// Run performs a run at once, then one every interval, on every Rescan and
// after every SetConfig, until ctx is done. It blocks. A run in progress
// when ctx ends is abandoned without publishing.
func (s *Scheduler) Run(ctx context.Context) {
	defer s.closeOwnSSH()
	s.drainRequests() // the first run covers anything asked before Run
	every := s.interval()
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	s.setNextRun(time.Now().Add(every))
	s.runLocked(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case t := <-ticker.C:
			s.setNextRun(t.Add(every))
		case <-s.rescan:
		case <-s.reconfig:
			if d := s.interval(); d != every {
				every = d
				ticker.Reset(every)
				s.setNextRun(time.Now().Add(every))
			}
		}
		s.runLocked(ctx)
	}
}

// Rescan asks for a run as soon as possible. Requests made while a run is
// in progress are coalesced into one run after it; runs never overlap.
func (s *Scheduler) Rescan() {
	select {
	case s.rescan <- struct{}{}:
	default:
	}
}

// SetConfig replaces the configuration (validated, as for Options.Config).
// The next run uses it; a changed interval restarts the ticker at once;
// and a run is triggered.
func (s *Scheduler) SetConfig(cfg *config.Config) {
	s.setConfig(cfg)
	select {
	case s.reconfig <- struct{}{}:
	default:
	}
}

// LastReport returns the report of the last completed run (zero before
// the first). Callers must not modify its slices.
func (s *Scheduler) LastReport() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// NextRun is when the next scheduled run starts (a Rescan or config
// change may start one sooner); zero before Run.
func (s *Scheduler) NextRun() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextRun
}

func (s *Scheduler) setNextRun(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextRun = t
}

func (s *Scheduler) setConfig(cfg *config.Config) {
	if cfg == nil {
		cfg = config.Defaults()
	}
	client := s.userClient
	if client == nil {
		client = newClient(cfg)
	}
	client = withInstance(client, s.instance)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cfg, s.client = cfg, client
}

// settings returns the config and client for a run.
func (s *Scheduler) settings() (*config.Config, *http.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg, s.client
}

func (s *Scheduler) interval() time.Duration {
	cfg, _ := s.settings()
	return cfg.IntervalDuration()
}

func (s *Scheduler) drainRequests() {
	for {
		select {
		case <-s.rescan:
		case <-s.reconfig:
		default:
			return
		}
	}
}

// sshPool is the pool for SSH endpoints: Options.SSH, or one of our own.
func (s *Scheduler) sshPool(cfg *config.Config) *sshpool.Pool {
	s.sshMu.Lock()
	defer s.sshMu.Unlock()
	if s.ssh == nil {
		s.ssh = sshpool.New(sshpool.Options{ConnectTimeout: cfg.ConnectTimeoutDuration(),
			IdleTimeout: sshpool.IdleTimeoutFor(cfg.IntervalDuration()), Logger: s.log})
		s.ownSSH = true
	}
	return s.ssh
}

func (s *Scheduler) closeOwnSSH() {
	s.sshMu.Lock()
	defer s.sshMu.Unlock()
	if s.ownSSH {
		s.ssh.Close()
		s.ssh, s.ownSSH = nil, false
	}
}

// runLocked performs one run, records its report and calls OnRun.
func (s *Scheduler) runLocked(ctx context.Context) {
	s.runMu.Lock()
	rep, ok := s.run(ctx)
	s.runMu.Unlock()
	if !ok {
		return
	}
	s.mu.Lock()
	s.last = rep
	s.mu.Unlock()
	if s.onRun != nil {
		s.onRun(rep)
	}
}
