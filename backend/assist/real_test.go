//go:build realllm

package assist

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"fragmenteditor/backend/registry"
)

// TestReal_Ollama runs the token flow against a real Ollama v0.17 server
// with the tiny random-weight model (../shared/realllm; make test-real
// runs its setup.sh first): a chat suggestion carries token probabilities
// that spell its text; regenerating from a changed token sends the prefix
// as the assistant message, and the answer continues exactly that prefix.
// Text mode gets none (Ollama ignores logprobs on /v1/completions).
func TestReal_Ollama(t *testing.T) {
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
	t.Cleanup(func() {
		stop := exec.Command(dir+"/stop.sh", pid)
		stop.Stderr = os.Stderr
		if err := stop.Run(); err != nil {
			t.Errorf("stop.sh %s: %v", pid, err)
		}
	})

	ev := newEvents()
	list := []registry.Model{{Name: "tiny:latest", ID: "tiny:latest",
		Raw: json.RawMessage(`{"id":"tiny:latest","object":"model","owned_by":"library"}`)}}
	svc, err := New(Options{BaseURL: "http://127.0.0.1:11434/v1", SettingsDir: t.TempDir(),
		Models: func() []registry.Model { return list }, Emit: ev.emit, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	s := svc.Models()[0].Settings
	s.Active, s.Suggestions, s.MaxTokens, s.Temperature = true, 1, 24, 0
	s.StopAtSentence = false // the model writes random letters; a cap ends it
	if err := svc.SetModelSettings("tiny:latest", s); err != nil {
		t.Fatal(err)
	}
	if got := svc.Models()[0].Server; got != ServerOllama {
		t.Fatalf("server kind %q", got)
	}

	doc := []string{"It was late. ", "The rain had stopped."}
	id, err := svc.Suggest(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 1})
	if err != nil {
		t.Fatal(err)
	}
	u := final(ev.until(t, id))[0]
	if u.Error != "" || u.Text == "" {
		t.Fatalf("suggestion = %+v", u)
	}
	joined := ""
	for _, tok := range u.Tokens {
		joined += tok.Text
		if tok.P < 0 || tok.P > 1 || len(tok.Top) == 0 {
			t.Errorf("token %+v", tok)
		}
	}
	if len(u.Tokens) == 0 || joined != u.Text {
		t.Fatalf("%d tokens spell %q, text %q", len(u.Tokens), joined, u.Text)
	}
	t.Logf("suggestion %q: %d tokens, first %+v", u.Text, len(u.Tokens), u.Tokens[0])

	// Token mode's Enter: the second token becomes its least likely candidate.
	var prefix string
	if len(u.Tokens) > 1 {
		prefix = u.Tokens[0].Text
		top := u.Tokens[1].Top
		prefix += top[len(top)-1].Text
	} else {
		prefix = u.Tokens[0].Top[len(u.Tokens[0].Top)-1].Text
	}
	prefix = strings.TrimLeft(prefix, " ") // the fragment starts after the space-joined text
	if prefix == "" {
		prefix = "x"
	}
	frags := append(doc[:2:2], u.Text)
	rid, err := svc.Regenerate(ContinueRequest{Fragments: frags, Index: 2, Prefix: prefix, Model: "tiny:latest"})
	if err != nil {
		t.Fatal(err)
	}
	r := final(ev.until(t, rid))[0]
	if r.Error != "" || !strings.HasPrefix(r.Text, prefix) {
		t.Fatalf("regenerated = %+v, want a text starting with %q", r, prefix)
	}
	joined = prefix
	for _, tok := range r.Tokens {
		joined += tok.Text
	}
	if len(r.Text) > len(prefix) && joined != r.Text {
		t.Errorf("continuation tokens spell %q, text %q", joined, r.Text)
	}
	t.Logf("regenerated from %q: %q", prefix, r.Text)

	// Text mode: Ollama sends no probabilities on /v1/completions.
	s.Mode, s.Template = ModeText, TemplateRaw
	if err := svc.SetModelSettings("tiny:latest", s); err != nil {
		t.Fatal(err)
	}
	id, err = svc.Suggest(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 1})
	if err != nil {
		t.Fatal(err)
	}
	if u := final(ev.until(t, id))[0]; u.Error != "" || u.Text == "" || u.Tokens != nil {
		t.Errorf("text-mode suggestion = %+v (Ollama v0.17 sends no logprobs there)", u)
	}
}
