// Package appsettings owns the desktop app's own settings (not the
// proxy's, not the models'): a small JSON file in the settings folder,
// written atomically. A missing or unreadable file means the defaults; an
// unreadable one is kept aside, never overwritten silently.
package appsettings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fragmenteditor/backend/atomicfile"
)

// FileName is the settings file inside the settings folder.
const FileName = "app.json"

// Settings are the app's own settings.
type Settings struct {
	// KeepServing keeps the proxy running when the window is closed: the
	// window hides, and launching the app again shows it. Default false.
	KeepServing bool `json:"keep_serving"`
	// ServeEditor serves the editor page and its API on the proxy's port
	// to other devices (a browser on a tablet, another computer). Default
	// false.
	ServeEditor bool `json:"serve_editor"`
}

// Store reads and writes Settings. Safe for concurrent use.
type Store struct {
	path string

	mu  sync.Mutex // guards cur
	cur Settings
}

// Open loads the settings from dir. A corrupt file is renamed to
// app.json.corrupt-<time> and reported in the error; the store then holds
// the defaults and works.
func Open(dir string) (*Store, error) {
	s := &Store{path: filepath.Join(dir, FileName)}
	data, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("%s: %w", s.path, err)
	}
	if err := json.Unmarshal(data, &s.cur); err != nil {
		aside := s.path + ".corrupt-" + time.Now().Format("20060102-150405")
		s.cur = Settings{}
		if rerr := os.Rename(s.path, aside); rerr != nil {
			return s, fmt.Errorf("%s: %v (and it could not be moved aside: %v)", s.path, err, rerr)
		}
		return s, fmt.Errorf("%s: %v; moved to %s, using the defaults", s.path, err, aside)
	}
	return s, nil
}

// Get returns the current settings.
func (s *Store) Get() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

// Set saves new settings atomically and makes them current.
func (s *Store) Set(v Settings) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.path, append(data, '\n'), 0o600); err != nil {
		return err
	}
	s.cur = v
	return nil
}
