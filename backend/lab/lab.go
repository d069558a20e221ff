package lab

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
	"golang.org/x/sys/unix"
)

// prefix starts every lab namespace's name: "felab<pid>-<node>".
const prefix = "felab"

// SSHD is the OpenSSH server the lab runs.
const SSHD = "/usr/sbin/sshd"

// Node is one namespace of the lab.
type Node struct {
	Name string // "h1", "proxy", "client"
	NS   string // the namespace's name
	Addr string // its 198.18.0.x address
	Dir  string // its files (sshd config, keys)

	lab     *Lab
	hostKey ssh.PublicKey
	sshd    *exec.Cmd
}

// Lab is a running fleet. Close it.
type Lab struct {
	Dir    string
	Hosts  []*Node // h1 … hN
	Proxy  *Node   // where llproxy runs
	Client *Node   // another namespace, for outside clients
	// Home is a home folder for llproxy: .ssh/id_ed25519 (authorized on
	// every host) and .ssh/known_hosts (every host's key).
	Home string

	id     string
	sw     string // the bridge's namespace
	mu     sync.Mutex
	procs  []*exec.Cmd
	nodes  []*Node
	closed bool
}

// Requirements says what Start needs, for failure messages.
const Requirements = "the lab needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN, as in CI) to create network namespaces " +
	"with ip netns, plus iproute2 and openssh-server (apt-get install -y iproute2 openssh-server; make deps-test installs them)"

// Check says what is missing for Start, if anything: root, ip, sshd.
func Check() error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("not root (uid %d): %s", os.Geteuid(), Requirements)
	}
	for _, bin := range []string{"ip", SSHD} {
		if _, err := exec.LookPath(bin); err != nil {
			return fmt.Errorf("%s not found: %s", bin, Requirements)
		}
	}
	return nil
}

// Start builds a lab of n hosts plus the proxy and client namespaces in
// dir. On failure everything made so far is removed.
func Start(dir string, n int) (l *Lab, err error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if err := CleanStale(); err != nil {
		return nil, err
	}
	l = &Lab{Dir: dir, Home: filepath.Join(dir, "home"), id: prefix + strconv.Itoa(os.Getpid())}
	defer func() {
		if err != nil {
			l.Close()
			l = nil
		}
	}()
	l.sw = l.id + "-sw"
	if err := l.addNS(l.sw); err != nil {
		return nil, fmt.Errorf("ip netns add: %w; %s", err, Requirements)
	}
	if err := ipIn(l.sw, "link", "add", "br0", "type", "bridge"); err != nil {
		return nil, err
	}
	if err := ipIn(l.sw, "link", "set", "br0", "up"); err != nil {
		return nil, err
	}
	if l.Proxy, err = l.addNode("proxy", "198.18.0.2"); err != nil {
		return nil, err
	}
	if l.Client, err = l.addNode("client", "198.18.0.3"); err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		h, err := l.addNode("h"+strconv.Itoa(i), "198.18.0."+strconv.Itoa(10+i))
		if err != nil {
			return nil, err
		}
		l.Hosts = append(l.Hosts, h)
	}
	if err := l.writeKeys(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Lab) addNS(name string) error {
	if err := run("ip", "netns", "add", name); err != nil {
		return err
	}
	l.mu.Lock()
	l.nodes = append(l.nodes, &Node{NS: name})
	l.mu.Unlock()
	return nil
}

// addNode makes a namespace with lo up and eth0 (addr/24) on the bridge.
func (l *Lab) addNode(name, addr string) (*Node, error) {
	nd := &Node{Name: name, NS: l.id + "-" + name, Addr: addr, Dir: filepath.Join(l.Dir, name), lab: l}
	if err := os.MkdirAll(nd.Dir, 0o700); err != nil {
		return nil, err
	}
	if err := l.addNS(nd.NS); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.nodes[len(l.nodes)-1] = nd
	l.mu.Unlock()
	// Both ends are created inside their namespaces: the machine's own
	// namespace never holds a lab link.
	steps := [][]string{
		{"link", "add", name, "netns", l.sw, "type", "veth", "peer", "name", "eth0", "netns", nd.NS},
		{"-n", l.sw, "link", "set", name, "master", "br0"},
		{"-n", l.sw, "link", "set", name, "up"},
		{"-n", nd.NS, "link", "set", "lo", "up"},
		{"-n", nd.NS, "addr", "add", addr + "/24", "dev", "eth0"},
		{"-n", nd.NS, "link", "set", "eth0", "up"},
	}
	for _, s := range steps {
		if err := run("ip", s...); err != nil {
			return nil, err
		}
	}
	return nd, nil
}

