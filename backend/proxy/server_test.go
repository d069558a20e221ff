package proxy

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/llproxy/llproxytest"
	"fragmenteditor/backend/metrics"
	"fragmenteditor/backend/registry"
)

func TestNew_RequiresRegistry(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without a registry succeeded")
	}
}

func TestNew_RandomInstance(t *testing.T) {
	a, _ := New(Options{Registry: &registry.Registry{}})
	b, _ := New(Options{Registry: &registry.Registry{}})
	if a.Instance() == "" || a.Instance() == b.Instance() {
		t.Fatalf("instances %q and %q", a.Instance(), b.Instance())
	}
}

func TestHealth(t *testing.T) {
	s := newTestServer(t, validConfig(config.Config{APIKeys: []string{"k"}}), model("a", "a", "http://127.0.0.1:1"), model("b", "b", "http://127.0.0.1:1"))
	rec := do(s, http.MethodGet, "/health", "")
	var h map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	want := map[string]any{"status": "ok", "service": "llproxy", "instance": testInstance, "version": "v-test", "models": 2.0}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("%s = %v, want %v", k, h[k], v)
		}
	}
}

func TestMetricsEndpoint(t *testing.T) {
	be, _ := fakeBackend(t, func(w http.ResponseWriter, r *http.Request) {
		send := sseWriter(w)
		send(chatChunk("x"))
		send("[DONE]")
	})
	m := metrics.New()
	reg := &registry.Registry{}
	reg.Store(snapshotOf(model("m:gpu", "m", be.URL)))
	s, err := New(Options{Registry: reg, Metrics: m, Instance: testInstance})
	if err != nil {
		t.Fatal(err)
	}
	do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m:gpu","stream":true}`)
	do(s, http.MethodPost, "/v1/chat/completions", `{"model":"nope"}`)
	do(s, http.MethodGet, "/v1/models", "")
	m.ObserveDiscovery(0, 1, 0)
	text := scrapeMetrics(t, s)
	for _, want := range []string{
		`llproxy_requests_total{code="2xx",model="m:gpu"} 1`,
		`llproxy_requests_total{code="4xx",model=""} 1`,
		`llproxy_requests_total{code="2xx",model=""} 1`,
		`llproxy_backend_in_flight_requests{backend="` + be.URL + `"} 0`,
		`llproxy_time_to_first_byte_seconds_count{model="m:gpu"} 1`,
		`llproxy_proxy_overhead_seconds_count 1`,
		`llproxy_discovery_runs_total{result="ok"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestSetConfig_Live(t *testing.T) {
	be, _ := fakeBackend(t, nil)
	s := newTestServer(t, nil, model("m", "m", be.URL))
	srv := serve(t, s)
	big := `{"model":"m","p":"` + strings.Repeat("z", 200) + `"}`
	post := func(body string, hdr ...string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(body))
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	steps := []struct {
		name   string
		cfg    *config.Config
		body   string
		hdr    []string
		status int
	}{
		{"defaults", nil, big, nil, 200},
		{"keys turned on", validConfig(config.Config{APIKeys: []string{"new"}}), big, nil, 401},
		{"new key works", validConfig(config.Config{APIKeys: []string{"new"}}), big, []string{"Authorization", "Bearer new"}, 200},
		{"key rotated", validConfig(config.Config{APIKeys: []string{"newer"}}), big, []string{"Authorization", "Bearer new"}, 401},
		{"limit lowered", validConfig(config.Config{MaxBodyBytes: 100}), big, nil, 413},
		{"small body still fine", validConfig(config.Config{MaxBodyBytes: 100}), `{"model":"m"}`, nil, 200},
		{"origin refused by default", nil, big, []string{"Origin", "https://app.example.com"}, 403},
		{"origin added", validConfig(config.Config{CORSOrigins: []string{"https://app.example.com"}}), big, []string{"Origin", "https://app.example.com"}, 200},
		{"back to defaults", nil, big, nil, 200},
	}
	for _, st := range steps {
		s.SetConfig(st.cfg)
		if got := post(st.body, st.hdr...); got != st.status {
			t.Fatalf("%s: status %d, want %d", st.name, got, st.status)
		}
	}
}

func TestLog_OneLinePerRequestWithoutKeys(t *testing.T) {
	be, _ := fakeBackend(t, nil)
	var logs llproxytest.Buffer
	m := model("m:gpu", "m", be.URL)
	m.Replicas[0].APIKey = "backend-secret"
	reg := &registry.Registry{}
	reg.Store(snapshotOf(m))
	s, _ := New(Options{Registry: reg, Config: validConfig(config.Config{APIKeys: []string{"client-secret"}}),
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	do(s, http.MethodPost, "/v1/chat/completions", `{"model":"m:gpu"}`, "Authorization", "Bearer client-secret")
	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one log line, got %d:\n%s", len(lines), out)
	}
	var line map[string]any
	json.Unmarshal([]byte(lines[0]), &line)
	if line["level"] != "INFO" || line["model"] != "m:gpu" || line["backend"] != be.URL || line["status"] != 200.0 ||
		line["duration"] == nil || line["ttfb"] == nil || line["component"] != "proxy" {
		t.Fatalf("log line %s", lines[0])
	}
	if strings.Contains(out, "secret") {
		t.Fatalf("a key reached the log: %s", out)
	}
}

func TestHealth_CORSForTheWebview(t *testing.T) {
	s := newTestServer(t, validConfig(config.Config{APIKeys: []string{"k"}}))
	rec := do(s, http.MethodGet, "/health", "", "Origin", "wails://wails")
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "wails://wails" {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}
