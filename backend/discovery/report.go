package discovery

import "time"

// maxErrors bounds EndpointReport.Errors.
const maxErrors = 10

// Report is the outcome of one discovery run.
type Report struct {
	Started  time.Time
	Duration time.Duration
	// Models is the number of models in the published snapshot.
	Models int
	// Added and Removed are the final names that appeared and disappeared
	// compared with the snapshot before the run, sorted.
	Added, Removed []string
	// Workers is how many probes ran at once: probe_concurrency, bounded
	// by the targets, the CPUs and the file-descriptor limit.
	Workers int
	// Endpoints has one entry per configured endpoint, in config order.
	Endpoints []EndpointReport
}

// EndpointReport is what one run found at one configured endpoint.
type EndpointReport struct {
	// Index is the endpoint's position in the config.
	Index int
	// Label is the endpoint's label from the config ("" if none).
	Label string
	// Target is "host:start-end", "host:port" or the endpoint's URL.
	Target string
	// Probed counts the /v1/models requests made (not the proxy's own
	// address, not an endpoint with a "models" list); Answered those that
	// returned a model list.
	Probed, Answered int
	// Refused counts probes whose connection was refused (closed ports).
	Refused int
	// Kept counts servers that timed out or answered 503 and whose previous
	// models were kept for this run.
	Kept int
	// Models counts the distinct final names this endpoint contributes
	// (after filters, before disambiguation).
	Models int
	// Errors are the first few failures other than refused connections, as
	// "host:port: reason" (or "url: reason").
	Errors []string
	// Skipped is true for a disabled endpoint.
	Skipped bool
	// Duration is the time from the run's start until this endpoint's
	// last probe (or SSH port listing) finished.
	Duration time.Duration
	// Via is "ssh://user@host" for an SSH endpoint, "" otherwise; Tunnel
	// is true when its probes and requests go through that connection.
	Via    string
	Tunnel bool
	// SSHError says why the SSH login or the port listing failed this run
	// (host down, key refused, unknown host key, timeout); "" when it
	// worked or the endpoint is not SSH. It is also the first of Errors.
	SSHError string
	// Ports are the ports found on an SSH endpoint's host this run.
	Ports []int
}

// unreachable reports whether the endpoint was probed and nothing there
// answered or was kept.
func (r EndpointReport) unreachable() bool {
	return !r.Skipped && (r.SSHError != "" || r.Probed > 0 && r.Answered == 0 && r.Kept == 0)
}
