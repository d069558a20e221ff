//go:build unix

package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A config given as a FIFO (or a shell's <(…) pipe) is refused at once
// with a clear message: it used to block forever, even on SIGTERM, and a
// pipe was read twice, the second time empty.
func TestRun_RefusesAFIFOConfig(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "config.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--config", fifo, "--data", t.TempDir()}, &stdout, &stderr); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), "pipe or FIFO") || !strings.Contains(stderr.String(), fifo) {
		t.Errorf("stderr does not explain the refusal:\n%s", stderr.String())
	}
}
