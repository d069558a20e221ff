package llproxy

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/llproxy/llproxytest"
)

const mistralID = "/srv/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf"

func TestService_StartServesAndStopCloses(t *testing.T) {
	b := llproxytest.NewBackend(t, "127.0.0.100", []string{mistralID})
	port := llproxytest.FreePort(t, "127.0.0.101")
	h := newHarness(t, "127.0.0.101", port, endpointOf(b, "gpu"))
	if err := h.svc.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	h.waitModels("mistral-7b-instruct-v0.3.Q4_K_M:gpu")

	hl, err := healthAt(t, h.host, port)
	if err != nil {
		t.Fatal(err)
	}
	if hl.Service != "llproxy" || hl.Instance != h.svc.Instance() || hl.Version != "v-test" || hl.Models != 1 {
		t.Errorf("/health = %+v", hl)
	}
	st := h.svc.Status()
	wantBase := fmt.Sprintf("http://127.0.0.101:%d/v1", port)
	if !st.Running || st.BaseURL != wantBase || h.svc.BaseURL() != wantBase ||
		st.ListenAddr != net.JoinHostPort("127.0.0.101", strconv.Itoa(port)) {
		t.Errorf("status = running %v, base %q, addr %q; want base %q", st.Running, st.BaseURL, st.ListenAddr, wantBase)
	}
	m := st.Models[0]
	if m.ID != mistralID || !slices.Equal(m.Replicas, []string{b.Addr()}) || !slices.Equal(m.Tags, []string{"gpu"}) ||
		!strings.Contains(string(m.Raw), `"owned_by":"llamacpp"`) {
		t.Errorf("model = %+v", m)
	}
	if st.Discovery.Models != 1 || len(st.Discovery.Endpoints) != 1 || st.Discovery.Endpoints[0].Answered != 1 {
		t.Errorf("discovery report = %+v", st.Discovery)
	}
	if code, body := getBody(t, wantBase+"/models"); code != 200 || !strings.Contains(body, `"id":"mistral-7b-instruct-v0.3.Q4_K_M:gpu"`) {
		t.Errorf("GET /v1/models = %d %s", code, body)
	}

	if err := h.svc.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !refused(h.host, port) {
		t.Error("port still open after Stop")
	}
	if err := h.svc.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if h.svc.Status().Running {
		t.Error("Status().Running after Stop")
	}
	h.svc.Rescan() // a no-op when stopped

	// It can start again.
	h.start()
	if _, err := healthAt(t, h.host, port); err != nil {
		t.Errorf("after restart: %v", err)
	}
}

func TestService_StopsWhenStartContextEnds(t *testing.T) {
	port := llproxytest.FreePort(t, "127.0.0.102")
	h := newHarness(t, "127.0.0.102", port)
	ctx, cancel := context.WithCancel(context.Background())
	if err := h.svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	waitFor(t, "the service to stop", func() bool { return !h.svc.Status().Running })
	if !refused(h.host, port) {
		t.Error("port still open after the context ended")
	}
}

func TestService_StartErrors(t *testing.T) {
	tests := []struct {
		name      string
		config    string // "" means no file at all
		wantIs    []error
		wantPaths []string
	}{
		{
			name:      "invalid values, all reported",
			config:    `{"port": 70000, "endpoints": [{"hostname": "127.0.0.103", "port_start": 9000, "port_end": 70000}]}`,
			wantIs:    []error{ErrConfig},
			wantPaths: []string{"port", "endpoints[0].port_end"},
		},
		{
			name:      "syntax error",
			config:    `{"port": 3333,`,
			wantIs:    []error{ErrConfig},
			wantPaths: []string{""},
		},
		{
			name:   "missing file",
			config: "",
			wantIs: []error{ErrConfig, fs.ErrNotExist},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, "127.0.0.103", 1)
			if tt.config == "" {
				h.path += ".missing"
				h.svc.opts.ConfigPath = h.path
			} else {
				h.write([]byte(tt.config))
			}
			err := h.svc.Start(context.Background())
			if err == nil {
				h.svc.Stop(context.Background())
				t.Fatal("Start succeeded")
			}
			for _, target := range tt.wantIs {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			var paths []string
			for _, p := range ConfigProblems(err) {
				paths = append(paths, p.Path)
			}
			for _, want := range tt.wantPaths {
				if !slices.Contains(paths, want) {
					t.Errorf("problem paths %q lack %q (err: %v)", paths, want, err)
				}
			}
			st := h.svc.Status()
			if st.Running || st.Error == "" || len(st.Problems) < len(tt.wantPaths) {
				t.Errorf("status after failed start: running %v, error %q, problems %v", st.Running, st.Error, st.Problems)
			}
			h.events.wait(t, 0, "config-error", kindIs(EventConfigError))
			// Start's caller reports the error; the service does not log
			// it too, and never claims a running config was kept.
			if strings.Contains(h.out.String(), "running config is kept") {
				t.Errorf("a failed start logged a kept config:\n%s", h.out.String())
			}
		})
	}
}