// SetLink brings host's link to the bridge up or down (ip link set … down
// on the bridge's side: the host sees its peer go silent, as when a cable
// is pulled).
func (l *Lab) SetLink(nd *Node, up bool) error {
	state := "down"
	if up {
		state = "up"
	}
	return ipIn(l.sw, "link", "set", nd.Name, state)
}

// writeKeys makes the client key, each host's key, authorized_keys and
// known_hosts.
func (l *Lab) writeKeys() error {
	sshDir := filepath.Join(l.Home, ".ssh")
	if err := os.MkdirAll(sshDir, 0o700); err != nil {
		return err
	}
	clientPub, err := writeKey(filepath.Join(sshDir, "id_ed25519"))
	if err != nil {
		return err
	}
	var known bytes.Buffer
	for _, h := range l.Hosts {
		if h.hostKey, err = writeKey(filepath.Join(h.Dir, "ssh_host_ed25519_key")); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(h.Dir, "authorized_keys"), ssh.MarshalAuthorizedKey(clientPub), 0o600); err != nil {
			return err
		}
		known.WriteString(h.KnownHostsLine() + "\n")
	}
	return os.WriteFile(filepath.Join(sshDir, "known_hosts"), known.Bytes(), 0o600)
}

// writeKey writes a new ed25519 private key (OpenSSH format) and its .pub.
func writeKey(path string) (ssh.PublicKey, error) {
	_, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		return nil, err
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, err
	}
	return signer.PublicKey(), os.WriteFile(path+".pub", ssh.MarshalAuthorizedKey(signer.PublicKey()), 0o644)
}

// HostKey is the host's SSH host key.
func (nd *Node) HostKey() ssh.PublicKey { return nd.hostKey }

// KnownHostsLine is the host's known_hosts line.
func (nd *Node) KnownHostsLine() string {
	return knownhosts.Line([]string{nd.Addr}, nd.hostKey)
}

// StartSSHD starts the host's OpenSSH server on Addr:22, logging in root
// with the lab's key only.
func (nd *Node) StartSSHD() error {
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil { // sshd's privilege separation folder
		return err
	}
	conf := filepath.Join(nd.Dir, "sshd_config")
	text := strings.Join([]string{
		"ListenAddress " + nd.Addr + ":22",
		"HostKey " + filepath.Join(nd.Dir, "ssh_host_ed25519_key"),
		"AuthorizedKeysFile " + filepath.Join(nd.Dir, "authorized_keys"),
		"PidFile none",
		"UsePAM no",
		"PermitRootLogin prohibit-password",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"StrictModes no",
		"AllowTcpForwarding yes",
		"LogLevel ERROR",
		"",
	}, "\n")
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		return err
	}
	// Logins are root's, but with a clean home: the machine's /root (its
	// shell start-up files may take seconds) is covered, only inside the
	// private mount namespace ip netns exec gives sshd.
	home := filepath.Join(nd.Dir, "root-home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	cmd, err := nd.Start(nil, "/bin/sh", "-c", `mount --bind "$0" /root && exec "$1" -D -e -f "$2"`, home, SSHD, conf)
	if err != nil {
		return err
	}
	nd.sshd = cmd
	return nd.waitListening(nd.Addr+":22", 10*time.Second)
}

// SSHDOutput is what the host's sshd logged (errors only, unless
// LogLevel is raised).
func (nd *Node) SSHDOutput() string {
	if nd.sshd == nil {
		return ""
	}
	return Output(nd.sshd)
}

