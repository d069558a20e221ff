package assist

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestTrimFront(t *testing.T) {
	tests := []struct {
		name      string
		fragments []string
		limit     int
		want      string
	}{
		{"everything fits", []string{"One. ", "Two. ", "Three."}, 100, "One. Two. Three."},
		{"drops whole fragments from the front", []string{"One. ", "Two. ", "Three."}, 12, "Two. Three."},
		{"exact fit", []string{"One. ", "Two. ", "Three."}, 11, "Two. Three."},
		{"keeps the nearest fragment", []string{"One. ", "Two. ", "Three."}, 6, "Three."},
		{"cuts inside a too long last fragment after a space", []string{"alpha beta gamma delta epsilon"}, 20, "gamma delta epsilon"},
		{"empty", nil, 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := trimFront(tt.fragments, tt.limit)
			if got != tt.want {
				t.Errorf("trimFront = %q, want %q", got, tt.want)
			}
			if len(got) > tt.limit {
				t.Errorf("trimFront kept %d bytes, limit %d", len(got), tt.limit)
			}
		})
	}
}

func chatSettings() ModelSettings { return DefaultModelSettings(0) }

func textSettings(template string) ModelSettings {
	s := DefaultModelSettings(0)
	s.Mode, s.Template = ModeText, template
	return s
}

func TestBuildPrompt_ContinueContext(t *testing.T) {
	doc := []string{"Once upon a time. ", "There was a cat. ", "It sat.", " The end."}
	tests := []struct {
		name      string
		selection int
		wantUser  string
		wantPrev  string
	}{
		{"up to and including the selection", 1, "Once upon a time. There was a cat. ", "Once upon a time. There was a cat. "},
		{"first fragment", 0, "Once upon a time. ", "Once upon a time. "},
		{"new slot means the whole document", 4, strings.Join(doc, ""), strings.Join(doc, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: tt.selection}, chatSettings(), 4096)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Chat || p.System != DefaultSystemPrompt || p.User != tt.wantUser {
				t.Errorf("prompt = chat %v system %q user %q; want user %q", p.Chat, p.System, p.User, tt.wantUser)
			}
			if p.Shaper.prev != tt.wantPrev || !p.Shaper.chat || p.Shaper.sentences != 1 {
				t.Errorf("shaper = %+v", p.Shaper)
			}
		})
	}
}

func TestBuildPrompt_EmptyDocument(t *testing.T) {
	p, err := BuildPrompt(SuggestRequest{Kind: KindContinue}, chatSettings(), 4096)
	if err != nil {
		t.Fatal(err)
	}
	if p.User != emptyDocumentRequest || p.Shaper.prev != "" {
		t.Errorf("user %q prev %q", p.User, p.Shaper.prev)
	}
}

func TestBuildPrompt_TrimsToContext(t *testing.T) {
	// 200 fragments of 100 bytes; a 1024-token context with 60 max tokens
	// leaves (1024-60-64-fixed) tokens, about 3.5 KB of text.
	var doc []string
	for i := range 200 {
		doc = append(doc, strings.Repeat(string(rune('a'+i%26)), 99)+" ")
	}
	s := textSettings(TemplateRaw)
	p, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 150}, s, 1024)
	if err != nil {
		t.Fatal(err)
	}
	budget := (1024 - s.MaxTokens - 1024/16) * bytesPerToken
	if len(p.Text) > budget || len(p.Text) < budget-100 {
		t.Errorf("kept %d bytes, want at most %d and within one fragment of it", len(p.Text), budget)
	}
	if !strings.HasSuffix(p.Text, doc[150]) {
		t.Errorf("prompt does not end with the selected fragment")
	}
	if len(p.Text)%100 != 0 {
		t.Errorf("prompt of %d bytes is not cut at a fragment boundary", len(p.Text))
	}
	if p.Shaper.prev != strings.Join(doc[:151], "") {
		t.Errorf("joining must see the untrimmed text before the suggestion")
	}
}

