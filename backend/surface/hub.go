package surface

import "sync"

// hub fans events out to subscribers. Callbacks run synchronously on the
// emitting goroutine, with no lock held: they must not block.
type hub struct {
	mu   sync.Mutex // guards subs and next
	subs map[int]func(name string, args []any)
	next int
}

func (h *hub) subscribe(fn func(name string, args []any)) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]func(string, []any){}
	}
	id := h.next
	h.next++
	h.subs[id] = fn
	return func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		delete(h.subs, id)
	}
}

func (h *hub) emit(name string, args ...any) {
	h.mu.Lock()
	fns := make([]func(string, []any), 0, len(h.subs))
	for _, fn := range h.subs {
		fns = append(fns, fn)
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn(name, args)
	}
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
