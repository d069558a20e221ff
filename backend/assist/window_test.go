package assist

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// windowCase is one document and one model's settings.
type windowCase struct {
	doc     []string
	s       ModelSettings
	context int
	notes   *Notes
}

func randomWindowCase(r *rand.Rand) windowCase {
	words := []string{"the ", "harbour ", "light. ", "Étoile ", "水の ", "moved", "\n\n", "", " ", "“Yes,” she said. ", "🙂 "}
	doc := make([]string, r.IntN(30))
	for i := range doc {
		var b strings.Builder
		n := r.IntN(12)
		if r.IntN(15) == 0 {
			n = 200 + r.IntN(800) // a fragment longer than some contexts
		}
		for range n {
			b.WriteString(words[r.IntN(len(words))])
		}
		doc[i] = b.String()
	}
	s := DefaultModelSettings(0)
	switch r.IntN(3) {
	case 1:
		s.Mode, s.Template = ModeText, TemplateRaw
	case 2:
		s.Mode, s.Template = ModeText, []string{TemplateAlpaca, TemplateChatML, TemplateLlama3}[r.IntN(3)]
	}
	s.MaxTokens = 16 + r.IntN(200)
	s.StopAtSentence = r.IntN(2) == 0
	if r.IntN(2) == 0 {
		s.SystemPrompt = "Continue the story."
	}
	c := windowCase{doc: doc, s: s, context: 256 + r.IntN(900)}
	if r.IntN(3) == 0 {
		c.notes = &Notes{Memory: "A harbour town.", AuthorsNote: "Keep it quiet.", Depth: r.IntN(6)}
	}
	return c
}

// samePrompt compares what is sent and how the answer is shaped. Two
// things may differ by design: TrimmedBytes counts only the carried text,
// and the shaper's prev, of which only the end matters (joinLeading reads
// whether it is empty and its last rune), is the carried text.
func samePrompt(t *testing.T, what string, got, want Prompt) {
	t.Helper()
	lastRune := func(s string) string {
		r, _ := utf8.DecodeLastRuneInString(s)
		return fmt.Sprintf("%v %q", s == "", r)
	}
	if lastRune(got.Shaper.prev) != lastRune(want.Shaper.prev) {
		t.Fatalf("%s: shaper prev ends %s, want %s", what, lastRune(got.Shaper.prev), lastRune(want.Shaper.prev))
	}
	got.Shaper.prev, want.Shaper.prev = "", ""
	got.TrimmedBytes, want.TrimmedBytes = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// pageWindow is where the page starts a request (frontend/src/assist
// window.ts): the largest first fragment with more than 4 bytes per token
// of the largest context before end. The page counts UTF-16 code units,
// never more than UTF-8 bytes, so its windows are at least this one.
func pageWindow(doc []string, end, context int) int {
	bound, sum := bytesPerToken*context, 0
	for first := end - 1; first >= 0; first-- {
		sum += len(doc[first])
		if sum > bound {
			return first
		}
	}
	return 0
}

// A request that carries only the end of the document builds exactly the
// prompt the whole document gives, or fails with ErrShortWindow; the
// page's window never fails.
func TestWindow_SamePromptAsTheWholeDocument(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 4))
	checked, short := 0, 0
	for round := range 120 {
		c := randomWindowCase(r)
		n := len(c.doc)

		// Continue, at every selection.
		for sel := 0; sel <= n; sel++ {
			full := SuggestRequest{Kind: KindContinue, Fragments: c.doc, Selection: sel, Notes: c.notes}
			want, werr := BuildPrompt(full, c.s, c.context)
			end := min(sel+1, n)
			for first := 0; first <= min(sel, n); first++ {
				req := full
				req.First, req.Fragments = first, c.doc[first:end]
				got, err := BuildPrompt(req, c.s, c.context)
				what := fmt.Sprintf("round %d continue at %d from %d", round, sel, first)
				switch {
				case errors.Is(err, ErrShortWindow):
					if first <= pageWindow(c.doc, end, c.context) {
						t.Fatalf("%s: %v (the page's window starts at %d)", what, err, pageWindow(c.doc, end, c.context))
					}
					short++
				case (err == nil) != (werr == nil):
					t.Fatalf("%s: err %v, the whole document: %v", what, err, werr)
				case err == nil:
					samePrompt(t, what, got, want)
					if got.TrimmedFragments != want.TrimmedFragments {
						t.Fatalf("%s: trimmed %d fragments, want %d", what, got.TrimmedFragments, want.TrimmedFragments)
					}
					checked++
				}
			}
		}

		// Rewrite and regenerate, at every fragment with text.
		for target := range n {
			if strings.TrimSpace(c.doc[target]) == "" {
				continue
			}
			full := SuggestRequest{Kind: KindRewrite, Fragments: c.doc, Selection: target, Target: target, Instruction: "Shorter."}
			want, werr := BuildPrompt(full, c.s, c.context)
			prefix := c.doc[target][:len(c.doc[target])/2+1]
			for !utf8.ValidString(prefix) {
				prefix = prefix[:len(prefix)-1]
			}
			cont := ContinueRequest{Fragments: c.doc, Index: target, Prefix: prefix, Model: "m", Notes: c.notes}
			server := []string{ServerVLLM, ServerLlamaCpp, ""}[round%3]
			wantCont, werrCont := BuildContinuation(cont, c.s, c.context, server)
			for first := 0; first <= target; first++ {
				what := fmt.Sprintf("round %d rewrite of %d from %d", round, target, first)
				req := full
				req.First, req.Fragments = first, c.doc[first:target+1]
				got, err := BuildPrompt(req, c.s, c.context)
				checkWindowed(t, what, first, pageWindow(c.doc, target, c.context), got, err, want, werr, &checked, &short)

				what = fmt.Sprintf("round %d regenerate %d from %d", round, target, first)
				creq := cont
				creq.First, creq.Fragments = first, c.doc[first:target+1]
				if prefix == "" {
					continue
				}
				gotCont, err := BuildContinuation(creq, c.s, c.context, server)
				checkWindowed(t, what, first, pageWindow(c.doc, target, c.context), gotCont, err, wantCont, werrCont, &checked, &short)
			}
		}
	}
	if checked == 0 || short == 0 {
		t.Fatalf("%d windows built the same prompt, %d were short: the cases do not cover both", checked, short)
	}
	t.Logf("%d windows built the same prompt as the whole document; %d too short ones were refused", checked, short)
}

