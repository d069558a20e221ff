package discovery

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

func TestDiscovery_ServerShapes(t *testing.T) {
	for _, shape := range serverShapes {
		t.Run(shape.server, func(t *testing.T) {
			ip := loopbackIP(t)
			f := startFake(t, ip, 0, shape.body)
			s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, f.Port, f.Port)))
			rep := mustRun(t, s)

			want := map[string]string{}
			for i, id := range shape.ids {
				want[shape.names[i]] = id
			}
			if got := modelNames(reg); !maps.Equal(got, want) {
				t.Fatalf("models = %v, want %v", got, want)
			}
			items := rawItems(t, shape.body)
			for _, m := range reg.Load().Models() {
				if !containsRaw(items, m.Raw) {
					t.Errorf("%s: raw %s is not the backend's entry", m.Name, m.Raw)
				}
				if len(m.Replicas) != 1 || m.Replicas[0].BaseURL != f.BaseURL || m.Replicas[0].Port != f.Port || m.Replicas[0].Endpoint != 0 {
					t.Errorf("%s: replicas = %+v, want one at %s", m.Name, m.Replicas, f.BaseURL)
				}
			}
			ep := rep.Endpoints[0]
			if ep.Probed != 1 || ep.Answered != 1 || ep.Models != len(want) || len(ep.Errors) != 0 {
				t.Errorf("endpoint report = %+v", ep)
			}
		})
	}
}

func TestDiscovery_SkipsBadAnswers(t *testing.T) {
	huge := `{"data":[` + strings.Repeat(" ", maxModelsBody) + `]}`
	for _, tc := range []struct {
		name   string
		status int
		body   string
		reason string
	}{
		{"html", http.StatusOK, "<html><body>It works!</body></html>", "not JSON"},
		{"plain text", http.StatusOK, "OK", "not JSON"},
		{"server error", http.StatusInternalServerError, `{"data":[{"id":"x"}]}`, "HTTP 500"},
		{"not found", http.StatusNotFound, `{"error":"no route"}`, "HTTP 404"},
		{"unauthorized", http.StatusUnauthorized, `{"error":"key"}`, "HTTP 401"},
		{"redirect", http.StatusFound, ``, "HTTP 302"},
		{"error object", http.StatusOK, `{"error":{"message":"nope"}}`, "neither"},
		{"too large", http.StatusOK, huge, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := loopbackIP(t)
			bad := startFake(t, ip, 0, tc.body)
			bad.set(tc.status, tc.body, false)
			good := startFake(t, ip, 0, `{"data":[{"id":"good"}]}`)
			s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, bad.Port, bad.Port), hostEndpoint(ip, good.Port, good.Port)))
			rep := mustRun(t, s)

			if got, want := modelNames(reg), map[string]string{"good": "good"}; !maps.Equal(got, want) {
				t.Fatalf("models = %v, want %v", got, want)
			}
			ep := rep.Endpoints[0]
			if ep.Probed != 1 || ep.Answered != 0 || len(ep.Errors) != 1 {
				t.Fatalf("endpoint report = %+v, want one error", ep)
			}
			label := net.JoinHostPort(ip, strconv.Itoa(bad.Port))
			if e := ep.Errors[0]; !strings.HasPrefix(e, label+": ") || !strings.Contains(e, tc.reason) {
				t.Errorf("error = %q, want %q and %q", e, label, tc.reason)
			}
		})
	}
}

func TestDiscovery_HungPortDoesNotHoldBackOthers(t *testing.T) {
	ip := loopbackIP(t)
	hung, accepted := hungPort(t, ip, 0)
	good := startFake(t, ip, 0, `{"data":[{"id":"good"}]}`)
	cfg := testConfig(hostEndpoint(ip, hung, hung), hostEndpoint(ip, good.Port, good.Port))
	cfg.ProbeTimeout = int((10 * time.Minute).Milliseconds()) // the hung probe outlives the test
	found := make(chan string, 1)
	reg := New(Options{Config: cfg, Logger: slog.New(signalHandler{msg: "found model", ch: found})})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan bool)
	go func() {
		_, ok := reg.runOnce(ctx)
		ended <- ok
	}()
	guard := time.After(time.Minute) // a failure guard, not a measurement
	for gotHung, gotGood := false, false; !gotHung || !gotGood; {
		select {
		case <-accepted:
			gotHung = true
		case id := <-found:
			gotGood = id == "good"
		case ok := <-ended:
			t.Fatalf("run ended (ok=%v) while a probe should still hang", ok)
		case <-guard:
			t.Fatalf("no result from the good server while the hung port hangs (hung=%v good=%v)", gotHung, gotGood)
		}
	}
	cancel()
	if ok := <-ended; ok {
		t.Error("a cancelled run reported success")
	}
	if snap := reg.reg.Load(); snap != nil {
		t.Errorf("a cancelled run published %v", snap.Names())
	}
}

