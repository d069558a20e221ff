package llproxy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"fragmenteditor/backend/llproxy/llproxytest"
)

// Every test here runs its service and fakes on its own loopback
// addresses, 127.0.0.100–127.0.0.160, so scans never meet another test.

// waitLimit bounds every wait for something asynchronous. It is a
// deadline for a hang, not a performance claim.
const waitLimit = 20 * time.Second

// harness is one Service under test with its config file.
type harness struct {
	t      *testing.T
	svc    *Service
	path   string
	host   string
	port   int
	out    *llproxytest.Buffer // what reached the real logger
	events *eventLog
}

// eventLog records a subscriber's events and lets a test wait for one.
type eventLog struct {
	mu     sync.Mutex
	events []Event
	signal chan struct{} // closed and replaced on every event
}

func newEventLog() *eventLog { return &eventLog{signal: make(chan struct{})} }

func (l *eventLog) record(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	close(l.signal)
	l.signal = make(chan struct{})
}

func (l *eventLog) all() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// wait returns the first event from index from on that matches.
func (l *eventLog) wait(t *testing.T, from int, what string, match func(Event) bool) Event {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		l.mu.Lock()
		for _, e := range l.events[min(from, len(l.events)):] {
			if match(e) {
				l.mu.Unlock()
				return e
			}
		}
		signal := l.signal
		l.mu.Unlock()
		select {
		case <-signal:
		case <-deadline:
			t.Fatalf("no %s event within %v; got %+v", what, waitLimit, l.all())
		}
	}
}

func (l *eventLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.events)
}

func kindIs(k EventKind) func(Event) bool { return func(e Event) bool { return e.Kind == k } }

// configJSON is a config for the service at host:port scanning endpoints.
// The interval is long: runs happen at start, on every config change and
// on Rescan, so tests decide when.
func configJSON(host string, port int, endpoints ...map[string]any) []byte {
	if endpoints == nil {
		endpoints = []map[string]any{}
	}
	data, _ := json.MarshalIndent(map[string]any{
		"host": host, "port": port, "interval": 600000, "probe_timeout": 5000,
		"endpoints": endpoints,
	}, "", "  ")
	return data
}

// endpointOf scans exactly the fake's port.
func endpointOf(b *llproxytest.Backend, tags ...string) map[string]any {
	ep := map[string]any{"hostname": b.Host, "port_start": b.Port, "port_end": b.Port}
	if len(tags) > 0 {
		ep["tags"] = tags
	}
	return ep
}

// newHarness writes the config and builds (but does not start) a Service.
func newHarness(t *testing.T, host string, port int, endpoints ...map[string]any) *harness {
	t.Helper()
	return newHarnessWith(t, nil, host, port, endpoints...)
}

// newHarnessWith is newHarness with a chance to change the Options.
func newHarnessWith(t *testing.T, edit func(*Options), host string, port int, endpoints ...map[string]any) *harness {
	t.Helper()
	h := &harness{t: t, host: host, port: port, out: &llproxytest.Buffer{}, events: newEventLog()}
	h.path = filepath.Join(t.TempDir(), "llproxy.json")
	h.write(configJSON(host, port, endpoints...))
	logger := slog.New(slog.NewTextHandler(h.out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := Options{ConfigPath: h.path, Logger: logger, Version: "v-test"}
	if edit != nil {
		edit(&opts)
	}
	svc, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	cancel := svc.Subscribe(h.events.record)
	t.Cleanup(cancel)
	return h
}

// startHarness builds and starts a Service; it is stopped when the test ends.
func startHarness(t *testing.T, host string, port int, endpoints ...map[string]any) *harness {
	t.Helper()
	h := newHarness(t, host, port, endpoints...)
	h.start()
	return h
}

func (h *harness) start() {
	h.t.Helper()
	if err := h.svc.Start(context.Background()); err != nil {
		h.t.Fatalf("Start: %v", err)
	}
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := h.svc.Stop(ctx); err != nil {
			h.t.Errorf("Stop: %v", err)
		}
	})
}

// write replaces the config file the way an editor saving in place does.
func (h *harness) write(data []byte) {
	h.t.Helper()
	if err := os.WriteFile(h.path, data, 0o600); err != nil {
		h.t.Fatal(err)
	}
}

// modelNames lists Status().Models' names.
func (h *harness) modelNames() []string {
	var names []string
	for _, m := range h.svc.Status().Models {
		names = append(names, m.Name)
	}
	return names
}

// waitModels waits until the model list is exactly want and the last
// discovery report (stored just after the list) says so too.
func (h *harness) waitModels(want ...string) {
	h.t.Helper()
	waitFor(h.t, fmt.Sprintf("models %v", want), func() bool {
		return slices.Equal(h.modelNames(), want) && h.svc.Status().Discovery.Models == len(want)
	})
}

// rescan asks for a discovery run and waits until it has finished.
func (h *harness) rescan() {
	h.t.Helper()
	asked := time.Now()
	h.svc.Rescan()
	waitFor(h.t, "a discovery run", func() bool { return h.svc.Status().Discovery.Started.After(asked) })
}

// waitFor polls cond until it holds or waitLimit passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// healthAt does GET /health on host:port.
func healthAt(t *testing.T, host string, port int) (health, error) {
	t.Helper()
	resp, err := noKeepAlive.Get("http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/health")
	if err != nil {
		return health{}, err
	}
	defer resp.Body.Close()
	var h health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return health{}, fmt.Errorf("decode /health: %w", err)
	}
	return h, nil
}

// noKeepAlive makes every request dial afresh, so "the old port is
// closed" is about the listener, not a pooled connection.
var noKeepAlive = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: waitLimit}

// refused reports whether nothing listens on host:port any more.
func refused(host string, port int) bool {
	c, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(port)), waitLimit)
	if err != nil {
		return true
	}
	c.Close()
	return false
}

// getBody does GET url and returns status and body.
func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noKeepAlive.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
