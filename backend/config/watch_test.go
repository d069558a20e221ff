package config

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// patience bounds every wait for a file event; results are awaited, never
// timed.
const patience = 10 * time.Second

type change struct {
	cfg *Config
	err error
}

// startWatcher runs a Watcher on path and returns its changes, a channel
// that receives when a change left the bytes as they were, and a function
// that stops it and returns Run's result.
func startWatcher(t *testing.T, path string) (<-chan change, <-chan struct{}, func() error) {
	t.Helper()
	w, err := NewWatcher(path)
	if err != nil {
		t.Fatal(err)
	}
	changes := make(chan change, 16)
	skips := make(chan struct{}, 16)
	w.skipped = func() { skips <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, func(c *Config, err error) { changes <- change{c, err} }) }()
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(patience):
			t.Error("Run did not return after its context ended")
			return nil
		}
	})
	t.Cleanup(func() { stop() })
	return changes, skips, stop
}

// next waits for the next change that satisfies ok, skipping others (an
// editor's save may be seen half-done first).
func next(t *testing.T, changes <-chan change, what string, ok func(change) bool) change {
	t.Helper()
	deadline := time.After(patience)
	for {
		select {
		case c := <-changes:
			if ok(c) {
				return c
			}
		case <-deadline:
			t.Fatalf("no change: %s", what)
		}
	}
}

func hasPort(port int) func(change) bool {
	return func(c change) bool { return c.err == nil && c.cfg != nil && c.cfg.Port == port }
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestWatch_EditsRenamesBrokenEditsAndFixes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "llproxy.json")
	writeFile(t, path, `{"port": 1000}`)
	changes, skips, stop := startWatcher(t, path)

	// An edit in place.
	writeFile(t, path, `{"port": 1001}`)
	next(t, changes, "in-place edit to port 1001", hasPort(1001))

	// A save by rename, as most editors do it.
	tmp := filepath.Join(dir, ".llproxy.json.swp")
	writeFile(t, tmp, `{"port": 1002, "endpoints": [{"hostname": "127.0.0.2", "port_start": 9000}]}`)
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	c := next(t, changes, "rename-over to port 1002", hasPort(1002))
	if len(c.cfg.Endpoints) != 1 || c.cfg.Endpoints[0].PortEnd != 9000 {
		t.Errorf("the reloaded config is not defaulted: %#v", c.cfg)
	}

	// A broken edit is reported, with the file's path.
	writeFile(t, path, `{"port": 70000}`)
	c = next(t, changes, "broken edit", func(c change) bool { return c.err != nil })
	var ve *ValidationError
	if c.cfg != nil || !errors.As(c.err, &ve) || ve.File != path || ve.Problems[0] != (Problem{"port", "70000 is not a port"}) {
		t.Errorf("broken edit gave %v, %v", c.cfg, c.err)
	}

	// The fix.
	writeFile(t, path, `{"port": 1003}`)
	next(t, changes, "fix to port 1003", hasPort(1003))

	// Saving without changing anything calls nobody.
	writeFile(t, path, `{"port": 1003}`)
	select {
	case <-skips:
	case c := <-changes:
		t.Fatalf("an unchanged save was reported: %v, %v", c.cfg, c.err)
	case <-time.After(patience):
		t.Fatal("the unchanged save was never looked at")
	}

	// Deleting the file is a broken edit; bringing it back is a change.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	c = next(t, changes, "removal", func(c change) bool { return c.err != nil })
	if !errors.Is(c.err, fs.ErrNotExist) {
		t.Errorf("removal gave %v, want fs.ErrNotExist", c.err)
	}
	writeFile(t, path, `{"port": 1003}`)
	next(t, changes, "file restored", hasPort(1003))

	if err := stop(); err != nil {
		t.Errorf("Run returned %v after its context ended, want nil", err)
	}
}

func TestWatcher_Concerns(t *testing.T) {
	dir := t.TempDir()
	w := &Watcher{path: filepath.Join(dir, "llproxy.json")}
	for _, tc := range []struct {
		name string
		op   fsnotify.Op
		want bool
	}{
		{"llproxy.json", fsnotify.Create, true},
		{"llproxy.json", fsnotify.Write, true},
		{"llproxy.json", fsnotify.Rename, true},
		{"llproxy.json", fsnotify.Remove, true},
		{"llproxy.json", fsnotify.Chmod, false},
		{"other.json", fsnotify.Write, false},
		{".llproxy.json.swp", fsnotify.Create, false},
		{"llproxy.json~", fsnotify.Rename, false},
	} {
		ev := fsnotify.Event{Name: filepath.Join(dir, tc.name), Op: tc.op}
		if got := w.concerns(ev); got != tc.want {
			t.Errorf("concerns(%v) = %v, want %v", ev, got, tc.want)
		}
	}
}

func TestWatch_FileMissingAtStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "llproxy.json")
	changes, _, _ := startWatcher(t, path)
	writeFile(t, path, `{"port": 2000}`)
	next(t, changes, "file created", hasPort(2000))
}

func TestWatch_FailsWithoutDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "llproxy.json")
	err := Watch(context.Background(), path, func(*Config, error) { t.Error("onChange called") })
	if err == nil {
		t.Fatal("Watch of a file in a missing directory succeeded")
	}
}

func TestWatch_EndsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "llproxy.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Watch(ctx, path, func(*Config, error) {}); err != nil {
		t.Fatalf("Watch = %v, want nil after its context ended", err)
	}
}
