//go:build desktop

package desktoptest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBench_TenThousandFragmentsInWebKitGTK measures the real window with
// a 10,000-fragment document: time to open it, and how fast explore keys
// are taken (50 Right presses sent 10 ms apart; the saved selection tells
// when the last one was handled, autosave's delay included). It only runs
// under `make bench` (FRAGMENTEDITOR_BENCH=1) and prints its numbers.
func TestBench_TenThousandFragmentsInWebKitGTK(t *testing.T) {
	if os.Getenv("FRAGMENTEDITOR_BENCH") == "" {
		t.Skip("a benchmark: run with FRAGMENTEDITOR_BENCH=1 (make bench)")
	}
	const id = "benchdoc000000001"
	x := startXvfb(t)
	home := t.TempDir()
	dir := filepath.Join(home, "data", "documents")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id+".json"), tenThousandFragments(id), 0o600); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	a := startEditorApp(t, x, home)
	opened := time.Since(start)

	keys := []string{"key", "--delay", "10"}
	for range 50 {
		keys = append(keys, "Right")
	}
	t0 := time.Now()
	a.x.run(t, "xdotool", keys...)
	sent := time.Since(t0)
	waitFor(t, "the 50th Right handled and saved", 30*time.Second, func() bool { return savedSelection(home, id) == 50 })
	handled := time.Since(t0)
	fmt.Printf("desktop (WebKitGTK), 10,000 fragments: start to ready %v; 50 Right keys sent in %v, last one handled and autosaved after %v\n",
		opened.Round(time.Millisecond), sent.Round(time.Millisecond), handled.Round(time.Millisecond))
}

// tenThousandFragments is a document file of 10,000 sentences in
// paragraphs of 40.
func tenThousandFragments(id string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `{"format":1,"id":%q,"name":"bench","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","fragments":[`, id)
	for i := range 10000 {
		if i > 0 {
			b.WriteString(",")
		}
		text := fmt.Sprintf(" Sentence number %d is here.", i)
		if i%40 == 39 {
			text += "\n\n"
		}
		fmt.Fprintf(&b, `{"text":%q}`, text)
	}
	b.WriteString(`],"selection":0,"draft":null}`)
	return []byte(b.String())
}

// savedSelection reads the selection of a saved document (-1 if unknown).
func savedSelection(home, id string) int {
	data, err := os.ReadFile(filepath.Join(home, "data", "documents", id+".json"))
	if err != nil {
		return -1
	}
	s := string(data)
	i := strings.LastIndex(s, `"selection":`)
	if i < 0 {
		return -1
	}
	rest := s[i+len(`"selection":`):]
	end := strings.IndexAny(rest, ",}")
	if end < 0 {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(rest[:end]))
	if err != nil {
		return -1
	}
	return n
}
