package documents

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitSentences cuts text into sentence fragments such that joining them
// gives back text byte for byte (also for invalid UTF-8 and CRLF); no
// fragment is empty.
//
// A sentence ends after one or more of . ! ? … (and the full-width 。！？),
// then any closing quotes or brackets, when whitespace or the end of the
// text follows. The whitespace after a sentence belongs to its end, as
// with Intl.Segmenter. A line break ends a fragment too (with the blank
// lines and indentation after it). After a period or an ellipsis there is
// no break when the next word starts in lower case ("e.g. the", "Wait…
// what") or the word before is a common title abbreviation ("Mr. Smith").
// Full-width terminators end a sentence without following whitespace.
func SplitSentences(text string) []string {
	var out []string
	start, i := 0, 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isLineBreak(r):
			end := skipSpace(text, i)
			out = append(out, text[start:end])
			start, i = end, end
		case isTerminator(r):
			end, ok := sentenceEnd(text, i)
			if ok {
				out = append(out, text[start:end])
				start = end
			}
			i = end
		default:
			i += size
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// sentenceEnd looks at a terminator at i. It returns where the fragment
// would end (after terminators, closers and whitespace) and whether it
// does end there; when not, the position to continue scanning from.
func sentenceEnd(text string, i int) (int, bool) {
	j, last := i, rune(0)
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isTerminator(r) {
			break
		}
		last, j = r, j+size
	}
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isCloser(r) {
			break
		}
		j += size
	}
	if j == len(text) {
		return j, true
	}
	if r, _ := utf8.DecodeRuneInString(text[j:]); !isBreakSpace(r) {
		return j, isFullWidthTerminator(last)
	}
	end := skipSpace(text, j)
	if strings.ContainsFunc(text[j:end], isLineBreak) {
		return end, true
	}
	if last == '.' || last == '…' {
		if next, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && unicode.IsLower(next) {
			return end, false
		}
		if last == '.' && isTitleAbbreviation(text[:i]) {
			return end, false
		}
	}
	return end, true
}

// skipSpace returns the end of the whitespace run starting at i.
func skipSpace(text string, i int) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isBreakSpace(r) {
			break
		}
		i += size
	}
	return i
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉':
		return true
	}
	return isFullWidthTerminator(r)
}

func isFullWidthTerminator(r rune) bool {
	return r == '。' || r == '！' || r == '？' || r == '｡'
}

func isCloser(r rune) bool {
	return strings.ContainsRune("\"'”’»›)]}」』）】", r)
}

func isLineBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// isBreakSpace is whitespace that may follow a sentence: not the no-break
// spaces, which glue (e.g. French "Quoi ?").
func isBreakSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f':
		return false
	}
	return unicode.IsSpace(r)
}

// titleAbbreviations are words that end in a period and are usually followed
// by a capitalised name or a number, so the period does not end the sentence.
var titleAbbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"jr": true, "sr": true, "mt": true, "fr": true, "rev": true, "gen": true,
	"capt": true, "lt": true, "col": true, "sgt": true, "vs": true,
	"e.g": true, "i.e": true, "cf": true, "fig": true, "figs": true, "vol": true,
	"ch": true, "eq": true, "approx": true, "ca": true,
}

// isTitleAbbreviation reports whether before ends in an abbreviation.
func isTitleAbbreviation(before string) bool {
	k := strings.LastIndexFunc(before, func(r rune) bool {
		return isBreakSpace(r) || strings.ContainsRune("([{\"'“‘«", r)
	})
	word := before
	if k >= 0 {
		_, size := utf8.DecodeRuneInString(before[k:])
		word = before[k+size:]
	}
	return len(word) <= 5 && titleAbbreviations[strings.ToLower(word)]
}

// ImportText makes a document from plain text (or Markdown) by splitting it
// into sentence fragments, all typed, with <new> selected. Its ExportText
// is text again, byte for byte. The document has no id until Library.Add.
func ImportText(name, text string) Document {
	parts := SplitSentences(text)
	frags := make([]Fragment, len(parts))
	for i, p := range parts {
		frags[i] = Fragment{Text: p}
	}
	return Document{Format: CurrentFormat, Name: name, Fragments: frags, Selection: len(frags)}
}

// ExportText returns the document's text for .txt and .md: the fragments
// joined exactly, nothing added (the draft is not included).
func ExportText(doc Document) string { return doc.Text() }
