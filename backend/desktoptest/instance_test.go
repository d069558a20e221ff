//go:build desktop

package desktoptest

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSingleInstance_SecondLaunchHandsOver: a second launch on the same
// FRAGMENTEDITOR_HOME (and session bus) exits at once and leaves the first
// window the only one; a launch on another home is a separate app.
func TestSingleInstance_SecondLaunchHandsOver(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	first := startEditorApp(t, x, home)

	// Wails' second instance hands its launch to the first over D-Bus and
	// exits (with status 1, Wails' choice); the first shows its window.
	second := startApp(t, x, home)
	select {
	case <-second.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("second launch on the same home did not hand over and exit")
	}
	first.waitOutput("launched again: showing the window", 60*time.Second) // a bound, not a pause
	select {
	case <-first.exited:
		t.Fatalf("the first copy exited (%v)", first.err)
	default:
	}
	if n := visibleWindows(t, x); n != 1 {
		t.Fatalf("%d FragmentEditor windows, want 1", n)
	}

	// Another home is another app: it starts its own window.
	other := startEditorApp(t, x, t.TempDir())
	if n := visibleWindows(t, x); n != 2 {
		t.Fatalf("%d windows with two homes, want 2", n)
	}
	other.kill()
}

func visibleWindows(t *testing.T, x *xvfb) int {
	t.Helper()
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "FragmentEditor")
	cmd.Env = x.env()
	out, _ := cmd.Output()
	return len(strings.Fields(string(out)))
}
