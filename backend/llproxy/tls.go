package llproxy

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fragmenteditor/backend/config"
)

// certCheckInterval is how often, at most, the certificate files are
// checked for a renewal (on a handshake, so an idle server does nothing).
const certCheckInterval = time.Second

// certSource serves a certificate pair from PEM files and loads it again
// when either file changes (a renewal by certbot, an ACME client, a
// script). A renewal that does not load (a half-written file) keeps the
// previous pair and is logged; the next handshake tries again.
type certSource struct {
	certPath, keyPath string
	log               *slog.Logger
	now               func() time.Time

	mu      sync.Mutex // guards the fields below
	cert    *tls.Certificate
	stamp   [2]fileStamp // of certPath and keyPath when cert was loaded
	checked time.Time
}

// fileStamp is what tells a renewed file apart: its size and time change
// when it is rewritten, its identity (inode) when it is replaced by rename.
type fileStamp struct{ fi os.FileInfo }

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	return fileStamp{fi}, err
}

func (a fileStamp) same(b fileStamp) bool {
	return a.fi != nil && b.fi != nil && os.SameFile(a.fi, b.fi) &&
		a.fi.Size() == b.fi.Size() && a.fi.ModTime().Equal(b.fi.ModTime())
}

// newCertSource loads the pair named by cfg (paths relative to the config
// file's folder). The error names the field at fault.
func newCertSource(cfg *config.Config, configPath string, log *slog.Logger) (*certSource, error) {
	c := &certSource{
		certPath: resolvePath(cfg.TLSCert, configPath),
		keyPath:  resolvePath(cfg.TLSKey, configPath),
		log:      log,
		now:      time.Now,
	}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

// load reads both files; called with mu held or before c is shared.
func (c *certSource) load() error {
	cs, err := stampOf(c.certPath)
	if err != nil {
		return fmt.Errorf("tls_cert: %w", err)
	}
	ks, err := stampOf(c.keyPath)
	if err != nil {
		return fmt.Errorf("tls_key: %w", err)
	}
	pair, err := tls.LoadX509KeyPair(c.certPath, c.keyPath)
	if err != nil {
		return fmt.Errorf("tls_cert %s, tls_key %s: %w", c.certPath, c.keyPath, err)
	}
	c.cert, c.stamp, c.checked = &pair, [2]fileStamp{cs, ks}, c.now()
	return nil
}

// getCertificate is tls.Config.GetCertificate.
func (c *certSource) getCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now().Sub(c.checked) < certCheckInterval {
		return c.cert, nil
	}
	c.checked = c.now()
	cs, err1 := stampOf(c.certPath)
	ks, err2 := stampOf(c.keyPath)
	if err1 != nil || err2 != nil || cs.same(c.stamp[0]) && ks.same(c.stamp[1]) {
		return c.cert, nil // gone for a moment (renewal by rename), or unchanged
	}
	if err := c.load(); err != nil {
		c.log.Error("renewed TLS certificate not loaded; still serving the previous one", "err", err)
		return c.cert, nil
	}
	c.log.Info("TLS certificate reloaded", "cert", c.certPath)
	return c.cert, nil
}

func (c *certSource) tlsConfig() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: c.getCertificate,
		NextProtos:     []string{"h2", "http/1.1"},
	}
}

// resolvePath makes a config path absolute: "~/" is the home folder, and
// a relative path is relative to the config file's folder.
func resolvePath(p, configPath string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(configPath), p)
}

// sniffTimeout bounds the wait for a local connection's first byte, which
// tells TLS from plain HTTP.
const sniffTimeout = 10 * time.Second

// tlsSwitch is the listener every server of a run accepts from. While its
// TLS config is set, connections are TLS, except those from this machine
// (loopback, or a peer address equal to the local one): they may speak
// plain HTTP too, told apart by their first byte, so that local clients,
// the app's own among them, need no certificate. Turning TLS on or off, or
// pointing it at other files, applies to new connections without
// rebinding the port. Safe for concurrent use.
type tlsSwitch struct {
	net.Listener
	conf  *atomic.Pointer[tls.Config] // nil value: plain HTTP
	conns chan net.Conn               // classified, ready for Accept
	done  chan struct{}               // closed by Close
	once  sync.Once
	ended chan struct{} // closed when the accept loop ends; err is then set
	err   error
}

func newTLSSwitch(ln net.Listener, conf *atomic.Pointer[tls.Config]) *tlsSwitch {
	l := &tlsSwitch{Listener: ln, conf: conf, conns: make(chan net.Conn), done: make(chan struct{}), ended: make(chan struct{})}
	go l.acceptLoop()
	return l
}

// acceptLoop accepts raw connections until the listener fails or closes,
// and classifies each on its own goroutine, so a slow client never holds
// up the others.
func (l *tlsSwitch) acceptLoop() {
	defer close(l.ended)
	var backoff time.Duration
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			if te, ok := err.(interface{ Temporary() bool }); ok && te.Temporary() { // e.g. EMFILE, as net/http retries
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(backoff):
					continue
				case <-l.done:
				}
			}
			l.err = err
			return
		}
		backoff = 0
		go l.classify(c)
	}
}

func (l *tlsSwitch) classify(c net.Conn) {
	tc := l.conf.Load()
	switch {
	case tc == nil:
	case !fromThisMachine(c):
		c = tls.Server(c, tc)
	default:
		pc := &peekedConn{Conn: c, r: bufio.NewReader(c)}
		_ = c.SetReadDeadline(time.Now().Add(sniffTimeout))
		first, err := pc.r.Peek(1)
		_ = c.SetReadDeadline(time.Time{})
		if err != nil {
			c.Close()
			return
		}
		if isTLSHandshake(first[0]) {
			c = tls.Server(pc, tc)
		} else {
			c = pc
		}
	}
	select {
	case l.conns <- c:
	case <-l.done:
		c.Close()
	}
}

// isTLSHandshake reports whether a connection's first byte starts a TLS
// handshake record (content type 22); an HTTP request starts with a
// method's letter.
func isTLSHandshake(b byte) bool { return b == 0x16 }

// fromThisMachine reports whether c's peer is this machine: a loopback
// address, or the very address c was accepted on.
func fromThisMachine(c net.Conn) bool {
	remote, ok1 := c.RemoteAddr().(*net.TCPAddr)
	local, ok2 := c.LocalAddr().(*net.TCPAddr)
	if !ok1 || !ok2 {
		return false
	}
	return remote.IP.IsLoopback() || remote.IP.Equal(local.IP)
}

// Accept returns the next classified connection.
func (l *tlsSwitch) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-l.ended:
		return nil, l.err
	}
}

// Close stops accepting; connections being classified are closed.
func (l *tlsSwitch) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// peekedConn is a connection whose first bytes were read ahead.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// tlsConfigFor loads cfg's certificate pair; nil (plain HTTP) when cfg
// has none.
func (s *Service) tlsConfigFor(cfg *config.Config) (*tls.Config, error) {
	if cfg.TLSCert == "" {
		return nil, nil
	}
	src, err := newCertSource(cfg, s.opts.ConfigPath, s.log)
	if err != nil {
		return nil, &ConfigError{Path: s.opts.ConfigPath, Err: err}
	}
	return src.tlsConfig(), nil
}
