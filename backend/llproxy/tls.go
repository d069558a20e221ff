package llproxy

import (
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

// fileStamp is what tells a renewed file apart: size, time and inode
// change when a file is rewritten or replaced by rename.
type fileStamp struct {
	size int64
	mod  time.Time
	sys  string
}

func stampOf(path string) (fileStamp, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: fi.Size(), mod: fi.ModTime(), sys: fmt.Sprint(fi.Sys())}, nil
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
	if err1 != nil || err2 != nil || [2]fileStamp{cs, ks} == c.stamp {
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

// tlsSwitch is a listener that wraps every accepted connection in TLS
// while its config is set, so turning TLS on or off, or pointing it at
// other files, applies to new connections without rebinding the port.
type tlsSwitch struct {
	net.Listener
	conf *atomic.Pointer[tls.Config] // nil pointer value: plain HTTP
}

func (l tlsSwitch) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tc := l.conf.Load(); tc != nil {
		return tls.Server(c, tc), nil
	}
	return c, nil
}

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
