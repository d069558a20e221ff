package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// debounce is how long the file must stay quiet after an event before it
// is read: editors save in several steps (truncate, write, rename).
const debounce = 150 * time.Millisecond

// Watch calls onChange each time the config file at path changes: with
// the new config for a valid edit, or with an error (a *ValidationError,
// or one matching fs.ErrNotExist if the file is gone) for a broken one,
// in which case the caller should keep its current config. It watches the
// file's directory, so saves that replace the file by renaming another
// over it are seen; a save that leaves the bytes as they were is ignored.
// Calls to onChange come one at a time from Watch's goroutine.
//
// Watch blocks until ctx is done, then returns nil; it returns an error
// if the watch cannot be set up or fails. An edit made before the watch
// is in place may be missed: to close that gap, use NewWatcher before
// Load, then Run.
func Watch(ctx context.Context, path string, onChange func(*Config, error)) error {
	w, err := NewWatcher(path)
	if err != nil {
		return err
	}
	return w.Run(ctx, onChange)
}

// Watcher watches one config file. It is Watch split in two, so that the
// watch is in place before the caller loads the file.
type Watcher struct {
	path string // absolute
	fs   *fsnotify.Watcher
	// last is the content seen most recently (nil with exists false when
	// the file was missing); written and read only by Run.
	last   []byte
	exists bool
	// skipped, when set (by tests), is called when a change event turned
	// out to leave the file's bytes as they were.
	skipped func()
}

// NewWatcher starts watching path's directory and records the file's
// current content as the baseline that later reads are compared with. The
// caller must call Run or Close.
func NewWatcher(path string) (*Watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching %s: %w", path, err)
	}
	if err := fsw.Add(filepath.Dir(abs)); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watching %s: %w", path, err)
	}
	w := &Watcher{path: abs, fs: fsw}
	w.last, err = readFile(abs)
	w.exists = err == nil
	return w, nil
}

// Close stops a watcher that will not Run.
func (w *Watcher) Close() error { return w.fs.Close() }

// Run delivers changes to onChange, as described for Watch, until ctx is
// done. It closes the watcher when it returns.
func (w *Watcher) Run(ctx context.Context, onChange func(*Config, error)) error {
	defer w.fs.Close()
	timer := time.NewTimer(debounce)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fs.Events:
			if !ok {
				return errors.New("config watcher closed")
			}
			if w.concerns(ev) {
				timer.Reset(debounce)
			}
		case err, ok := <-w.fs.Errors:
			if !ok {
				return errors.New("config watcher closed")
			}
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				return fmt.Errorf("watching %s: %w", w.path, err)
			}
			timer.Reset(debounce) // events were lost: look at the file
		case <-timer.C:
			w.reload(onChange)
		}
	}
}

// concerns reports whether ev may have changed the watched file.
func (w *Watcher) concerns(ev fsnotify.Event) bool {
	return filepath.Clean(ev.Name) == w.path &&
		ev.Op&(fsnotify.Create|fsnotify.Write|fsnotify.Rename|fsnotify.Remove) != 0
}

// reload reads the file and reports it if its bytes changed.
func (w *Watcher) reload(onChange func(*Config, error)) {
	data, err := readFile(w.path)
	exists := err == nil
	if exists == w.exists && bytes.Equal(data, w.last) {
		if w.skipped != nil {
			w.skipped()
		}
		return
	}
	w.last, w.exists = data, exists
	if err != nil {
		onChange(nil, err)
		return
	}
	onChange(parseFile(w.path, data))
}
