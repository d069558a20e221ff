package assist

import (
	"strings"
	"testing"
)

func TestStripThink(t *testing.T) {
	tests := []struct {
		name, raw string
		final     bool
		want      string
	}{
		{"no reasoning", "Hello there.", false, "Hello there."},
		{"closed block", "<think>plan it</think>Hello.", false, "Hello."},
		{"block in the middle", "A <think>x</think>B", true, "A B"},
		{"two blocks", "<think>a</think>X<think>b</think>Y", true, "XY"},
		{"unterminated leading block hides the rest", "<think>still thinking about", false, ""},
		{"unterminated leading block at the end too", "<think>never closed", true, ""},
		{"unterminated later block", "Yes. <think>hmm", false, "Yes. "},
		{"orphan close tag", "reasoning without opener</think>\n\nThe answer.", true, "\n\nThe answer."},
		{"partial open tag held back while streaming", "Hello <thi", false, "Hello "},
		{"partial open tag kept when final", "Hello <thi", true, "Hello <thi"},
		{"lone < held back", "a <", false, "a "},
		{"other tags stay", "a <b>bold</b>", false, "a <b>bold</b>"},
		{"a tag formed by removal is removed too", "A<thi<think>x</think>nk>B</think>C", true, "AC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripThink(tt.raw, tt.final); got != tt.want {
				t.Errorf("stripThink(%q, %v) = %q, want %q", tt.raw, tt.final, got, tt.want)
			}
		})
	}
}

func TestJoinLeading(t *testing.T) {
	tests := []struct {
		name, prev, text string
		chat             bool
		want             string
	}{
		{"text completion keeps its space", "The cat", " sat.", false, " sat."},
		{"text completion continues a word", "The ca", "t sat.", false, "t sat."},
		{"text completion keeps its paragraph break", "The end.", "\n\nChapter two.", false, "\n\nChapter two."},
		{"text completion after space loses spaces", "The cat ", "  sat.", false, "sat."},
		{"text completion after newline keeps newlines", "Title\n", "\nBody", false, "\nBody"},
		{"chat answer gets a space", "The cat sat.", "It purred.", true, " It purred."},
		{"chat answer's own whitespace replaced", "The cat sat.", "\n It purred.", true, " It purred."},
		{"chat answer starting with a quote", "He said.", "\"Hi,\" she said.", true, " \"Hi,\" she said."},
		{"chat answer starting with a digit", "Count:", "3 cats.", true, " 3 cats."},
		{"chat answer starting with punctuation", "The cat", ", the dog.", true, ", the dog."},
		{"chat answer after space", "The cat ", "sat.", true, "sat."},
		{"chat answer after newline", "Title\n", "\n\nBody.", true, "Body."},
		{"start of document", "", "  Once upon a time.", false, "Once upon a time."},
		{"start of document chat", "", "\nOnce.", true, "Once."},
		{"CJK joins without space", "猫が座った。", "犬も来た。", true, "犬も来た。"},
		{"empty answer", "The cat.", "   ", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := joinLeading(tt.prev, tt.text, tt.chat); got != tt.want {
				t.Errorf("joinLeading(%q, %q, %v) = %q, want %q", tt.prev, tt.text, tt.chat, got, tt.want)
			}
		})
	}
}

