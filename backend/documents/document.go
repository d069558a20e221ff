package documents

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CurrentFormat is the file format this version writes, and the newest it reads.
const CurrentFormat = 2

// Document is one document: what the editor holds and what a file stores.
type Document struct {
	// Format is the file format version. Encoding always writes
	// CurrentFormat; decoding fills in the version that was read.
	Format int `json:"format"`
	// ID names the file (<id>.json). Empty for a document not yet in a
	// library (from ImportText or ImportJSON before Library.Add).
	ID string `json:"id"`
	// Name is the user-set name. Empty means Title derives one from the text.
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Revision counts the saves of this document: every save writes the
	// next one. On a document read from the library it is the revision of
	// that content (a file written before revisions counts as 1); on a
	// document handed to Session.Changed or Session.Save it is the
	// revision the writer's content is based on, and a save based on an
	// older revision than the library's is refused (ErrStaleRevision).
	Revision int64 `json:"revision"`
	// Fragments joined with nothing added form the document's text.
	Fragments []Fragment `json:"fragments"`
	// Selection is the selected fragment; len(Fragments) is <new>.
	Selection int `json:"selection"`
	// Draft is the open textarea, or nil when the editor is in explore mode.
	Draft *Draft `json:"draft"`
	// Notes are the story notes; nil when there are none.
	Notes *Notes `json:"notes,omitempty"`
}

// Fragment is one piece of the document, usually a sentence.
type Fragment struct {
	Text string `json:"text"`
	// Source is "" for text the writer typed, "model:<name>" for a model's.
	Source string `json:"source,omitempty"`
	// Edited is true once the writer changed a model's text.
	Edited bool `json:"edited,omitempty"`
	// Alternatives are the choices Up/Down cycle through (including the one
	// shown); Alt is the index of the one shown.
	Alternatives []string `json:"alternatives,omitempty"`
	Alt          int      `json:"alt,omitempty"`
	// Tokens are the model's token probabilities for Text, nil when there
	// are none (typed text, edited text, a server that sends none).
	Tokens *Tokens `json:"tokens,omitempty"`
}

// Draft modes.
const (
	ModeEdit   = "edit"
	ModeInsert = "insert"
)

// Draft is the text of an open textarea.
type Draft struct {
	// Index: in edit mode the fragment edited (len(Fragments) = <new>); in
	// insert mode where the new fragment goes.
	Index int `json:"index"`
	// Mode is ModeEdit or ModeInsert.
	Mode string `json:"mode"`
	Text string `json:"text"`
}

// SourceTyped is how files may spell the source of typed text; in memory
// it is the empty string.
const SourceTyped = "typed"

// ModelSource returns the Source value for a fragment from the named model.
func ModelSource(model string) string { return "model:" + model }

// Text returns the document's text: the fragments joined, nothing added.
// The draft is not part of it.
func (d Document) Text() string {
	n := 0
	for i := range d.Fragments {
		n += len(d.Fragments[i].Text)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range d.Fragments {
		b.WriteString(d.Fragments[i].Text)
	}
	return b.String()
}

// Words counts the whitespace-separated words of the document's text.
func (d Document) Words() int { return runOf(d.Fragments).words }

// wordRun is a text as word counting sees it, so that the counts of two
// texts give the count of the two joined: its words, whether its first and
// last runes are inside a word, and whether it is empty.
type wordRun struct {
	words        int
	starts, ends bool
	empty        bool
}

// then is a joined with b: a word cut by the join counts once.
func (a wordRun) then(b wordRun) wordRun {
	switch {
	case a.empty:
		return b
	case b.empty:
		return a
	}
	w := a.words + b.words
	if a.ends && b.starts {
		w--
	}
	return wordRun{words: w, starts: a.starts, ends: b.ends}
}

// asciiSpace are the ASCII runes unicode.IsSpace reports.
var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// runOfText counts the words of s (unicode.IsSpace separates them).
func runOfText(s string) wordRun {
	if s == "" {
		return wordRun{empty: true}
	}
	var r wordRun
	inWord, first := false, true
	for i := 0; i < len(s); {
		var space bool
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
			i++
		} else {
			ru, size := utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(ru)
			i += size
		}
		if first {
			r.starts, first = !space, false
		}
		if !space && !inWord {
			r.words++
		}
		inWord = !space
	}
	r.ends = inWord
	return r
}

// runOf counts the words of the fragments' text.
func runOf(frags []Fragment) wordRun {
	r := wordRun{empty: true}
	for i := range frags {
		r = r.then(runOfText(frags[i].Text))
	}
	return r
}

