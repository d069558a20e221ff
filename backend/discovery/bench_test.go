package discovery

import (
	"context"
	"testing"

	"fragmenteditor/backend/config"
)

// BenchmarkScan1000Ports is one full discovery run over 1,000 loopback
// ports, three of them fake servers and the rest closed, with the default
// probe settings.
func BenchmarkScan1000Ports(b *testing.B) { benchScan(b, 0) }

// BenchmarkScan1000PortsHung is the same with three ports that accept and
// never answer: a run takes one probe timeout (default 2 s), not three.
func BenchmarkScan1000PortsHung(b *testing.B) { benchScan(b, 3) }

func benchScan(b *testing.B, hung int) {
	const ports = 1000
	ip := loopbackIP(b)
	start := freePorts(b, ip, ports)
	for _, p := range []int{start + 10, start + 500, start + 990} {
		startFake(b, ip, p, `{"object":"list","data":[{"id":"/srv/models/m.gguf","object":"model"},{"id":"other"}]}`)
	}
	for i := range hung {
		hungPort(b, ip, start+100+i*300)
	}
	cfg := testConfig(hostEndpoint(ip, start, start+ports-1))
	cfg.ProbeTimeout = config.DefaultProbeTimeout
	cfg.ProbeConcurrency = config.DefaultProbeConcurrency
	s := New(Options{Config: cfg})
	ctx := context.Background()
	for b.Loop() {
		rep, ok := s.runOnce(ctx)
		if !ok || rep.Models != 2 || rep.Endpoints[0].Probed != ports || rep.Endpoints[0].Answered != 3 {
			b.Fatalf("run: ok=%v report=%+v", ok, rep)
		}
	}
}
