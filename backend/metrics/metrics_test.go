package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return string(b)
}

func TestMetrics_Exposition(t *testing.T) {
	m := New()
	m.ObserveRequest("llama:gpu", 200)
	m.ObserveRequest("llama:gpu", 201)
	m.ObserveRequest("", 404)
	m.ObserveRequest("llama:gpu", StatusClientClosed)
	m.BackendStarted("http://127.0.0.1:8080")
	m.BackendStarted("http://127.0.0.1:8080")
	m.BackendDone("http://127.0.0.1:8080")
	m.ObserveTTFB("llama:gpu", 20*time.Millisecond)
	m.ObserveOverhead(50 * time.Microsecond)
	m.ObserveDiscovery(300*time.Millisecond, 7, 0)
	m.ObserveDiscovery(400*time.Millisecond, 5, 2)
	text := scrape(t, m)

	for _, want := range []string{
		`llproxy_requests_total{code="2xx",model="llama:gpu"} 2`,
		`llproxy_requests_total{code="4xx",model=""} 1`,
		`llproxy_requests_total{code="499",model="llama:gpu"} 1`,
		`llproxy_backend_in_flight_requests{backend="http://127.0.0.1:8080"} 1`,
		`llproxy_time_to_first_byte_seconds_count{model="llama:gpu"} 1`,
		`llproxy_time_to_first_byte_seconds_bucket{model="llama:gpu",le="0.05"} 1`,
		`llproxy_time_to_first_byte_seconds_bucket{model="llama:gpu",le="0.01"} 0`,
		`llproxy_proxy_overhead_seconds_count 1`,
		`llproxy_discovery_run_duration_seconds_count 2`,
		`llproxy_discovery_models 5`,
		`llproxy_discovery_unreachable_endpoints 2`,
		`llproxy_discovery_runs_total{result="ok"} 1`,
		`llproxy_discovery_runs_total{result="partial"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

func TestMetrics_PrivateRegistries(t *testing.T) {
	a, b := New(), New() // would panic on duplicate registration if global
	a.ObserveRequest("x", 200)
	if strings.Contains(scrape(t, b), `model="x"`) {
		t.Fatal("second Metrics sees the first one's requests")
	}
}

func TestCodeClass(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{200, "2xx"}, {204, "2xx"}, {301, "3xx"}, {400, "4xx"}, {404, "4xx"},
		{StatusClientClosed, "499"}, {500, "5xx"}, {508, "5xx"}, {0, "other"}, {600, "other"},
	}
	for _, tt := range tests {
		if got := CodeClass(tt.status); got != tt.want {
			t.Errorf("CodeClass(%d) = %q, want %q", tt.status, got, tt.want)
		}
	}
}
