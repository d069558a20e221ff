// Package metrics owns LLProxy's Prometheus instruments: proxied requests,
// in-flight requests per backend, time to first byte, the proxy's own
// overhead, and discovery runs. It has its own prometheus.Registry (never the
// global one), so several proxies in one process (tests, the desktop app and
// a headless instance) never collide. It knows nothing about HTTP routing.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// StatusClientClosed is the status recorded for a request whose client went
// away before it was answered (nginx's and Caddy's 499). It is not an
// upstream failure.
const StatusClientClosed = 499

// Metrics is a set of instruments in a private registry. Build it with New;
// all methods are safe for concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	requests  *prometheus.CounterVec
	inFlight  *prometheus.GaugeVec
	ttfb      *prometheus.HistogramVec
	overhead  prometheus.Histogram
	discDur   prometheus.Histogram
	discModel prometheus.Gauge
	discUnr   prometheus.Gauge
	discRuns  *prometheus.CounterVec
}

// New creates the instruments and registers them, with the Go runtime and
// process collectors, in a new registry.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "llproxy", Name: "requests_total",
			Help: "Requests on /v1 by model (empty when none applies) and status class (2xx…5xx; 499 = client went away).",
		}, []string{"model", "code"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "llproxy", Name: "backend_in_flight_requests",
			Help: "Requests currently forwarded to a backend, by backend base URL.",
		}, []string{"backend"}),
		ttfb: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "llproxy", Name: "time_to_first_byte_seconds",
			Help:    "Time from receiving a proxied request to writing the first response byte to the client.",
			Buckets: []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"model"}),
		overhead: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "llproxy", Name: "proxy_overhead_seconds",
			Help:    "Time the proxy itself spends on a request: before sending it upstream plus between the upstream's headers and the client's.",
			Buckets: []float64{.00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .05},
		}),
		discDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "llproxy", Name: "discovery_run_duration_seconds",
			Help:    "Duration of a discovery run.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2, 5, 10, 30},
		}),
		discModel: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "llproxy", Name: "discovery_models",
			Help: "Models in the list published by the last discovery run.",
		}),
		discUnr: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "llproxy", Name: "discovery_unreachable_endpoints",
			Help: "Endpoints the last discovery run could not reach.",
		}),
		discRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "llproxy", Name: "discovery_runs_total",
			Help: "Discovery runs by result: ok (every endpoint answered) or partial (some unreachable).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.inFlight, m.ttfb, m.overhead,
		m.discDur, m.discModel, m.discUnr, m.discRuns,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the private registry, for tests and for adding instruments.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveRequest counts one finished /v1 request.
func (m *Metrics) ObserveRequest(model string, status int) {
	m.requests.WithLabelValues(model, CodeClass(status)).Inc()
}

// BackendStarted marks one more request in flight to backend.
func (m *Metrics) BackendStarted(backend string) { m.inFlight.WithLabelValues(backend).Inc() }

// BackendDone marks a request to backend as finished.
func (m *Metrics) BackendDone(backend string) { m.inFlight.WithLabelValues(backend).Dec() }

// ObserveTTFB records the time to the first response byte for model.
func (m *Metrics) ObserveTTFB(model string, d time.Duration) {
	m.ttfb.WithLabelValues(model).Observe(d.Seconds())
}

// ObserveOverhead records the proxy's own time on one request.
func (m *Metrics) ObserveOverhead(d time.Duration) { m.overhead.Observe(d.Seconds()) }

// ObserveDiscovery records one discovery run: its duration, the number of
// models it published and how many endpoints it could not reach.
func (m *Metrics) ObserveDiscovery(d time.Duration, models int, unreachable int) {
	m.discDur.Observe(d.Seconds())
	m.discModel.Set(float64(models))
	m.discUnr.Set(float64(unreachable))
	result := "ok"
	if unreachable > 0 {
		result = "partial"
	}
	m.discRuns.WithLabelValues(result).Inc()
}

// CodeClass turns a status into its label: "2xx", "4xx"…, except
// StatusClientClosed, which stays "499" so that clients going away are told
// apart from requests the proxy refused.
func CodeClass(status int) string {
	if status == StatusClientClosed {
		return "499"
	}
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status/100) + "xx"
}