func TestDiscovery_HungPortIsCutOffByTimeout(t *testing.T) {
	ip := loopbackIP(t)
	hung, _ := hungPort(t, ip, 0)
	good := startFake(t, ip, 0, `{"data":[{"id":"good"}]}`)
	cfg := testConfig(hostEndpoint(ip, hung, hung), hostEndpoint(ip, good.Port, good.Port))
	cfg.ProbeTimeout = 1000
	s, reg := newTestScheduler(t, cfg)
	rep := mustRun(t, s)

	if got, want := modelNames(reg), map[string]string{"good": "good"}; !maps.Equal(got, want) {
		t.Fatalf("models = %v, want %v", got, want)
	}
	if errs := rep.Endpoints[0].Errors; len(errs) != 1 || !strings.Contains(errs[0], "no answer within 1s") {
		t.Errorf("hung endpoint errors = %q, want a timeout", errs)
	}
}

func TestDiscovery_RefusedDropsAtOnce(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"/m/gone.gguf"}]}`)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, f.Port, f.Port)))
	if rep := mustRun(t, s); !slices.Equal(rep.Added, []string{"gone"}) {
		t.Fatalf("run 1 added %v, want [gone]", rep.Added)
	}
	f.srv.Close()
	rep := mustRun(t, s)
	if got := modelNames(reg); len(got) != 0 {
		t.Errorf("models after refusal = %v, want none", got)
	}
	if !slices.Equal(rep.Removed, []string{"gone"}) || len(rep.Added) != 0 {
		t.Errorf("added %v removed %v, want removed [gone]", rep.Added, rep.Removed)
	}
	if ep := rep.Endpoints[0]; ep.Refused != 1 || ep.Kept != 0 || len(ep.Errors) != 0 {
		t.Errorf("endpoint report = %+v, want one refusal", ep)
	}
}

func TestDiscovery_BusyServerKeepsModelsOneRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		hang   bool
	}{
		{"503", http.StatusServiceUnavailable, false},
		{"timeout", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := loopbackIP(t)
			body := `{"data":[{"id":"busy-model"}]}`
			f := startFake(t, ip, 0, body)
			cfg := testConfig(hostEndpoint(ip, f.Port, f.Port))
			s, reg := newTestScheduler(t, cfg)
			mustRun(t, s)

			short := *cfg
			short.ProbeTimeout = 200 // only the failing runs, so a good answer is never cut off
			s.SetConfig(&short)
			f.set(tc.status, `{"error":"loading model"}`, tc.hang)
			rep := mustRun(t, s)
			if got := modelNames(reg); got["busy-model"] != "busy-model" {
				t.Fatalf("run 2 models = %v, want busy-model kept", got)
			}
			if ep := rep.Endpoints[0]; ep.Kept != 1 || len(rep.Removed) != 0 {
				t.Errorf("run 2 report = %+v, removed %v", ep, rep.Removed)
			}

			rep = mustRun(t, s)
			if got := modelNames(reg); len(got) != 0 {
				t.Fatalf("run 3 models = %v, want none", got)
			}
			if ep := rep.Endpoints[0]; ep.Kept != 0 || !slices.Equal(rep.Removed, []string{"busy-model"}) {
				t.Errorf("run 3 report = %+v, removed %v", ep, rep.Removed)
			}

			s.SetConfig(cfg)
			f.set(http.StatusOK, body, false)
			if rep = mustRun(t, s); !slices.Equal(rep.Added, []string{"busy-model"}) {
				t.Errorf("run 4 added %v, want [busy-model]", rep.Added)
			}
		})
	}
}

func TestDiscovery_NewModelAppearsNextRun(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"a"}]}`)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, f.Port, f.Port)))
	mustRun(t, s)
	f.set(http.StatusOK, `{"data":[{"id":"a"},{"id":"b"}]}`, false)
	rep := mustRun(t, s)
	if got, want := modelNames(reg), map[string]string{"a": "a", "b": "b"}; !maps.Equal(got, want) {
		t.Errorf("models = %v, want %v", got, want)
	}
	if !slices.Equal(rep.Added, []string{"b"}) || len(rep.Removed) != 0 || rep.Models != 2 {
		t.Errorf("report: models %d added %v removed %v", rep.Models, rep.Added, rep.Removed)
	}
}

