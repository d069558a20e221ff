package documents

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Tokens are the token probabilities of a model's fragment (format 2),
// quantised: see the package doc for the file shape.
type Tokens struct {
	// Len is each token's length in Unicode code points; the lengths add
	// up to the fragment text's.
	Len []int `json:"len"`
	// P is each token's probability in percent, 0–100.
	P []int `json:"p"`
	// Alts are the stored alternatives, in token order; tokens without an
	// entry have none worth showing.
	Alts []TokenAlts `json:"alts,omitempty"`
}

// TokenAlts are the alternatives of one token, most likely first, without
// the token itself.
type TokenAlts struct {
	Index int
	Alts  []TokenAlt
}

// TokenAlt is one alternative token and its probability in percent.
type TokenAlt struct {
	Text string
	P    int
}

// MarshalJSON writes [index, text, p, text, p, …].
func (a TokenAlts) MarshalJSON() ([]byte, error) { return appendAlts(nil, a), nil }

// UnmarshalJSON reads [index, text, p, text, p, …].
func (a *TokenAlts) UnmarshalJSON(data []byte) error {
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	if len(items) == 0 || len(items)%2 != 1 {
		return fmt.Errorf("token alternatives %s: want [index, text, p, …]", abbreviate(data))
	}
	if err := json.Unmarshal(items[0], &a.Index); err != nil {
		return fmt.Errorf("token alternatives %s: index: %w", abbreviate(data), err)
	}
	a.Alts = make([]TokenAlt, 0, len(items)/2)
	for i := 1; i < len(items); i += 2 {
		var alt TokenAlt
		if err := json.Unmarshal(items[i], &alt.Text); err != nil {
			return fmt.Errorf("token alternatives %s: text: %w", abbreviate(data), err)
		}
		if err := json.Unmarshal(items[i+1], &alt.P); err != nil {
			return fmt.Errorf("token alternatives %s: p: %w", abbreviate(data), err)
		}
		a.Alts = append(a.Alts, alt)
	}
	return nil
}

func abbreviate(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// errBadTokens is why Check refuses token data.
var errBadTokens = errors.New("token data does not match the text")

// Check reports whether t describes text: as many probabilities as
// lengths, every length ≥ 1 adding up to the text's code points, every
// percentage in 0–100, alternatives in order naming existing tokens.
func (t *Tokens) Check(text string) error {
	if len(t.Len) != len(t.P) {
		return fmt.Errorf("%w: %d lengths, %d probabilities", errBadTokens, len(t.Len), len(t.P))
	}
	sum := 0
	for i, n := range t.Len {
		if n < 1 {
			return fmt.Errorf("%w: token %d has length %d", errBadTokens, i, n)
		}
		sum += n
		if p := t.P[i]; p < 0 || p > 100 {
			return fmt.Errorf("%w: token %d has probability %d%%", errBadTokens, i, p)
		}
	}
	if runes := utf8.RuneCountInString(text); sum != runes {
		return fmt.Errorf("%w: tokens cover %d characters, the text has %d", errBadTokens, sum, runes)
	}
	last := -1
	for _, a := range t.Alts {
		if a.Index <= last || a.Index >= len(t.Len) {
			return fmt.Errorf("%w: alternatives of token %d", errBadTokens, a.Index)
		}
		last = a.Index
		for _, alt := range a.Alts {
			if alt.P < 0 || alt.P > 100 {
				return fmt.Errorf("%w: alternative of token %d has probability %d%%", errBadTokens, a.Index, alt.P)
			}
		}
	}
	return nil
}

// Clone returns a deep copy.
func (t *Tokens) Clone() *Tokens {
	if t == nil {
		return nil
	}
	c := &Tokens{Len: append([]int(nil), t.Len...), P: append([]int(nil), t.P...)}
	if t.Alts != nil {
		c.Alts = make([]TokenAlts, len(t.Alts))
		for i, a := range t.Alts {
			c.Alts[i] = TokenAlts{Index: a.Index, Alts: append([]TokenAlt(nil), a.Alts...)}
		}
	}
	return c
}

func appendTokens(b []byte, t *Tokens) []byte {
	b = append(b, `{"len":`...)
	b = appendInts(b, t.Len)
	b = append(b, `,"p":`...)
	b = appendInts(b, t.P)
	if len(t.Alts) > 0 {
		b = append(b, `,"alts":[`...)
		for i, a := range t.Alts {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendAlts(b, a)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendAlts(b []byte, a TokenAlts) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(a.Index), 10)
	for _, alt := range a.Alts {
		b = append(b, ',')
		b = appendString(b, alt.Text)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(alt.P), 10)
	}
	return append(b, ']')
}

func appendInts(b []byte, v []int) []byte {
	b = append(b, '[')
	for i, n := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return append(b, ']')
}

// DefaultNoteDepth is how many fragments before the selection the
// author's note goes when a document does not say.
const DefaultNoteDepth = 3

// MaxNoteDepth bounds Notes.Depth.
const MaxNoteDepth = 1000

// Notes are a document's story notes (format 2).
type Notes struct {
	// Memory always leads the prompt.
	Memory string `json:"memory,omitempty"`
	// AuthorsNote goes Depth fragments before the end of the prompt's
	// story text.
	AuthorsNote string `json:"authors_note,omitempty"`
	// Depth is 0–MaxNoteDepth; 0 puts the note right after the selection.
	Depth int `json:"depth"`
}

// Empty reports whether n holds no text (its depth alone is not stored).
func (n *Notes) Empty() bool { return n == nil || (n.Memory == "" && n.AuthorsNote == "") }

func appendNotes(b []byte, n *Notes) []byte {
	b = append(b, `{"memory":`...)
	b = appendString(b, n.Memory)
	b = append(b, `,"authors_note":`...)
	b = appendString(b, n.AuthorsNote)
	b = append(b, `,"depth":`...)
	b = strconv.AppendInt(b, int64(n.Depth), 10)
	return append(b, '}')
}
