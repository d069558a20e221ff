package sshpool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/crypto/ssh"
)

// Defaults for zero Options fields.
const (
	DefaultConnectTimeout = 10 * time.Second
	DefaultKeepAlive      = 5 * time.Second
	maxBackoff            = 30 * time.Second
	maxOutput             = 4 << 20 // bytes of a command's output kept
)

// IdleTimeoutFor is the IdleTimeout for a pool that discovery uses every
// interval: long enough that a configured host's connection is never
// closed between runs (10 min, or 3 intervals).
func IdleTimeoutFor(interval time.Duration) time.Duration {
	return max(10*time.Minute, 3*interval)
}

// ErrClosed is returned by a Pool after Close.
var ErrClosed = errors.New("sshpool: closed")

// ErrNoConnection marks a Dial that failed because the host's SSH
// connection could not be made (down, key refused, host key, timeout),
// as opposed to the remote port refusing.
var ErrNoConnection = errors.New("no SSH connection")

// Options configure a Pool.
type Options struct {
	// ConnectTimeout bounds the TCP connection plus the SSH handshake.
	ConnectTimeout time.Duration
	// KeepAlive is the time between keep-alive requests, and how long one
	// may go unanswered before the connection is dropped.
	KeepAlive time.Duration
	// IdleTimeout closes a connection that had no tunnel or command open
	// for this long (a host no longer in the config); the next use
	// reconnects. Zero keeps connections until Close.
	IdleTimeout time.Duration
	// Logger receives connection events. Nil discards them.
	Logger *slog.Logger
	// Home is the folder "~/" stands for. Empty means os.UserHomeDir.
	Home string
	// AgentSocket is ssh-agent's socket. Empty means $SSH_AUTH_SOCK;
	// NoAgent leaves the agent out.
	AgentSocket string
	NoAgent     bool
	// DialTCP opens the TCP connection to an SSH server. Nil means a
	// net.Dialer.
	DialTCP func(ctx context.Context, addr string) (net.Conn, error)
}

// Pool holds one SSH connection per Target. Safe for concurrent use.
type Pool struct {
	opts     Options
	log      *slog.Logger
	connects atomic.Int64

	mu     sync.Mutex
	hosts  map[Target]*host
	closed bool
}

// host is the state of one Target's connection.
type host struct {
	t          Target
	mu         sync.Mutex
	client     *liveClient
	connecting chan struct{} // non-nil while a connection attempt runs
	err        error         // the last failure, while client is nil
	failures   int           // consecutive failed attempts
	retryAt    time.Time     // no new attempt before this
}

// liveClient is one connection, and whether it was lost (a keep-alive went
// unanswered, or it closed).
type liveClient struct {
	*ssh.Client
	lost    atomic.Bool
	lastUse atomic.Int64 // unix nanoseconds of the last Dial or Run
	open    atomic.Int64 // tunnels and commands in progress
}

func (c *liveClient) use() { c.lastUse.Store(time.Now().UnixNano()) }

// idle reports whether c has had nothing open for longer than d.
func (c *liveClient) idle(d time.Duration, now time.Time) bool {
	return d > 0 && c.open.Load() == 0 && now.Sub(time.Unix(0, c.lastUse.Load())) > d
}

// ErrConnectionLost is what a tunnelled connection's reads and writes
// return once its SSH connection was lost (the host stopped answering
// keep-alives, or the connection closed): the host is gone, as opposed to
// the backend closing the connection.
var ErrConnectionLost = errors.New("SSH connection lost")

