package proxy_test

import (
	"context"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"fragmenteditor/backend/proxy"
	"fragmenteditor/backend/proxy/internal/loadgen"
	"fragmenteditor/backend/registry"
)

// benchSetup is one fake backend with the three ways to reach it: straight,
// through a minimal httputil.ReverseProxy doing the same model rewrite, and
// through llproxy. All on loopback, all in this process.
type benchSetup struct {
	backend *loadgen.Backend
	urls    map[string]string // "direct", "reverseproxy", "llproxy" → base URL
	client  *http.Client
}

var targets = []string{"direct", "reverseproxy", "llproxy"}

func newBenchSetup(b *testing.B) *benchSetup {
	b.Helper()
	be, err := loadgen.StartBackend()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(be.Close)
	reg := &registry.Registry{}
	reg.Store(registry.NewSnapshot([]registry.Model{{Name: "bench:gpu", ID: "bench-model",
		Replicas: []registry.Backend{{BaseURL: be.URL}}, Raw: []byte(`{"id":"bench-model"}`)}}))
	p, err := proxy.New(proxy.Options{Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(p.Close)
	return &benchSetup{
		backend: be,
		urls: map[string]string{
			"direct":       be.URL,
			"reverseproxy": serveLoopback(b, loadgen.NewReverseProxy(reg)),
			"llproxy":      serveLoopback(b, p.Handler()),
		},
		client: &http.Client{Transport: loadgen.Transport(256)},
	}
}

func serveLoopback(b *testing.B, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// BenchmarkThroughput: non-streamed chat completions from 32 concurrent
// clients, side by side. Compare req/s and the latency percentiles.
func BenchmarkThroughput(b *testing.B) {
	s := newBenchSetup(b)
	direct := loadgen.ChatBody("bench-model", false)
	proxied := loadgen.ChatBody("bench:gpu", false)
	for _, name := range targets {
		b.Run(name, func(b *testing.B) {
			body := proxied
			if name == "direct" {
				body = direct
			}
			url := s.urls[name] + "/v1/chat/completions"
			loadgen.Load(context.Background(), s.client, url, body, 32, 200, time.Minute) // warm the pools
			b.ResetTimer()
			r := loadgen.Load(context.Background(), s.client, url, body, 32, b.N, time.Hour)
			b.StopTimer()
			if r.Errors > 0 {
				b.Fatalf("%d errors", r.Errors)
			}
			b.ReportMetric(r.PerSecond(), "req/s")
			b.ReportMetric(float64(r.Percentile(50).Microseconds()), "p50-µs")
			b.ReportMetric(float64(r.Percentile(99).Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkFirstByte: time from sending a streamed request to reading its
// first byte, straight and through llproxy, one request at a time.
func BenchmarkFirstByte(b *testing.B) {
	s := newBenchSetup(b)
	for _, name := range []string{"direct", "llproxy"} {
		b.Run(name, func(b *testing.B) {
			model := "bench:gpu"
			if name == "direct" {
				model = "bench-model"
			}
			url := s.urls[name] + "/v1/chat/completions"
			body := loadgen.ChatBody(model, true)
			b.ResetTimer()
			d, err := loadgen.FirstByte(context.Background(), s.client, url, body, b.N)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(loadgen.Percentile(d, 50).Microseconds()), "p50-µs")
			b.ReportMetric(float64(loadgen.Percentile(d, 99).Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkAbortToCancel: from the client cancelling a stream to the
// backend's request context ending, through llproxy.
func BenchmarkAbortToCancel(b *testing.B) {
	s := newBenchSetup(b)
	url := s.urls["llproxy"] + "/v1/chat/completions"
	b.ResetTimer()
	d, err := loadgen.AbortToCancel(context.Background(), s.client, url, loadgen.ChatBody("bench:gpu", true), s.backend, b.N)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(loadgen.Percentile(d, 50).Microseconds()), "p50-µs")
	b.ReportMetric(float64(loadgen.Percentile(d, 99).Microseconds()), "p99-µs")
}

// BenchmarkStreams: b.N rounds of 50 concurrent streams of 20 events each,
// through llproxy.
func BenchmarkStreams(b *testing.B) {
	s := newBenchSetup(b)
	url := s.urls["llproxy"] + "/v1/chat/completions"
	body := loadgen.ChatBody("bench:gpu", true)
	var mu sync.Mutex
	var rounds []time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if failed := loadgen.Streams(context.Background(), s.client, url, body, 50, 20, 0); failed > 0 {
			b.Fatalf("%d streams failed", failed)
		}
		mu.Lock()
		rounds = append(rounds, time.Since(t0))
		mu.Unlock()
	}
	slices.Sort(rounds)
	b.ReportMetric(float64(loadgen.Percentile(rounds, 50).Microseconds()), "round-p50-µs")
}
