//go:build desktop

package desktoptest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// tokenDoc is the part of a document file the token test reads.
type tokenDoc struct {
	Fragments []struct {
		Text         string   `json:"text"`
		Source       string   `json:"source"`
		Alternatives []string `json:"alternatives"`
		Tokens       *struct {
			Len []int `json:"len"`
			P   []int `json:"p"`
		} `json:"tokens"`
	} `json:"fragments"`
}

func readTokenDoc(t *testing.T, home string) (tokenDoc, bool) {
	paths, _ := filepath.Glob(filepath.Join(home, "data", "documents", "*.json"))
	for _, p := range paths {
		if filepath.Base(p) == "state.json" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var d tokenDoc
		if json.Unmarshal(data, &d) == nil {
			return d, true
		}
	}
	return tokenDoc{}, false
}

// tokenTexts splits a fragment's text by its stored token lengths (code points).
func tokenTexts(text string, lens []int) []string {
	runes := []rune(text)
	var out []string
	at := 0
	for _, n := range lens {
		if at+n > len(runes) {
			return nil
		}
		out = append(out, string(runes[at:at+n]))
		at += n
	}
	return out
}

// restartKeepsProbabilities kills a (kill -9), starts the app again on home
// and shows the heatmap (screenshot shot): it covers fragment 1's tokens,
// and the document on disk still holds the probabilities it had in d. It
// returns the restarted app.
func restartKeepsProbabilities(t *testing.T, a *app, x *xvfb, home string, d tokenDoc, shot string) *app {
	t.Helper()
	probs := d.Fragments[1].Tokens.P
	a.kill()
	b := startApp(t, x, home)
	b.ready()
	b.keys("p")
	b.waitProbe("heatmap", 0, 20*time.Second, func(s probeState) bool { return s.Tokens == len(d.Fragments[1].Tokens.Len) })
	b.screenshot(shot)
	after, ok := readTokenDoc(t, home)
	if !ok || after.Fragments[1].Tokens == nil || !slices.Equal(after.Fragments[1].Tokens.P, probs) {
		t.Fatalf("after kill -9 and restart the probabilities are gone: %+v", after.Fragments)
	}
	return b
}

// TestTokens_HeatmapTokenModeAndRegeneration is issue 12's desktop flow:
// Tab, Ctrl+1 inserts a suggestion with its token probabilities; p shows
// the heatmap (screenshot); t, →, ↓, Enter regenerates from the second
// token's other candidate: the fake server gets a continuation whose
// assistant message ends with that token, and the saved document holds
// the new text with the old one among its alternatives; after kill -9 and
// a restart the probabilities are still in the document and the heatmap
// shows again.
func TestTokens_HeatmapTokenModeAndRegeneration(t *testing.T) {
	fake, x, home, a := startAppWithFakeLLM(t, "127.0.0.203", storyReplies...)

	a.keys("i")
	a.typeText("It was late.")
	a.keys("Return", "Tab")
	waitFor(t, "the suggestion requests answered", 30*time.Second, func() bool {
		return len(fake.seen()) >= 1 && fake.ended() == len(fake.seen())
	})
	if first := fake.seen()[0]; first["logprobs"] != true || first["top_logprobs"] != 5.0 {
		t.Fatalf("the suggestion request does not ask for probabilities: %v", first)
	}
	a.waitProbe("suggestions", 0, 20*time.Second, nil) // every slot shows its last batch
	a.keys("ctrl+1")
	var inserted []string
	waitFor(t, "the suggestion saved with its tokens", 20*time.Second, func() bool {
		d, ok := readTokenDoc(t, home)
		if !ok || len(d.Fragments) != 2 || d.Fragments[1].Tokens == nil {
			return false
		}
		inserted = tokenTexts(d.Fragments[1].Text, d.Fragments[1].Tokens.Len)
		return len(inserted) > 2
	})

	a.keys("p")
	a.waitProbe("heatmap", 0, 20*time.Second, func(s probeState) bool { return s.Tokens == len(inserted) })
	a.screenshot("heatmap.png")
	a.keys("p", "t", "Right", "Down")
	a.waitProbe("token-popup", 0, 20*time.Second, secondTokensNextCandidate(len(inserted)))
	a.screenshot("token-popup.png")
	before := len(fake.seen())
	a.keys("Return")

	prefix := inserted[0] + strings.ToUpper(inserted[1])
	waitFor(t, "the continuation request", 20*time.Second, func() bool { return len(fake.seen()) > before })
	req := fake.seen()[before]
	msgs, _ := req["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	if last["role"] != "assistant" || last["content"] != prefix || !strings.HasSuffix(prefix, strings.ToUpper(inserted[1])) {
		t.Fatalf("continuation request ends with %v, want the assistant's %q", last, prefix)
	}
	if user, _ := msgs[len(msgs)-2].(map[string]any); user["content"] != "It was late." {
		t.Fatalf("continuation context %v", user)
	}
	old := strings.Join(inserted, "")
	d := tokenDoc{}
	waitFor(t, "the regenerated fragment saved", 20*time.Second, func() bool {
		var ok bool
		d, ok = readTokenDoc(t, home)
		f := d.Fragments
		return ok && len(f) == 2 && strings.HasPrefix(f[1].Text, prefix) && len(f[1].Text) > len(prefix) &&
			slices.Contains(f[1].Alternatives, old) && slices.Contains(f[1].Alternatives, f[1].Text) && f[1].Tokens != nil
	})
	t.Logf("regenerated %q from %q; alternatives %q", d.Fragments[1].Text, prefix, d.Fragments[1].Alternatives)

	b := restartKeepsProbabilities(t, a, x, home, d, "heatmap-after-restart.png")
	// The reopened page has them: token mode on the same token offers the
	// original token back, and Enter sends exactly that prefix.
	before = len(fake.seen())
	b.keys("p", "t", "Right", "Down", "Return")
	waitFor(t, "the continuation request after restart", 20*time.Second, func() bool { return len(fake.seen()) > before })
	msgs, _ = fake.seen()[before]["messages"].([]any)
	last, _ = msgs[len(msgs)-1].(map[string]any)
	if want := inserted[0] + inserted[1]; last["content"] != want {
		t.Fatalf("after restart the continuation ends with %v, want %q", last["content"], want)
	}
}

// secondTokensNextCandidate matches token mode's popup on the second of n
// tokens with its next candidate chosen (t, →, ↓).
func secondTokensNextCandidate(n int) func(probeState) bool {
	return func(s probeState) bool { return s.Token == 2 && s.Of == n && s.Choice == 1 }
}