func TestBuildPrompt_Templates(t *testing.T) {
	doc := []string{"It was late. "}
	tests := []struct {
		template string
		contains []string
		suffix   string
		stop     []string
		chatJoin bool
	}{
		{TemplateRaw, []string{"It was late. "}, "It was late. ", nil, false},
		{TemplateAlpaca, []string{DefaultSystemPrompt, "### Instruction:\nIt was late. "}, "### Response:\n", []string{"### ", "\n\n\n"}, true},
		{TemplateChatML, []string{"<|im_start|>system\n" + DefaultSystemPrompt + "<|im_end|>", "<|im_start|>user\nIt was late. <|im_end|>"},
			"<|im_start|>assistant\n", []string{"<|im_end|>", "<|im_start|>"}, true},
		{TemplateLlama3, []string{"<|start_header_id|>system<|end_header_id|>\n\n" + DefaultSystemPrompt + "<|eot_id|>",
			"<|start_header_id|>user<|end_header_id|>\n\nIt was late. <|eot_id|>"},
			"<|start_header_id|>assistant<|end_header_id|>\n\n", []string{"<|eot_id|>", "<|start_header_id|>"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			p, err := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 1}, textSettings(tt.template), 4096)
			if err != nil {
				t.Fatal(err)
			}
			if p.Chat {
				t.Fatal("text mode built a chat prompt")
			}
			for _, c := range tt.contains {
				if !strings.Contains(p.Text, c) {
					t.Errorf("prompt %q lacks %q", p.Text, c)
				}
			}
			if !strings.HasSuffix(p.Text, tt.suffix) || !slices.Equal(p.Stop, tt.stop) || p.Shaper.chat != tt.chatJoin {
				t.Errorf("prompt %q stop %q chat join %v", p.Text, p.Stop, p.Shaper.chat)
			}
			if strings.Contains(p.Text, "<|begin_of_text|>") {
				t.Error("the server adds begin-of-text itself")
			}
		})
	}
}

func TestBuildPrompt_NoSystemPrompt(t *testing.T) {
	s := textSettings(TemplateChatML)
	s.SystemPrompt = ""
	p, _ := BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: []string{"x"}, Selection: 0}, s, 4096)
	if strings.Contains(p.Text, "system") {
		t.Errorf("empty system prompt still sent: %q", p.Text)
	}
	c := chatSettings()
	c.SystemPrompt = ""
	p, _ = BuildPrompt(SuggestRequest{Kind: KindContinue, Fragments: []string{"x"}, Selection: 0}, c, 4096)
	if p.System != "" {
		t.Errorf("system = %q", p.System)
	}
}

func TestBuildPrompt_Rewrite(t *testing.T) {
	doc := []string{"Once upon a time. ", "The cat sat on the mat. It purred.\n", "The end."}
	req := SuggestRequest{Kind: KindRewrite, Fragments: doc, Target: 1, Instruction: "  Make it funnier "}
	tests := []struct {
		name     string
		settings ModelSettings
		check    func(t *testing.T, p Prompt)
	}{
		{"chat", chatSettings(), func(t *testing.T, p Prompt) {
			if !p.Chat || p.System != rewriteSystemPrompt {
				t.Errorf("chat %v system %q", p.Chat, p.System)
			}
			for _, want := range []string{"Once upon a time.", "Instruction: Make it funnier", "Text to rewrite:\nThe cat sat on the mat. It purred."} {
				if !strings.Contains(p.User, want) {
					t.Errorf("user message %q lacks %q", p.User, want)
				}
			}
			if strings.Contains(p.User, "The end.") {
				t.Error("text after the target leaked into the prompt")
			}
		}},
		{"raw text", textSettings(TemplateRaw), func(t *testing.T, p Prompt) {
			if p.Chat || !strings.HasSuffix(p.Text, "Rewritten text:") || !p.Shaper.chat {
				t.Errorf("text %q chat join %v", p.Text, p.Shaper.chat)
			}
		}},
		{"chatml", textSettings(TemplateChatML), func(t *testing.T, p Prompt) {
			if !strings.Contains(p.Text, "<|im_start|>system\n"+rewriteSystemPrompt) {
				t.Errorf("text %q", p.Text)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := BuildPrompt(req, tt.settings, 4096)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p)
			sh := p.Shaper
			if sh.prev != doc[0] || sh.trailing != "\n" || sh.sentences != 2 {
				t.Errorf("shaper prev %q trailing %q sentences %d", sh.prev, sh.trailing, sh.sentences)
			}
		})
	}
}

func TestBuildPrompt_DefaultInstruction(t *testing.T) {
	p, err := BuildPrompt(SuggestRequest{Kind: KindRewrite, Fragments: []string{"A b."}, Target: 0}, chatSettings(), 4096)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.User, "Instruction: "+DefaultInstruction) || strings.Contains(p.User, "context only") {
		t.Errorf("user %q", p.User)
	}
}

func TestBuildPrompt_BadRequests(t *testing.T) {
	doc := []string{"a", " b"}
	tests := []struct {
		name string
		req  SuggestRequest
	}{
		{"unknown kind", SuggestRequest{Kind: "poem", Fragments: doc}},
		{"selection past new slot", SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: 3}},
		{"negative selection", SuggestRequest{Kind: KindContinue, Fragments: doc, Selection: -1}},
		{"rewrite of the new slot", SuggestRequest{Kind: KindRewrite, Fragments: doc, Target: 2}},
		{"rewrite of blank text", SuggestRequest{Kind: KindRewrite, Fragments: []string{"  "}, Target: 0}},
		{"client name too long", SuggestRequest{Kind: KindContinue, Fragments: doc, Client: strings.Repeat("x", maxClientBytes+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := BuildPrompt(tt.req, chatSettings(), 4096); !errors.Is(err, ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
		})
	}
}
