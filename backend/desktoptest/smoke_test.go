//go:build desktop

package desktoptest

import (
	"fmt"
	"os/exec"
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

	shot := a.screenshot("smoke.png")
	out, err := exec.Command("convert", shot, "-format", "%[fx:standard_deviation]", "info:").Output()
	if err != nil {
		t.Fatalf("measure screenshot: %v", err)
	}
	sd, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || sd < 0.02 {
		t.Fatalf("screenshot %s looks blank (standard deviation %q)", shot, out)
	}

	if err := a.closeWindow(30 * time.Second); exitCode(err) != 0 {
		t.Fatalf("exit after close: %v", err)
	}
	waitFor(t, "no leftover processes", 10*time.Second, func() bool { return len(a.groupAlive()) == 0 })
}
