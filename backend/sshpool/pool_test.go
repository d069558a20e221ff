package sshpool

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// testServer is an in-process SSH server: public-key auth for one key,
// "exec" answering with a fixed output, direct-tcpip to local addresses.
type testServer struct {
	silent  atomic.Bool // keep-alives go unanswered, as when the link is down
	addr    string
	hostKey ssh.Signer
	ln      net.Listener
	conns   atomic.Int64
	mu      sync.Mutex
	open    []net.Conn
}

func newTestServer(t *testing.T, allowed ssh.PublicKey, output string) *testServer {
	t.Helper()
	_, hostPriv, _ := ed25519.GenerateKey(nil)
	hostKey, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{PublicKeyCallback: func(_ ssh.ConnMetadata, k ssh.PublicKey) (*ssh.Permissions, error) {
		if string(k.Marshal()) == string(allowed.Marshal()) {
			return nil, nil
		}
		return nil, errors.New("unknown key")
	}}
	cfg.AddHostKey(hostKey)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{addr: ln.Addr().String(), hostKey: hostKey, ln: ln}
	t.Cleanup(func() { ln.Close(); s.dropAll() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			go s.serve(c, cfg, output)
		}
	}()
	return s
}

func (s *testServer) dropAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.open {
		c.Close()
	}
	s.open = nil
}

func (s *testServer) serve(c net.Conn, cfg *ssh.ServerConfig, output string) {
	_, chans, reqs, err := ssh.NewServerConn(c, cfg)
	if err != nil {
		return
	}
	s.conns.Add(1)
	go func() {
		for r := range reqs {
			if !s.silent.Load() {
				_ = r.Reply(r.Type == "keepalive@openssh.com", nil)
			}
		}
	}()
	for nc := range chans {
		switch nc.ChannelType() {
		case "session":
			ch, rs, _ := nc.Accept()
			go func() {
				for r := range rs {
					_ = r.Reply(r.Type == "exec", nil)
					if r.Type == "exec" {
						io.WriteString(ch, output)
						_, _ = ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, 0))
						ch.Close()
					}
				}
			}()
		case "direct-tcpip":
			var msg struct {
				Host     string
				Port     uint32
				OrigHost string
				OrigPort uint32
			}
			_ = ssh.Unmarshal(nc.ExtraData(), &msg)
			up, err := net.Dial("tcp", net.JoinHostPort(msg.Host, fmt.Sprint(msg.Port)))
			if err != nil {
				_ = nc.Reject(ssh.ConnectionFailed, "Connection refused")
				continue
			}
			ch, rs, _ := nc.Accept()
			go ssh.DiscardRequests(rs)
			go func() { io.Copy(ch, up); ch.CloseWrite() }()
			go func() { io.Copy(up, ch); up.Close() }()
		default:
			_ = nc.Reject(ssh.UnknownChannelType, "no")
		}
	}
}

// fixture is a home folder with a client key and a known_hosts file.
type fixture struct {
	home   string
	key    ssh.Signer
	priv   ed25519.PrivateKey
	target Target
}

func newFixture(t *testing.T, trust bool) (*fixture, *testServer) {
	t.Helper()
	home := t.TempDir()
	pub, priv, _ := ed25519.GenerateKey(nil)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	sshPub, _ := ssh.NewPublicKey(pub)
	srv := newTestServer(t, sshPub, "8080\n")
	host, port, _ := net.SplitHostPort(srv.addr)
	var portN int
	fmt.Sscan(port, &portN)
	tg := Target{User: "me", Host: host, Port: portN}
	if trust {
		line := knownhosts.Line([]string{knownhosts.Normalize(srv.addr)}, srv.hostKey.PublicKey())
		if err := os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	signer, _ := ssh.NewSignerFromKey(priv)
	return &fixture{home: home, key: signer, priv: priv, target: tg}, srv
}

func (f *fixture) pool(t *testing.T) *Pool {
	p := New(Options{Home: f.home, NoAgent: true, ConnectTimeout: 5 * time.Second, KeepAlive: time.Second})
	t.Cleanup(p.Close)
	return p
}

func TestRunAndDialShareOneConnection(t *testing.T) {
	f, srv := newFixture(t, true)
	p := f.pool(t)
	ctx := context.Background()
	for range 3 {
		out, err := p.Run(ctx, f.target, "anything")
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != "8080\n" {
			t.Fatalf("output %q", out)
		}
	}
	echo, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	port := echo.Addr().(*net.TCPAddr).Port
	conn, err := p.DialPort(ctx, f.target, port)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "ping")
	buf := make([]byte, 4)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("echo through the tunnel: %q %v", buf, err)
	}
	conn.Close()
	if got := srv.conns.Load(); got != 1 {
		t.Errorf("server saw %d connections, want 1 reused", got)
	}
	if got := p.Connects(); got != 1 {
		t.Errorf("Connects() = %d, want 1", got)
	}
}