// splicedWords is the word count of a document of words words after
// old[at:at+remove] was replaced with insert (the fragments around them
// unchanged), counting only the fragments replaced and their neighbours.
func splicedWords(words int, old []Fragment, at, remove int, insert []Fragment) int {
	// Only whether the text before the splice ends inside a word, and the
	// text after starts inside one, matter: they are edges of no words.
	before := wordRun{empty: true}
	for i := at - 1; i >= 0; i-- {
		if t := old[i].Text; t != "" {
			before = wordRun{ends: runOfText(t).ends}
			break
		}
	}
	after := wordRun{empty: true}
	for i := at + remove; i < len(old); i++ {
		if t := old[i].Text; t != "" {
			after = wordRun{starts: runOfText(t).starts}
			break
		}
	}
	part := func(frags []Fragment) int { return before.then(runOf(frags)).then(after).words }
	return words - part(old[at:at+remove]) + part(insert)
}

// Title is the name shown for the document: Name when set, else the first
// words of the text, else "Untitled".
func (d Document) Title() string {
	if n := strings.TrimSpace(d.Name); n != "" {
		return n
	}
	if t := DeriveTitle(d.firstLine(titleScanBytes)); t != "" {
		return t
	}
	return "Untitled"
}

// titleScanBytes bounds how much text Title looks at.
const titleScanBytes = 1024

// firstLine returns up to max bytes of the text's first non-blank line.
func (d Document) firstLine(max int) string {
	var b strings.Builder
	for i := range d.Fragments {
		t := d.Fragments[i].Text
		for t != "" {
			line, rest, hasNL := strings.Cut(t, "\n")
			if room := max - b.Len(); len(line) >= room {
				b.WriteString(line[:room])
				return b.String()
			}
			b.WriteString(line)
			if hasNL {
				if strings.TrimSpace(b.String()) != "" {
					return b.String()
				}
				b.Reset()
			}
			t = rest
		}
	}
	return b.String()
}

// Title derivation limits.
const (
	titleWords = 6
	titleRunes = 60
)

// DeriveTitle makes a title from the start of a text: its first six words,
// without Markdown heading marks or trailing punctuation, at most 60
// characters. It returns "" when the text has no words.
func DeriveTitle(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	words := strings.Fields(text)
	for len(words) > 0 && strings.Trim(words[0], "#>*-") == "" {
		words = words[1:] // "# Title", "> quote", "- item"
	}
	truncated := len(words) > titleWords
	if truncated {
		words = words[:titleWords]
	}
	title := strings.Join(words, " ")
	if utf8.RuneCountInString(title) > titleRunes {
		title = string([]rune(title)[:titleRunes])
		truncated = true
	}
	title = strings.TrimRightFunc(title, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	if title != "" && truncated {
		title += "…"
	}
	return title
}

// Clone returns a deep copy, so the copy can be kept while the caller
// goes on changing its document.
func (d Document) Clone() Document {
	c := d
	c.Fragments = make([]Fragment, len(d.Fragments))
	for i, f := range d.Fragments {
		if f.Alternatives != nil {
			f.Alternatives = append([]string(nil), f.Alternatives...)
		}
		f.Tokens = f.Tokens.Clone()
		c.Fragments[i] = f
	}
	if d.Draft != nil {
		dr := *d.Draft
		c.Draft = &dr
	}
	if d.Notes != nil {
		n := *d.Notes
		c.Notes = &n
	}
	return c
}

// Normalize repairs what a reader can repair without losing text:
// "typed" sources become "", out-of-range selection, draft index and alt
// are clamped, an unknown draft mode becomes edit, nil fragments become
// empty, token data that does not match its text is dropped, empty notes
// become nil and their depth is clamped. It never drops text.
func (d *Document) Normalize() {
	if d.Fragments == nil {
		d.Fragments = []Fragment{}
	}
	n := len(d.Fragments)
	d.Selection = clamp(d.Selection, 0, n)
	for i := range d.Fragments {
		f := &d.Fragments[i]
		if f.Source == SourceTyped {
			f.Source = ""
		}
		if len(f.Alternatives) == 0 {
			f.Alternatives, f.Alt = nil, 0
		} else {
			f.Alt = clamp(f.Alt, 0, len(f.Alternatives)-1)
		}
		if f.Tokens != nil && f.Tokens.Check(f.Text) != nil {
			f.Tokens = nil
		}
	}
	if d.Notes.Empty() {
		d.Notes = nil
	} else {
		d.Notes.Depth = clamp(d.Notes.Depth, 0, MaxNoteDepth)
	}
	if d.Draft != nil {
		d.Draft.Index = clamp(d.Draft.Index, 0, n)
		if d.Draft.Mode != ModeInsert {
			d.Draft.Mode = ModeEdit
		}
	}
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}
