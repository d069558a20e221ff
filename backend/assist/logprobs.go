package assist

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads token probabilities from the streamed shapes of the
// servers (see "Token probabilities" in the package doc) and lines the
// tokens up with the shaped suggestion text. All of it is pure.

// Token is one token of a suggestion's text, as sent to the page.
type Token struct {
	// Text is the token's part of the suggestion text; the texts of a
	// suggestion's tokens joined are its text exactly.
	Text string `json:"t"`
	// P is the token's probability, 0–1, rounded to 3 decimals.
	P float64 `json:"p"`
	// Top are the server's top-K candidates for this place, most likely
	// first (the token itself usually among them).
	Top []TokenAlt `json:"top,omitempty"`
}

// TokenAlt is one candidate token.
type TokenAlt struct {
	Text string  `json:"t"`
	P    float64 `json:"p"`
}

// rawToken is a token as a server reported it.
type rawToken struct {
	bytes   []byte
	logprob float64
	top     []rawAlt
}

type rawAlt struct {
	bytes   []byte
	logprob float64
}

// openAIEntry is one entry of logprobs.content (chat and llama.cpp's
// completions) or of llama.cpp's completion_probabilities.
type openAIEntry struct {
	Token   *string  `json:"token"`
	Logprob *float64 `json:"logprob"`
	Bytes   []int    `json:"bytes"`
	Top     []struct {
		Token   string   `json:"token"`
		Logprob *float64 `json:"logprob"`
		Bytes   []int    `json:"bytes"`
		// Older llama.cpp: tok_str and prob.
		TokStr *string  `json:"tok_str"`
		Prob   *float64 `json:"prob"`
	} `json:"top_logprobs"`
	// llama.cpp's native /completion: content, and probs or top_probs.
	Content *string `json:"content"`
	Probs   []struct {
		TokStr string  `json:"tok_str"`
		Prob   float64 `json:"prob"`
	} `json:"probs"`
	TopProbs []struct {
		Token string  `json:"token"`
		Prob  float64 `json:"prob"`
		Bytes []int   `json:"bytes"`
	} `json:"top_probs"`
	Prob *float64 `json:"prob"`
}

// completionsLogprobs is the OpenAI completions shape.
type completionsLogprobs struct {
	Content       []openAIEntry        `json:"content"`
	Tokens        []string             `json:"tokens"`
	TokenLogprobs []*float64           `json:"token_logprobs"`
	TopLogprobs   []map[string]float64 `json:"top_logprobs"`
}

// parseLogprobs reads a choice's "logprobs" value in any of the shapes:
// {"content": [...]} (OpenAI chat; Ollama, vLLM and llama.cpp chat;
// llama.cpp's /v1/completions) or {"tokens", "token_logprobs",
// "top_logprobs"} (OpenAI completions; vLLM). null, absent or unreadable
// gives none: probabilities are optional.
func parseLogprobs(raw string) []rawToken {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" || raw[0] != '{' {
		return nil
	}
	var v completionsLogprobs
	if json.Unmarshal([]byte(raw), &v) != nil {
		return nil
	}
	if len(v.Content) > 0 {
		return fromEntries(v.Content)
	}
	out := make([]rawToken, 0, len(v.Tokens))
	for i, tok := range v.Tokens {
		if i >= len(v.TokenLogprobs) || v.TokenLogprobs[i] == nil {
			return nil
		}
		t := rawToken{bytes: tokenBytes(tok, nil), logprob: *v.TokenLogprobs[i]}
		if i < len(v.TopLogprobs) {
			for s, lp := range v.TopLogprobs[i] {
				t.top = append(t.top, rawAlt{bytes: tokenBytes(s, nil), logprob: lp})
			}
		}
		out = append(out, t)
	}
	return out
}

// parseCompletionProbabilities reads llama.cpp's chunk-level
// "completion_probabilities" (its native /completion with n_probs, which
// some builds also add to /v1/completions): a list of entries, each with
// the token (content or token) and its candidates (probs with tok_str and
// prob; newer: top_probs or top_logprobs).
func parseCompletionProbabilities(raw string) []rawToken {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw[0] != '[' {
		return nil
	}
	var entries []openAIEntry
	if json.Unmarshal([]byte(raw), &entries) != nil {
		return nil
	}
	return fromEntries(entries)
}

