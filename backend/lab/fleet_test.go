package lab_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fragmenteditor/backend/lab"
)

// The fleet every lab test and benchmark shares: three hosts with sshd and
// fake LLM servers, built once per test binary (seconds) and removed by
// TestMain.
//
//	h1 198.18.0.11  alpha  on .11:8001   LLAMA_PORT=8001
//	                loop   on 127.0.0.1:8002 (loopback only) LLAMA_PORT=8002
//	                shared on .11:8003   LLAMA_PORT=8003
//	h2 198.18.0.12  shared on .12:8003   LLAMA_PORT=8003
//	                beta   on 127.0.0.1:8004 (loopback only, no variable)
//	h3 198.18.0.13  gamma  on .13:8005   LLAMA_PORT=8005
var fleet struct {
	once    sync.Once
	err     error
	dir     string
	lab     *lab.Lab
	llproxy string
	fakellm string
}

var proxyPort atomic.Int32

func TestMain(m *testing.M) {
	proxyPort.Store(4000)
	code := m.Run()
	if fleet.lab != nil {
		if err := fleet.lab.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "lab close:", err)
			code = 1
		}
	}
	if fleet.dir != "" {
		os.RemoveAll(fleet.dir)
	}
	os.Exit(code)
}

// theLab returns the shared fleet, building it on first use. Without the
// rights to build it the test fails, saying what is needed.
func theLab(t testing.TB) *lab.Lab {
	t.Helper()
	fleet.once.Do(func() { fleet.err = buildFleet() })
	if fleet.err != nil {
		t.Fatalf("lab: %v", fleet.err)
	}
	return fleet.lab
}

func buildFleet() error {
	if err := lab.Check(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "felab")
	if err != nil {
		return err
	}
	fleet.dir = dir
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	for _, b := range []struct {
		out *string
		pkg string
	}{{&fleet.llproxy, "fragmenteditor/backend/cmd/llproxy"}, {&fleet.fakellm, "fragmenteditor/backend/lab/fakellm"}} {
		*b.out = filepath.Join(dir, filepath.Base(b.pkg))
		cmd := exec.Command("go", "build", "-o", *b.out, b.pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b.pkg, err, out)
		}
	}
	started := time.Now()
	l, err := lab.Start(dir, 3)
	if err != nil {
		return err
	}
	fleet.lab = l
	for _, h := range l.Hosts {
		if err := h.StartSSHD(); err != nil {
			return err
		}
	}
	h1, h2, h3 := l.Hosts[0], l.Hosts[1], l.Hosts[2]
	servers := []struct {
		host   *lab.Node
		listen string
		env    string
		model  string
	}{
		{h1, h1.Addr + ":8001", "LLAMA_PORT=8001", "/models/alpha.gguf"},
		{h1, "127.0.0.1:8002", "LLAMA_PORT=8002", "loop"},
		{h1, h1.Addr + ":8003", "LLAMA_PORT=8003", "shared"},
		{h2, h2.Addr + ":8003", "LLAMA_PORT=8003", "shared"},
		{h2, "127.0.0.1:8004", "", "beta"},
		{h3, h3.Addr + ":8005", "LLAMA_PORT=8005", "gamma"},
	}
	for _, s := range servers {
		var env []string
		if s.env != "" {
			env = []string{s.env}
		}
		if _, err := s.host.Start(env, fleet.fakellm, "-listen", s.listen, "-host", s.host.Name, "-model", s.model); err != nil {
			return err
		}
	}
	for _, s := range servers {
		if err := s.host.WaitListening(s.listen, 10*time.Second); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "lab: 3 hosts, 3 sshd, %d LLM servers up in %v\n", len(servers), time.Since(started).Round(time.Millisecond))
	return nil
}

// proxyProc is one llproxy running in the lab's proxy namespace.
type proxyProc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT inside the proxy namespace
	http *http.Client
}

// labSettings are the config fields every lab proxy uses: quick runs and
// timeouts, so that failures show within seconds.
const labSettings = `"interval": 1000, "connect_timeout": 1000, "probe_timeout": 1000`

