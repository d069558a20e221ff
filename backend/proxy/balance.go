package proxy

import (
	"sync"
	"sync/atomic"

	"fragmenteditor/backend/registry"
)

// inFlight counts requests in progress per backend base URL. Counters are
// created on first use and kept, so they survive snapshot swaps: a replica
// that stays in the list keeps its count.
type inFlight struct {
	counters sync.Map // BaseURL → *atomic.Int64
}

func (f *inFlight) counter(baseURL string) *atomic.Int64 {
	if c, ok := f.counters.Load(baseURL); ok {
		return c.(*atomic.Int64)
	}
	c, _ := f.counters.LoadOrStore(baseURL, new(atomic.Int64))
	return c.(*atomic.Int64)
}

func (f *inFlight) load(baseURL string) int64 { return f.counter(baseURL).Load() }

// replicaOrder is the order in which to try replicas: fewest requests in
// flight first; among equals, round-robin from start so that sequential
// requests spread too. Pure: it neither reads clocks nor changes counters.
func replicaOrder(replicas []registry.Backend, load func(baseURL string) int64, start uint64) []int {
	n := len(replicas)
	order := make([]int, n)
	loads := make([]int64, n)
	for i := range n {
		order[i] = int((start + uint64(i)) % uint64(n))
		loads[order[i]] = load(replicas[order[i]].BaseURL)
	}
	// Insertion sort: replica lists are short, and it is stable, which
	// keeps the round-robin order among equals.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && loads[order[j]] < loads[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	return order
}
