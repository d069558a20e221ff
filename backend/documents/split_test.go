package documents

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"one without end", "Hello world", []string{"Hello world"}},
		{"two sentences", "It was late. The rain stopped.", []string{"It was late. ", "The rain stopped."}},
		{"whitespace goes to the end", "A.   B!\tC?  ", []string{"A.   ", "B!\t", "C?  "}},
		{"ellipsis and runs", "Wait... Really?! Yes… Fine.", []string{"Wait... ", "Really?! ", "Yes… ", "Fine."}},
		{"closing quotes and brackets", `He said "Stop." Then (quietly.) she left.”`, []string{`He said "Stop." `, `Then (quietly.) she left.”`}},
		{"curly quotes", "“Go!” She ran.", []string{"“Go!” ", "She ran."}},
		{"no space, no break", "Version 3.14 is out. See www.example.com now.", []string{"Version 3.14 is out. ", "See www.example.com now."}},
		{"lower case after period", "Use tools, e.g. hammers. Then rest.", []string{"Use tools, e.g. hammers. ", "Then rest."}},
		{"title abbreviation", "Mr. Smith met Dr. Jones. They talked.", []string{"Mr. Smith met Dr. Jones. ", "They talked."}},
		{"abbreviation in parentheses", "It rained (cf. Fig. 2). Then sun.", []string{"It rained (cf. Fig. 2). ", "Then sun."}},
		{"question mark before lower case breaks", `"Why?" she asked.`, []string{`"Why?" `, "she asked."}},
		{"paragraphs", "Title\n\nFirst. Second.\n\nThird", []string{"Title\n\n", "First. ", "Second.\n\n", "Third"}},
		{"line break inside a sentence", "a long\nline.", []string{"a long\n", "line."}},
		{"indentation after newline", "One.\n  Two.", []string{"One.\n  ", "Two."}},
		{"crlf", "One.\r\nTwo.\r\n\r\nThree", []string{"One.\r\n", "Two.\r\n\r\n", "Three"}},
		{"lone cr", "One\rTwo", []string{"One\r", "Two"}},
		{"leading whitespace", "  \n\nHello.", []string{"  \n\n", "Hello."}},
		{"newline after abbreviation still breaks", "See Mr.\nSmith", []string{"See Mr.\n", "Smith"}},
		{"no-break space glues", "Quoi\u00a0? Oui.", []string{"Quoi\u00a0? ", "Oui."}},
		{"no-break space after period does not break", "A.\u00a0B", []string{"A.\u00a0B"}},
		{"full-width", "今日は。明日も！本当？はい", []string{"今日は。", "明日も！", "本当？", "はい"}},
		{"section break", "End.\n\n---\n\nStart.", []string{"End.\n\n", "---\n\n", "Start."}},
		{"invalid utf-8", "Bad \xff\xfe. Next \xc3.", []string{"Bad \xff\xfe. ", "Next \xc3."}},
		{"only whitespace", " \n ", []string{" \n "}},
		{"only punctuation", "...", []string{"..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitSentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			checkSplit(t, tt.in, got)
		})
	}
}

func checkSplit(t *testing.T, in string, parts []string) {
	t.Helper()
	if j := strings.Join(parts, ""); j != in {
		t.Fatalf("join(split(%q)) = %q", in, j)
	}
	for i, p := range parts {
		if p == "" {
			t.Fatalf("split(%q): fragment %d is empty: %q", in, i, parts)
		}
	}
}

func TestImportExportText_RoundTrip(t *testing.T) {
	texts := []string{"", "One. Two.\r\n\r\nThree?  ", "x\xffy. z", strings.Repeat("Word word. ", 100)}
	for _, text := range texts {
		doc := ImportText("imported", text)
		if got := ExportText(doc); got != text {
			t.Errorf("ExportText(ImportText(%q)) = %q", text, got)
		}
		if doc.Name != "imported" || doc.Selection != len(doc.Fragments) || doc.ID != "" {
			t.Errorf("ImportText(%q): name %q, selection %d of %d, id %q", text, doc.Name, doc.Selection, len(doc.Fragments), doc.ID)
		}
		for i, f := range doc.Fragments {
			if f.Source != "" || f.Edited || f.Alternatives != nil {
				t.Errorf("fragment %d is not plain typed text: %+v", i, f)
			}
		}
	}
}

func FuzzSplitJoin(f *testing.F) {
	seeds := []string{
		"", "It was late. The rain stopped.", "A.   B!\tC?  ", "Wait... Really?! Yes… Fine.",
		`He said "Stop." Then (quietly.) she left.”`, "Mr. Smith met Dr. Jones.", "e.g. this",
		"Title\n\nFirst. Second.\n\nThird", "One.\r\nTwo.\r\n\r\nThree", "今日は。明日も！",
		"Bad \xff\xfe. Next \xc3.", "Quoi\u00a0? Oui.", "\u2028.\u2029?\u0085!", ". . .", "\r\n\r",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		parts := SplitSentences(text)
		checkSplit(t, text, parts)
		if utf8.ValidString(text) {
			for i, p := range parts {
				if !utf8.ValidString(p) {
					t.Fatalf("fragment %d cuts a character: %q", i, p)
				}
			}
		}
	})
}
