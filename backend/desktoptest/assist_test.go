//go:build desktop

package desktoptest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"
)

// TestAssist_TabSuggestsAndADigitInserts: with a fake OpenAI-compatible
// server on loopback, Tab asks the first discovered model (no set-up
// needed), the server gets the requests through the app's proxy, and `1`
// inserts the first suggestion, which is saved with its provenance.
func TestAssist_TabSuggestsAndADigitInserts(t *testing.T) {
	const ip = "127.0.0.202"
	fake := startFakeLLM(t, ip, "The", " cat", " sat", " down.", " Then", " it slept.")
	x := startXvfb(t)
	home := t.TempDir()
	port := freePort(t)
	writeProxyConfig(t, home, proxyConfig(port, fake, ip))
	a := startApp(t, x, home)
	a.ready()
	waitFor(t, "the model discovered", 30*time.Second, func() bool {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/v1/models", port))
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var list struct{ Data []json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&list)
		return len(list.Data) == 1
	})

	a.keys("i")
	a.typeText("Once upon a time.")
	a.keys("Return", "Tab")
	waitFor(t, "the suggestion requests answered", 30*time.Second, func() bool {
		return len(fake.seen()) >= 1 && fake.ended() == len(fake.seen())
	})
	seen := fake.seen()
	if seen[0]["model"] != "/models/fake-writer-7b.Q4_K_M.gguf" || seen[0]["stream"] != true {
		t.Fatalf("the backend got %v; want a streamed request for the true model id", seen[0])
	}
	time.Sleep(time.Second) // the last batch reaches the page
	a.screenshot("suggestions.png")
	a.keys("1")

	want := []string{"Once upon a time.", " The cat sat down."}
	doc := waitDocument(t, home, "the inserted suggestion", func(d savedDoc) bool {
		return reflect.DeepEqual(d.texts(), want)
	})
	if got := doc.Fragments[1].Source; got != "model:fake-writer-7b.Q4_K_M" {
		t.Fatalf("inserted fragment's source is %q, want the model", got)
	}
}