// The instance id goes to every backend: it must not name the machine.
func TestService_InstanceIsOpaque(t *testing.T) {
	a, b := newHarness(t, "127.0.0.103", 1), newHarness(t, "127.0.0.103", 1)
	host, _ := os.Hostname()
	for _, id := range []string{a.svc.Instance(), b.svc.Instance()} {
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" || host != "" && strings.Contains(id, host) {
			t.Errorf("instance %q: want 16 random hex digits", id)
		}
	}
	if a.svc.Instance() == b.svc.Instance() {
		t.Error("two services share an instance id")
	}
}

func TestService_StartTwice(t *testing.T) {
	h := startHarness(t, "127.0.0.104", llproxytest.FreePort(t, "127.0.0.104"))
	if err := h.svc.Start(context.Background()); !errors.Is(err, ErrRunning) {
		t.Errorf("second Start = %v, want ErrRunning", err)
	}
}

// occupy holds host:port with a TCP listener that drops every connection:
// something that is not an llproxy.
func occupy(t *testing.T, host string) int {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestService_PortInUse(t *testing.T) {
	tests := []struct {
		name       string
		host       string
		occupy     func(t *testing.T, host string) (port int, occupant *Service)
		wantLLProx bool
	}{
		{
			name: "plain listener",
			host: "127.0.0.105",
			occupy: func(t *testing.T, host string) (int, *Service) {
				return occupy(t, host), nil
			},
		},
		{
			name: "another llproxy",
			host: "127.0.0.106",
			occupy: func(t *testing.T, host string) (int, *Service) {
				first := startHarness(t, host, llproxytest.FreePort(t, host))
				return first.port, first.svc
			},
			wantLLProx: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, occupant := tt.occupy(t, tt.host)
			h := newHarness(t, tt.host, port)
			err := h.svc.Start(context.Background())
			if !errors.Is(err, ErrPortInUse) {
				h.svc.Stop(context.Background())
				t.Fatalf("Start = %v, want ErrPortInUse", err)
			}
			var inUse *PortInUseError
			if !errors.As(err, &inUse) || inUse.LLProxy != tt.wantLLProx {
				t.Fatalf("error %#v: LLProxy want %v", err, tt.wantLLProx)
			}
			want := fmt.Sprintf("port %d on %s is already in use", port, tt.host)
			if occupant != nil {
				want += fmt.Sprintf(" by another llproxy (instance %s, version v-test)", occupant.Instance())
			}
			if err.Error() != want {
				t.Errorf("error = %q\nwant    %q", err, want)
			}
			if inUse.BaseURL != fmt.Sprintf("http://%s:%d/v1", tt.host, port) {
				t.Errorf("BaseURL = %q", inUse.BaseURL)
			}
			if st := h.svc.Status(); st.Running || st.PortInUse == nil || st.PortInUse.Port != port {
				t.Errorf("status: running %v, portInUse %+v", st.Running, st.PortInUse)
			}
		})
	}
}

func TestService_LiveReloadFromFileEdit(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.107", []string{"org/alpha-7b.gguf"})
	beta := llproxytest.NewBackend(t, "127.0.0.108", []string{"beta-13b"})
	oldPort := llproxytest.FreePort(t, "127.0.0.109")
	h := startHarness(t, "127.0.0.109", oldPort, endpointOf(alpha))
	h.waitModels("alpha-7b")

	newPort := llproxytest.FreePort(t, "127.0.0.109")
	mark := h.events.len()
	h.write(configJSON("127.0.0.109", newPort, endpointOf(beta, "cpu")))

	h.events.wait(t, mark, "config-applied", kindIs(EventConfigApplied))
	if _, err := healthAt(t, h.host, newPort); err != nil {
		t.Fatalf("new port not served: %v", err)
	}
	waitFor(t, "the old port to close", func() bool { return refused(h.host, oldPort) })
	changed := h.events.wait(t, mark, "models-changed", func(e Event) bool {
		return e.Kind == EventModelsChanged && slices.Contains(e.Added, "beta-13b:cpu")
	})
	if !slices.Equal(changed.Removed, []string{"alpha-7b"}) {
		t.Errorf("removed = %v, want [alpha-7b]", changed.Removed)
	}
	h.waitModels("beta-13b:cpu")
	if got, want := h.svc.BaseURL(), fmt.Sprintf("http://127.0.0.109:%d/v1", newPort); got != want {
		t.Errorf("BaseURL = %q, want %q", got, want)
	}
}