// startProxy writes cfg (a JSON object's members after host and port) and
// runs llproxy with it in the proxy namespace, HOME being the lab's.
func startProxy(t testing.TB, l *lab.Lab, host string, members string) *proxyProc {
	t.Helper()
	port := int(proxyPort.Add(1))
	cfg := fmt.Sprintf(`{"host": %q, "port": %d, %s, %s}`, host, port, labSettings, members)
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, err := l.Proxy.Start([]string{"HOME=" + l.Home, "SSH_AUTH_SOCK="}, fleet.llproxy, "--config", path, "--log-level", "debug")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		if t.Failed() || os.Getenv("LAB_LOGS") != "" {
			t.Logf("llproxy output:\n%s", tail(lab.Output(cmd), 60))
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := l.Proxy.WaitListening(addr, 15*time.Second); err != nil {
		t.Fatalf("%v\n%s", err, lab.Output(cmd))
	}
	return &proxyProc{cmd: cmd, base: "http://" + addr, http: nodeClient(l.Proxy)}
}

// nodeClient is an HTTP client whose connections start inside nd.
func nodeClient(nd *lab.Node) *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: nd.DialContext, MaxIdleConnsPerHost: 64}}
}

func tail(s string, lines int) string {
	all := strings.Split(s, "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// models returns the proxy's model names.
func (p *proxyProc) models(t testing.TB) []string {
	t.Helper()
	resp, err := p.http.Get(p.base + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Data []struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range list.Data {
		names = append(names, m.ID)
	}
	slices.Sort(names)
	return names
}

// waitFor polls cond (a discovery outcome, which comes at the proxy's
// next run) until it holds.
func waitFor(t testing.TB, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(100 * time.Millisecond) // polling the proxy's state
	}
}

// waitModels waits until the model list is exactly want.
func (p *proxyProc) waitModels(t testing.TB, want ...string) {
	t.Helper()
	slices.Sort(want)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := p.models(t)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("models %q, want %q", got, want)
		}
		time.Sleep(100 * time.Millisecond) // polling the proxy's state
	}
}

// chat sends a non-streamed chat request and returns the status and the
// answer's text ("host=h1 port=8001").
func (p *proxyProc) chat(t testing.TB, model string) (int, string) {
	t.Helper()
	body := fmt.Sprintf(`{"model": %q, "messages": [{"role": "user", "content": "hi"}]}`, model)
	resp, err := p.http.Post(p.base+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("chat %s: %v", model, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Choices []struct{ Message struct{ Content string } }
	}
	if json.Unmarshal(raw, &out) != nil || len(out.Choices) == 0 {
		return resp.StatusCode, string(raw)
	}
	return resp.StatusCode, out.Choices[0].Message.Content
}

// stream is one streamed chat answer being read.
type stream struct {
	resp   *http.Response
	lines  *bufio.Scanner
	first  string // the first chunk's text: who answers
	events []string
}

func (p *proxyProc) startStream(t testing.TB, model string, chunks, delayMS int) *stream {
	t.Helper()
	body := fmt.Sprintf(`{"model": %q, "stream": true, "messages": [{"role": "user", "content": "hi"}], "lab_chunks": %d, "lab_delay_ms": %d}`,
		model, chunks, delayMS)
	resp, err := p.http.Post(p.base+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("stream %s: %d %s", model, resp.StatusCode, raw)
	}
	s := &stream{resp: resp, lines: bufio.NewScanner(resp.Body)}
	s.first = s.next()
	return s
}

// next returns the next event's data ("" at the end).
func (s *stream) next() string {
	for s.lines.Scan() {
		if data, ok := strings.CutPrefix(s.lines.Text(), "data: "); ok {
			s.events = append(s.events, data)
			var chunk struct {
				Choices []struct{ Delta struct{ Content string } }
			}
			if json.Unmarshal([]byte(data), &chunk) == nil && len(chunk.Choices) > 0 {
				return chunk.Choices[0].Delta.Content
			}
			return data
		}
	}
	return ""
}

// drain reads to the end; err is the read error, if the stream broke.
func (s *stream) drain() error {
	for s.next() != "" {
	}
	s.resp.Body.Close()
	return s.lines.Err()
}

func (s *stream) last() string {
	if len(s.events) == 0 {
		return ""
	}
	return s.events[len(s.events)-1]
}

// sshEndpoint is an SSH endpoint's JSON for host h.
func sshEndpoint(h *lab.Node, extra string) string {
	return fmt.Sprintf(`{"hostname": %q, "ssh_username": "root"%s}`, h.Addr, extra)
}