func TestDialRefusedIsADialError(t *testing.T) {
	f, _ := newFixture(t, true)
	p := f.pool(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err := p.DialPort(context.Background(), f.target, port)
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want a dial error wrapping ECONNREFUSED", err)
	}
}

func TestHostKeyErrors(t *testing.T) {
	t.Run("unknown", func(t *testing.T) {
		f, srv := newFixture(t, false)
		_, err := f.pool(t).Run(context.Background(), f.target, "x")
		fp := ssh.FingerprintSHA256(srv.hostKey.PublicKey())
		for _, want := range []string{f.target.String(), "unknown host key", fp, "ssh-keyscan -p", "known_hosts"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to mention %q", err, want)
			}
		}
		if !errors.Is(err, ErrHostKey) {
			t.Errorf("err is not ErrHostKey")
		}
		if srv.conns.Load() != 0 {
			t.Errorf("a session was established with an unknown host key")
		}
	})
	t.Run("changed", func(t *testing.T) {
		f, srv := newFixture(t, false)
		_, other, _ := ed25519.GenerateKey(nil)
		otherKey, _ := ssh.NewSignerFromKey(other)
		line := knownhosts.Line([]string{knownhosts.Normalize(srv.addr)}, otherKey.PublicKey())
		os.WriteFile(filepath.Join(f.home, ".ssh", "known_hosts"), []byte(line+"\n"), 0o600)
		_, err := f.pool(t).Run(context.Background(), f.target, "x")
		for _, want := range []string{"CHANGED", ssh.FingerprintSHA256(srv.hostKey.PublicKey()), ssh.FingerprintSHA256(otherKey.PublicKey()), "ssh-keygen -R"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to mention %q", err, want)
			}
		}
	})
}

func TestKeyRefused(t *testing.T) {
	f, _ := newFixture(t, true)
	_, other, _ := ed25519.GenerateKey(nil)
	block, _ := ssh.MarshalPrivateKey(other, "")
	os.WriteFile(filepath.Join(f.home, ".ssh", "id_ed25519"), pem.EncodeToMemory(block), 0o600)
	_, err := f.pool(t).Run(context.Background(), f.target, "x")
	if err == nil || !strings.Contains(err.Error(), "key refused") || !strings.Contains(err.Error(), "~/.ssh/id_ed25519") {
		t.Fatalf("err = %v, want a key refused error naming the key", err)
	}
}

func TestNoKey(t *testing.T) {
	f, _ := newFixture(t, true)
	os.Remove(filepath.Join(f.home, ".ssh", "id_ed25519"))
	_, err := f.pool(t).Run(context.Background(), f.target, "x")
	if err == nil || !strings.Contains(err.Error(), "no SSH key") {
		t.Fatalf("err = %v", err)
	}
}

func TestBackoffAfterFailureFailsFast(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().(*net.TCPAddr)
	ln.Close() // nothing listens: refused
	f, _ := newFixture(t, true)
	p := f.pool(t)
	tg := Target{User: "me", Host: "127.0.0.1", Port: addr.Port}
	_, err1 := p.Run(context.Background(), tg, "x")
	if err1 == nil {
		t.Fatal("connected to a closed port")
	}
	// Within the backoff the same failure comes back without a new attempt.
	_, err2 := p.Run(context.Background(), tg, "x")
	if err2 != err1 {
		t.Fatalf("second call: %v, want the recorded %v", err2, err1)
	}
}

func TestReconnectAfterConnectionLost(t *testing.T) {
	f, srv := newFixture(t, true)
	p := f.pool(t)
	ctx := context.Background()
	if _, err := p.Run(ctx, f.target, "x"); err != nil {
		t.Fatal(err)
	}
	srv.dropAll()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := p.Run(ctx, f.target, "x")
		if err == nil && srv.conns.Load() == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no reconnection: conns=%d err=%v", srv.conns.Load(), err)
		}
		time.Sleep(50 * time.Millisecond) // polling the pool's state, not waiting for a result
	}
}

