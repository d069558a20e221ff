package assist

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// rt is a raw token with probability p and candidates (text, p, …).
func rt(tok string, p float64, top ...any) rawToken {
	t := rawToken{bytes: []byte(tok), logprob: math.Log(p)}
	for i := 0; i+1 < len(top); i += 2 {
		t.top = append(t.top, rawAlt{bytes: []byte(top[i].(string)), logprob: math.Log(top[i+1].(float64))})
	}
	return t
}

// spelled is a parsed token as text@probability.
func spelled(toks []rawToken) []string {
	var out []string
	for _, t := range toks {
		s := string(t.bytes) + "@" + strings.TrimRight(strings.TrimRight(fmtP(t.logprob), "0"), ".")
		for _, a := range t.top {
			s += "|" + string(a.bytes) + "@" + strings.TrimRight(strings.TrimRight(fmtP(a.logprob), "0"), ".")
		}
		out = append(out, s)
	}
	return out
}

func fmtP(lp float64) string { b, _ := json.Marshal(probability(lp)); return string(b) + ".0" }

func TestParseLogprobs_Shapes(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"OpenAI chat (Ollama v0.17, vLLM, llama.cpp chat)",
			`{"content":[{"token":"m","logprob":-0.6931471805599453,"bytes":[109],"top_logprobs":[{"token":"m","logprob":-0.6931471805599453,"bytes":[109]},{"token":"n","logprob":-1.3862943611198906,"bytes":[110]}]}]}`,
			[]string{"m@0.5|m@0.5|n@0.25"}},
		{"chat without bytes", `{"content":[{"token":" the","logprob":0,"top_logprobs":[]}],"refusal":null}`, []string{" the@1"}},
		{"chat, character split over tokens (bytes)",
			`{"content":[{"token":"\ufffd","logprob":-0.1,"bytes":[226,128]},{"token":"\ufffd","logprob":-0.2,"bytes":[153]}]}`,
			[]string{"\xe2\x80@0.905", "\x99@0.819"}},
		{"OpenAI completions (vLLM)",
			`{"tokens":[" it"," rained"],"token_logprobs":[-0.10536051565782628,null],"top_logprobs":[{" it":-0.10536051565782628}],"text_offset":[0,3]}`,
			nil}, // a null logprob (vLLM's prompt token) gives none
		{"OpenAI completions, two tokens",
			`{"tokens":[" it","bytes:\\xe2\\x80"],"token_logprobs":[-0.10536051565782628,-0.5],"top_logprobs":[{" it":-0.10536051565782628," he":-2.995732273553991},null],"text_offset":[0,3]}`,
			[]string{" it@0.9| he@0.05| it@0.9", "\xe2\x80@0.607"}},
		{"llama.cpp /v1/completions (content shape)",
			`{"content":[{"id":42,"token":" cat","logprob":-0.2231435513142097,"bytes":[32,99,97,116],"top_logprobs":[{"id":42,"token":" cat","logprob":-0.2231435513142097,"bytes":[32,99,97,116]}]}]}`,
			[]string{" cat@0.8| cat@0.8"}},
		{"null", `null`, nil},
		{"empty", ``, nil},
		{"garbage", `{"content":5}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := spelled(parseLogprobs(tt.raw))
			if tt.name == "OpenAI completions, two tokens" && len(got) == 2 {
				// map order: normalise the candidates of the first token
				got[0] = " it@0.9|" + strings.Join(sortedAlts(got[0]), "|")
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func sortedAlts(s string) []string {
	parts := strings.Split(s, "|")[1:]
	if len(parts) == 2 && parts[0] > parts[1] {
		parts[0], parts[1] = parts[1], parts[0]
	}
	return parts
}

func TestParseCompletionProbabilities_LlamaCppNative(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"old: content and probs", `[{"content":" cat","probs":[{"tok_str":" cat","prob":0.8},{"tok_str":" dog","prob":0.1}]}]`,
			[]string{" cat@0.8| cat@0.8| dog@0.1"}},
		{"newer: token, logprob, top_logprobs", `[{"id":1,"token":" cat","logprob":-0.2231435513142097,"bytes":[32,99,97,116],"top_logprobs":[{"id":2,"token":" dog","logprob":-2.3025850929940455,"bytes":[32,100,111,103]}]}]`,
			[]string{" cat@0.8| dog@0.1"}},
		{"newer: top_probs", `[{"id":1,"token":" cat","prob":0.8,"top_probs":[{"id":2,"token":" dog","prob":0.1}]}]`,
			[]string{" cat@0.8| dog@0.1"}},
		{"token not among its candidates", `[{"content":" cat","probs":[{"tok_str":" dog","prob":0.1}]}]`, nil},
		{"not a list", `{"content":" cat"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := spelled(parseCompletionProbabilities(tt.raw)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestAlignTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		toks []rawToken
		want []string // token texts; nil: no data
	}{
		{"one to one", " The cat sat.", []rawToken{rt(" The", .5), rt(" cat", .5), rt(" sat", .5), rt(".", .5)}, []string{" The", " cat", " sat", "."}},
		{"chat answer gets a leading space", " The cat.", []rawToken{rt("The", .5), rt(" cat", .5), rt(".", .5)}, []string{" The", " cat", "."}},
		{"leading whitespace dropped", "Rain fell.", []rawToken{rt("\n\n", .5), rt("Rain", .5), rt(" fell", .5), rt(".", .5)}, []string{"Rain", " fell", "."}},
		{"leading newline trimmed from a token", "Rain.", []rawToken{rt("\nRain", .5), rt(".", .5)}, []string{"Rain", "."}},
		{"cut at the sentence end inside a token", " It sat.", []rawToken{rt(" It", .5), rt(" sat", .5), rt(". Then", .5), rt(" it", .5)}, []string{" It", " sat", "."}},
		{"tokens after the cut ignored", " It sat.", []rawToken{rt(" It", .5), rt(" sat", .5), rt(".", .5), rt(" Then", .5)}, []string{" It", " sat", "."}},
		{"trailing whitespace dropped", " It sat.", []rawToken{rt(" It", .5), rt(" sat", .5), rt(".\n", .5)}, []string{" It", " sat", "."}},
		{"trailing whitespace gained (rewrite)", "It sat. ", []rawToken{rt("It", .5), rt(" sat", .5), rt(".", .5)}, []string{"It", " sat", ". "}},
		{"reasoning tokens skipped", "Rain fell.", []rawToken{rt("<think>", .5), rt("Rain is", .5), rt("</think>", .5), rt("\n\n", .5), rt("Rain", .5), rt(" fell.", .5)}, []string{"Rain", " fell."}},
		{"reasoning ends inside a token", "Rain.", []rawToken{rt("<think>x</", .5), rt("think>Rain", .5), rt(".", .5)}, []string{"Rain", "."}},
		{"character split over tokens is one token", " café.", []rawToken{rt(" caf", .5), {bytes: []byte{0xc3}, logprob: math.Log(.5)}, {bytes: []byte{0xa9}, logprob: math.Log(.5)}, rt(".", .5)}, []string{" caf", "é", "."}},
		{"tokens that do not spell the text", " The cat.", []rawToken{rt(" A", .5), rt(" dog", .5)}, nil},
		{"no tokens", " The cat.", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := alignTokens(tt.text, tt.toks)
			var texts []string
			joined := ""
			for _, tok := range got {
				texts = append(texts, tok.Text)
				joined += tok.Text
			}
			if !reflect.DeepEqual(texts, tt.want) {
				t.Fatalf("tokens %q, want %q", texts, tt.want)
			}
			if got != nil && joined != tt.text {
				t.Errorf("tokens spell %q, text is %q", joined, tt.text)
			}
		})
	}
	// The split character's probability is the product of its parts'.
	got := alignTokens("é", []rawToken{{bytes: []byte{0xc3}, logprob: math.Log(.5)}, {bytes: []byte{0xa9}, logprob: math.Log(.5)}})
	if len(got) != 1 || got[0].P != 0.25 {
		t.Errorf("split character = %+v, want one token with p 0.25", got)
	}
}

func TestCandidates_SortedJoinedBounded(t *testing.T) {
	top := []rawAlt{{[]byte(" b"), math.Log(.1)}, {[]byte(" a"), math.Log(.6)}, {[]byte(" b"), math.Log(.1)}, {[]byte{0xe2}, math.Log(.1)}}
	want := []TokenAlt{{" a", .6}, {" b", .2}}
	if got := candidates(top); !reflect.DeepEqual(got, want) {
		t.Errorf("candidates = %+v, want %+v", got, want)
	}
}
