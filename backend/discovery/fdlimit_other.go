//go:build !unix

package discovery

// fdLimit is unknown here (Windows has no per-process descriptor limit of
// this kind): only the CPU bound applies.
func fdLimit() uint64 { return 0 }