func fromEntries(entries []openAIEntry) []rawToken {
	out := make([]rawToken, 0, len(entries))
	for _, e := range entries {
		var t rawToken
		switch {
		case e.Token != nil:
			t.bytes = tokenBytes(*e.Token, e.Bytes)
		case e.Content != nil:
			t.bytes = tokenBytes(*e.Content, e.Bytes)
		default:
			return nil
		}
		known := true
		switch {
		case e.Logprob != nil:
			t.logprob = *e.Logprob
		case e.Prob != nil:
			t.logprob = logOf(*e.Prob)
		default:
			known = false
		}
		for _, a := range e.Top {
			switch {
			case a.Logprob != nil:
				t.top = append(t.top, rawAlt{bytes: tokenBytes(a.Token, a.Bytes), logprob: *a.Logprob})
			case a.TokStr != nil && a.Prob != nil:
				t.top = append(t.top, rawAlt{bytes: []byte(*a.TokStr), logprob: logOf(*a.Prob)})
			}
		}
		for _, a := range e.Probs {
			t.top = append(t.top, rawAlt{bytes: []byte(a.TokStr), logprob: logOf(a.Prob)})
		}
		for _, a := range e.TopProbs {
			t.top = append(t.top, rawAlt{bytes: tokenBytes(a.Token, a.Bytes), logprob: logOf(a.Prob)})
		}
		if !known {
			// Old llama.cpp gives only the candidates: the token's own
			// probability is its candidate's.
			i := slices.IndexFunc(t.top, func(a rawAlt) bool { return bytes.Equal(a.bytes, t.bytes) })
			if i < 0 {
				return nil
			}
			t.logprob = t.top[i].logprob
		}
		out = append(out, t)
	}
	return out
}

func logOf(p float64) float64 {
	if p <= 0 {
		return math.Inf(-1)
	}
	return math.Log(p)
}

// tokenBytes is a token's exact bytes: the bytes list when the server
// sends one (a token can be part of a multi-byte character), else the
// token string, reading vLLM's "bytes:\xe2\x80" spelling of partial
// characters.
func tokenBytes(s string, list []int) []byte {
	if len(list) > 0 {
		b := make([]byte, 0, len(list))
		for _, v := range list {
			if v < 0 || v > 255 {
				return []byte(s)
			}
			b = append(b, byte(v))
		}
		return b
	}
	if rest, ok := strings.CutPrefix(s, "bytes:"); ok {
		var b []byte
		for rest != "" {
			if len(rest) >= 4 && rest[0] == '\\' && rest[1] == 'x' {
				if v, err := strconv.ParseUint(rest[2:4], 16, 8); err == nil {
					b = append(b, byte(v))
					rest = rest[4:]
					continue
				}
			}
			b = append(b, rest[0])
			rest = rest[1:]
		}
		return b
	}
	return []byte(s)
}

// mergeRunes joins tokens so that each one is whole characters: a
// character split over several tokens becomes one token whose probability
// is the product of theirs (its candidates are the first part's).
func mergeRunes(toks []rawToken) []rawToken {
	out := make([]rawToken, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		for !wholeRunes(t.bytes) && i+1 < len(toks) {
			i++
			t = rawToken{bytes: append(slices.Clip(t.bytes), toks[i].bytes...), logprob: t.logprob + toks[i].logprob, top: t.top}
		}
		out = append(out, t)
	}
	return out
}

// wholeRunes reports whether b ends at the end of a character.
func wholeRunes(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	start := len(b) - 1
	for start > 0 && len(b)-start < utf8.UTFMax && !utf8.RuneStart(b[start]) {
		start--
	}
	r, size := utf8.DecodeRune(b[start:])
	return !(r == utf8.RuneError && size <= 1 && !utf8.FullRune(b[start:]))
}

// probability rounds exp(logprob) to 3 decimals.
func probability(logprob float64) float64 {
	p := math.Exp(logprob)
	if math.IsNaN(p) {
		return 0
	}
	return math.Round(min(p, 1)*1000) / 1000
}