// New builds a pool; connections are made on first use.
func New(opts Options) *Pool {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = DefaultKeepAlive
	}
	if opts.Home == "" {
		opts.Home, _ = os.UserHomeDir()
	}
	if opts.AgentSocket == "" && !opts.NoAgent {
		opts.AgentSocket = os.Getenv("SSH_AUTH_SOCK")
	}
	if opts.NoAgent {
		opts.AgentSocket = ""
	}
	if opts.DialTCP == nil {
		d := &net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
		opts.DialTCP = func(ctx context.Context, addr string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pool{opts: opts, log: log.With("component", "ssh"), hosts: map[Target]*host{}}
}

// Connects counts the SSH connections the pool has made (successful
// handshakes), for tests and benchmarks.
func (p *Pool) Connects() int64 { return p.connects.Load() }

// Client returns t's connection, connecting if there is none. While the
// host is in backoff after a failure it returns that failure at once.
func (p *Pool) Client(ctx context.Context, t Target) (*ssh.Client, error) {
	lc, err := p.live(ctx, t)
	if err != nil {
		return nil, err
	}
	return lc.Client, nil
}

func (p *Pool) live(ctx context.Context, t Target) (*liveClient, error) {
	h, err := p.host(t)
	if err != nil {
		return nil, err
	}
	for {
		h.mu.Lock()
		if h.client != nil {
			c := h.client
			h.mu.Unlock()
			return c, nil
		}
		if h.connecting == nil {
			if h.err != nil && time.Now().Before(h.retryAt) {
				err := h.err
				h.mu.Unlock()
				return nil, err
			}
			h.connecting = make(chan struct{})
			go p.connect(h, h.connecting)
		}
		wait := h.connecting
		h.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, fmt.Errorf("%s: %w", t, context.Cause(ctx))
		}
	}
}

func (p *Pool) host(t Target) (*host, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrClosed
	}
	h := p.hosts[t]
	if h == nil {
		h = &host{t: t}
		p.hosts[t] = h
	}
	return h, nil
}

// backoff is the wait before the next attempt after n consecutive
// failures: 1 s, 2 s, 4 s … at most 30 s.
func backoff(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	if n > 6 {
		return maxBackoff
	}
	return min(time.Second<<(n-1), maxBackoff)
}

// connect makes one attempt for h and records its outcome.
func (p *Pool) connect(h *host, done chan struct{}) {
	client, err := p.dial(h.t)
	h.mu.Lock()
	h.connecting = nil
	if err != nil {
		h.failures++
		h.err, h.retryAt = err, time.Now().Add(backoff(h.failures))
		h.mu.Unlock()
		close(done)
		p.log.Warn("ssh connection failed", "host", h.t.String(), "err", err, "retry_in", backoff(h.failures))
		return
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		h.err = ErrClosed
		h.mu.Unlock()
		close(done)
		client.Close()
		return
	}
	lc := &liveClient{Client: client}
	lc.use()
	h.client, h.err, h.failures = lc, nil, 0
	h.mu.Unlock()
	close(done)
	p.connects.Add(1)
	p.log.Info("ssh connected", "host", h.t.String())
	go p.watch(h, lc)
}

