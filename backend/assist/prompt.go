package assist

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Request kinds.
const (
	KindContinue = "continue"
	KindRewrite  = "rewrite"
)

// ErrBadRequest wraps every problem with a SuggestRequest.
var ErrBadRequest = errors.New("bad suggestion request")

// SuggestRequest asks the active models for suggestions.
type SuggestRequest struct {
	// Fragments is the document; joined with nothing added they are its text.
	Fragments []string `json:"fragments"`
	// Selection is the selected fragment; len(Fragments) means the <new>
	// slot after the last fragment (the whole document). For continue, the
	// context is the document up to and including the selection.
	Selection int `json:"selection"`
	// Kind is KindContinue or KindRewrite.
	Kind string `json:"kind"`
	// Instruction is the rewrite instruction; empty means
	// DefaultInstruction.
	Instruction string `json:"instruction,omitempty"`
	// Target is the fragment to rewrite (KindRewrite only).
	Target int `json:"target,omitempty"`
}

func (r SuggestRequest) validate() error {
	switch r.Kind {
	case KindContinue:
		if r.Selection < 0 || r.Selection > len(r.Fragments) {
			return fmt.Errorf("%w: selection %d outside 0..%d", ErrBadRequest, r.Selection, len(r.Fragments))
		}
	case KindRewrite:
		if r.Target < 0 || r.Target >= len(r.Fragments) {
			return fmt.Errorf("%w: rewrite target %d outside 0..%d", ErrBadRequest, r.Target, len(r.Fragments)-1)
		}
		if strings.TrimSpace(r.Fragments[r.Target]) == "" {
			return fmt.Errorf("%w: nothing to rewrite in fragment %d", ErrBadRequest, r.Target)
		}
	default:
		return fmt.Errorf("%w: kind %q is not %q or %q", ErrBadRequest, r.Kind, KindContinue, KindRewrite)
	}
	return nil
}

// Token estimate: about 4 bytes of text per token, which holds for English
// prose with common tokenizers and overestimates space for most other
// Latin-script text. Prompts are trimmed to the model's context minus
// max_tokens minus the estimated size of the fixed prompt parts, with a
// reserve of 1/16 of the context for estimation error.
const bytesPerToken = 4

func estimateTokens(s string) int { return (len(s) + bytesPerToken - 1) / bytesPerToken }

// rewriteContextBytes bounds the text before a rewritten fragment: enough to
// keep tone and references, small enough to keep rewrites quick.
const rewriteContextBytes = 4000

// trimFront joins fragments, dropping whole fragments from the front until
// the text fits in limit bytes. When even the last fragment does not fit,
// its end is kept, starting after a whitespace when there is one near the
// cut.
func trimFront(fragments []string, limit int) string {
	total, start := 0, len(fragments)
	for start > 0 && total+len(fragments[start-1]) <= limit {
		start--
		total += len(fragments[start])
	}
	if start == len(fragments) && start > 0 {
		return tailBytes(fragments[start-1], limit)
	}
	return strings.Join(fragments[start:], "")
}

// tailBytes keeps at most limit bytes from the end of s, starting at a rune
// boundary, after the first whitespace in the first eighth of the kept part.
func tailBytes(s string, limit int) string {
	if limit <= 0 {
		return ""
	}
	cut := len(s) - limit
	for cut < len(s) && !utf8.RuneStart(s[cut]) {
		cut++
	}
	tail := s[cut:]
	if sp := strings.IndexFunc(tail, unicode.IsSpace); sp >= 0 && sp < len(tail)/8 {
		tail = strings.TrimLeftFunc(tail[sp:], unicode.IsSpace)
	}
	return tail
}

// Prompt is everything one request needs, built purely from the request
// and the model's settings.
type Prompt struct {
	// Chat selects /v1/chat/completions with System (if not empty) and User;
	// otherwise /v1/completions with Text.
	Chat   bool
	System string
	User   string
	Text   string
	// Stop sequences sent with the request (template end-of-turn markers).
	Stop []string
	// Shaper turns the output into fragment text.
	Shaper shaper
}

// The fixed system prompt of rewrites; the model's own system prompt is
// about continuing text.
const rewriteSystemPrompt = "You are a writing assistant. Rewrite the given text as instructed. " +
	"Keep its language and meaning unless told otherwise. Reply with the rewritten text only, without quotes or comments."

// emptyDocumentRequest replaces an empty user message (some servers reject
// one): the model is asked for an opening sentence.
const emptyDocumentRequest = "(The document is empty. Write its first sentence.)"

// BuildPrompt builds the prompt for one model. contextTokens is the model's
// context size (from the server or the settings).
func BuildPrompt(req SuggestRequest, s ModelSettings, contextTokens int) (Prompt, error) {
	if err := req.validate(); err != nil {
		return Prompt{}, err
	}
	if req.Kind == KindRewrite {
		return buildRewrite(req, s, contextTokens), nil
	}
	return buildContinue(req, s, contextTokens), nil
}

