package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"fragmenteditor/backend/llproxy/llproxytest"
)

// End-to-end: the real binary, built with CGO_ENABLED=0, against fake
// backends on 127.0.0.130–127.0.0.139, driven by the official OpenAI Go
// client.

const (
	e2eVersion = "e2e-1.2.3"
	waitLimit  = 30 * time.Second // a deadline for hangs, not a speed claim
	mistralID  = "/srv/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf"
	mistral    = "mistral-7b-instruct-v0.3.Q4_K_M:gpu"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds llproxy once per test run, pure Go, with the version
// stamped the way the Makefile does it.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "llproxy-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "llproxy")
		cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+e2eVersion, "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// proc is a running llproxy.
type proc struct {
	cmd    *exec.Cmd
	stderr *llproxytest.Buffer
	done   chan struct{}
	err    error // Wait's result, once done is closed
}

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	if !slices.Contains(args, "--data") {
		args = append(args, "--data", t.TempDir()) // never the user's own documents
	}
	p := &proc{cmd: exec.Command(binary(t), args...), stderr: &llproxytest.Buffer{}, done: make(chan struct{})}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("llproxy %v stderr:\n%s", args, p.stderr.String())
		}
	})
	return p
}

// exitCode waits for the process to end and returns its exit code.
func (p *proc) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(waitLimit):
		t.Fatalf("llproxy did not exit within %v", waitLimit)
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode()
	}
	if p.err != nil {
		t.Fatalf("wait: %v", p.err)
	}
	return 0
}

func writeConfig(t *testing.T, path, host string, port int, endpoints ...map[string]any) {
	t.Helper()
	data, _ := json.MarshalIndent(map[string]any{
		"host": host, "port": port, "interval": 600000, "endpoints": endpoints,
	}, "", "  ")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

type healthDoc struct {
	Service, Instance, Version string
	Models                     int
}

// waitHealth polls /health until ok says so, or the process dies.
func waitHealth(t *testing.T, p *proc, base string, ok func(healthDoc) bool) healthDoc {
	t.Helper()
	client := &http.Client{Timeout: waitLimit}
	deadline := time.Now().Add(waitLimit)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		var h healthDoc
		if resp, err := client.Get(base + "/health"); err == nil {
			json.NewDecoder(resp.Body).Decode(&h)
			resp.Body.Close()
			if ok(h) {
				return h
			}
		}
		select {
		case <-p.done:
			t.Fatalf("llproxy exited: %v\n%s", p.err, p.stderr.String())
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			t.Fatalf("health never satisfied; last %+v", h)
		}
	}
}

func TestE2E_OpenAIClientThroughTheBinary(t *testing.T) {
	backend := llproxytest.NewBackend(t, "127.0.0.130", []string{mistralID}, llproxytest.WithGate())
	host := "127.0.0.131"
	port := llproxytest.FreePort(t, host)
	path := filepath.Join(t.TempDir(), "config.json")
	ep := map[string]any{"hostname": backend.Host, "port_start": backend.Port, "port_end": backend.Port, "tags": []string{"gpu"}}
	writeConfig(t, path, host, port, ep)

	p := startProc(t, "--config", path, "--log-level", "debug")
	root := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	h := waitHealth(t, p, root, func(h healthDoc) bool { return h.Models == 1 })
	if h.Service != "llproxy" || h.Version != e2eVersion {
		t.Errorf("/health = %+v, want llproxy %s", h, e2eVersion)
	}

	client := openai.NewClient(option.WithBaseURL(root+"/v1"), option.WithAPIKey("unused"), option.WithMaxRetries(0))

	t.Run("list models", func(t *testing.T) {
		ctx := testContext(t)
		page, err := client.Models.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range page.Data {
			ids = append(ids, m.ID)
		}
		if !slices.Equal(ids, []string{mistral}) {
			t.Errorf("models = %v, want [%s]", ids, mistral)
		}
	})

	t.Run("chat completion", func(t *testing.T) {
		ctx := testContext(t)
		resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    mistral,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := resp.Choices[0].Message.Content, strings.Join(llproxytest.Words(mistralID), ""); got != want {
			t.Errorf("content = %q, want %q", got, want)
		}
		if backend.LastModel() != mistralID {
			t.Errorf("backend got model %q, want the true id %q", backend.LastModel(), mistralID)
		}
	})

	t.Run("streamed chat completion", func(t *testing.T) {
		ctx := testContext(t)
		stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
			Model:    mistral,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hi")},
		})
		defer stream.Close()
		var parts []string
		for stream.Next() {
			c := stream.Current()
			if len(parts) == 0 {
				// The backend holds the rest until this chunk has arrived:
				// nothing on the way may buffer it.
				backend.Release()
			}
			parts = append(parts, c.Choices[0].Delta.Content)
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		checkChunks(t, parts)
	})

	t.Run("streamed legacy completion", func(t *testing.T) {
		ctx := testContext(t)
		stream := client.Completions.NewStreaming(ctx, openai.CompletionNewParams{
			Model:  openai.CompletionNewParamsModel(mistral),
			Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String("Once")},
		})
		defer stream.Close()
		var parts []string
		for stream.Next() {
			if len(parts) == 0 {
				backend.Release()
			}
			parts = append(parts, stream.Current().Choices[0].Text)
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		checkChunks(t, parts)
	})

	t.Run("second llproxy on the same port exits 1", func(t *testing.T) {
		second := startProc(t, "--config", path)
		if code := second.exitCode(t); code != exitRuntime {
			t.Errorf("exit code %d, want %d", code, exitRuntime)
		}
		want := fmt.Sprintf("port %d on %s is already in use by another llproxy (instance %s, version %s)", port, host, h.Instance, e2eVersion)
		if !strings.Contains(second.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, second.stderr.String())
		}
	})

	t.Run("SIGHUP rescans", func(t *testing.T) {
		// The interval is ten minutes: only the signal explains a new model.
		backend.SetModels(mistralID, "phi3:mini")
		if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		waitHealth(t, p, root, func(h healthDoc) bool { return h.Models == 2 })
	})

	t.Run("config edit applies live", func(t *testing.T) {
		ctx := testContext(t)
		ep["tags"] = []string{"cpu"}
		writeConfig(t, path, host, port, ep)
		waitHealth(t, p, root, func(healthDoc) bool {
			page, err := client.Models.List(ctx)
			return err == nil && len(page.Data) == 2 && strings.HasSuffix(page.Data[0].ID, ":cpu")
		})
	})

	t.Run("SIGTERM exits 0", func(t *testing.T) {
		if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if code := p.exitCode(t); code != exitOK {
			t.Errorf("exit code %d, want 0", code)
		}
		for _, want := range []string{"discovery run", "shutting down", "stopped"} {
			if !strings.Contains(p.stderr.String(), want) {
				t.Errorf("log lacks %q", want)
			}
		}
	})
}