func TestDiscovery_TagsAndFilters(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"/m/llama-3.gguf"},{"id":"phi3:mini"},{"id":"qwen"}]}`)
	ep := hostEndpoint(ip, f.Port, f.Port)
	ep.Tags = []string{"gpu", "fast"}
	ep.Filter = []string{"3:gpu", "mini"}
	s, reg := newTestScheduler(t, testConfig(ep))
	rep := mustRun(t, s)

	want := map[string]string{"llama-3:gpu": "/m/llama-3.gguf", "phi3:mini:gpu": "phi3:mini", "phi3:mini:fast": "phi3:mini"}
	if got := modelNames(reg); !maps.Equal(got, want) {
		t.Fatalf("models = %v, want %v", got, want)
	}
	for _, m := range reg.Load().Models() {
		if !slices.Equal(m.Tags, []string{"gpu", "fast"}) {
			t.Errorf("%s: tags = %v", m.Name, m.Tags)
		}
	}
	if rep.Endpoints[0].Models != 3 {
		t.Errorf("endpoint models = %d, want 3", rep.Endpoints[0].Models)
	}
}

func TestDiscovery_URLEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name, suffix, key, wantAuth string
	}{
		{"with key and /v1", "/v1/", "sk-test-123", "Bearer sk-test-123"},
		{"with key and /v1 without slash", "/v1", "sk-other", "Bearer sk-other"},
		{"without key", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := loopbackIP(t)
			f := startFake(t, ip, 0, `{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1,"owned_by":"system"}]}`)
			enabled := true
			ep := config.Endpoint{URL: f.BaseURL + tc.suffix, APIKey: tc.key, Enable: &enabled}
			s, reg := newTestScheduler(t, testConfig(ep))
			rep := mustRun(t, s)

			if auth, _ := f.lastAuth.Load().(string); auth != tc.wantAuth {
				t.Errorf("Authorization = %q, want %q", auth, tc.wantAuth)
			}
			m, ok := reg.Load().Lookup("gpt-4o-mini")
			if !ok {
				t.Fatalf("models = %v, want gpt-4o-mini", modelNames(reg))
			}
			want := []registry.Backend{{BaseURL: f.BaseURL, APIKey: tc.key, EnvProxy: true}}
			if got := m.Replicas; !slices.Equal(got, want) {
				t.Errorf("replicas = %+v, want %+v", got, want)
			}
			if ep := rep.Endpoints[0]; ep.Target != f.BaseURL || ep.Probed != 1 || ep.Answered != 1 {
				t.Errorf("endpoint report = %+v", ep)
			}
		})
	}
}

func TestDiscovery_ModelsListSkipsTheCall(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"never-asked"}]}`)
	enabled := true
	ep := config.Endpoint{URL: f.BaseURL, APIKey: "sk-x", Models: []string{"gpt-4o", "org/x.gguf"}, Enable: &enabled}
	s, reg := newTestScheduler(t, testConfig(ep))
	rep := mustRun(t, s)

	if hits := f.hits.Load(); hits != 0 {
		t.Errorf("server was called %d times", hits)
	}
	if got, want := modelNames(reg), map[string]string{"gpt-4o": "gpt-4o", "x": "org/x.gguf"}; !maps.Equal(got, want) {
		t.Fatalf("models = %v, want %v", got, want)
	}
	m, _ := reg.Load().Lookup("x")
	var raw map[string]any
	if err := json.Unmarshal(m.Raw, &raw); err != nil || raw["id"] != "org/x.gguf" || raw["object"] != "model" {
		t.Errorf("raw = %s (%v), want an entry for org/x.gguf", m.Raw, err)
	}
	if m.Replicas[0].APIKey != "sk-x" {
		t.Errorf("replica key = %q", m.Replicas[0].APIKey)
	}
	if ep := rep.Endpoints[0]; ep.Probed != 0 || ep.Models != 2 {
		t.Errorf("endpoint report = %+v", ep)
	}
}

