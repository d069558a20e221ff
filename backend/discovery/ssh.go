package discovery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/sshpool"
)

// sshJob is an SSH endpoint whose ports are found by logging in.
type sshJob struct {
	Endpoint int
	Config   config.Endpoint
}

// sshOutcome is what one sshJob found: the ports listed (or why not), and
// the targets probed with their results.
type sshOutcome struct {
	Job     sshJob
	Ports   []int
	Err     error
	Targets []target
	Results []probeResult
	// Elapsed is the time from the run's start until the listing and
	// every probe of this endpoint finished.
	Elapsed time.Duration
}

// sshProbeConcurrency bounds the probes in flight through one host's
// connection.
const sshProbeConcurrency = 16

// runSSH lists the ports of one SSH endpoint on its host, then probes them
// (through the tunnel, or directly with client). When the host cannot be
// reached, the ports that answered at the last run count as timed out, so
// their models follow the retention rule.
func (s *Scheduler) runSSH(ctx context.Context, pool *sshpool.Pool, client *http.Client, cfg *config.Config,
	job sshJob, skip func(host string, port int) bool, prev map[targetKey]held) sshOutcome {
	ep := job.Config
	out := sshOutcome{Job: job}
	limit := cfg.ConnectTimeoutDuration() + cfg.ProbeTimeoutDuration()
	lctx, cancel := context.WithTimeout(ctx, limit)
	raw, err := pool.Run(lctx, sshTarget(ep), remoteCommand(ep))
	cancel()
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("listing the ports took over %v (connect_timeout + probe_timeout); "+
			"a login shell that is slow to start (~/.bashrc) delays every SSH command: %w", limit, err)
	}
	if err == nil {
		out.Ports, err = remotePorts(ep, raw)
	}
	if err != nil {
		out.Err = err
		s.log.Warn("ssh endpoint unreachable", "endpoint", job.Endpoint, "host", sshTarget(ep).String(), "err", err)
		for _, port := range heldPorts(job.Endpoint, prev) {
			t := portTarget(job.Endpoint, ep, port, staticEntries(ep))
			if _, ok := prev[targetKey{Endpoint: t.Endpoint, BaseURL: t.BaseURL}]; ok {
				out.Targets = append(out.Targets, t)
				out.Results = append(out.Results, probeResult{Outcome: busy, Err: err})
			}
		}
		return out
	}
	static := staticEntries(ep)
	for _, port := range out.Ports {
		t := portTarget(job.Endpoint, ep, port, static)
		if skip(t.Host, t.Port) {
			s.log.Debug("skipped port", "at", t.Label, "reason", "own listen address")
			continue
		}
		out.Targets = append(out.Targets, t)
	}
	if ep.Tunneled() {
		client = withInstance(tunnelClient(pool, sshTarget(ep), cfg.ProbeTimeoutDuration()), s.instance)
	}
	out.Results = make([]probeResult, len(out.Targets))
	timeout := cfg.ProbeTimeoutDuration()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(sshProbeConcurrency, len(out.Targets)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(out.Targets) {
					return
				}
				t := out.Targets[i]
				if t.Static != nil {
					out.Results[i] = probeResult{Outcome: answered, Entries: t.Static}
				} else {
					out.Results[i] = probe(ctx, client, t, timeout)
				}
				s.logResult(ctx, t, out.Results[i])
			}
		})
	}
	wg.Wait()
	return out
}

// heldPorts are the ports of endpoint that have models held from earlier
// runs, sorted.
func heldPorts(endpoint int, prev map[targetKey]held) []int {
	var ports []int
	for k, h := range prev {
		if k.Endpoint == endpoint && h.Port != 0 {
			ports = append(ports, h.Port)
		}
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// mergeSSH adds the SSH outcomes to the plan's targets and results, in
// endpoint then port order, and records each endpoint's SSH facts in its
// report. Pure apart from p's reports.
func mergeSSH(p *plan, results []probeResult, outs []sshOutcome) []probeResult {
	type pair struct {
		t target
		r probeResult
	}
	pairs := make([]pair, 0, len(p.Targets))
	for i, t := range p.Targets {
		pairs = append(pairs, pair{t, results[i]})
	}
	for _, o := range outs {
		rep := &p.Endpoints[o.Job.Endpoint]
		rep.Ports = o.Ports
		rep.Duration = max(rep.Duration, o.Elapsed)
		if o.Err != nil {
			rep.SSHError = sshListError(o.Err)
			addError(rep, rep.SSHError)
		}
		for i, t := range o.Targets {
			pairs = append(pairs, pair{t, o.Results[i]})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return a.t.Endpoint - b.t.Endpoint })
	p.Targets = make([]target, len(pairs))
	merged := make([]probeResult, len(pairs))
	for i, pr := range pairs {
		p.Targets[i], merged[i] = pr.t, pr.r
	}
	return merged
}
