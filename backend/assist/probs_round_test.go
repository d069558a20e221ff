package assist

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// withServer makes the fixture's model i look like a kind of server
// (its /v1/models owned_by).
func (fx *fixture) withServer(i int, ownedBy string) {
	fx.list[i].Raw = json.RawMessage(`{"id":"` + fx.list[i].Name + `","object":"model","owned_by":"` + ownedBy + `"}`)
}

func tokenTexts(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestSuggest_TokenProbabilitiesPerShape(t *testing.T) {
	tests := []struct {
		name  string
		mode  string
		shape probShape
		want  bool
	}{
		{"chat: OpenAI, Ollama, vLLM, llama.cpp", ModeChat, shapeChat, true},
		{"text: OpenAI completions, vLLM", ModeText, shapeCompletions, true},
		{"text: llama.cpp /v1/completions", ModeText, shapeLlamaCppCompletions, true},
		{"text: llama.cpp completion_probabilities", ModeText, shapeLlamaCppNative, true},
		{"text: Ollama sends none", ModeText, shapeNone, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, func(fakeRequest) fakeReply {
				return fakeReply{Chunks: []string{" The", " cat", " sat", ".", " Then"}, Probs: tt.shape, Prob: []float64{0.9, 0.25, 0.5, 1}}
			}, func(_ int, s *ModelSettings) { s.Suggestions, s.Mode, s.Template = 1, tt.mode, TemplateRaw }, "m")
			id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"Once."}, Selection: 0})
			req := recv(t, fx.fake.requests, "the request")
			if tt.mode == ModeChat {
				if req.Body["logprobs"] != true || req.Body["top_logprobs"] != float64(DefaultTopLogprobs) {
					t.Errorf("chat request asks logprobs %v top_logprobs %v", req.Body["logprobs"], req.Body["top_logprobs"])
				}
			} else if req.Body["logprobs"] != float64(DefaultTopLogprobs) || req.Body["n_probs"] != nil {
				t.Errorf("text request asks logprobs %v (n_probs %v)", req.Body["logprobs"], req.Body["n_probs"])
			}
			u := final(fx.events.until(t, id))[0]
			if u.Text != " The cat sat." {
				t.Fatalf("text %q", u.Text)
			}
			if !tt.want {
				if u.Tokens != nil {
					t.Errorf("tokens %+v from a server that sent none", u.Tokens)
				}
				return
			}
			if got := strings.Join(tokenTexts(u.Tokens), "|"); got != " The| cat| sat|." {
				t.Fatalf("tokens %q", got)
			}
			if u.Tokens[1].P != 0.25 || len(u.Tokens[1].Top) != 2 || u.Tokens[1].Top[0] != (TokenAlt{"~ cat", 0.75}) {
				t.Errorf("token 1 = %+v", u.Tokens[1])
			}
		})
	}
}

func TestSuggest_TopLogprobsZeroAsksNone(t *testing.T) {
	for _, mode := range []string{ModeChat, ModeText} {
		fx := newFixture(t, func(fakeRequest) fakeReply {
			return fakeReply{Chunks: []string{" A", "."}, Probs: shapeChat}
		}, func(_ int, s *ModelSettings) { s.Suggestions, s.Mode, s.TopLogprobs = 1, mode, 0 }, "m")
		id := fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"Once."}, Selection: 0})
		req := recv(t, fx.fake.requests, "the request")
		for _, k := range []string{"logprobs", "top_logprobs", "n_probs"} {
			if v, ok := req.Body[k]; ok {
				t.Errorf("%s: request has %s = %v", mode, k, v)
			}
		}
		if u := final(fx.events.until(t, id))[0]; u.Tokens != nil {
			t.Errorf("%s: tokens %+v with K = 0", mode, u.Tokens)
		}
	}
}

func TestSuggest_LlamaCppTextGetsNProbs(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{Chunks: []string{" A."}} },
		func(_ int, s *ModelSettings) { s.Suggestions, s.Mode, s.TopLogprobs = 1, ModeText, 3 }, "m")
	fx.withServer(0, "llamacpp")
	fx.suggest(t, SuggestRequest{Kind: KindContinue, Fragments: []string{"Once."}, Selection: 0})
	req := recv(t, fx.fake.requests, "the request")
	if req.Body["logprobs"] != 3.0 || req.Body["n_probs"] != 3.0 {
		t.Errorf("llama.cpp text request: logprobs %v n_probs %v", req.Body["logprobs"], req.Body["n_probs"])
	}
}