func TestDiscovery_DisabledEndpointIsSkipped(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"hidden"}]}`)
	ep := hostEndpoint(ip, f.Port, f.Port)
	disabled := false
	ep.Enable = &disabled
	s, reg := newTestScheduler(t, testConfig(ep))
	rep := mustRun(t, s)

	if hits := f.hits.Load(); hits != 0 {
		t.Errorf("disabled server was called %d times", hits)
	}
	if got := modelNames(reg); len(got) != 0 {
		t.Errorf("models = %v, want none", got)
	}
	if ep := rep.Endpoints[0]; !ep.Skipped || ep.Probed != 0 {
		t.Errorf("endpoint report = %+v, want skipped", ep)
	}
}

func TestDiscovery_ReplicasAcrossPortsAndEndpoints(t *testing.T) {
	ip, ip2 := loopbackIP(t), loopbackIP(t)
	start := freePorts(t, ip, 3)
	body := `{"data":[{"id":"/models/shared.gguf","owned_by":"llamacpp"}]}`
	a := startFake(t, ip, start, body)
	c := startFake(t, ip, start+2, body) // start+1 stays closed
	other := startFake(t, ip2, 0, body)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, start, start+2), hostEndpoint(ip2, other.Port, other.Port)))
	rep := mustRun(t, s)

	m, ok := reg.Load().Lookup("shared")
	if !ok || len(reg.Load().Models()) != 1 {
		t.Fatalf("models = %v, want shared only", modelNames(reg))
	}
	want := []registry.Backend{
		{BaseURL: a.BaseURL, Port: start},
		{BaseURL: c.BaseURL, Port: start + 2},
		{BaseURL: other.BaseURL, Endpoint: 1, Port: other.Port},
	}
	if got := m.Replicas; !slices.Equal(got, want) {
		t.Errorf("replicas = %+v, want %+v", got, want)
	}
	wantTarget := ip + ":" + strconv.Itoa(start) + "-" + strconv.Itoa(start+2)
	if ep := rep.Endpoints[0]; ep.Target != wantTarget || ep.Probed != 3 || ep.Answered != 2 || ep.Refused != 1 || ep.Models != 1 || len(ep.Errors) != 0 {
		t.Errorf("endpoint 0 report = %+v", ep)
	}
}

func TestDiscovery_DisambiguationStableAcrossRuns(t *testing.T) {
	ip, ip2 := loopbackIP(t), loopbackIP(t)
	a := startFake(t, ip, 0, `{"data":[{"id":"a/Llama-3-8B.gguf"}]}`)
	b := startFake(t, ip2, 0, `{"data":[{"id":"b/Llama-3-8B"}]}`)
	epA, epB := hostEndpoint(ip, a.Port, a.Port), hostEndpoint(ip2, b.Port, b.Port)
	s, reg := newTestScheduler(t, testConfig(epA, epB))
	mustRun(t, s)
	want := map[string]string{"Llama-3-8B:0": "a/Llama-3-8B.gguf", "Llama-3-8B:1": "b/Llama-3-8B"}
	if got := modelNames(reg); !maps.Equal(got, want) {
		t.Fatalf("run 1 models = %v, want %v", got, want)
	}

	s.SetConfig(testConfig(epB, epA)) // b now comes first
	rep := mustRun(t, s)
	if got := modelNames(reg); !maps.Equal(got, want) {
		t.Fatalf("after reordering models = %v, want %v", got, want)
	}
	if len(rep.Added) != 0 || len(rep.Removed) != 0 {
		t.Errorf("added %v removed %v, want no change", rep.Added, rep.Removed)
	}
}

func TestDiscovery_NeverProbesItself(t *testing.T) {
	for _, tc := range []struct {
		name   string
		self   func(ip string, port int) []string
		cfg    func(cfg *config.Config, ip string, port int)
		useURL bool
	}{
		{name: "exact self address", self: func(ip string, port int) []string { return []string{net.JoinHostPort(ip, strconv.Itoa(port))} }},
		{name: "IPv4 wildcard", self: func(_ string, port int) []string { return []string{"0.0.0.0:" + strconv.Itoa(port)} }},
		{name: "IPv6 wildcard", self: func(_ string, port int) []string { return []string{"[::]:" + strconv.Itoa(port)} }},
		{name: "empty host", self: func(_ string, port int) []string { return []string{":" + strconv.Itoa(port)} }},
		{name: "config listen address", cfg: func(cfg *config.Config, ip string, port int) { cfg.Host, cfg.Port = ip, port }},
		{name: "URL endpoint at self", useURL: true, self: func(ip string, port int) []string { return []string{net.JoinHostPort(ip, strconv.Itoa(port))} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := loopbackIP(t)
			f := startFake(t, ip, 0, `{"data":[{"id":"me"}]}`)
			ep := hostEndpoint(ip, f.Port, f.Port)
			if tc.useURL {
				enabled := true
				ep = config.Endpoint{URL: f.BaseURL, Enable: &enabled}
			}
			cfg := testConfig(ep)
			var self []string
			if tc.self != nil {
				self = tc.self(ip, f.Port)
			}
			if tc.cfg != nil {
				tc.cfg(cfg, ip, f.Port)
			}
			s, reg := newTestScheduler(t, cfg, self...)
			rep := mustRun(t, s)
			if hits := f.hits.Load(); hits != 0 {
				t.Errorf("own address was probed %d times", hits)
			}
			if got := modelNames(reg); len(got) != 0 {
				t.Errorf("models = %v, want none", got)
			}
			if ep := rep.Endpoints[0]; ep.Probed != 0 {
				t.Errorf("endpoint report = %+v, want nothing probed", ep)
			}
		})
	}
}

func TestDiscovery_SelfOnOtherPortStillProbes(t *testing.T) {
	ip := loopbackIP(t)
	f := startFake(t, ip, 0, `{"data":[{"id":"neighbour"}]}`)
	s, reg := newTestScheduler(t, testConfig(hostEndpoint(ip, f.Port, f.Port)), "0.0.0.0:"+strconv.Itoa(f.Port+1), "127.0.0.1:"+strconv.Itoa(f.Port))
	mustRun(t, s)
	if _, ok := reg.Load().Lookup("neighbour"); !ok {
		t.Errorf("models = %v, want neighbour", modelNames(reg))
	}
}

func TestDiscovery_ReportContents(t *testing.T) {
	ip, ip2 := loopbackIP(t), loopbackIP(t)
	start := freePorts(t, ip, 4)
	startFake(t, ip, start, `{"data":[{"id":"m1"},{"id":"m2"}]}`)
	bad := startFake(t, ip, start+3, `nope`)
	enabled, disabled := true, false
	cfg := testConfig(
		hostEndpoint(ip, start, start+3),
		config.Endpoint{Hostname: ip2, PortStart: 1, PortEnd: 1, Enable: &disabled},
		config.Endpoint{URL: "http://" + ip2 + ":1", Models: []string{"static"}, Enable: &enabled},
	)
	s, _ := newTestScheduler(t, cfg)
	before := time.Now()
	rep := mustRun(t, s)

	if rep.Started.Before(before) || rep.Duration <= 0 {
		t.Errorf("started %v (run began after %v), duration %v", rep.Started, before, rep.Duration)
	}
	if rep.Models != 3 || !slices.Equal(rep.Added, []string{"m1", "m2", "static"}) || len(rep.Removed) != 0 {
		t.Errorf("models %d added %v removed %v", rep.Models, rep.Added, rep.Removed)
	}
	label := func(port int) string { return net.JoinHostPort(ip, strconv.Itoa(port)) }
	want := []EndpointReport{
		{Index: 0, Target: label(start) + "-" + strconv.Itoa(start+3), Probed: 4, Answered: 1, Refused: 2, Models: 2,
			Errors: []string{label(bad.Port) + ": not JSON"}},
		{Index: 1, Target: ip2 + ":1", Skipped: true},
		{Index: 2, Target: "http://" + ip2 + ":1", Models: 1},
	}
	if len(rep.Endpoints) != len(want) {
		t.Fatalf("endpoints = %+v", rep.Endpoints)
	}
	for i := range want {
		got := rep.Endpoints[i]
		if got.Index != want[i].Index || got.Target != want[i].Target || got.Probed != want[i].Probed ||
			got.Answered != want[i].Answered || got.Refused != want[i].Refused || got.Kept != want[i].Kept ||
			got.Models != want[i].Models || got.Skipped != want[i].Skipped || !slices.Equal(got.Errors, want[i].Errors) {
			t.Errorf("endpoint %d = %+v, want %+v", i, got, want[i])
		}
	}
	// A probed endpoint's duration lies within the run; a skipped one has none.
	if d := rep.Endpoints[0].Duration; d <= 0 || d > rep.Duration {
		t.Errorf("endpoint 0 took %v of a %v run", d, rep.Duration)
	}
	if d := rep.Endpoints[1].Duration; d != 0 {
		t.Errorf("disabled endpoint took %v", d)
	}
}

func TestDiscovery_ErrorsAreBounded(t *testing.T) {
	ip := loopbackIP(t)
	start := freePorts(t, ip, maxErrors+5)
	for p := start; p < start+maxErrors+5; p++ {
		startFake(t, ip, p, "not json")
	}
	s, _ := newTestScheduler(t, testConfig(hostEndpoint(ip, start, start+maxErrors+4)))
	rep := mustRun(t, s)
	ep := rep.Endpoints[0]
	if ep.Probed != maxErrors+5 || len(ep.Errors) != maxErrors {
		t.Fatalf("probed %d, %d errors; want %d probed, %d errors", ep.Probed, len(ep.Errors), maxErrors+5, maxErrors)
	}
	if want := net.JoinHostPort(ip, strconv.Itoa(start)) + ": not JSON"; ep.Errors[0] != want {
		t.Errorf("first error = %q, want %q (errors in port order)", ep.Errors[0], want)
	}
}