func checkWindowed(t *testing.T, what string, first, page int, got Prompt, err error, want Prompt, werr error, checked, short *int) {
	t.Helper()
	switch {
	case errors.Is(err, ErrShortWindow):
		if first <= page {
			t.Fatalf("%s: %v (the page's window starts at %d)", what, err, page)
		}
		*short++
	case (err == nil) != (werr == nil):
		t.Fatalf("%s: err %v, the whole document: %v", what, err, werr)
	case err == nil:
		samePrompt(t, what, got, want)
		*checked++
	}
}

func TestWindow_BadFirstRefused(t *testing.T) {
	doc := []string{"A. ", "B. ", "C. "}
	cases := []struct {
		name string
		err  error
		fn   func() error
	}{
		{"negative first", ErrBadRequest, func() error {
			_, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, First: -1}, chatSettings(), 4096)
			return err
		}},
		{"selection before the window", ErrBadRequest, func() error {
			_, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, First: 5, Selection: 4}, chatSettings(), 4096)
			return err
		}},
		{"selection after the window", ErrBadRequest, func() error {
			_, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, First: 5, Selection: 9}, chatSettings(), 4096)
			return err
		}},
		{"rewrite target before the window", ErrBadRequest, func() error {
			_, err := BuildPrompt(SuggestRequest{Kind: KindRewrite, Fragments: doc, First: 5, Target: 2}, chatSettings(), 4096)
			return err
		}},
		{"regenerated fragment before the window", ErrBadRequest, func() error {
			_, err := BuildContinuation(ContinueRequest{Fragments: doc, First: 5, Index: 4, Prefix: "B", Model: "m"}, chatSettings(), 4096, "")
			return err
		}},
		{"negative first in a regeneration", ErrBadRequest, func() error {
			_, err := BuildContinuation(ContinueRequest{Fragments: doc, First: -2, Index: 0, Prefix: "B", Model: "m"}, chatSettings(), 4096, "")
			return err
		}},
		{"a window the context would go beyond", ErrShortWindow, func() error {
			_, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, First: 5, Selection: 7}, chatSettings(), 4096)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.fn(); !errors.Is(err, c.err) {
				t.Errorf("err = %v, want %v", err, c.err)
			}
		})
	}
}
