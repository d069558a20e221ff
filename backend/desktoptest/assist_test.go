//go:build desktop

package desktoptest

import (
	"reflect"
	"slices"
	"testing"
	"time"
)

// TestAssist_TabSuggestsAndADigitInserts: with a fake OpenAI-compatible
// server on loopback, Tab asks the first discovered model (no set-up
// needed), the server gets the requests through the app's proxy, and `1`
// inserts the first suggestion, which is saved with its provenance.
func TestAssist_TabSuggestsAndADigitInserts(t *testing.T) {
	fake, _, home, a := startAppWithFakeLLM(t, "127.0.0.202", storyReplies...)

	a.keys("i")
	a.typeText("It was a dark and stormy night.")
	a.keys("Return", "i")
	a.typeText(" The lighthouse keeper had not slept in days.")
	a.keys("Return", "Tab")
	waitFor(t, "the suggestion requests answered", 30*time.Second, func() bool {
		return len(fake.seen()) >= 1 && fake.ended() == len(fake.seen())
	})
	seen := fake.seen()
	if seen[0]["model"] != "/models/fake-writer-7b.Q4_K_M.gguf" || seen[0]["stream"] != true {
		t.Fatalf("the backend got %v; want a streamed request for the true model id", seen[0])
	}
	shown := a.waitProbe("suggestions", 0, 20*time.Second, nil)
	slices.Sort(shown.Texts)
	want := []string{
		" Nobody in the village had seen the light go out before.",
		" Somewhere below, a bell began to ring.",
		" The keeper climbed the stairs one last time.",
	}
	if !slices.Equal(shown.Texts, want) {
		t.Fatalf("the grid shows %q, want the three suggestions %q", shown.Texts, want)
	}
	a.screenshot("suggestions.png")
	a.keys("1")

	suggestions := map[string]bool{
		" The keeper climbed the stairs one last time.":            true,
		" Somewhere below, a bell began to ring.":                  true,
		" Nobody in the village had seen the light go out before.": true,
	}
	doc := waitDocument(t, home, "the inserted suggestion", func(d savedDoc) bool {
		return len(d.Fragments) == 3 && suggestions[d.Fragments[2].Text]
	})
	if got := doc.texts()[:2]; !reflect.DeepEqual(got, []string{"It was a dark and stormy night.", " The lighthouse keeper had not slept in days."}) {
		t.Fatalf("typed fragments %q changed", got)
	}
	if got := doc.Fragments[2].Source; got != "model:fake-writer-7b.Q4_K_M" {
		t.Fatalf("inserted fragment's source is %q, want the model", got)
	}
}