func TestRegenerate_PrefixSentPerServer(t *testing.T) {
	doc := []string{"It was late. ", "The rain had stopped. ", "Nobody came."}
	tests := []struct {
		name     string
		mode     string
		template string
		ownedBy  string
		check    func(t *testing.T, req fakeRequest)
	}{
		{"text mode: raw prompt ends with the prefix", ModeText, TemplateRaw, "llamacpp", func(t *testing.T, req fakeRequest) {
			if req.Path != "/v1/completions" || req.Body["prompt"] != "It was late. The rain had stopped. The snow" {
				t.Errorf("%s prompt %q", req.Path, req.Body["prompt"])
			}
		}},
		{"text mode through a template: the answer starts with the prefix", ModeText, TemplateChatML, "koboldcpp", func(t *testing.T, req fakeRequest) {
			p, _ := req.Body["prompt"].(string)
			if req.Path != "/v1/completions" || !strings.HasSuffix(p, "<|im_start|>assistant\nThe snow") || !strings.Contains(p, "It was late. The rain had stopped. <|im_end|>") {
				t.Errorf("%s prompt %q", req.Path, p)
			}
		}},
		{"chat on Ollama: assistant message continued", ModeChat, TemplateRaw, "library", func(t *testing.T, req fakeRequest) {
			msgs := req.Body["messages"].([]any)
			last := msgs[len(msgs)-1].(map[string]any)
			if req.Path != "/v1/chat/completions" || last["role"] != "assistant" || last["content"] != "The snow" || req.Body["continue_final_message"] != nil {
				t.Errorf("%s messages %s", req.Path, toJSON(msgs))
			}
			if user := msgs[len(msgs)-2].(map[string]any)["content"]; user != "It was late. The rain had stopped. " {
				t.Errorf("user message %q", user)
			}
		}},
		{"chat on vLLM: continue_final_message", ModeChat, TemplateRaw, "vllm", func(t *testing.T, req fakeRequest) {
			if req.Body["continue_final_message"] != true || req.Body["add_generation_prompt"] != false {
				t.Errorf("body %v", req.Body)
			}
		}},
		{"chat elsewhere: text request through the template", ModeChat, TemplateLlama3, "organization_owner", func(t *testing.T, req fakeRequest) {
			p, _ := req.Body["prompt"].(string)
			if req.Path != "/v1/completions" || !strings.HasSuffix(p, "<|start_header_id|>assistant<|end_header_id|>\n\nThe snow") {
				t.Errorf("%s prompt %q", req.Path, p)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t, func(fakeRequest) fakeReply {
				return fakeReply{Chunks: []string{" had", " fallen", ".", " More"}, Probs: shapeChat, Prob: []float64{0.5, 0.8, 1}}
			}, func(_ int, s *ModelSettings) { s.Mode, s.Template, s.Active = tt.mode, tt.template, false }, "m")
			fx.withServer(0, tt.ownedBy)
			id, err := fx.svc.Regenerate(ContinueRequest{Fragments: doc, Index: 2, Prefix: "The snow", Model: "m"})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, recv(t, fx.fake.requests, "the request"))
			batches := fx.events.until(t, id)
			if batches[0].Kind != KindRegenerate || batches[0].Target != 2 || len(batches[0].Updates) != 1 {
				t.Errorf("batch 0 = %+v", batches[0])
			}
			u := final(batches)[0]
			if u.Text != "The snow had fallen." || !u.Done {
				t.Errorf("text %q", u.Text)
			}
			if got := strings.Join(tokenTexts(u.Tokens), "|"); got != " had| fallen|." {
				t.Errorf("tokens of the continuation %q", got)
			}
		})
	}
}

func TestRegenerate_Errors(t *testing.T) {
	fx := newFixture(t, func(fakeRequest) fakeReply { return fakeReply{} }, nil, "m")
	for _, req := range []ContinueRequest{
		{Fragments: []string{"A."}, Index: 1, Prefix: "x", Model: "m"},
		{Fragments: []string{"A."}, Index: 0, Prefix: "", Model: "m"},
		{Fragments: []string{"A."}, Index: 0, Prefix: "x", Model: "gone"},
	} {
		if _, err := fx.svc.Regenerate(req); !errors.Is(err, ErrBadRequest) {
			t.Errorf("Regenerate(%+v) = %v, want ErrBadRequest", req, err)
		}
	}
}

func TestBuildContinuation_SentenceCutAfterThePrefix(t *testing.T) {
	p, err := BuildContinuation(ContinueRequest{Fragments: []string{"A. B."}, Index: 0, Prefix: "Dr. Who said. Then", Model: "m"},
		textSettings(TemplateRaw), 4096, "")
	if err != nil {
		t.Fatal(err)
	}
	got, done := p.Shaper.shape(" he left. And more", false)
	if got != "Dr. Who said. Then he left." || !done {
		t.Errorf("shape = %q, %v", got, done)
	}
	if got, _ := p.Shaper.shape("", true); got != "Dr. Who said. Then" {
		t.Errorf("empty continuation = %q", got)
	}
}
