package discovery

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/samber/lo"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
	"fragmenteditor/backend/sshpool"
)

// targetKey identifies a target across runs for the retention rule.
type targetKey struct {
	Endpoint int
	BaseURL  string
}

// held is the model list of a target's last good answer.
type held struct {
	// Port is the target's port (0 for a URL endpoint).
	Port    int
	Entries []entry
	// Stale means the last probe failed with a timeout or 503 and Entries
	// were already kept once.
	Stale bool
}

// memory is what one run hands to the next.
type memory struct {
	Held    map[targetKey]held
	Numbers numbering
}

// runOnce performs one discovery run and publishes its snapshot. It
// returns false, publishing nothing, when ctx ended during the run.
func (s *Scheduler) runOnce(ctx context.Context) (Report, bool) {
	cfg, client := s.settings()
	started := time.Now()
	self := newSelfFilter(ctx, append(listenAddrs(cfg), s.self...))
	p := planRun(ctx, cfg, self)
	for _, t := range p.SelfSkips {
		s.log.Debug("skipped port", "at", t.Label, "reason", "own listen address")
	}
	outs := make([]sshOutcome, len(p.SSH))
	var sshDone sync.WaitGroup
	if len(p.SSH) > 0 {
		var selfMu sync.Mutex
		skip := func(host string, port int) bool {
			selfMu.Lock()
			defer selfMu.Unlock()
			return self.skip(ctx, host, port)
		}
		pool := s.sshPool(cfg)
		for i, job := range p.SSH {
			sshDone.Go(func() {
				outs[i] = s.runSSH(ctx, pool, client, cfg, job, skip, s.mem.Held)
				outs[i].Elapsed = time.Since(started)
			})
		}
	}
	workers := machineWorkers(cfg.ProbeConcurrency, len(p.Targets))
	results := s.probeAll(ctx, s.clientsFor(cfg, client, p.Targets), cfg, p.Targets, workers, started)
	sshDone.Wait()
	results = mergeSSH(&p, results, outs)
	if ctx.Err() != nil {
		return Report{}, false
	}
	cands, held := collect(cfg, p, results, s.mem.Held)
	models, numbers := buildModels(cands, s.mem.Numbers)
	s.mem = memory{Held: held, Numbers: numbers}

	before := s.reg.Load().Names()
	snap := registry.NewSnapshot(models)
	s.reg.Store(snap)
	added, removed := lo.Difference(snap.Names(), before)
	rep := Report{
		Started: started, Duration: time.Since(started), Models: len(models),
		Added: added, Removed: removed, Endpoints: p.Endpoints, Workers: workers,
	}
	s.logSummary(rep)
	if len(p.Targets) > bigRun {
		debug.FreeOSMemory() // a whole host's ports: give the memory back now
	}
	return rep, true
}

// clientsFor gives each target its probing client: client, or a client
// dialling through the target's SSH tunnel.
func (s *Scheduler) clientsFor(cfg *config.Config, client *http.Client, targets []target) []*http.Client {
	clients := make([]*http.Client, len(targets))
	tunnels := map[sshpool.Target]*http.Client{}
	for i, t := range targets {
		clients[i] = client
		if t.Tunnel.Host == "" {
			continue
		}
		if tunnels[t.Tunnel] == nil {
			tunnels[t.Tunnel] = withInstance(tunnelClient(s.sshPool(cfg), t.Tunnel, cfg.ProbeTimeoutDuration()), s.instance)
		}
		clients[i] = tunnels[t.Tunnel]
	}
	return clients
}

// probeAll probes targets with a pool of workers and returns the results in
// target order. Each result is logged as it arrives, so a slow target never
// holds back the others.
func (s *Scheduler) probeAll(ctx context.Context, clients []*http.Client, cfg *config.Config, targets []target, workers int, started time.Time) []probeResult {
	results := make([]probeResult, len(targets))
	done := make(chan int, len(targets))
	timeout := cfg.ProbeTimeoutDuration()
	var next atomic.Int64
	for range workers {
		go func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(targets) {
					return
				}
				if targets[i].Static != nil {
					results[i] = probeResult{Outcome: answered, Entries: targets[i].Static}
				} else {
					results[i] = probe(ctx, clients[i], targets[i], timeout)
				}
				results[i].Elapsed = time.Since(started)
				done <- i
			}
		}()
	}
	for range targets {
		i := <-done
		s.logResult(ctx, targets[i], results[i])
	}
	return results
}

func (s *Scheduler) logResult(ctx context.Context, t target, res probeResult) {
	if !s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	if res.Outcome != answered {
		s.log.Debug("skipped port", "at", t.Label, "reason", res.Err)
		return
	}
	if len(res.Entries) == 0 {
		s.log.Debug("no models", "at", t.Label)
	}
	for _, e := range res.Entries {
		s.log.Debug("found model", "id", e.ID, "at", t.Label)
	}
}