func TestCutSentences(t *testing.T) {
	tests := []struct {
		name, text string
		n          int
		final      bool
		want       string
		ok         bool
	}{
		{"first sentence", " The cat sat. Then it slept.", 1, false, " The cat sat.", true},
		{"undecided at the end while streaming", " The cat sat.", 1, false, " The cat sat.", false},
		{"decided at the end when final", " The cat sat.", 1, true, " The cat sat.", true},
		{"question and exclamation runs", " Really?! Yes.", 1, false, " Really?!", true},
		{"ellipsis", " Well... maybe.", 1, false, " Well...", true},
		{"unicode ellipsis", " Well… maybe.", 1, false, " Well…", true},
		{"closing quote kept", ` "Stop!" she said.`, 1, false, ` "Stop!"`, true},
		{"closing paren kept", " (It was late.) Then.", 1, false, " (It was late.)", true},
		{"decimal number", " Pi is 3.14 exactly. Yes", 1, false, " Pi is 3.14 exactly.", true},
		{"domain", " See example.com now. Ok", 1, false, " See example.com now.", true},
		{"abbreviation", " Mr. Smith left. Then", 1, false, " Mr. Smith left.", true},
		{"initials", " J. R. Tolkien wrote. So", 1, false, " J. R. Tolkien wrote.", true},
		{"e.g.", " Cats, e.g. tabbies, purr. Yes", 1, false, " Cats, e.g. tabbies, purr.", true},
		{"punctuation before any word", `!" she said. More`, 1, false, `!" she said.`, true},
		{"newline ends a sentence", " Chapter one\nIt was", 1, false, " Chapter one", true},
		{"leading newline is not an end", "\n\nIt was dark. And", 1, false, "\n\nIt was dark.", true},
		{"two sentences", " A b. C d. E f.", 2, false, " A b. C d.", true},
		{"fewer than asked", " A b. C d", 2, false, " A b. C d", false},
		{"CJK full stop", "猫が座った。犬も", 1, false, "猫が座った。", true},
		{"off", " A. B.", 0, false, " A. B.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cutSentences(tt.text, tt.n, tt.final)
			if got != tt.want || ok != tt.ok {
				t.Errorf("cutSentences(%q, %d, %v) = %q, %v; want %q, %v", tt.text, tt.n, tt.final, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCountSentences(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"One.", 1},
		{"no end at all", 1},
		{"One. Two! Three?", 3},
		{"Mr. Smith left. Bye.", 2},
	}
	for _, tt := range tests {
		if got := countSentences(tt.text); got != tt.want {
			t.Errorf("countSentences(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestCapBytes(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		want       string
		capped     bool
	}{
		{"short", "abc", 10, "abc", false},
		{"at a space", "one two three four", 12, "one two", true},
		{"no space in the second half", "onetwothree four", 8, "onetwoth", true},
		{"rune boundary", "ééééé", 5, "éé", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, capped := capBytes(tt.text, tt.limit)
			if got != tt.want || capped != tt.capped {
				t.Errorf("capBytes(%q, %d) = %q, %v; want %q, %v", tt.text, tt.limit, got, capped, tt.want, tt.capped)
			}
		})
	}
}

func TestShaper(t *testing.T) {
	tests := []struct {
		name     string
		sh       shaper
		raw      string
		final    bool
		want     string
		complete bool
	}{
		{"chat, cut at sentence", shaper{prev: "It rained.", chat: true, sentences: 1},
			"<think>ok</think>The sky cleared. Birds sang.", false, " The sky cleared.", true},
		{"text, own space, no cut", shaper{prev: "It rained", sentences: 0}, " all day ", false, " all day", false},
		{"trailing whitespace dropped", shaper{prev: "x", chat: true}, "y \n", true, " y", false},
		{"rewrite keeps the original's trailing whitespace", shaper{prev: "A. ", chat: true, sentences: 1, trailing: "\n"},
			"B was here. More", false, "B was here.\n", true},
		{"char cap completes", shaper{prev: "", charCap: 10}, "one two three four five", false, "one two", true},
		{"only reasoning so far", shaper{prev: "x", chat: true, sentences: 1}, "<think>long", false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, complete := tt.sh.shape(tt.raw, tt.final)
			if got != tt.want || complete != tt.complete {
				t.Errorf("shape(%q) = %q, %v; want %q, %v", tt.raw, got, complete, tt.want, tt.complete)
			}
		})
	}
}

func FuzzCutSentences(f *testing.F) {
	for _, seed := range []string{" The cat sat. Then.", ` "Stop!" she said.`, " Mr. Smith. J. R. R.", "猫。犬", "a\nb", "3.14. x", "...!?"} {
		f.Add(seed, 1, false)
	}
	f.Fuzz(func(t *testing.T, text string, n int, final bool) {
		n = n%4 + 1
		got, ok := cutSentences(text, n, final)
		if !strings.HasPrefix(text, got) {
			t.Fatalf("cut %q is not a prefix of %q", got, text)
		}
		if !ok && got != text {
			t.Fatalf("no cut but text changed: %q -> %q", text, got)
		}
	})
}

func FuzzStripThink(f *testing.F) {
	for _, seed := range []string{"<think>a</think>b", "x</think>y", "<think>open", "a <thi", "<think><think>x</think>y</think>z", "<thi<think>x</think>nk>"} {
		f.Add(seed, false)
	}
	f.Fuzz(func(t *testing.T, raw string, final bool) {
		if got := stripThink(raw, final); strings.Contains(got, thinkOpen) {
			t.Fatalf("stripThink(%q) = %q keeps an opening tag", raw, got)
		}
	})
}