func TestService_ReloadOnRequest(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.110", []string{"alpha"})
	port := llproxytest.FreePort(t, "127.0.0.111")
	h := startHarness(t, "127.0.0.111", port)
	h.waitModels()
	// Written behind the watcher's back is fine: Reload reads the file.
	h.write(configJSON("127.0.0.111", port, endpointOf(alpha)))
	if err := h.svc.Reload(); err != nil {
		t.Fatal(err)
	}
	h.waitModels("alpha")
}

func TestService_BrokenEditKeepsRunningConfig(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantPath string
		wantMsg  string
	}{
		{"syntax error", `{"port": 1, "endpoints": [`, "", "line"},
		{"port out of range", `{"port": 1, "endpoints": [{"hostname": "127.0.0.112", "port_start": 1, "port_end": 70000}]}`,
			"endpoints[0].port_end", "70000"},
		{"unknown field", `{"port": 1, "endpoints": [], "intervall": 5}`, "intervall", ""},
	}
	alpha := llproxytest.NewBackend(t, "127.0.0.112", []string{"alpha"})
	port := llproxytest.FreePort(t, "127.0.0.113")
	h := startHarness(t, "127.0.0.113", port, endpointOf(alpha))
	good := configJSON("127.0.0.113", port, endpointOf(alpha))
	h.waitModels("alpha")

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mark := h.events.len()
			h.write([]byte(tt.text))
			e := h.events.wait(t, mark, "config-error", kindIs(EventConfigError))
			i := slices.IndexFunc(e.Problems, func(p config.Problem) bool { return p.Path == tt.wantPath })
			if i < 0 || !strings.Contains(e.Problems[i].Message, tt.wantMsg) {
				t.Errorf("problems = %+v, want one at %q mentioning %q", e.Problems, tt.wantPath, tt.wantMsg)
			}
			st := h.svc.Status()
			if st.Error == "" || !st.Running || !slices.Equal(h.modelNames(), []string{"alpha"}) {
				t.Errorf("status: error %q running %v models %v", st.Error, st.Running, h.modelNames())
			}
			if hl, err := healthAt(t, h.host, port); err != nil || hl.Models != 1 {
				t.Errorf("old config no longer served: %+v %v", hl, err)
			}
			if !slices.ContainsFunc(h.svc.Logs(), func(l LogEntry) bool {
				return l.Level == "ERROR" && strings.Contains(l.Message, "config not applied")
			}) {
				t.Error("no error-level log entry")
			}

			h.write(good)
			waitFor(t, "the error to clear", func() bool { return h.svc.Status().Error == "" })
		})
	}
}

func TestService_ApplyToTakenPortKeepsOldListener(t *testing.T) {
	port := llproxytest.FreePort(t, "127.0.0.114")
	h := startHarness(t, "127.0.0.114", port)
	taken := occupy(t, "127.0.0.114")

	text := string(configJSON("127.0.0.114", taken))
	err := h.svc.SaveConfigText(text)
	if !errors.Is(err, ErrPortInUse) {
		t.Fatalf("SaveConfigText = %v, want ErrPortInUse", err)
	}
	if _, err := healthAt(t, h.host, port); err != nil {
		t.Errorf("old listener gone: %v", err)
	}
	if st := h.svc.Status(); st.PortInUse == nil || st.PortInUse.Port != taken || st.ListenAddr != net.JoinHostPort(h.host, strconv.Itoa(port)) {
		t.Errorf("status = %+v", st)
	}
	if got, _ := h.svc.ConfigText(); got != text {
		t.Errorf("file = %q, want the saved text", got)
	}
}

