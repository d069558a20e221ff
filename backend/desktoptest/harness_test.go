//go:build desktop

package desktoptest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fragmenteditor/backend/atomicfile"
	"fragmenteditor/backend/llproxy/llproxytest"
)

var (
	binPath   = flag.String("bin", "../../build/bin/fragmenteditor", "the desktop binary under test")
	artifacts = flag.String("artifacts", "../../.artifacts", "folder for screenshots and logs")
)

// xvfb is a private X server for one test, with a private D-Bus session
// bus (what a desktop session has; the single-instance lock uses it).
type xvfb struct {
	display string
	bus     string // DBUS_SESSION_BUS_ADDRESS
	cmd     *exec.Cmd
}

// env is the environment of a client of this display and bus.
func (x *xvfb) env() []string {
	return append(os.Environ(), "DISPLAY="+x.display, "DBUS_SESSION_BUS_ADDRESS="+x.bus)
}

// startBus starts a D-Bus session bus and returns its address. Its socket
// is in the test's temp folder, and it is stopped with SIGTERM: a bus in
// /tmp (the session default) that was killed left its socket file behind,
// hundreds of /tmp/dbus-* over a day of test runs.
func startBus(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=3", "--address=unix:dir="+t.TempDir())
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		stop(cmd)
		t.Fatalf("dbus-daemon did not report its address: %v", err)
	}
	t.Cleanup(func() { stop(cmd) })
	return strings.TrimSpace(line)
}

// startXvfb starts Xvfb on a free display number and stops it at cleanup.
//
// -displayfd: the server picks a display no other server holds (it binds
// the abstract socket @/tmp/.X11-unix/XN, which the kernel gives to one
// process only) and writes the number once it accepts clients.
//
// -noreset: by default an X server resets when its last client
// disconnects, and a client connecting during the reset is dropped. The
// tests' xdotool polls (waitWindow) connect and disconnect while the app
// starts, so the app's own connection sometimes landed in a reset and GTK
// failed to start ("panic: failed to init GTK"); under stress-ng, 5 to 9
// of 150 connections made beside such polls failed, none with -noreset.
//
// -audit 4: the server logs each client's connect and disconnect with its
// pid; a failed test prints that log.
func startXvfb(t *testing.T) *xvfb {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-audit", "4", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	xlog := &llproxytest.Buffer{}
	cmd.Stdout, cmd.Stderr = xlog, xlog
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	line, err := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if err != nil {
		stop(cmd)
		t.Fatalf("Xvfb did not report its display: %v\n%s", err, xlog)
	}
	x := &xvfb{display: ":" + strings.TrimSpace(line), cmd: cmd}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("Xvfb %s printed:\n%s", x.display, xlog)
		}
		stop(cmd)
	})
	x.bus = startBus(t)
	return x
}

// stop ends a server with SIGTERM, so it removes its socket files (a
// killed Xvfb leaves /tmp/.X11-unix/XN behind); SIGKILL only if it does
// not end in 10 s.
func stop(cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// run runs an X client command on the display and returns its output.
func (x *xvfb) run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = x.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// app is one running copy of the desktop binary.
type app struct {
	t      *testing.T
	x      *xvfb
	home   string
	cmd    *exec.Cmd
	window uint64

	mu     sync.Mutex // guards log
	log    bytes.Buffer
	exited chan struct{}
	err    error // set before exited closes
}

// startApp launches the binary with FRAGMENTEDITOR_HOME=home on x.
func startApp(t *testing.T, x *xvfb, home string, extraEnv ...string) *app {
	t.Helper()
	bin, err := filepath.Abs(*binPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("desktop binary missing (build it with `make build`): %v", err)
	}
	a := &app{t: t, x: x, home: home, exited: make(chan struct{})}
	a.cmd = exec.Command(bin)
	// NO_AT_BRIDGE: no accessibility bus is activated on the private session
	// bus (its launcher can stall start-up).
	// FRAGMENTEDITOR_TEST_PROBE: the page reports what it shows (waitProbe).
	a.cmd.Env = append(x.env(), "FRAGMENTEDITOR_HOME="+home, "GDK_BACKEND=x11", "NO_AT_BRIDGE=1", "FRAGMENTEDITOR_TEST_PROBE=1")
	a.cmd.Env = append(a.cmd.Env, extraEnv...)
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	a.cmd.Stdout, a.cmd.Stderr = pw, pw
	if err := a.cmd.Start(); err != nil {
		t.Fatalf("start app: %v", err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			a.mu.Lock()
			a.log.WriteString(sc.Text() + "\n")
			a.mu.Unlock()
		}
	}()
	go func() {
		a.err = a.cmd.Wait()
		pw.Close()
		close(a.exited)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			ps, _ := exec.Command("ps", "-o", "pid,stat,wchan:32,etime,cmd", "-g", strconv.Itoa(a.cmd.Process.Pid)).CombinedOutput()
			t.Logf("app (pid %d) output:\n%s\nprocesses:\n%s", a.cmd.Process.Pid, a.output(), ps)
		}
		a.kill()
	})
	return a
}