// dial connects and authenticates to t.
func (p *Pool) dial(t Target) (*ssh.Client, error) {
	hk, err := loadHostKeys(expandHome(orDefault(t.KnownHosts, "~/.ssh/known_hosts"), p.opts.Home))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t, err)
	}
	creds := loadCredentials(p.opts.AgentSocket, p.opts.Home, t.KeyFile)
	defer creds.close()
	if len(creds.keys) == 0 {
		msg := fmt.Sprintf("%s: no SSH key: start ssh-agent with your key, create ~/.ssh/id_ed25519 (ssh-keygen -t ed25519), or set ssh_key", t)
		if len(creds.notes) > 0 {
			msg += " (" + strings.Join(creds.notes, "; ") + ")"
		}
		return nil, errors.New(msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.ConnectTimeout)
	defer cancel()
	conn, err := p.opts.DialTCP(ctx, t.Addr())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t, err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	cfg := &ssh.ClientConfig{
		User:              t.User,
		Auth:              []ssh.AuthMethod{creds.authMethod()},
		HostKeyCallback:   hk.check(t),
		HostKeyAlgorithms: hk.knownAlgorithms(t),
		Timeout:           p.opts.ConnectTimeout,
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, t.Addr(), cfg)
	if err != nil {
		conn.Close()
		return nil, handshakeError(t, err, creds)
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(c, chans, reqs), nil
}

// handshakeError explains a failed handshake; a host key error already
// says everything.
func handshakeError(t Target, err error, creds credentials) error {
	switch {
	case errors.Is(err, ErrHostKey):
		return unwrapHandshake(err)
	case strings.Contains(err.Error(), "unable to authenticate"):
		return fmt.Errorf("%s: key refused (offered %s); add your public key to ~%s/.ssh/authorized_keys on %s",
			t, creds.describe(), t.User, t.Host)
	case isTimeout(err):
		return fmt.Errorf("%s: no SSH handshake within the connect timeout", t)
	}
	return fmt.Errorf("%s: %w", t, err)
}

// unwrapHandshake drops x/crypto's "ssh: handshake failed: " prefix from
// errors that explain themselves, keeping ErrHostKey matchable.
func unwrapHandshake(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil || !errors.Is(u, ErrHostKey) || u == ErrHostKey {
			return err
		}
		err = u
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// watch sends keep-alives on c and forgets it once it is closed.
func (p *Pool) watch(h *host, c *liveClient) {
	stopped := make(chan struct{})
	go func() {
		err := c.Wait()
		c.lost.Store(true)
		close(stopped)
		h.mu.Lock()
		if h.client == c {
			h.client = nil
			h.err = fmt.Errorf("%s: connection lost", h.t)
			h.retryAt = time.Time{} // reconnect on the next use
		}
		h.mu.Unlock()
		p.log.Warn("ssh connection closed", "host", h.t.String(), "err", err)
	}()
	tick := time.NewTicker(p.opts.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-stopped:
			return
		case now := <-tick.C:
			if c.idle(p.opts.IdleTimeout, now) {
				p.log.Info("ssh connection unused, closing", "host", h.t.String(), "after", p.opts.IdleTimeout)
				c.Close()
				return
			}
			if !keepAlive(c.Client, p.opts.KeepAlive) {
				p.log.Warn("ssh keep-alive unanswered, closing", "host", h.t.String(), "after", p.opts.KeepAlive)
				c.lost.Store(true) // before Close: every channel's end reads as lost
				c.Close()
				return
			}
		}
	}
}

// keepAlive asks the server for an answer within timeout.
func keepAlive(c *ssh.Client, timeout time.Duration) bool {
	answered := make(chan error, 1)
	go func() {
		_, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
		answered <- err
	}()
	select {
	case err := <-answered:
		return err == nil
	case <-time.After(timeout):
		return false
	}
}

// Dial opens a direct-tcpip channel through t's connection to each addr in
// turn (as the remote host sees it), returning the first that connects.
// A refusal is reported as a *net.OpError with Op "dial" wrapping
// syscall.ECONNREFUSED, like a local refused connection.
func (p *Pool) Dial(ctx context.Context, t Target, addrs ...string) (net.Conn, error) {
	c, err := p.live(ctx, t)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: fmt.Errorf("%w: %w", ErrNoConnection, err)}
	}
	var last error
	for _, addr := range addrs {
		c.use()
		conn, err := c.DialContext(ctx, "tcp", addr)
		if err == nil {
			c.open.Add(1)
			return &tunnelConn{Conn: conn, owner: c}, nil
		}
		last = channelError(t, addr, err)
		var oce *ssh.OpenChannelError
		if !errors.As(err, &oce) {
			// The connection itself failed (or ctx ended): the next
			// address would fail too.
			last = &net.OpError{Op: "dial", Net: "tcp", Addr: tunnelAddr(addr), Err: fmt.Errorf("%w: %s: %w", ErrNoConnection, t, err)}
			break
		}
	}
	return nil, last
}

