package statuspage

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func sampleView() View {
	now := time.Date(2026, 12, 2, 10, 0, 30, 0, time.UTC)
	return View{
		Version: "v1.4.0", Instance: "box-1a2b", ListenAddr: "127.0.0.1:3333", BaseURL: "http://127.0.0.1:3333/v1",
		Now: now, LastRun: now.Add(-12 * time.Second), LastDuration: 183 * time.Millisecond, NextRun: now.Add(18 * time.Second),
		RescanPath: "/status/rescan",
		Models: []Model{
			{Name: "qwen2.5-7b:gpu", ID: "/models/qwen2.5-7b.gguf", Tags: []string{"gpu"}, Replicas: []Replica{
				{Addr: "198.18.0.2:8080", Via: "direct", InFlight: 2},
				{Addr: "127.0.0.1:8081", Via: "ssh://me@gpu2", InFlight: 1},
			}},
			{Name: "<script>alert(1)</script>", ID: "<script>alert(1)</script>", Replicas: []Replica{{Addr: "127.0.0.1:8082", Via: "direct"}}},
		},
		Endpoints: []Endpoint{
			{Label: "llama.cpp", Target: "198.18.0.2:8080-8090", Probed: 11, Answered: 1, Refused: 9, Kept: 1, Models: 1,
				Errors: []string{"198.18.0.2:8085: timeout after 2s"}, Duration: 2004 * time.Millisecond},
			{Target: "gpu2:8000-8100", Via: "ssh://me@gpu2", Tunnel: true, Ports: []int{8081}, Probed: 1, Answered: 1, Models: 1, Duration: 41 * time.Millisecond},
			{Target: "gpu3:8000", Via: "ssh://me@gpu3", Tunnel: true, SSHError: "gpu3:22: connection refused",
				Errors: []string{"gpu3:22: connection refused"}, Duration: 3 * time.Millisecond},
			{Target: "10.0.0.9:1", Skipped: true},
		},
	}
}

func TestRender(t *testing.T) {
	var b strings.Builder
	if err := Render(&b, sampleView()); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<meta http-equiv="refresh" content="5">`,
		`<form method="post" action="/status/rescan"><button class="primary" type="submit">Rescan</button></form>`,
		"qwen2.5-7b:gpu", "/models/qwen2.5-7b.gguf", `<span class="tag">gpu</span>`,
		`198.18.0.2:8080</span> <span class="via">direct</span> <span class="warn">· 2 in flight</span>`,
		`127.0.0.1:8081</span> <span class="via">ssh://me@gpu2</span>`,
		`<td class="num">3</td>`, // in flight over both replicas
		"<b>3</b> in flight",
		"answered 1 of 11", "9 refused", "1 busy, models kept", "198.18.0.2:8085: timeout after 2s", "2.0 s",
		"ports found: 8081", "41 ms", "SSH: gpu3:22: connection refused", "disabled",
		"(12 s ago, took 183 ms)", "(in 18 s)", "2 of 4 answering", "2 with errors",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Error("a model name was not escaped")
	}
	if n := strings.Count(html, "gpu3:22: connection refused"); n != 1 {
		t.Errorf("the SSH error is shown %d times, want once", n)
	}
	if strings.Contains(html, "Log out") || strings.Contains(html, "Open to the network") {
		t.Error("logout or warning shown when not asked for")
	}
}

func TestRender_WarningErrorLogoutAndEmpty(t *testing.T) {
	v := View{Now: time.Now(), Warning: "listening on 0.0.0.0:3333 without api_keys", Error: "config: tls_cert: no such file",
		LogoutPath: "/login?logout", RescanPath: "/status/rescan"}
	var b strings.Builder
	if err := Render(&b, v); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"Open to the network without a key.", "listening on 0.0.0.0:3333 without api_keys",
		"config: tls_cert: no such file", `action="/login?logout"`, "Log out", "No models yet. The first scan is running.",
		"Last scan <b>not yet</b>", "No endpoints in the config."} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestServe_Headers(t *testing.T) {
	rec := httptest.NewRecorder()
	Serve(rec, httptest.NewRequest("GET", "/status", nil), sampleView())
	h := rec.Header()
	if h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Cache-Control") != "no-store" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("headers %v", h)
	}
	if !strings.Contains(rec.Body.String(), "qwen2.5-7b:gpu") {
		t.Fatal("no page")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		183 * time.Millisecond: "183 ms", 2004 * time.Millisecond: "2.0 s", 42 * time.Second: "42 s",
		245 * time.Second: "4 min 5 s", 2*time.Hour + 3*time.Minute: "2 h 3 min",
	} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