func TestService_ValidateConfigText(t *testing.T) {
	h := newHarness(t, "127.0.0.115", 1)
	tests := []struct {
		name      string
		text      string
		wantPaths []string
	}{
		{"valid", `{"port": 3333, "endpoints": [{"hostname": "127.0.0.1", "port_start": 8080, "port_end": 8090, "tags": ["gpu"]}]}`, nil},
		{"range reversed and bad port", `{"port": 3333, "endpoints": [{"hostname": "h", "port_start": 9, "port_end": 8}, {"hostname": "h", "port_start": 1, "port_end": 70000}]}`,
			[]string{"endpoints[0]", "endpoints[1].port_end"}},
		{"syntax", `{"port": `, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for _, p := range h.svc.ValidateConfigText(tt.text) {
				if p.Message == "" {
					t.Errorf("problem at %q has no message", p.Path)
				}
				paths = append(paths, p.Path)
			}
			for _, want := range tt.wantPaths {
				if !slices.ContainsFunc(paths, func(p string) bool { return p == want || strings.HasPrefix(p, want+".") }) {
					t.Errorf("paths %q lack %q", paths, want)
				}
			}
			if tt.wantPaths == nil && paths != nil {
				t.Errorf("valid text got problems %q", paths)
			}
		})
	}
}

func TestService_SaveConfigText(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.116", []string{"alpha"})
	port := llproxytest.FreePort(t, "127.0.0.117")
	h := startHarness(t, "127.0.0.117", port, endpointOf(alpha, "gpu"))
	h.waitModels("alpha:gpu")
	before, err := h.svc.ConfigText()
	if err != nil {
		t.Fatal(err)
	}

	// Invalid: refused with every problem, file untouched.
	err = h.svc.SaveConfigText(`{"port": 0, "endpoints": [{"hostname": "", "port_start": 1, "port_end": 2}]}`)
	if !errors.Is(err, ErrConfig) || len(ConfigProblems(err)) < 2 {
		t.Errorf("invalid save = %v, want ErrConfig with every problem", err)
	}
	if after, _ := h.svc.ConfigText(); after != before {
		t.Error("an invalid save changed the file")
	}

	// Valid: written as given and applied.
	mark := h.events.len()
	text := string(configJSON("127.0.0.117", port, endpointOf(alpha, "cpu"))) + "\n"
	if err := h.svc.SaveConfigText(text); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.svc.ConfigText(); got != text {
		t.Errorf("file = %q, want %q", got, text)
	}
	h.events.wait(t, mark, "config-applied", kindIs(EventConfigApplied))
	h.waitModels("alpha:cpu")

	// The proxy takes the new config too: keys now guard /v1.
	var keyed map[string]any
	json.Unmarshal(configJSON("127.0.0.117", port, endpointOf(alpha, "cpu")), &keyed)
	keyed["api_keys"] = []string{"client-key-1"}
	data, _ := json.Marshal(keyed)
	if err := h.svc.SaveConfigText(string(data)); err != nil {
		t.Fatal(err)
	}
	if code, _ := getBody(t, h.svc.BaseURL()+"/models"); code != http.StatusUnauthorized {
		t.Errorf("GET /v1/models without a key = %d, want 401", code)
	}
	req, _ := http.NewRequest(http.MethodGet, h.svc.BaseURL()+"/models", nil)
	req.Header.Set("Authorization", "Bearer client-key-1")
	resp, err := noKeepAlive.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /v1/models with the key = %d, want 200", resp.StatusCode)
	}
}

func TestService_SaveConfigTextWhenStopped(t *testing.T) {
	h := newHarness(t, "127.0.0.118", 1)
	text := string(configJSON("127.0.0.118", llproxytest.FreePort(t, "127.0.0.118")))
	if err := h.svc.SaveConfigText(text); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.svc.ConfigText(); got != text {
		t.Errorf("file = %q", got)
	}
	h.start() // uses the saved file
	if !strings.Contains(h.svc.BaseURL(), "127.0.0.118") {
		t.Errorf("BaseURL = %q", h.svc.BaseURL())
	}
}

func TestService_LogsRingAndSecrets(t *testing.T) {
	const secret = "sk-backend-secret-4242"
	alpha := llproxytest.NewBackend(t, "127.0.0.119", []string{"alpha"})
	port := llproxytest.FreePort(t, "127.0.0.120")
	ep := endpointOf(alpha)
	ep["apikey"] = secret
	h := newHarnessWith(t, func(o *Options) { o.LogBuffer = 4 }, "127.0.0.120", port, ep)
	h.start()
	h.waitModels("alpha")
	for range 3 {
		h.rescan()
	}

	logs := h.svc.Logs()
	if len(logs) != 4 {
		t.Errorf("ring holds %d entries, want 4", len(logs))
	}
	if !slices.ContainsFunc(logs, func(l LogEntry) bool { return l.Message == "discovery run" }) {
		t.Errorf("no discovery run in %+v", logs)
	}
	for _, l := range logs {
		if strings.Contains(fmt.Sprint(l), secret) {
			t.Errorf("secret in ring entry %+v", l)
		}
	}
	if strings.Contains(h.out.String(), secret) {
		t.Error("secret reached the real logger")
	}
}