// DialPort dials port on t's host through the tunnel: 127.0.0.1 first,
// then the host's own address (the one the SSH connection reached).
func (p *Pool) DialPort(ctx context.Context, t Target, port int) (net.Conn, error) {
	addrs := []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	if c, err := p.Client(ctx, t); err == nil {
		if ta, ok := c.RemoteAddr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
			addrs = append(addrs, net.JoinHostPort(ta.IP.String(), strconv.Itoa(port)))
		}
	}
	return p.Dial(ctx, t, addrs...)
}

// tunnelConn is a channel that tells a lost SSH connection from the
// backend closing: its reads and writes then fail with ErrConnectionLost.
type tunnelConn struct {
	net.Conn
	owner  *liveClient
	closed sync.Once
}

func (c *tunnelConn) Close() error {
	c.closed.Do(func() { c.owner.open.Add(-1) })
	return c.Conn.Close()
}

func (c *tunnelConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil && c.owner.lost.Load() {
		err = fmt.Errorf("%w: %w", ErrConnectionLost, err)
	}
	return n, err
}

func (c *tunnelConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if err != nil && c.owner.lost.Load() {
		err = fmt.Errorf("%w: %w", ErrConnectionLost, err)
	}
	return n, err
}

// channelError turns a channel failure into a dial error.
func channelError(t Target, addr string, err error) error {
	var oce *ssh.OpenChannelError
	if errors.As(err, &oce) && oce.Reason == ssh.ConnectionFailed {
		err = fmt.Errorf("%s via %s: %w", oce.Message, t, syscall.ECONNREFUSED)
	} else {
		err = fmt.Errorf("via %s: %w", t, err)
	}
	return &net.OpError{Op: "dial", Net: "tcp", Addr: tunnelAddr(addr), Err: err}
}

type tunnelAddr string

func (a tunnelAddr) Network() string { return "tcp" }
func (a tunnelAddr) String() string  { return string(a) }

// Run runs command on t's host and returns its standard output. A
// non-zero exit is an error carrying the first line of standard error.
func (p *Pool) Run(ctx context.Context, t Target, command string) ([]byte, error) {
	c, err := p.live(ctx, t)
	if err != nil {
		return nil, err
	}
	c.use()
	c.open.Add(1)
	defer c.open.Add(-1)
	// Opening the session waits for the host: on a dead link that is until
	// the keep-alive gives up, so ctx is watched from the start.
	stdout := &limitedBuffer{max: maxOutput}
	stderr := &limitedBuffer{max: 4096}
	done := make(chan error, 1)
	var mu sync.Mutex
	var sess *ssh.Session
	abandoned := false
	go func() {
		s, err := c.NewSession()
		if err != nil {
			done <- err
			return
		}
		mu.Lock()
		if abandoned {
			mu.Unlock()
			s.Close()
			return
		}
		sess = s
		mu.Unlock()
		s.Stdout, s.Stderr = stdout, stderr
		done <- s.Run(command)
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		mu.Lock()
		abandoned = true
		if sess != nil {
			sess.Close()
		}
		mu.Unlock()
		return nil, fmt.Errorf("%s: command: %w", t, context.Cause(ctx))
	}
	mu.Lock()
	if sess != nil {
		sess.Close()
	}
	mu.Unlock()
	var exit *ssh.ExitError
	if errors.As(err, &exit) {
		line, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		return nil, fmt.Errorf("%s: command exited with status %d: %s", t, exit.ExitStatus(), line)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: command: %w", t, err)
	}
	return stdout.Bytes(), nil
}

// limitedBuffer keeps the first max bytes written and drops the rest.
type limitedBuffer struct {
	bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// Close closes every connection; later calls fail with ErrClosed.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	hosts := p.hosts
	p.hosts = map[Target]*host{}
	p.mu.Unlock()
	for _, h := range hosts {
		h.mu.Lock()
		c := h.client
		h.client, h.err = nil, ErrClosed
		h.mu.Unlock()
		if c != nil {
			c.Close()
		}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
