package discovery

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"unicode/utf8"

	"fragmenteditor/backend/config"
)

// idCases are model ids as backends may list them; ok means usable.
var idCases = []struct {
	id string
	ok bool
}{
	{"llama-3-8b", true},
	{"/srv/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf", true},
	{"Qwen/Qwen2.5-7B-Instruct", true},
	{"grün:latest", true},
	{"a b", true},
	// The bad inputs of issue 14.
	{strings.Repeat("x", 1<<20), false},
	{strings.Repeat("y", config.DefaultMaxModelIDBytes+1), false},
	{"evil\u202Etxt.exe", false},
	{"zero\u200Bwidth", false},
	{"bell\x07", false},
	{"new\nline", false},
	{"nul\x00", false},
	{"\xff\xfe", false},
	{"/", false},
	{"//", false},
	{"..", false},
	{".", false},
	{"a/..", false},
	{"models/.", false},
	{`\`, false},
	{"   ", false},
}

func TestCheckID(t *testing.T) {
	for _, tc := range idCases {
		err := checkID(tc.id, config.DefaultMaxModelIDBytes)
		if (err == nil) != tc.ok {
			t.Errorf("checkID(%s) = %v, want ok %v", shortQuote(tc.id), err, tc.ok)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("checkID(%s): a %d-byte message", shortQuote(tc.id), len(err.Error()))
		}
	}
}

// FuzzCheckID: an accepted id makes a name that is short, printable and
// not a path.
func FuzzCheckID(f *testing.F) {
	for _, tc := range idCases {
		if len(tc.id) < 4096 {
			f.Add(tc.id)
		}
	}
	f.Fuzz(func(t *testing.T, id string) {
		if checkID(id, 64) != nil {
			return
		}
		name := CleanName(id)
		if len(id) > 64 || name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) ||
			strings.IndexFunc(name, unsafeRune) >= 0 {
			t.Fatalf("id %q accepted, name %q", id, name)
		}
	})
}

// Issue 14: ids are checked, one server gives at most
// max_models_per_server models and the list at most max_models names,
// and every skip is reported.
func TestDiscovery_ModelLimits(t *testing.T) {
	ip := loopbackIP(t)
	var entries []string
	for _, tc := range idCases {
		if utf8.ValidString(tc.id) { // JSON cannot carry the others
			b, _ := json.Marshal(map[string]string{"id": tc.id})
			entries = append(entries, string(b))
		}
	}
	for i := range 2000 {
		entries = append(entries, fmt.Sprintf(`{"id":"m%04d"}`, i))
	}
	big := startFake(t, ip, 0, `{"data":[`+strings.Join(entries, ",")+`]}`)
	small := startFake(t, ip, 0, `{"data":[{"id":"s1"},{"id":"s2"},{"id":"s3"}]}`)
	cfg := testConfig(hostEndpoint(ip, big.Port, big.Port), hostEndpoint(ip, small.Port, small.Port))
	cfg.MaxModelsPerServer, cfg.MaxModels = 8, 10
	s, reg := newTestScheduler(t, cfg)
	rep := mustRun(t, s)

	got := slices.Sorted(func(yield func(string) bool) {
		for name := range modelNames(reg) {
			if !yield(name) {
				return
			}
		}
	})
	want := []string{"a b", "grün:latest", "llama-3-8b", "m0000", "m0001", "m0002",
		"mistral-7b-instruct-v0.3.Q4_K_M", "Qwen2.5-7B-Instruct", "s1", "s2"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("models %q\nwant   %q", got, want)
	}
	errs := strings.Join(rep.Endpoints[0].Errors, "\n")
	for _, w := range []string{"longer than max_model_id_bytes", "control or invisible", "kept the first 8 (max_models_per_server)", "skipped"} {
		if !strings.Contains(errs, w) {
			t.Errorf("endpoint 0 errors lack %q:\n%s", w, errs)
		}
	}
	if e := strings.Join(rep.Endpoints[1].Errors, "\n"); !strings.Contains(e, "1 models skipped: the list is full (max_models 10)") {
		t.Errorf("endpoint 1 errors: %s", e)
	}
	for _, e := range rep.Endpoints[0].Errors {
		if len(e) > 300 {
			t.Errorf("a %d-byte report line", len(e))
		}
	}
}

// Issue 14: the same server listed by two endpoints became two replicas.
func TestDiscovery_SameServerTwiceIsOneReplica(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"m"}]}`)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, f.Port, f.Port), hostEndpoint(ip, f.Port, f.Port)))
	mustRun(t, s)
	if m, ok := reg.Load().Lookup("m"); !ok || len(m.Replicas) != 1 {
		t.Fatalf("model m: %+v; want one replica", m)
	}
}

