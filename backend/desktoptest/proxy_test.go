//go:build desktop

package desktoptest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestProxy_AppServesDiscoveredModels: the desktop app's own LLProxy finds
// a server on loopback and serves it to an outside client, streaming.
func TestProxy_AppServesDiscoveredModels(t *testing.T) {
	const ip = "127.0.0.201"
	fake := startFakeLLM(t, ip, "Once upon a time.")
	x := startXvfb(t)
	home := t.TempDir()
	port := freePort(t)
	writeProxyConfig(t, home, proxyConfig(port, fake, ip))
	a := startApp(t, x, home)
	a.waitWindow("FragmentEditor", 60*time.Second)

	base := fmt.Sprintf("http://127.0.0.1:%d/v1", port)
	waitFor(t, "the model in the app's /v1/models", 30*time.Second, func() bool {
		resp, err := http.Get(base + "/models")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var list struct {
			Data []struct{ ID string } `json:"data"`
		}
		json.NewDecoder(resp.Body).Decode(&list)
		return len(list.Data) == 1 && list.Data[0].ID == "fake-writer-7b.Q4_K_M"
	})

	body := `{"model":"fake-writer-7b.Q4_K_M","stream":true,"messages":[{"role":"user","content":"Tell me a story"}]}`
	resp, err := http.Post(base+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var text strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok || line == "[DONE]" {
			continue
		}
		var chunk struct {
			Choices []struct {
				Delta struct{ Content string } `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(line), &chunk); err != nil {
			t.Fatalf("chunk %q: %v", line, err)
		}
		text.WriteString(chunk.Choices[0].Delta.Content)
	}
	if text.String() != "Once upon a time." {
		t.Fatalf("streamed %q", text.String())
	}
	seen := fake.seen()
	if len(seen) != 1 || seen[0]["model"] != "/models/fake-writer-7b.Q4_K_M.gguf" {
		t.Fatalf("backend saw %v; want the true model id", seen)
	}
}
