//go:build desktop

package desktoptest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSmoke_WindowAppearsAndClosesCleanly starts the production binary
// under Xvfb, checks the window and a non-blank screenshot, then closes it
// like a window manager would and expects exit code 0 with no processes
// left behind.
func TestSmoke_WindowAppearsAndClosesCleanly(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	port := freePort(t)
	writeProxyConfig(t, home, fmt.Sprintf(`{"port": %d, "interval": 1000, "endpoints": [{"hostname": "127.0.0.250", "port_start": 9000, "port_end": 9001}]}`, port))
	a := startApp(t, x, home)
	a.ready()

	// The page paints shortly after it loads: wait for a window that is
	// not one flat colour.
	var shot string
	waitFor(t, "a painted, non-blank window", 30*time.Second, func() bool {
		shot = a.screenshot("smoke.png")
		return imageColours(t, shot) > 16
	})

	// The web process allocates with malloc (main.go, systemMallocForWebKit).
	procs := a.webProcesses()
	if len(procs) == 0 {
		t.Fatal("no WebKitWebProcess in the app's process group")
	}
	for _, p := range procs {
		env, err := os.ReadFile(p + "/environ")
		if err != nil {
			t.Fatalf("read %s/environ: %v", p, err)
		}
		if !slices.Contains(strings.Split(string(env), "\x00"), "Malloc=1") {
			t.Errorf("%s: the web process's environment has no Malloc=1", p)
		}
	}

	if err := a.closeWindow(30 * time.Second); exitCode(err) != 0 {
		t.Fatalf("exit after close: %v", err)
	}
	var alive []string
	deadline := time.Now().Add(10 * time.Second)
	for alive = a.groupAlive(); len(alive) > 0 && time.Now().Before(deadline); alive = a.groupAlive() {
		time.Sleep(100 * time.Millisecond)
	}
	if len(alive) > 0 {
		t.Fatalf("processes left behind after exit: %v", alive)
	}
}

// imageColours counts the distinct colours of an image: 1 for a blank
// window, hundreds once text is drawn (anti-aliasing).
func imageColours(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("convert", path, "-format", "%k", "info:").Output()
	if err != nil {
		t.Fatalf("measure %s: %v", path, err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("measure %s: %q: %v", path, out, err)
	}
	return n
}