// topLimit bounds the candidates kept per token (servers cap K at 20).
const topLimit = 20

// alignTokens splits text, the shaped suggestion, into the tokens of the
// raw output they came from. Shaping removes reasoning, fixes leading
// whitespace, cuts at a sentence end and drops trailing whitespace; the
// tokens follow: reasoning tokens are skipped, a space the shaper added
// joins the first token, dropped leading whitespace is left out, the
// token crossing the cut is cut too, and trailing whitespace the text
// gained (a rewrite keeps its original's) joins the last token. It
// returns nil when the tokens do not cover the text exactly (a server
// whose tokens do not spell its output): no data beats wrong data.
func alignTokens(text string, toks []rawToken) []Token {
	if text == "" || len(toks) == 0 {
		return nil
	}
	toks = mergeRunes(toks)
	toks = afterReasoning(toks)
	out := make([]Token, 0, len(toks))
	pos := 0
	for _, t := range toks {
		if pos == len(text) {
			break
		}
		s := string(t.bytes)
		rest := text[pos:]
		if pos == 0 {
			trimmed := strings.TrimLeftFunc(s, unicode.IsSpace)
			switch {
			case strings.HasPrefix(rest, s) && s != "":
			case trimmed == "":
				continue // leading whitespace the shaper dropped
			case strings.HasPrefix(rest, trimmed):
				s = trimmed
			case strings.HasPrefix(rest, " "+trimmed):
				s = " " + trimmed
			default:
				continue
			}
		}
		switch {
		case s == "":
			continue
		case strings.HasPrefix(rest, s):
		case strings.HasPrefix(s, rest):
			s = rest // the token crossing the cut
		case strings.TrimRightFunc(s, unicode.IsSpace) != s && strings.HasPrefix(rest, strings.TrimRightFunc(s, unicode.IsSpace)) &&
			strings.TrimSpace(rest[len(strings.TrimRightFunc(s, unicode.IsSpace)):]) == "":
			s = rest
		default:
			return nil
		}
		out = append(out, Token{Text: s, P: probability(t.logprob), Top: candidates(t.top)})
		pos += len(s)
	}
	if pos < len(text) {
		if len(out) == 0 || strings.TrimSpace(text[pos:]) != "" {
			return nil
		}
		out[len(out)-1].Text += text[pos:]
	}
	return out
}

// afterReasoning drops the tokens of <think> blocks: everything up to the
// end of the last </think> when the output has one.
func afterReasoning(toks []rawToken) []rawToken {
	var joined []byte
	ends := make([]int, len(toks))
	for i, t := range toks {
		joined = append(joined, t.bytes...)
		ends[i] = len(joined)
	}
	cut := bytes.LastIndex(joined, []byte(thinkClose))
	if cut < 0 {
		return toks
	}
	cut += len(thinkClose)
	for i, e := range ends {
		if e >= cut {
			if e == cut {
				return toks[i+1:]
			}
			rest := slices.Clone(toks[i:])
			t := rest[0]
			t.bytes = t.bytes[len(t.bytes)-(e-cut):]
			rest[0] = t
			return rest
		}
	}
	return nil
}

// candidates sorts a token's alternatives, most likely first, joining
// duplicates (servers may list a text twice under different token ids).
func candidates(top []rawAlt) []TokenAlt {
	if len(top) == 0 {
		return nil
	}
	out := make([]TokenAlt, 0, len(top))
	for _, a := range top {
		if !utf8.Valid(a.bytes) {
			continue // part of a character: nothing a writer can pick
		}
		s, p := string(a.bytes), probability(a.logprob)
		if i := slices.IndexFunc(out, func(x TokenAlt) bool { return x.Text == s }); i >= 0 {
			out[i].P = math.Round(min(out[i].P+p, 1)*1000) / 1000
			continue
		}
		out = append(out, TokenAlt{Text: s, P: p})
	}
	slices.SortStableFunc(out, func(a, b TokenAlt) int {
		switch {
		case a.P > b.P:
			return -1
		case a.P < b.P:
			return 1
		}
		return strings.Compare(a.Text, b.Text)
	})
	if len(out) > topLimit {
		out = out[:topLimit]
	}
	return out
}
