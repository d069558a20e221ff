package documents

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
)

// libraryState is state.json: what the app reopens at start.
type libraryState struct {
	Format     int    `json:"format"`
	LastOpened string `json:"last_opened"`
}

// SetLastOpened records the document the app has open, so LastOpened
// finds it after a restart.
func (l *Library) SetLastOpened(id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	data, err := json.Marshal(libraryState{Format: 1, LastOpened: id})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return WriteFileAtomic(l.fs, filepath.Join(l.dir, stateFile), append(data, '\n'))
}

// LastOpened returns the id of the last opened document, or "" when none
// was recorded or it no longer exists (deleted). A corrupt state.json is
// reported and counts as none.
func (l *Library) LastOpened() (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	path := filepath.Join(l.dir, stateFile)
	data, err := l.fs.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", &FileError{Path: path, Err: err}
	}
	var st libraryState
	if err := json.Unmarshal(data, &st); err != nil {
		return "", &FileError{Path: path, Err: fmt.Errorf("%w: %v", ErrCorrupt, err)}
	}
	if !ValidID(st.LastOpened) {
		return "", nil
	}
	if _, err := l.fs.Stat(l.docPath(st.LastOpened)); err != nil {
		return "", nil
	}
	return st.LastOpened, nil
}