// textBudget is how many bytes of document fit after fixed (the estimated
// tokens of the rest of the prompt).
func textBudget(s ModelSettings, contextTokens, fixed int) int {
	budget := contextTokens - s.MaxTokens - fixed - contextTokens/16
	return max(budget, 16) * bytesPerToken
}

func buildContinue(req SuggestRequest, s ModelSettings, contextTokens int) Prompt {
	upto := req.Fragments[:min(req.Selection+1, len(req.Fragments))]
	prev := strings.Join(upto, "")
	p := Prompt{Shaper: shaper{prev: prev, chat: true, charCap: charCap(s)}}
	if s.StopAtSentence {
		p.Shaper.sentences = 1
	}
	system := s.SystemPrompt
	switch {
	case s.Mode == ModeChat:
		text := trimFront(upto, textBudget(s, contextTokens, estimateTokens(system)+8))
		p.Chat, p.System, p.User = true, system, orEmptyRequest(text)
	case s.Template == TemplateRaw:
		text := trimFront(upto, textBudget(s, contextTokens, 0))
		p.Text, p.Shaper.chat = text, false
	default:
		overhead := estimateTokens(system) + 16
		text := trimFront(upto, textBudget(s, contextTokens, overhead))
		p.Text, p.Stop = wrapTemplate(s.Template, system, orEmptyRequest(text))
	}
	return p
}

func buildRewrite(req SuggestRequest, s ModelSettings, contextTokens int) Prompt {
	original := req.Fragments[req.Target]
	before := req.Fragments[:req.Target]
	body := strings.TrimRightFunc(original, unicode.IsSpace)
	ins := trimInstruction(req.Instruction)
	p := Prompt{Shaper: shaper{
		prev:     strings.Join(before, ""),
		chat:     true,
		charCap:  max(charCap(s), 2*len(original)+64),
		trailing: original[len(body):],
	}}
	if s.StopAtSentence {
		p.Shaper.sentences = countSentences(body)
	}
	fixed := estimateTokens(rewriteSystemPrompt+ins+original) + 32
	limit := min(textBudget(s, contextTokens, fixed), rewriteContextBytes)
	context := trimFront(before, limit)
	user := rewriteMessage(context, ins, strings.TrimSpace(body))
	switch {
	case s.Mode == ModeChat:
		p.Chat, p.System, p.User = true, rewriteSystemPrompt, user
	case s.Template == TemplateRaw:
		p.Text = user + "\n\nRewritten text:"
		p.Stop = []string{"\n\n"}
	default:
		p.Text, p.Stop = wrapTemplate(s.Template, rewriteSystemPrompt, user)
	}
	return p
}

func rewriteMessage(context, instruction, text string) string {
	var b strings.Builder
	if strings.TrimSpace(context) != "" {
		b.WriteString("Text before it, for context only:\n")
		b.WriteString(strings.TrimSpace(context))
		b.WriteString("\n\n")
	}
	b.WriteString("Instruction: ")
	b.WriteString(instruction)
	b.WriteString("\n\nText to rewrite:\n")
	b.WriteString(text)
	return b.String()
}

func orEmptyRequest(text string) string {
	if strings.TrimSpace(text) == "" {
		return emptyDocumentRequest
	}
	return text
}

// charCap bounds a suggestion's bytes in case a server ignores max_tokens:
// twice the estimate of max_tokens, plus room for one long word.
func charCap(s ModelSettings) int { return 2*bytesPerToken*s.MaxTokens + 32 }

// wrapTemplate wraps a system and a user message in an instruction
// template for /v1/completions, and returns the template's stop sequences.
// An empty system prompt leaves its section out.
func wrapTemplate(template, system, user string) (string, []string) {
	var b strings.Builder
	switch template {
	case TemplateAlpaca:
		if system != "" {
			b.WriteString(system + "\n\n")
		}
		b.WriteString("### Instruction:\n" + user + "\n\n### Response:\n")
		return b.String(), []string{"### ", "\n\n\n"}
	case TemplateChatML:
		if system != "" {
			b.WriteString("<|im_start|>system\n" + system + "<|im_end|>\n")
		}
		b.WriteString("<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n")
		return b.String(), []string{"<|im_end|>", "<|im_start|>"}
	case TemplateLlama3:
		if system != "" {
			b.WriteString("<|start_header_id|>system<|end_header_id|>\n\n" + system + "<|eot_id|>")
		}
		b.WriteString("<|start_header_id|>user<|end_header_id|>\n\n" + user + "<|eot_id|>")
		b.WriteString("<|start_header_id|>assistant<|end_header_id|>\n\n")
		return b.String(), []string{"<|eot_id|>", "<|start_header_id|>"}
	}
	return user, nil
}