// StopSSHD kills the host's sshd and the sessions it started, as when
// the server is stopped or the host goes down: open connections end.
func (nd *Node) StopSSHD() {
	if nd.sshd != nil {
		nd.lab.kill(nd.sshd)
		nd.sshd = nil
	}
	out, err := exec.Command("ip", "netns", "pids", nd.NS).Output()
	if err != nil {
		return
	}
	for _, f := range strings.Fields(string(out)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		if comm, err := os.ReadFile("/proc/" + f + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "sshd" {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// Start runs bin in the node's namespace with env added to the lab's
// environment. Close kills it.
func (nd *Node) Start(env []string, bin string, args ...string) (*exec.Cmd, error) {
	argv := append([]string{"netns", "exec", nd.NS, bin}, args...)
	cmd := exec.Command("ip", argv...) // ip execs bin: the process is bin itself
	cmd.Env = append(os.Environ(), env...)
	out := &logWriter{}
	cmd.Stdout, cmd.Stderr = out, out
	// No Pdeathsig: it fires when the forking thread ends, and DialContext
	// ends threads. A crashed run's processes go with CleanStale.
	l := nd.lab
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, errors.New("lab closed")
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	l.procs = append(l.procs, cmd)
	go func() { _ = cmd.Wait() }()
	return cmd, nil
}

// Output returns what a process started with Start printed so far
// (standard output and error, the first 4 MiB).
func Output(cmd *exec.Cmd) string {
	if w, ok := cmd.Stderr.(*logWriter); ok {
		return w.String()
	}
	return ""
}

// waitListening polls until addr accepts a connection from inside the
// namespace.
func (nd *Node) waitListening(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := nd.DialContext(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: nothing listens on %s after %v: %w", nd.Name, addr, within, err)
		}
		time.Sleep(20 * time.Millisecond) // polling a server's start-up
	}
}

// WaitListening waits until addr accepts connections inside the node.
func (nd *Node) WaitListening(addr string, within time.Duration) error {
	return nd.waitListening(addr, within)
}

// DialContext opens a connection from inside the node's namespace: the
// socket is made on a thread that entered the namespace, and the thread is
// thrown away afterwards (it never returns to the Go scheduler's pool).
func (nd *Node) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	type result struct {
		c   net.Conn
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		f, err := os.Open("/var/run/netns/" + nd.NS)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{nil, fmt.Errorf("setns %s: %w", nd.NS, err)}
			return
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		ch <- result{c, err}
	}()
	r := <-ch
	return r.c, r.err
}

// kill stops one process and waits for it.
func (l *Lab) kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// Close kills every process the lab started (and any other process still
// in its namespaces) and deletes the namespaces. Safe to call twice.
func (l *Lab) Close() error {
	l.mu.Lock()
	l.closed = true
	procs, nodes := l.procs, l.nodes
	l.procs, l.nodes = nil, nil
	l.mu.Unlock()
	for _, p := range procs {
		l.kill(p)
	}
	var errs []error
	for _, nd := range nodes {
		if err := deleteNS(nd.NS); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// deleteNS kills what runs in ns and deletes it.
func deleteNS(ns string) error {
	if out, err := exec.Command("ip", "netns", "pids", ns).Output(); err == nil {
		for _, f := range strings.Fields(string(out)) {
			if pid, err := strconv.Atoi(f); err == nil && pid != os.Getpid() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
	return run("ip", "netns", "delete", ns)
}

// CleanStale deletes lab namespaces whose creating process is gone (a run
// that crashed or was killed before its Close).
func CleanStale() error {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return fmt.Errorf("ip netns list: %w; %s", err, Requirements)
	}
	var errs []error
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		pid, ok := labPID(name)
		if !ok || processAlive(pid) {
			continue
		}
		if err := deleteNS(name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// labPID reads the creator's pid from "felab<pid>-<node>".
func labPID(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(digits)
	return pid, ok && err == nil && pid > 0
}

func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil || errors.Is(syscall.Kill(pid, 0), syscall.EPERM)
}

func ipIn(ns string, args ...string) error { return run("ip", append([]string{"-n", ns}, args...)...) }

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// logWriter keeps a process's output for checks and failure messages.
type logWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() < 4<<20 {
		w.buf.Write(p)
	}
	return len(p), nil
}

func (w *logWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