func TestBackoff(t *testing.T) {
	for n, want := range map[int]time.Duration{0: 0, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 30 * time.Second, 40: 30 * time.Second} {
		if got := backoff(n); got != want {
			t.Errorf("backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestTargetString(t *testing.T) {
	for tg, want := range map[Target]string{
		{User: "me", Host: "gpu1"}:                 "ssh://me@gpu1",
		{User: "me", Host: "gpu1", Port: 22}:       "ssh://me@gpu1",
		{User: "me", Host: "gpu1", Port: 2222}:     "ssh://me@gpu1:2222",
		{User: "me", Host: "::1"}:                  "ssh://me@[::1]",
		{User: "me", Host: "198.18.0.2", Port: 22}: "ssh://me@198.18.0.2",
	} {
		if got := tg.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", tg, got, want)
		}
	}
}

func TestLostConnectionEndsTunnelsWithErrConnectionLost(t *testing.T) {
	f, srv := newFixture(t, true)
	p := f.pool(t)                                 // keep-alive every second
	quiet, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	go func() {
		for {
			c, err := quiet.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	conn, err := p.DialPort(context.Background(), f.target, quiet.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	srv.silent.Store(true)
	_, err = conn.Read(make([]byte, 1)) // returns once the keep-alive gives up
	if !errors.Is(err, ErrConnectionLost) {
		t.Fatalf("read on a lost connection: %v, want ErrConnectionLost", err)
	}
}

func TestAgentKeysAreOffered(t *testing.T) {
	f, srv := newFixture(t, true)
	// The only usable key is in the agent: the file holds another one.
	keyring := agent.NewKeyring()
	_, priv, _ := ed25519.GenerateKey(nil)
	block, _ := ssh.MarshalPrivateKey(priv, "")
	if err := os.WriteFile(filepath.Join(f.home, ".ssh", "id_ed25519"), pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := keyring.Add(agent.AddedKey{PrivateKey: f.priv}); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = agent.ServeAgent(keyring, c); c.Close() }()
		}
	}()
	p := New(Options{Home: f.home, AgentSocket: sock, ConnectTimeout: 5 * time.Second})
	defer p.Close()
	if _, err := p.Run(context.Background(), f.target, "x"); err != nil {
		t.Fatalf("with the key in the agent: %v", err)
	}
	if srv.conns.Load() != 1 {
		t.Errorf("server saw %d logins", srv.conns.Load())
	}
}

func TestPassphraseKeyIsExplained(t *testing.T) {
	f, _ := newFixture(t, true)
	block, err := ssh.MarshalPrivateKeyWithPassphrase(f.priv, "", []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.home, ".ssh", "id_ed25519"), pem.EncodeToMemory(block), 0o600)
	_, err = f.pool(t).Run(context.Background(), f.target, "x")
	if err == nil || !strings.Contains(err.Error(), "passphrase") || !strings.Contains(err.Error(), "ssh-add") {
		t.Fatalf("err = %v, want it to say the key needs the agent", err)
	}
}

func TestUnusedConnectionIsClosedButNotWhileATunnelIsOpen(t *testing.T) {
	f, _ := newFixture(t, true)
	p := New(Options{Home: f.home, NoAgent: true, ConnectTimeout: 5 * time.Second,
		KeepAlive: 50 * time.Millisecond, IdleTimeout: 300 * time.Millisecond})
	defer p.Close()
	connected := func() bool {
		h, _ := p.host(f.target)
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.client != nil
	}
	echo, _ := net.Listen("tcp", "127.0.0.1:0")
	defer echo.Close()
	go func() {
		for {
			c, err := echo.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	conn, err := p.DialPort(context.Background(), f.target, echo.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // over three idle timeouts with the tunnel open
	if !connected() {
		t.Fatal("the connection was closed while a tunnel was open")
	}
	conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for connected() {
		if time.Now().After(deadline) {
			t.Fatal("an unused connection stayed open")
		}
		time.Sleep(20 * time.Millisecond) // polling the pool's state
	}
	if _, err := p.Run(context.Background(), f.target, "x"); err != nil || p.Connects() != 2 {
		t.Fatalf("after the idle close: err %v, %d connections, want a new one", err, p.Connects())
	}
}
