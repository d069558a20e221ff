package assist

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns a model's raw streamed output into fragment text. All of
// it is pure: the stream loop feeds it the accumulated output and acts on
// the answer (show the text, or stop the request).

const (
	thinkOpen  = "<think>"
	thinkClose = "</think>"
)

// stripThink removes reasoning from raw output: every <think>…</think>
// block; a <think> that is not closed yet hides everything after it; a
// </think> with no <think> before it (templates that open the block in the
// prompt) hides everything up to it. While streaming (final false) a
// trailing partial "<think>" tag is held back until the next chunk decides.
func stripThink(raw string, final bool) string {
	out := stripThinkOnce(raw)
	for strings.Contains(out, thinkOpen) { // "<thi<think>…</think>nk>"
		out = stripThinkOnce(out)
	}
	if !final {
		for n := min(len(thinkOpen)-1, len(out)); n > 0; n-- {
			if strings.HasSuffix(out, thinkOpen[:n]) {
				return out[:len(out)-n]
			}
		}
	}
	return out
}

// stripThinkOnce applies the rules of stripThink once.
func stripThinkOnce(s string) string {
	if i := strings.Index(s, thinkClose); i >= 0 && !strings.Contains(s[:i], thinkOpen) {
		s = s[i+len(thinkClose):]
	}
	var b strings.Builder
	for {
		i := strings.Index(s, thinkOpen)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+len(thinkOpen):]
		j := strings.Index(rest, thinkClose)
		if j < 0 {
			break
		}
		s = rest[j+len(thinkClose):]
	}
	return b.String()
}

// joinLeading fixes the start of a suggestion so that prev+result reads
// naturally, with nothing added between fragments:
//   - at the start of the document, leading whitespace goes;
//   - after prev ending in whitespace, none is added: a chat answer loses
//     all its leading whitespace, a text completion its leading spaces and
//     tabs (its newlines are kept: they start a paragraph);
//   - after prev ending in a non-space character, a text completion is kept
//     as is (it carries its own space, or continues the word); a chat
//     answer loses its leading whitespace and gets one space when it starts
//     with a letter, digit, quote or opening bracket, except between CJK
//     characters, which join without spaces.
func joinLeading(prev, text string, chat bool) string {
	const spaces = " \t"
	if prev == "" {
		return strings.TrimLeftFunc(text, unicode.IsSpace)
	}
	last, _ := utf8.DecodeLastRuneInString(prev)
	if unicode.IsSpace(last) {
		if chat {
			return strings.TrimLeftFunc(text, unicode.IsSpace)
		}
		return strings.TrimLeft(text, spaces)
	}
	if !chat {
		return text
	}
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	first, _ := utf8.DecodeRuneInString(t)
	if t == "" || !startsWord(first) || isCJK(last) || isCJK(first) {
		return t
	}
	return " " + t
}

func startsWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘«([¿¡", r)
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// Sentence ends: a run of terminators, then optional closing quotes and
// brackets, then whitespace (or the end of the finished output). A newline
// after some words also ends a sentence (headings, list items); the cut is
// before the newline, which the next fragment brings. A sentence needs at
// least one letter or digit: "!\" she said." cuts after "said.". A single
// "." after a one-letter word or a common abbreviation (Mr., Dr., e.g.) is
// not an end; neither is "3.14" or "example.com". Full-width CJK
// terminators need no whitespace after them.
const (
	terminators = ".!?…。！？"
	closers     = "\"'”’»)]」』"
	// fullWidthEnds end a sentence without a space after them.
	fullWidthEnds = "。！？"
)

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true,
	"jr": true, "sr": true, "vs": true, "e.g": true, "i.e": true, "cf": true,
}

// cutSentences returns text up to and including its n-th sentence end and
// true, or text and false when it has fewer than n (or the last one is not
// decided yet because the stream may go on).
func cutSentences(text string, n int, final bool) (string, bool) {
	if n <= 0 {
		return text, false
	}
	count, word := 0, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' && word:
			count, word = count+1, false
			if count == n {
				return text[:i], true
			}
			i += size
		case strings.ContainsRune(terminators, r) && word:
			end := skipRunes(text, i, terminators)
			end = skipRunes(text, end, closers)
			if end == len(text) && !final {
				return text, false // a space or more words may follow
			}
			next, _ := utf8.DecodeRuneInString(text[end:])
			isEnd := end == len(text) || unicode.IsSpace(next) || strings.ContainsRune(fullWidthEnds, r)
			if isEnd && r == '.' && end == i+1 && isAbbreviation(text[:i]) {
				isEnd = false
			}
			if isEnd {
				count, word = count+1, false
				if count == n {
					return text[:end], true
				}
			}
			i = end
		default:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				word = true
			}
			i += size
		}
	}
	return text, false
}

func skipRunes(s string, i int, set string) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(set, r) {
			break
		}
		i += size
	}
	return i
}

// isAbbreviation reports whether the word ending before has a dot after it
// that does not end a sentence.
func isAbbreviation(before string) bool {
	start := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) && r != '.' })
	word := before[start+1:]
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsUpper(r)
	}
	return abbreviations[strings.ToLower(word)]
}

// countSentences is the number of sentence ends in a finished text (at
// least 1): a rewrite is cut after as many as its original has.
func countSentences(text string) int {
	n := 0
	for rest := text; ; n++ {
		cut, ok := cutSentences(rest, 1, true)
		if !ok {
			break
		}
		rest = rest[len(cut):]
	}
	return max(n, 1)
}

// capBytes shortens text to at most limit bytes, at the last whitespace
// in its second half when there is one, else at a rune boundary.
func capBytes(text string, limit int) (string, bool) {
	if len(text) <= limit {
		return text, false
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if sp := strings.LastIndexFunc(text[:cut], unicode.IsSpace); sp > limit/2 {
		cut = sp
	}
	return text[:cut], true
}

// shaper turns accumulated raw output into the suggestion text.
type shaper struct {
	// prev is the document text right before the suggestion (only its end
	// matters).
	prev string
	// chat selects the joining rules of chat answers (also used for the
	// instruction templates of text mode).
	chat bool
	// sentences > 0 cuts after that many sentence ends.
	sentences int
	// charCap bounds the text in bytes.
	charCap int
	// trailing is appended to the finished text (a rewrite keeps the
	// original fragment's trailing whitespace).
	trailing string
	// prefix starts the text (a continuation of a fragment's new start):
	// the output follows it byte for byte, and sentences counts the ends
	// of prefix and output together.
	prefix string
}

// shape returns the text to show for raw output and whether the suggestion
// is complete (the request should stop). Trailing whitespace is dropped:
// the next fragment brings its own leading whitespace.
func (sh shaper) shape(raw string, final bool) (string, bool) {
	var text string
	if sh.prefix != "" {
		text = sh.prefix + stripThink(raw, final)
	} else {
		text = joinLeading(sh.prev, stripThink(raw, final), sh.chat)
	}
	complete := false
	if sh.sentences > 0 {
		text, complete = cutSentences(text, sh.sentences, final)
	}
	if sh.charCap > 0 {
		var capped bool
		text, capped = capBytes(text, sh.charCap)
		complete = complete || capped
	}
	text = strings.TrimRightFunc(text, unicode.IsSpace)
	if len(text) < len(sh.prefix) {
		text = sh.prefix // a prefix ending in whitespace keeps it
	}
	if text != "" {
		text += sh.trailing
	}
	return text, complete
}
