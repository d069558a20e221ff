// Package registry owns the live model list: an immutable Snapshot that
// discovery builds and publishes whole, and that request handlers read
// without locking. It knows nothing about HTTP or probing.
package registry

import (
	"encoding/json"
	"sync/atomic"

	"fragmenteditor/backend/sshpool"
)

// Backend is one LLM server: where it is and how to authenticate to it.
type Backend struct {
	// BaseURL is the server's root without the /v1 suffix, e.g.
	// "http://127.0.0.1:8080" or "https://api.example.com".
	BaseURL string
	// APIKey is sent as "Authorization: Bearer". Empty means none.
	APIKey string `json:"-"`
	// Endpoint is the index of the config endpoint it was found through.
	Endpoint int
	// Port is the probed port (0 for a fixed URL endpoint).
	Port int
	// Tunnel is the SSH login whose connection carries requests to this
	// backend (BaseURL's port dialled on the remote side); the zero Target
	// means the backend is reached directly.
	Tunnel sshpool.Target
	// EnvProxy routes requests (and probes) through the proxy the
	// environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY): true for a
	// fixed URL endpoint (a hosted API), false for a host's port range,
	// which is always reached directly.
	EnvProxy bool
}

// Tunneled reports whether requests go through an SSH tunnel.
func (b Backend) Tunneled() bool { return b.Tunnel.Host != "" }

// Via says how the backend is reached: "direct", or "ssh://user@host" for
// a tunnel.
func (b Backend) Via() string {
	if b.Tunneled() {
		return b.Tunnel.String()
	}
	return "direct"
}

// Model is one routable name. Replicas all serve the same true ID.
type Model struct {
	// Name is the final name clients use ("name:tag", or "name").
	Name string
	// ID is the backend's own model id, sent upstream in place of Name.
	ID string
	// Tags are the tags of the endpoint(s) it was found through.
	Tags []string
	// Replicas are the backends serving ID under Name, in endpoint and
	// port order. Never empty.
	Replicas []Backend
	// Raw is the backend's own /v1/models entry (of the first replica),
	// passed through to clients with only "id" replaced.
	Raw json.RawMessage
	// Through is the instance id of the llproxy this model was learned
	// from (its first replica is that llproxy); empty for a model found at
	// an LLM server itself. An llproxy lists such models to its clients
	// but never to another llproxy, so that two proxies that scan each
	// other do not pass names back and forth.
	Through string
}

// Snapshot is an immutable model list. Build it with NewSnapshot and never
// change it afterwards.
type Snapshot struct {
	models []Model
	byName map[string]int
}

// NewSnapshot indexes models (already sorted and named by discovery).
func NewSnapshot(models []Model) *Snapshot {
	s := &Snapshot{models: models, byName: make(map[string]int, len(models))}
	for i, m := range models {
		s.byName[m.Name] = i
	}
	return s
}

// Models returns the list in its order. Callers must not modify it.
func (s *Snapshot) Models() []Model {
	if s == nil {
		return nil
	}
	return s.models
}

// Lookup finds a model by its final name.
func (s *Snapshot) Lookup(name string) (Model, bool) {
	if s == nil {
		return Model{}, false
	}
	i, ok := s.byName[name]
	if !ok {
		return Model{}, false
	}
	return s.models[i], true
}

// Names lists the final names in order.
func (s *Snapshot) Names() []string {
	names := make([]string, 0, len(s.Models()))
	for _, m := range s.Models() {
		names = append(names, m.Name)
	}
	return names
}

// Registry holds the current snapshot. The zero value is an empty registry.
// Written only by discovery (Store); read by anyone (Load) without locks.
type Registry struct {
	current atomic.Pointer[Snapshot]
}

// Load returns the current snapshot (possibly nil, which reads as empty).
func (r *Registry) Load() *Snapshot { return r.current.Load() }

// Store replaces the snapshot whole.
func (r *Registry) Store(s *Snapshot) { r.current.Store(s) }
