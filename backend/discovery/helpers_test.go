package discovery

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

// lastOctet hands out loopback addresses 127.0.0.100 and up, one per test,
// so that no scan meets another test's server.
var lastOctet atomic.Int32

func loopbackIP(t testing.TB) string {
	n := 100 + lastOctet.Add(1)
	if n > 254 {
		t.Fatal("out of loopback test addresses")
	}
	return fmt.Sprintf("127.0.0.%d", n)
}

// fake is a fake LLM server answering GET /v1/models.
type fake struct {
	mu     sync.Mutex
	status int
	body   string
	hang   bool // accept the request and never answer

	hits     atomic.Int32
	lastAuth atomic.Value // string: the last Authorization header
	hung     chan struct{}
	srv      *httptest.Server
	Port     int
	BaseURL  string
}

// set changes what the fake answers from now on.
func (f *fake) set(status int, body string, hang bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.body, f.hang = status, body, hang
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.hits.Add(1)
	f.lastAuth.Store(r.Header.Get("Authorization"))
	f.mu.Lock()
	status, body, hang := f.status, f.body, f.hang
	f.mu.Unlock()
	if r.Method != http.MethodGet || r.URL.Path != "/v1/models" {
		http.NotFound(w, r)
		return
	}
	if hang {
		select {
		case f.hung <- struct{}{}:
		default:
		}
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

// startFake serves body with 200 on ip, on port (0: any free port).
func startFake(t testing.TB, ip string, port int, body string) *fake {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	f := &fake{status: http.StatusOK, body: body, hung: make(chan struct{}, 1)}
	f.srv = httptest.NewUnstartedServer(f)
	f.srv.Listener.Close()
	f.srv.Listener = l
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	f.Port = l.Addr().(*net.TCPAddr).Port
	f.BaseURL = "http://" + l.Addr().String()
	return f
}

// hungPort listens on ip:port (0: any), accepts connections and never
// answers. Each accepted connection is announced on the returned channel.
func hungPort(t testing.TB, ip string, port int) (int, <-chan struct{}) {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	accepted := make(chan struct{}, 1024)
	var conns []net.Conn
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port, accepted
}

// freePorts finds n consecutive ports that nothing listens on at ip (not
// even on a wildcard address) and returns the first. They are left closed.
func freePorts(t testing.TB, ip string, n int) int {
	t.Helper()
	for range 50 {
		start := 20000 + rand.IntN(12000-n)
		if portsFree(ip, start, n) {
			return start
		}
	}
	t.Fatalf("no %d consecutive free ports on %s", n, ip)
	return 0
}

func portsFree(ip string, start, n int) bool {
	for p := start; p < start+n; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// testConfig is a complete configuration with every field set.
func testConfig(eps ...config.Endpoint) *config.Config {
	c := config.Defaults()
	c.Port, c.Interval, c.ProbeTimeout, c.ProbeConcurrency = 3333, 60000, 10000, 64
	c.Endpoints = eps
	return c
}

// hostEndpoint is an enabled endpoint over ports start..end of ip.
func hostEndpoint(ip string, start, end int) config.Endpoint {
	enabled := true
	return config.Endpoint{Hostname: ip, PortStart: start, PortEnd: end, Enable: &enabled}
}

// newTestScheduler builds a scheduler logging to the test's output.
func newTestScheduler(t testing.TB, cfg *config.Config, self ...string) (*Scheduler, *registry.Registry) {
	t.Helper()
	reg := &registry.Registry{}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	return New(Options{Config: cfg, Registry: reg, Logger: logger, Self: self}), reg
}

// mustRun performs one complete run.
func mustRun(t testing.TB, s *Scheduler) Report {
	t.Helper()
	rep, ok := s.runOnce(context.Background())
	if !ok {
		t.Fatal("run was abandoned")
	}
	return rep
}

// modelNames maps each final name in reg to its true id.
func modelNames(reg *registry.Registry) map[string]string {
	return names(reg.Load().Models())
}

// signalHandler is a slog.Handler that reports the "id" of each record
// with a given message.
type signalHandler struct {
	msg string
	ch  chan string
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h signalHandler) WithGroup(string) slog.Handler            { return h }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message != h.msg {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "id" {
			select {
			case h.ch <- a.Value.String():
			default:
			}
		}
		return true
	})
	return nil
}
