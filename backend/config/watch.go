package config

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the file must stay quiet after an event before it
// is read: editors save in several steps (truncate, write, rename).
const debounce = 150 * time.Millisecond

// pollInterval is how often the file is read again whatever the events
// say: the safety net for folders that cannot be watched (gone for now,
// a network file system, no inotify instances left).
const pollInterval = 2 * time.Second

// newFSWatcher is fsnotify.NewWatcher; tests make it fail.
var newFSWatcher = fsnotify.NewWatcher

// maxSymlinks bounds how many symbolic links are followed from the path.
const maxSymlinks = 40

// Watch calls onChange each time the config file at path changes: with
// the new config for a valid edit, or with an error (a *ValidationError,
// or one matching fs.ErrNotExist if the file is gone) for a broken one,
// in which case the caller should keep its current config. A save that
// leaves the bytes as they were is ignored. Calls to onChange come one at
// a time from Watch's goroutine. See Watcher for what is watched.
//
// Watch blocks until ctx is done, then returns nil. An edit made before
// the watch is in place may be missed: to close that gap, use NewWatcher
// and its Load, then Run.
func Watch(ctx context.Context, path string, onChange func(*Config, error)) error {
	w, err := NewWatcher(path, nil)
	if err != nil {
		return err
	}
	return w.Run(ctx, onChange)
}

// Watcher watches one config file. It watches the folder that holds the
// path and, when the path is a symbolic link, the folders along the link
// chain (re-resolved after every change), so that these saves are all
// seen: an edit in place, a rename over the file (most editors), a
// Kubernetes ConfigMap swap (config.json → ..data/config.json, with ..data
// re-pointed), an edit of a symlink's target elsewhere, and the folder
// being deleted and created again. Any event in a watched folder leads to
// a read (debounced); only a change of the bytes is reported. Besides the
// events, the file is read every 2 s: a folder that cannot be watched
// (missing for now, or the OS refuses) is still followed, and watched
// again once it can be. Falling back to polling is logged.
type Watcher struct {
	path string // absolute, symlinks not resolved
	log  *slog.Logger
	// fs is nil when the OS watch could not be set up at all: polling only.
	fs *fsnotify.Watcher
	// watched are the folders fs watches, with what was there when the
	// watch was added (a folder replaced under the same name is watched
	// again); degraded names the folders that should be watched and are
	// not. Both are used only by the goroutine in Run (and NewWatcher).
	watched  map[string]os.FileInfo
	degraded map[string]bool
	// last is the content seen most recently (nil with exists false when
	// the file was missing or unreadable); read and written only by Run.
	last    []byte
	lastErr error
	exists  bool
	poll    time.Duration
	// skipped, when set (by tests), is called when a read found the file's
	// bytes as they were.
	skipped func()
}

// NewWatcher starts watching path (see Watcher) and reads the file once,
// as the baseline later reads are compared with; Load parses that read.
// A nil log discards the watcher's notices. It fails only if path cannot
// be made absolute. The caller must call Run or Close.
func NewWatcher(path string, log *slog.Logger) (*Watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{path: abs, log: log, poll: pollInterval,
		watched: map[string]os.FileInfo{}, degraded: map[string]bool{}}
	if w.fs, err = newFSWatcher(); err != nil {
		w.fs = nil
		w.log.Warn("cannot watch the config file; reading it every 2 s instead", "path", path, "err", err)
	}
	w.last, w.lastErr = readFile(abs)
	w.exists = w.lastErr == nil
	w.sync()
	return w, nil
}

// Load parses the content NewWatcher read: the file is read once, so that
// a config given as a pipe would not be read empty the second time (and
// is refused as a pipe instead).
func (w *Watcher) Load() (*Config, error) {
	if w.lastErr != nil {
		return nil, w.lastErr
	}
	return parseFile(w.path, w.last)
}

// Close stops a watcher that will not Run.
func (w *Watcher) Close() error {
	if w.fs == nil {
		return nil
	}
	return w.fs.Close()
}

// Run delivers changes to onChange, as described for Watch, until ctx is
// done. It closes the watcher when it returns, and always returns nil.
func (w *Watcher) Run(ctx context.Context, onChange func(*Config, error)) error {
	defer w.Close()
	timer := time.NewTimer(debounce)
	timer.Stop()
	defer timer.Stop()
	poll := time.NewTicker(w.poll)
	defer poll.Stop()
	var events chan fsnotify.Event
	var errs chan error
	if w.fs != nil {
		events, errs = w.fs.Events, w.fs.Errors
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if ev.Op != fsnotify.Chmod {
				timer.Reset(debounce)
			}
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("config file watch error; still reading it every 2 s", "path", w.path, "err", err)
			}
			timer.Reset(debounce) // events may have been lost: look at the file
		case <-timer.C:
			w.reload(onChange)
		case <-poll.C:
			w.reload(onChange)
		}
	}
}

// reload reads the file, reports it if its bytes changed, and watches the
// folders its (possibly new) symlink chain goes through.
func (w *Watcher) reload(onChange func(*Config, error)) {
	w.sync()
	data, err := readFile(w.path)
	exists := err == nil
	if exists == w.exists && bytes.Equal(data, w.last) && (exists || sameError(err, w.lastErr)) {
		if w.skipped != nil {
			w.skipped()
		}
		return
	}
	w.last, w.lastErr, w.exists = data, err, exists
	if err != nil {
		onChange(nil, err)
		return
	}
	onChange(parseFile(w.path, data))
}

func sameError(a, b error) bool {
	return a != nil && b != nil && a.Error() == b.Error()
}

// sync makes the set of watched folders match the path's symlink chain.
func (w *Watcher) sync() {
	if w.fs == nil {
		return
	}
	want := watchDirs(w.path)
	for dir, was := range w.watched {
		now, err := os.Stat(dir)
		if !slices.Contains(want, dir) || err != nil || !os.SameFile(was, now) {
			_ = w.fs.Remove(dir) // it may be gone with its folder already
			delete(w.watched, dir)
		}
	}
	for _, dir := range want {
		if _, ok := w.watched[dir]; ok {
			continue
		}
		fi, err := os.Stat(dir)
		if err == nil {
			err = w.fs.Add(dir)
		}
		switch {
		case err == nil:
			w.watched[dir] = fi
			if w.degraded[dir] {
				delete(w.degraded, dir)
				w.log.Info("watching the config folder again", "dir", dir)
			}
		case !w.degraded[dir]:
			w.degraded[dir] = true
			w.log.Warn("cannot watch the config folder; reading the file every 2 s until it can",
				"dir", dir, "err", err)
		}
	}
}

// watchDirs lists the folders whose changes may change what path reads:
// its own folder, and for each symbolic link on the way to the file, the
// folder of the link's target and that folder with its links resolved.
func watchDirs(path string) []string {
	dirs := []string{filepath.Dir(path)}
	add := func(d string) {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	p := path
	for range maxSymlinks {
		target, err := os.Readlink(p)
		if err != nil {
			break // not a link (or gone): p is the file itself
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = filepath.Clean(target)
		add(filepath.Dir(p))
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		add(filepath.Dir(real))
	}
	return dirs
}