func (a *app) output() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.log.String()
}

// kill ends the app and its process group at once (as a crash would).
func (a *app) kill() {
	select {
	case <-a.exited:
	default:
		syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL)
		<-a.exited
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitOutput waits until the app printed a line containing s.
func (a *app) waitOutput(s string, timeout time.Duration) {
	a.t.Helper()
	what := fmt.Sprintf("app output %q", s)
	waitFor(a.t, what, timeout, func() bool {
		a.stillRunning(what)
		return strings.Contains(a.output(), s)
	})
}

// probeState is what the page's test probe reported (frontend/src/testprobe/probe.ts); each
// event fills its own fields.
type probeState struct {
	Round  string   `json:"round"`  // suggestions: the round shown, every slot finished
	Texts  []string `json:"texts"`  // suggestions: the slots' texts
	Tokens int      `json:"tokens"` // heatmap: token spans in the fragments
	Token  int      `json:"token"`  // token-popup: "Token <Token> of <Of>"
	Of     int      `json:"of"`
	Choice int      `json:"choice"` // token-popup: the selected candidate's index
}

// probeLine is the app's log line for one report of the page's test probe.
var probeLine = regexp.MustCompile(`msg=probe event=(\S+) detail=(.*)$`)

// probes lists what the page reported for event so far, in order.
func (a *app) probes(event string) []probeState {
	a.t.Helper()
	var out []probeState
	for _, line := range strings.Split(a.output(), "\n") {
		m := probeLine.FindStringSubmatch(line)
		if m == nil || m[1] != event {
			continue
		}
		detail := m[2]
		if unq, err := strconv.Unquote(detail); err == nil {
			detail = unq
		}
		var s probeState
		if err := json.Unmarshal([]byte(detail), &s); err != nil {
			a.t.Fatalf("the page's %s report %q: %v", event, detail, err)
		}
		out = append(out, s)
	}
	return out
}

// waitProbe waits until the page reports event, once painted, in a state that
// match accepts (nil: any), among the reports after the first `after` (take
// len(a.probes(event)) before the keys that change it), and returns it.
func (a *app) waitProbe(event string, after int, timeout time.Duration, match func(probeState) bool) probeState {
	a.t.Helper()
	var got probeState
	what := "the page to show " + event
	waitFor(a.t, what, timeout, func() bool {
		a.stillRunning(what)
		reports := a.probes(event)
		for i := len(reports) - 1; i >= after; i-- {
			if match == nil || match(reports[i]) {
				got = reports[i]
				return true
			}
		}
		return false
	})
	return got
}

// stillRunning fails the test at once if the app has exited while the test
// waits for what (instead of when the wait times out).
func (a *app) stillRunning(what string) {
	a.t.Helper()
	select {
	case <-a.exited:
		a.t.Fatalf("app exited (%v) while waiting for %s", a.err, what)
	default:
	}
}

// waitWindow waits for a window whose title contains title, remembers it
// and returns its id.
func (a *app) waitWindow(title string, timeout time.Duration) uint64 {
	a.t.Helper()
	waitFor(a.t, "window "+title, timeout, func() bool {
		a.stillRunning("window " + title)
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", title)
		cmd.Env = a.x.env()
		out, err := cmd.Output()
		if err != nil {
			return false
		}
		ids := strings.Fields(string(out))
		if len(ids) == 0 {
			return false
		}
		id, err := strconv.ParseUint(ids[len(ids)-1], 10, 64)
		a.window = id
		return err == nil
	})
	return a.window
}

// ready waits until the window is up and the page has loaded and said so.
func (a *app) ready() {
	a.t.Helper()
	a.waitWindow("FragmentEditor", 60*time.Second)
	a.waitOutput(readyLine, 60*time.Second)
	a.x.run(a.t, "xdotool", "windowfocus", "--sync", strconv.FormatUint(a.window, 10))
}

// keys sends key presses (xdotool names: Left, space, ctrl+Return …).
func (a *app) keys(keys ...string) {
	a.t.Helper()
	args := append([]string{"key", "--delay", "60"}, keys...)
	a.x.run(a.t, "xdotool", args...)
}

// typeText types text into whatever has focus.
func (a *app) typeText(s string) {
	a.t.Helper()
	a.x.run(a.t, "xdotool", "type", "--delay", "30", s)
}

// screenshot saves the app's window as name under the artifacts folder and
// returns the path of the test's own copy (in its temp folder): suites run
// side by side share the artifacts folder, so what a test measures must
// not be a file another run may be writing.
func (a *app) screenshot(name string) string {
	a.t.Helper()
	own := filepath.Join(a.t.TempDir(), name)
	a.x.run(a.t, "import", "-window", strconv.FormatUint(a.window, 10), own)
	data, err := os.ReadFile(own)
	if err != nil {
		a.t.Fatal(err)
	}
	if err := os.MkdirAll(*artifacts, 0o755); err != nil {
		a.t.Fatal(err)
	}
	if err := atomicfile.Write(filepath.Join(*artifacts, name), data, 0o644); err != nil {
		a.t.Fatal(err)
	}
	return own
}

// closeWindow closes the window like a window manager's close button and
// waits for the process to exit; it returns the exit error (nil for 0).
func (a *app) closeWindow(timeout time.Duration) error {
	a.t.Helper()
	if err := closeWindow(a.x.display, a.window); err != nil {
		a.t.Fatal(err)
	}
	select {
	case <-a.exited:
		return a.err
	case <-time.After(timeout):
		a.t.Fatalf("app did not exit within %s of WM_DELETE_WINDOW", timeout)
		return nil
	}
}

// groupAlive lists processes still in the app's process group.
func (a *app) groupAlive() []string {
	var alive []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		pgid, err := syscall.Getpgid(pid)
		if err == nil && pgid == a.cmd.Process.Pid {
			comm, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
			alive = append(alive, fmt.Sprintf("%d %s", pid, strings.TrimSpace(string(comm))))
		}
	}
	return alive
}

// webProcesses lists the /proc folders of the app's WebKit web processes
// (WebKit names the process WebKitWebProcess; comm keeps 15 bytes).
func (a *app) webProcesses() []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		if st := procStat(p + "/stat"); st != nil && st.pgrp == a.cmd.Process.Pid && strings.HasPrefix(st.comm, "WebKitWebProces") {
			out = append(out, p)
		}
	}
	return out
}

// freePort returns a TCP port free on 127.0.0.1 right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// writeProxyConfig gives the app under home its own proxy config.
func writeProxyConfig(t *testing.T, home string, cfg string) {
	t.Helper()
	dir := filepath.Join(home, "config")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "llproxy.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// exitCode reads a process's exit code from its Wait error.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

var _ = context.Background

// readyLine is what the app logs once the page can take keys.
var readyLine = "frontend ready"