// testContext ends when the test does or after waitLimit.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), waitLimit)
	t.Cleanup(cancel)
	return ctx
}

// checkChunks wants the words of the fake's answer, one per chunk.
func checkChunks(t *testing.T, parts []string) {
	t.Helper()
	words := llproxytest.Words(mistralID)
	if len(parts) < len(words) {
		t.Errorf("got %d chunks %q, want at least %d", len(parts), parts, len(words))
	}
	if got := strings.Join(parts, ""); got != strings.Join(words, "") {
		t.Errorf("streamed text = %q", got)
	}
}

func TestE2E_BadConfigExits2WithEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	bad := `{"port": 3333, "endpoints": [{"hostname": "127.0.0.132", "port_start": 8090, "port_end": 8080}, {"hostname": "127.0.0.132", "port_start": 1, "port_end": 70000}]}`
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startProc(t, "--config", path)
	if code := p.exitCode(t); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	for _, want := range []string{"invalid config", "endpoints[0]", "endpoints[1].port_end: 70000"} {
		if !strings.Contains(p.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, p.stderr.String())
		}
	}
}

func TestE2E_HelpAndMissingConfig(t *testing.T) {
	out, err := exec.Command(binary(t), "--help").Output()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, flag := range []string{"--config", "--data", "--log-level", "--version", "--help"} {
		if !bytes.Contains(out, []byte(flag)) {
			t.Errorf("--help lacks %s", flag)
		}
	}
	cmd := exec.Command(binary(t))
	cmd.Dir = t.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
		t.Errorf("without a config: %v, want exit %d", err, exitUsage)
	}
	if !strings.HasPrefix(stderr.String(), "no config file: ./config.json not found") || !strings.Contains(stderr.String(), "Usage:") {
		t.Errorf("stderr = %q", stderr.String())
	}
	if v, _ := exec.Command(binary(t), "--version").Output(); string(v) != "llproxy "+e2eVersion+"\n" {
		t.Errorf("--version = %q", v)
	}
}

// Issue 14: a second SIGTERM did not force the exit (the stop waited the
// whole grace for a stream that never ended), and the cut stream ended
// without an error event. Now the second signal stops at once (exit 1)
// and the stream ends with a "shutting_down" event.
func TestE2E_SecondSignalForcesTheStop(t *testing.T) {
	backend := llproxytest.NewBackend(t, "127.0.0.136", []string{"alpha"}, llproxytest.WithGate())
	host := "127.0.0.137"
	port := llproxytest.FreePort(t, host)
	cfgPath := filepath.Join(t.TempDir(), "config.json")
	writeConfig(t, cfgPath, host, port, map[string]any{"hostname": backend.Host, "port_start": backend.Port, "port_end": backend.Port})
	p := startProc(t, "--config", cfgPath)
	root := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	waitHealth(t, p, root, func(h healthDoc) bool { return h.Models == 1 })

	resp, err := http.Post(root+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"alpha","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "data: ") {
		t.Fatalf("first chunk: %q %v", lines.Text(), lines.Err())
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitLimit)
	for !strings.Contains(p.stderr.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatal("no shutdown after the first SIGTERM")
		}
		time.Sleep(5 * time.Millisecond) // polling the log for a condition
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	if code := p.exitCode(t); code != exitRuntime {
		t.Errorf("exit code %d after a second signal, want %d", code, exitRuntime)
	}
	if !strings.Contains(strings.Join(rest, "\n"), `"code":"shutting_down"`) {
		t.Errorf("the stream ends %q; want a shutting_down error event", rest)
	}
	if !strings.Contains(p.stderr.String(), "second signal") {
		t.Errorf("the forced stop was not logged:\n%s", p.stderr.String())
	}
	backend.Release()
}