func TestProbeWorkers(t *testing.T) {
	for _, tc := range []struct {
		configured, targets int
		fdLimit             uint64
		cpus, want          int
	}{
		{256, 11, 1 << 20, 2, 11},
		{256, 65535, 1 << 20, 2, 256},
		{65536, 65535, 1 << 20, 2, 1024}, // issue 14, bug 4
		{65536, 65535, 1 << 20, 64, 32768},
		{65536, 65535, 1024, 64, 256}, // (1024/2 - 256)
		{65536, 65535, 300, 64, 1},
		{65536, 65535, 0, 1, 512}, // limit unknown
		{4, 0, 1 << 20, 2, 0},
	} {
		if got := probeWorkers(tc.configured, tc.targets, tc.fdLimit, tc.cpus); got != tc.want {
			t.Errorf("probeWorkers(%d, %d, %d, %d) = %d, want %d", tc.configured, tc.targets, tc.fdLimit, tc.cpus, got, tc.want)
		}
	}
}

// Issue 14, bug 4: probe_concurrency 65536 over a whole host's ports used
// to start 65536 probes at once. The pool now keeps to Report.Workers.
func TestDiscovery_LargestConcurrencyIsBounded(t *testing.T) {
	var inFlight, peak atomic.Int64
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		runtime.Gosched()
		return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: syscall.ECONNREFUSED}
	})}
	const ports = 8192 // enough to need every worker; a whole host takes long under -race
	cfg := testConfig(hostEndpoint("127.0.0.1", 1, ports))
	cfg.ProbeConcurrency = config.MaxProbeConcurrency
	s := New(Options{Config: cfg, Client: client})
	rep, ok := s.runOnce(context.Background())
	if !ok {
		t.Fatal("run abandoned")
	}
	limit := probeWorkers(cfg.ProbeConcurrency, rep.Endpoints[0].Probed, fdLimit(), runtime.NumCPU())
	if rep.Workers != limit || rep.Workers >= cfg.ProbeConcurrency {
		t.Errorf("workers %d, want %d", rep.Workers, limit)
	}
	if p := peak.Load(); p > int64(rep.Workers) {
		t.Errorf("%d probes ran at once, over the %d workers", p, rep.Workers)
	}
	if ep := rep.Endpoints[0]; ep.Refused != ep.Probed || len(ep.Errors) != 0 {
		t.Errorf("closed ports misread: refused %d, errors %v", ep.Refused, ep.Errors)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Issue 14: probes went direct while forwarding used HTTP(S)_PROXY. Now
// both use the environment's proxy for URL endpoints only.
func TestDiscovery_EnvironmentProxyOnlyForURLEndpoints(t *testing.T) {
	var asked []string
	envProxy = func(r *http.Request) (*url.URL, error) {
		asked = append(asked, r.URL.Host)
		return nil, nil
	}
	t.Cleanup(func() { envProxy = http.ProxyFromEnvironment })
	ip := loopbackIP(t)
	host := startFake(t, ip, 0, `{"data":[{"id":"a"}]}`)
	hosted := startFake(t, ip, 0, `{"data":[{"id":"b"}]}`)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, host.Port, host.Port), config.Endpoint{URL: hosted.BaseURL}))
	mustRun(t, s)
	if len(modelNames(reg)) != 2 || !slices.Equal(asked, []string{strings.TrimPrefix(hosted.BaseURL, "http://")}) {
		t.Fatalf("models %v; the environment proxy was asked for %v, want only the URL endpoint", modelNames(reg), asked)
	}
}
