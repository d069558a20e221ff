package lab_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/lab"
)

// The lab's benchmarks compare the same server (alpha on h1) reached
// directly and through an SSH tunnel, through llproxy running in the lab,
// with clients in the proxy's namespace. make bench runs them.

// routes are the two ways to reach alpha.
func routes(l *lab.Lab) []struct{ name, endpoints string } {
	h1 := l.Hosts[0]
	return []struct{ name, endpoints string }{
		{"direct", fmt.Sprintf(`"endpoints": [{"hostname": %q, "port_start": 8001}]`, h1.Addr)},
		{"tunnel", `"endpoints": [` + sshEndpoint(h1, `, "port_start": 8001`) + `]`},
	}
}

// BenchmarkLabRequests: non-streamed chat requests per second, 16 clients
// at once.
func BenchmarkLabRequests(b *testing.B) {
	l := theLab(b)
	for _, r := range routes(l) {
		b.Run(r.name, func(b *testing.B) {
			p := startProxy(b, l, "127.0.0.1", r.endpoints)
			p.waitModels(b, "alpha")
			p.chat(b, "alpha")  // warm: the tunnel's first channel
			b.SetParallelism(8) // 8 × GOMAXPROCS clients
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if code, text := p.chat(b, "alpha"); code != http.StatusOK {
						b.Errorf("%d %s", code, text)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}

// BenchmarkLabFirstByte: time from sending a streamed request to its first
// event, one request at a time.
func BenchmarkLabFirstByte(b *testing.B) {
	l := theLab(b)
	for _, r := range routes(l) {
		b.Run(r.name, func(b *testing.B) {
			p := startProxy(b, l, "127.0.0.1", r.endpoints)
			p.waitModels(b, "alpha")
			p.startStream(b, "alpha", 1, 0).drain()
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				s := p.startStream(b, "alpha", 2, 0)
				times = append(times, time.Since(start))
				if err := s.drain(); err != nil {
					b.Fatal(err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "µs-p50-first-byte")
			b.ReportMetric(float64(times[len(times)*9/10].Microseconds()), "µs-p90-first-byte")
		})
	}
}

// BenchmarkLabDiscover3x11: one discovery run over 3 hosts × 11 ports
// (8000-8010), direct and through SSH, and how many SSH connections all
// the runs made together (one per host: they are reused).
func BenchmarkLabDiscover3x11(b *testing.B) {
	l := theLab(b)
	var direct []string
	for _, h := range l.Hosts {
		direct = append(direct, fmt.Sprintf(`{"hostname": %q, "port_start": 8000, "port_end": 8010}`, h.Addr))
	}
	var env []string
	for _, h := range l.Hosts {
		env = append(env, sshEndpoint(h, `, "env_var": "LLAMA_PORT", "port_start": 8000, "port_end": 8010`))
	}
	for _, c := range []struct{ name, endpoints string }{
		{"direct", `"endpoints": [` + strings.Join(direct, ",") + `]`},
		{"ssh-tunnel", sshRanges(l)},
		{"ssh-env", `"endpoints": [` + strings.Join(env, ",") + `]`},
	} {
		b.Run(c.name, func(b *testing.B) {
			d := startDiscovery(b, l, c.endpoints)
			first := d.next()
			b.ResetTimer()
			for range b.N {
				d.rescan()
			}
			b.StopTimer()
			b.ReportMetric(float64(first.Duration.Microseconds())/1000, "ms-first-run")
			b.ReportMetric(float64(d.pool.Connects()), "ssh-connections")
		})
	}
}