func (s *Scheduler) logSummary(rep Report) {
	unreachable := lo.FilterMap(rep.Endpoints, func(e EndpointReport, _ int) (string, bool) {
		return e.Target, e.unreachable()
	})
	s.log.Info("discovery run",
		"models", rep.Models, "added", rep.Added, "removed", rep.Removed,
		"unreachable", unreachable, "duration", rep.Duration, "workers", rep.Workers)
}

// collect applies the retention rule to a run's results, names what was
// found, and fills in the endpoint reports of p. It returns the candidates
// in target order and the memory of good answers for the next run. It
// enforces the model limits: ids that cannot be names are skipped, a
// server gives at most MaxModelsPerServer ids (its first), and the list
// holds at most MaxModels names (the first in endpoint and port order);
// each skip is reported on its endpoint. Pure.
func collect(cfg *config.Config, p plan, results []probeResult, prev map[targetKey]held) ([]candidate, map[targetKey]held) {
	next := make(map[targetKey]held)
	var cands []candidate
	names := make([]map[string]bool, len(p.Endpoints))
	all := map[string]bool{}
	for i, t := range p.Targets {
		rep := &p.Endpoints[t.Endpoint]
		entries := usable(cfg, t, retain(t, results[i], prev, next, rep), rep)
		ep := cfg.Endpoints[t.Endpoint]
		backend := registry.Backend{BaseURL: t.BaseURL, APIKey: t.APIKey, Endpoint: t.Endpoint, Port: t.Port,
			Tunnel: t.Tunnel, EnvProxy: t.Fixed}
		if t.Fixed {
			backend.Port = 0
		}
		dropped := 0
		for _, e := range entries {
			for _, final := range finalNames(CleanName(e.ID), ep.Tags) {
				if !keepName(final, ep.Filter) {
					continue
				}
				if !all[final] && len(all) >= cfg.MaxModels {
					dropped++
					continue
				}
				all[final] = true
				cands = append(cands, candidate{Name: final, ID: e.ID, Backend: backend, Tags: ep.Tags, Raw: e.Raw, Through: e.Through})
				if names[t.Endpoint] == nil {
					names[t.Endpoint] = map[string]bool{}
				}
				names[t.Endpoint][final] = true
			}
		}
		if dropped > 0 {
			addError(rep, fmt.Sprintf("%s: %d models skipped: the list is full (max_models %d)", t.Label, dropped, cfg.MaxModels))
		}
	}
	for i := range p.Endpoints {
		p.Endpoints[i].Models = len(names[i])
	}
	return cands, next
}

// usable keeps the entries of one target that may become models: ids that
// pass checkID, at most MaxModelsPerServer of them. Skips are reported.
func usable(cfg *config.Config, t target, entries []entry, rep *EndpointReport) []entry {
	var out []entry
	bad := 0
	for _, e := range entries {
		if err := checkID(e.ID, cfg.MaxModelIDBytes); err != nil {
			if bad++; bad <= 3 {
				addError(rep, fmt.Sprintf("%s: skipped: %v", t.Label, err))
			}
			continue
		}
		if len(out) == cfg.MaxModelsPerServer {
			addError(rep, fmt.Sprintf("%s: lists more than %d models; kept the first %d (max_models_per_server)",
				t.Label, cfg.MaxModelsPerServer, cfg.MaxModelsPerServer))
			break
		}
		if out == nil {
			out = make([]entry, 0, min(len(entries), cfg.MaxModelsPerServer))
		}
		out = append(out, e)
	}
	if bad > 3 {
		addError(rep, fmt.Sprintf("%s: skipped %d more ids", t.Label, bad-3))
	}
	return out
}

// retain decides which entries a target contributes this run (see the
// package doc), records them in next, and counts the outcome in rep.
func retain(t target, res probeResult, prev, next map[targetKey]held, rep *EndpointReport) []entry {
	key := targetKey{Endpoint: t.Endpoint, BaseURL: t.BaseURL}
	rep.Duration = max(rep.Duration, res.Elapsed)
	if t.Static == nil {
		rep.Probed++
	}
	switch res.Outcome {
	case answered:
		if t.Static == nil {
			rep.Answered++
		}
		next[key] = held{Port: t.Port, Entries: res.Entries}
		return res.Entries
	case refused:
		rep.Refused++
		return nil
	}
	addError(rep, fmt.Sprintf("%s: %v", t.Label, res.Err))
	if old, ok := prev[key]; ok && res.Outcome == busy && !old.Stale {
		rep.Kept++
		next[key] = held{Port: t.Port, Entries: old.Entries, Stale: true}
		return old.Entries
	}
	return nil
}

func addError(rep *EndpointReport, msg string) {
	if len(rep.Errors) < maxErrors {
		rep.Errors = append(rep.Errors, msg)
	}
}

// listenAddrs is the proxy's own listen address from cfg, if it has one.
func listenAddrs(cfg *config.Config) []string {
	if cfg.Port <= 0 {
		return nil
	}
	return []string{net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}
}