func TestService_Subscribe(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.121", []string{"alpha"})
	port := llproxytest.FreePort(t, "127.0.0.122")
	h := newHarness(t, "127.0.0.122", port, endpointOf(alpha))
	var cancelled atomic.Int64
	cancel := h.svc.Subscribe(func(Event) { cancelled.Add(1) })
	cancel()
	cancel() // twice is fine

	h.start()
	h.events.wait(t, 0, "status-changed", kindIs(EventStatusChanged))
	e := h.events.wait(t, 0, "models-changed", kindIs(EventModelsChanged))
	if !slices.Equal(e.Added, []string{"alpha"}) || len(e.Removed) != 0 {
		t.Errorf("models-changed = %+v", e)
	}
	// Events reach subscribers synchronously in one loop: the live
	// subscriber having them means the cancelled one was skipped.
	if n := cancelled.Load(); n != 0 {
		t.Errorf("cancelled subscriber got %d events", n)
	}
	// A run that changes nothing sends status-changed only.
	mark := h.events.len()
	h.svc.Rescan()
	h.events.wait(t, mark, "status-changed", kindIs(EventStatusChanged))
	for _, e := range h.events.all()[mark:] {
		if e.Kind == EventModelsChanged {
			t.Errorf("models-changed without a change: %+v", e)
		}
	}
}

func TestService_NeverProbesItself(t *testing.T) {
	host := "127.0.0.123"
	port := llproxytest.FreePort(t, host)
	if port >= 65535 {
		t.Skip("no room around the port")
	}
	// Scan the service's own port and its neighbours on its own address.
	h := newHarness(t, host, port, map[string]any{"hostname": host, "port_start": port - 1, "port_end": port + 1})
	var probed atomic.Int64
	h.svc.wrap = func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/models") {
				probed.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	}
	h.start()
	for range 2 {
		h.rescan()
	}
	if n := probed.Load(); n != 0 {
		t.Errorf("the service was probed %d times by its own discovery", n)
	}
	if ep := h.svc.Status().Discovery.Endpoints[0]; ep.Probed != 2 {
		t.Errorf("probed %d ports, want the 2 neighbours", ep.Probed)
	}
	// The wrapper is live: a client's request is counted.
	getBody(t, h.svc.BaseURL()+"/models")
	if probed.Load() != 1 {
		t.Error("the counting wrapper saw no request")
	}
}

func TestService_StopWaitsForOpenStreams(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.124", []string{"alpha"}, llproxytest.WithGate())
	port := llproxytest.FreePort(t, "127.0.0.125")
	h := newHarness(t, "127.0.0.125", port, endpointOf(alpha))
	h.start()
	h.waitModels("alpha")

	resp, err := noKeepAlive.Post(h.svc.BaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"alpha","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "data: ") {
		t.Fatalf("first chunk: %q %v", lines.Text(), lines.Err())
	}

	stopped := make(chan error, 1)
	go func() { stopped <- h.svc.Stop(context.Background()) }()
	waitFor(t, "the listener to close", func() bool { return refused(h.host, port) })
	alpha.Release()
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	if !slices.Contains(rest, "data: [DONE]") {
		t.Errorf("stream cut by Stop: %q (%v)", rest, lines.Err())
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop = %v", err)
	}
}

func TestService_CreatesDefaultConfigOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fragmenteditor", "llproxy.json")
	svc, err := New(Options{ConfigPath: path, CreateDefault: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	// Not Start: the default binds port 3333 and scans this machine's
	// usual LLM ports, which a test must not touch.
	if err := svc.ensureConfig(); err != nil {
		t.Fatal(err)
	}
	text, err := svc.ConfigText()
	if err != nil || text != string(config.Default()) {
		t.Fatalf("created file = %q, %v; want the embedded default", text, err)
	}
	if problems := svc.ValidateConfigText(text); problems != nil {
		t.Errorf("default config invalid: %v", problems)
	}
	if err := svc.SaveConfigText(string(configJSON("127.0.0.126", 4000))); err != nil {
		t.Fatal(err)
	}
	if err := svc.ensureConfig(); err != nil {
		t.Fatal(err)
	}
	if text, _ := svc.ConfigText(); !strings.Contains(text, "127.0.0.126") {
		t.Error("an existing config was overwritten by the default")
	}
}
