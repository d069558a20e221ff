package discovery

import "runtime"

// Bounds on the probing worker pool, whatever probe_concurrency says.
const (
	// workersPerCPU: past about this many connects in flight per core,
	// probes of one machine wait on the scheduler and the kernel's SYN
	// backlog rather than finish sooner, and their timeouts start to
	// fire: at 65536 workers a scan of a whole host took closed ports for
	// timeouts and missed a live server.
	workersPerCPU = 512
	// fdReserve file descriptors are left for serving clients, the
	// config watcher, logs and upstream connections.
	fdReserve = 256
	// bigRun is the number of targets past which a run gives its memory
	// back to the OS when it ends.
	bigRun = 4096
)

// probeWorkers is how many probes run at once: probe_concurrency, but no
// more than there are targets, than the machine can usefully keep in
// flight (workersPerCPU per CPU), or than half of the file descriptors
// the process may still open (each probe holds one; a probed server in
// the same process, as in tests, holds the other). fdLimit 0 means
// unknown. Pure.
func probeWorkers(configured, targets int, fdLimit uint64, cpus int) int {
	n := min(configured, targets, workersPerCPU*max(cpus, 1))
	if fdLimit > 0 {
		budget := int(min(fdLimit, 1<<30)/2) - fdReserve
		n = min(n, max(budget, 1))
	}
	return max(n, 0)
}

// machineWorkers is probeWorkers for this process.
func machineWorkers(configured, targets int) int {
	return probeWorkers(configured, targets, fdLimit(), runtime.NumCPU())
}
