package webapi

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fragmenteditor/backend/atomicfile"
)

// EditorKeyFile is where EditorKey keeps the key, in the data folder.
const EditorKeyFile = "editor_key"

// EditorKey is the editor's own access key, kept in dir/editor_key
// (private to the user) and made on first use, so that it survives
// restarts: one of the keys an exposed editor accepts besides api_keys.
func EditorKey(dir string) (string, error) {
	path := filepath.Join(dir, EditorKeyFile)
	data, err := os.ReadFile(path)
	if err == nil {
		if key := strings.TrimSpace(string(data)); key != "" {
			return key, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("editor key: %w", err)
	}
	key := NewEditorKey()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("editor key: %w", err)
	}
	if err := atomicfile.Write(path, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("editor key: %w", err)
	}
	return key, nil
}

// NewEditorKey makes a fresh editor key.
func NewEditorKey() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails (Go ≥ 1.24)
	return "fe-" + base64.RawURLEncoding.EncodeToString(b[:])
}
