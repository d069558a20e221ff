//go:build unix

package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// A config that is not a regular file is refused at once, with a message
// that says why (issue 14, bug 5): a FIFO used to block forever, and a
// pipe was read twice (the second time empty).
func TestLoad_RefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	go func() { w.Write([]byte(`{"port": 3333}`)); w.Close() }()
	pipe := "/dev/fd/" + strconv.Itoa(int(r.Fd())) // what the shell's <(…) gives
	for _, tc := range []struct{ name, path, what string }{
		{"FIFO", fifo, "a pipe or FIFO"},
		{"pipe", pipe, "a pipe or FIFO"},
		{"folder", dir, "a folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path) // must not block
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.what) ||
				!strings.HasPrefix(err.Error(), tc.path+": ") {
				t.Fatalf("Load(%s) = %v; want ErrNotRegular naming the path and %q", tc.path, err, tc.what)
			}
		})
	}
}
