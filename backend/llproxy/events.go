package llproxy

import (
	"slices"
	"sync"

	"fragmenteditor/backend/config"
)

// EventKind names what happened.
type EventKind string

const (
	// EventModelsChanged: a discovery run added or removed models.
	EventModelsChanged EventKind = "models-changed"
	// EventConfigApplied: a new configuration is live.
	EventConfigApplied EventKind = "config-applied"
	// EventConfigError: a configuration could not be applied (invalid, or
	// its listen address is taken); the previous one keeps running.
	EventConfigError EventKind = "config-error"
	// EventStatusChanged: something Status reports changed (started,
	// stopped, a discovery run ended). Sent after the more specific event.
	EventStatusChanged EventKind = "status-changed"
)

// Event is one notification to subscribers.
type Event struct {
	Kind EventKind `json:"kind"`
	// Added and Removed are final model names (EventModelsChanged).
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Error is the message (EventConfigError); Problems lists the field
	// problems when the configuration was invalid.
	Error    string           `json:"error,omitempty"`
	Problems []config.Problem `json:"problems,omitempty"`
}

// hub fans events out to subscribers. Callbacks run synchronously on the
// emitting goroutine, in subscription order, with no lock held: they must
// not block, and may call back into the Service.
type hub struct {
	mu   sync.Mutex // guards subs and next
	subs map[int]func(Event)
	next int
}

func (h *hub) subscribe(fn func(Event)) (cancel func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = map[int]func(Event){}
	}
	id := h.next
	h.next++
	h.subs[id] = fn
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs, id)
		})
	}
}

func (h *hub) emit(e Event) {
	h.mu.Lock()
	ids := make([]int, 0, len(h.subs))
	for id := range h.subs {
		ids = append(ids, id)
	}
	fns := make([]func(Event), 0, len(ids))
	slices.Sort(ids)
	for _, id := range ids {
		fns = append(fns, h.subs[id])
	}
	h.mu.Unlock()
	for _, fn := range fns {
		fn(e)
	}
}
