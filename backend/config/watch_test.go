package config

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
func startWatcher(t *testing.T, path string, tweak ...func(*Watcher)) (<-chan change, <-chan struct{}, func() error) {
	t.Helper()
	w, err := NewWatcher(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tweak {
		f(w)
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

func TestWatch_FileMissingAtStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "llproxy.json")
	changes, _, _ := startWatcher(t, path)
	writeFile(t, path, `{"port": 2000}`)
	next(t, changes, "file created", hasPort(2000))
}

func TestWatch_EndsWithContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "llproxy.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Watch(ctx, path, func(*Config, error) {}); err != nil {
		t.Fatalf("Watch = %v, want nil after its context ended", err)
	}
}

// The ways of replacing a config file that the watcher used to miss
// (issue 14, bug 3): each must deliver the new api_keys.
func TestWatch_FollowsReplacementsThatBypassTheFile(t *testing.T) {
	hasKey := func(key string) func(change) bool {
		return func(c change) bool { return c.err == nil && c.cfg != nil && slices.Contains(c.cfg.APIKeys, key) }
	}
	t.Run("ConfigMap symlink swap", func(t *testing.T) {
		dir := t.TempDir()
		mustMkdir(t, filepath.Join(dir, "..v1"))
		writeFile(t, filepath.Join(dir, "..v1", "config.json"), `{"port": 1}`)
		mustSymlink(t, "..v1", filepath.Join(dir, "..data"))
		path := filepath.Join(dir, "config.json")
		mustSymlink(t, filepath.Join("..data", "config.json"), path)
		changes, _, _ := startWatcher(t, path)

		mustMkdir(t, filepath.Join(dir, "..v2"))
		writeFile(t, filepath.Join(dir, "..v2", "config.json"), `{"port": 1, "api_keys": ["k2"]}`)
		mustSymlink(t, "..v2", filepath.Join(dir, "..data_tmp"))
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(filepath.Join(dir, "..v1")); err != nil {
			t.Fatal(err)
		}
		next(t, changes, "the swapped-in config", hasKey("k2"))

		// And the next swap too (the watch moved with the link).
		mustMkdir(t, filepath.Join(dir, "..v3"))
		writeFile(t, filepath.Join(dir, "..v3", "config.json"), `{"port": 1, "api_keys": ["k3"]}`)
		mustSymlink(t, "..v3", filepath.Join(dir, "..data_tmp"))
		if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
		next(t, changes, "the second swap", hasKey("k3"))
	})
	t.Run("edit of a symlink's target elsewhere", func(t *testing.T) {
		real := filepath.Join(t.TempDir(), "real.json")
		writeFile(t, real, `{"port": 1}`)
		path := filepath.Join(t.TempDir(), "config.json")
		mustSymlink(t, real, path)
		changes, _, _ := startWatcher(t, path)
		writeFile(t, real, `{"port": 1, "api_keys": ["k"]}`)
		next(t, changes, "the edited target", hasKey("k"))
	})
	t.Run("folder deleted and created again", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "conf")
		mustMkdir(t, dir)
		path := filepath.Join(dir, "config.json")
		writeFile(t, path, `{"port": 1}`)
		changes, _, _ := startWatcher(t, path, func(w *Watcher) { w.poll = 20 * time.Millisecond })
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		c := next(t, changes, "the removal", func(c change) bool { return c.err != nil })
		if !errors.Is(c.err, fs.ErrNotExist) {
			t.Errorf("removal gave %v", c.err)
		}
		mustMkdir(t, dir)
		writeFile(t, path, `{"port": 1, "api_keys": ["k"]}`)
		next(t, changes, "the config in the new folder", hasKey("k"))
		// Events work again, not just polling: a later edit is seen too.
		writeFile(t, path, `{"port": 1, "api_keys": ["k4"]}`)
		next(t, changes, "an edit in the new folder", hasKey("k4"))
	})
	t.Run("folder missing at start", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "later")
		path := filepath.Join(dir, "config.json")
		changes, _, _ := startWatcher(t, path, func(w *Watcher) { w.poll = 20 * time.Millisecond })
		mustMkdir(t, dir)
		writeFile(t, path, `{"port": 1, "api_keys": ["k"]}`)
		next(t, changes, "the config in the late folder", hasKey("k"))
	})
}

// Without OS file events the watcher polls, and says so.
func TestWatch_FallsBackToPolling(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	writeFile(t, path, `{"port": 1}`)
	var logs bytes.Buffer
	newFSWatcher = func() (*fsnotify.Watcher, error) { return nil, errors.New("too many open files") }
	defer func() { newFSWatcher = fsnotify.NewWatcher }()
	w, err := NewWatcher(path, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "reading it every 2 s") || !strings.Contains(logs.String(), "too many open files") {
		t.Errorf("the fallback was not logged: %s", logs.String())
	}
	w.poll = 20 * time.Millisecond
	changes := make(chan change, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx, func(c *Config, err error) { changes <- change{c, err} })
	writeFile(t, path, `{"port": 2}`)
	next(t, changes, "the polled edit", hasPort(2))
}

func TestWatcher_LoadReadsTheFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	writeFile(t, path, `{"port": 5}`)
	w, err := NewWatcher(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	writeFile(t, path, `{"port": 6}`) // after the watcher's read
	c, err := w.Load()
	if err != nil || c.Port != 5 {
		t.Fatalf("Load = %v, %v; want the content NewWatcher read (port 5)", c, err)
	}
}

func mustMkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
