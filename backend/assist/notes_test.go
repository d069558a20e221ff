package assist

import (
	"errors"
	"strings"
	"testing"
)

func TestBuildPrompt_NotesPlacement(t *testing.T) {
	doc := []string{"One. ", "Two. ", "Three. ", "Four. ", "Five."}
	tests := []struct {
		name      string
		notes     *Notes
		selection int
		want      string
	}{
		{"memory leads, note 3 fragments before the selection", &Notes{Memory: "Memory.", AuthorsNote: "[Note]", Depth: 3}, 5,
			"Memory.\n\nOne. Two. \n[Note]\nThree. Four. Five."},
		{"depth counts from the selection, not the end", &Notes{AuthorsNote: "[Note]", Depth: 1}, 2,
			"One. Two. \n[Note]\nThree. "},
		{"depth beyond the start: the note opens the story", &Notes{Memory: " M ", AuthorsNote: "[Note]", Depth: 9}, 1,
			"M\n\n[Note]\nOne. Two. "},
		{"depth 0: the note ends the prompt", &Notes{AuthorsNote: "[Note]", Depth: 0}, 1, "One. Two. \n[Note]\n"},
		{"after a newline no extra one", &Notes{AuthorsNote: "N", Depth: 1}, 5, "One. Two. Three. Four. \nN\nFive."},
		{"blank notes are none", &Notes{Memory: "  ", AuthorsNote: "\n", Depth: 3}, 5, "One. Two. Three. Four. Five."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := textSettings(TemplateRaw)
			d := doc
			if tt.name == "after a newline no extra one" {
				d = []string{"One. ", "Two. ", "Three. ", "Four. \n", "Five."}
				tt.want = "One. Two. Three. Four. \nN\nFive."
			}
			p, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: d, Selection: tt.selection, Notes: tt.notes}, s, 4096)
			if err != nil {
				t.Fatal(err)
			}
			if p.Text != tt.want {
				t.Errorf("prompt %q\nwant   %q", p.Text, tt.want)
			}
		})
	}
}

func TestBuildPrompt_NotesCountedFirstStoryTrimmed(t *testing.T) {
	var doc []string
	for range 200 {
		doc = append(doc, "The rain kept falling on the town. ")
	}
	memory := strings.Repeat("Mara is a detective. ", 20)
	notes := &Notes{Memory: memory, AuthorsNote: "[Style: terse]", Depth: 3}
	s := textSettings(TemplateRaw)
	s.MaxTokens = 60
	p, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: len(doc), Notes: notes}, s, 1024)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Text, strings.TrimSpace(memory)+"\n\n") || !strings.Contains(p.Text, "\n[Style: terse]\n") {
		t.Errorf("notes cut: %q", p.Text[:200])
	}
	if p.TrimmedFragments == 0 || p.TrimmedBytes != p.TrimmedFragments*len(doc[0]) {
		t.Errorf("trimmed %d fragments, %d bytes", p.TrimmedFragments, p.TrimmedBytes)
	}
	if est := estimateTokens(p.Text); est > 1024-60 {
		t.Errorf("prompt of about %d tokens overflows the context", est)
	}
	// Without notes more story fits.
	bare, _ := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: len(doc)}, s, 1024)
	if bare.TrimmedFragments >= p.TrimmedFragments {
		t.Errorf("notes did not take room: trimmed %d with, %d without", p.TrimmedFragments, bare.TrimmedFragments)
	}
	// A model that ignores notes gets the story only.
	s.IgnoreNotes = true
	ignored, _ := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: len(doc), Notes: notes}, s, 1024)
	if ignored.Text != bare.Text {
		t.Errorf("ignore_notes still sends notes")
	}
}

func TestBuildPrompt_NotesTooLong(t *testing.T) {
	notes := &Notes{Memory: strings.Repeat("word ", 1000)}
	s := chatSettings()
	_, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 1, Notes: notes}, s, 1024)
	if !errors.Is(err, ErrNotesTooLong) || !strings.Contains(err.Error(), "1024") || !strings.Contains(err.Error(), "shorten") {
		t.Errorf("err = %v", err)
	}
	// Rewrites do not use the notes.
	if _, err := BuildPrompt(SuggestRequest{Kind: KindRewrite, Fragments: []string{"A."}, Target: 0, Notes: notes}, s, 1024); err != nil {
		t.Errorf("rewrite: %v", err)
	}
}

func TestSuggest_NotesTooLongFailsThatModelOnly(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: []string{" Yes."}} },
		func(i int, s *ModelSettings) {
			s.Suggestions = 2
			s.IgnoreNotes = i == 1
		}, "small", "wide")
	fx.list[0].Raw = []byte(`{"id":"small","max_model_len":300}`)
	notes := &Notes{AuthorsNote: strings.Repeat("long ", 300)}
	id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"A."}, Selection: 1, Notes: notes})
	batches := fx.events.until(t, id)
	got := final(batches)
	if len(got) != 3 || !strings.Contains(got[0].Error, "small") || !strings.Contains(got[0].Error, "notes") || got[1].Text != " Yes." {
		t.Errorf("updates = %+v", got)
	}
	if st := lastStatus(batches); st["small"].State != StateError || st["wide"].State != StateIdle {
		t.Errorf("status = %+v", st)
	}
	for _, req := range fx.fake.seen() {
		if req.model() == "small" || strings.Contains(toJSON(req.Body), "long long") {
			t.Errorf("request sent: %s", toJSON(req.Body))
		}
	}
}

func TestPreview_ExactPromptAndTrimmedPart(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{} },
		func(i int, s *ModelSettings) {
			if i == 1 {
				s.Mode, s.Template = ModeText, TemplateChatML
			}
		}, "a", "b")
	fx.list[0].Raw = []byte(`{"id":"a","max_model_len":300}`)
	var doc []string
	for i := range 60 {
		doc = append(doc, strings.Repeat("x", 10)+string(rune('A'+i%26))+". ")
	}
	req := SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 59, Notes: &Notes{Memory: "MEM", AuthorsNote: "NOTE", Depth: 2}}
	got, err := fx.svc.Preview(req)
	if err != nil || len(got) != 2 {
		t.Fatalf("Preview = %+v, %v", got, err)
	}
	a, b := got[0], got[1]
	want, _ := BuildPrompt(req, fx.svc.Models()[0].Settings, 300)
	if a.Endpoint != "/v1/chat/completions" || a.User != want.User || a.System != want.System || !strings.HasPrefix(a.User, "MEM\n\n") {
		t.Errorf("a = %+v", a)
	}
	if a.TrimmedFragments == 0 || !strings.HasSuffix(a.Trimmed, strings.Join(doc[:a.TrimmedFragments], "")[a.TrimmedBytes-20:]) {
		t.Errorf("a trimmed %d fragments, text %q", a.TrimmedFragments, a.Trimmed)
	}
	if b.Endpoint != "/v1/completions" || !strings.Contains(b.Text, "<|im_start|>user\nMEM\n\n") || b.TrimmedBytes != 0 || len(b.Stop) == 0 {
		t.Errorf("b = %+v", b)
	}
	if len(fx.fake.seen()) != 0 {
		t.Errorf("Preview sent requests")
	}
}
