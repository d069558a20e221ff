//go:build desktop && realllm

package desktoptest

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReal_TokenFlowAgainstOllama is the token flow of
// TestTokens_HeatmapTokenModeAndRegeneration in the real window against a
// real Ollama v0.17 server with the tiny random-weight model
// (../shared/realllm, started here; make test-real runs its setup first):
// Tab and Ctrl+1 insert a suggestion with probabilities, p shows them, t → ↓
// Enter regenerates from the second token's next candidate (chat: the
// prefix goes as the assistant message, which Ollama continues), the saved
// document holds the new text with the old one as an alternative, and
// after kill -9 and a restart the probabilities are still there.
func TestReal_TokenFlowAgainstOllama(t *testing.T) {
	dir := os.Getenv("REALLLM_SRC")
	if dir == "" {
		dir = "/work/shared/realllm"
	}
	start := exec.Command(dir + "/start.sh")
	start.Stderr = os.Stderr
	out, err := start.Output()
	if err != nil {
		t.Fatalf("start.sh: %v", err)
	}
	pid := strings.TrimSpace(string(out))
	t.Cleanup(func() { exec.Command(dir+"/stop.sh", pid).Run() })

	x := startXvfb(t)
	home := t.TempDir()
	port := freePort(t)
	writeProxyConfig(t, home, fmt.Sprintf(`{"port": %d, "interval": 1000, "endpoints": [{"hostname": "127.0.0.1", "port_start": 11434, "port_end": 11434}]}`, port))
	a := startApp(t, x, home)
	a.ready()
	waitModels(t, port, 1)

	a.keys("i")
	a.typeText("It was late.")
	a.keys("Return", "Tab")
	// Ollama answers the three requests one after the other; a suggestion
	// taken while it streams has no tokens yet.
	a.waitProbe("suggestions", 0, 60*time.Second, nil)
	a.keys("ctrl+1")
	var inserted []string
	var old string
	waitFor(t, "a suggestion inserted with its tokens", 30*time.Second, func() bool {
		d, ok := readTokenDoc(t, home)
		if !ok || len(d.Fragments) != 2 || d.Fragments[1].Tokens == nil {
			return false
		}
		old = d.Fragments[1].Text
		inserted = tokenTexts(old, d.Fragments[1].Tokens.Len)
		return len(inserted) > 2
	})
	a.keys("p")
	a.waitProbe("heatmap", 0, 20*time.Second, func(s probeState) bool { return s.Tokens == len(inserted) })
	a.screenshot("real-heatmap.png")
	a.keys("p", "t", "Right", "Down")
	a.waitProbe("token-popup", 0, 20*time.Second, secondTokensNextCandidate(len(inserted)))
	a.screenshot("real-token-popup.png")
	a.keys("Return")

	var d tokenDoc
	waitFor(t, "the regenerated fragment saved", 60*time.Second, func() bool {
		var ok bool
		d, ok = readTokenDoc(t, home)
		f := d.Fragments
		return ok && len(f) == 2 && f[1].Text != old && strings.HasPrefix(f[1].Text, inserted[0]) &&
			slices.Contains(f[1].Alternatives, old) && slices.Contains(f[1].Alternatives, f[1].Text)
	})
	t.Logf("regenerated %q (was %q)", d.Fragments[1].Text, old)
	if d.Fragments[1].Tokens == nil {
		t.Fatalf("the regenerated fragment has no probabilities: %+v", d.Fragments[1])
	}

	restartKeepsProbabilities(t, a, x, home, d, "real-heatmap-after-restart.png")
}
