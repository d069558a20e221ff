package assist

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Request kinds.
const (
	KindContinue = "continue"
	KindRewrite  = "rewrite"
	// KindRegenerate continues one fragment from a new prefix (token mode).
	KindRegenerate = "regenerate"
)

// ErrBadRequest wraps every problem with a SuggestRequest.
var ErrBadRequest = errors.New("bad suggestion request")

// ErrShortWindow: a request that carries only the end of the document
// (First > 0) did not carry all the story a prompt would use. Send the
// whole document (First 0) instead; the message says how much was used.
var ErrShortWindow = errors.New("the request left out story text the prompt would use")

// ErrNotesTooLong: the story notes leave no room for the story in a
// model's context. The message names the model and the sizes.
var ErrNotesTooLong = errors.New("the story notes do not fit the model's context")

// Notes are the document's story notes (see backend/documents).
type Notes struct {
	// Memory leads the prompt's story text.
	Memory string `json:"memory"`
	// AuthorsNote goes Depth fragments before the end of the story text.
	AuthorsNote string `json:"authors_note"`
	Depth       int    `json:"depth"`
}

func (n *Notes) empty() bool {
	return n == nil || (strings.TrimSpace(n.Memory) == "" && strings.TrimSpace(n.AuthorsNote) == "")
}

// SuggestRequest asks the active models for suggestions.
type SuggestRequest struct {
	// Fragments is the document, or the part of it from fragment First on;
	// joined with nothing added they are its text.
	Fragments []string `json:"fragments"`
	// First is the document index of Fragments[0]. A page sends only what
	// a prompt can use of a long document: the fragments before the
	// selection (the rewrite's target) that the largest context of its
	// models can hold, and no more than that. A prompt that would have used
	// more fails with ErrShortWindow, never with less context. Indices
	// (Selection, Target) are the document's, not Fragments'.
	First int `json:"first,omitempty"`
	// Selection is the selected fragment; First+len(Fragments) means the
	// <new> slot after the last fragment (the whole document). For
	// continue, the context is the document up to and including the
	// selection.
	Selection int `json:"selection"`
	// Kind is KindContinue or KindRewrite.
	Kind string `json:"kind"`
	// Instruction is the rewrite instruction; empty means
	// DefaultInstruction.
	Instruction string `json:"instruction,omitempty"`
	// Target is the fragment to rewrite (KindRewrite only).
	Target int `json:"target,omitempty"`
	// Notes are the document's story notes; nil for none. Continuations
	// use them, rewrites do not.
	Notes *Notes `json:"notes,omitempty"`
	// Client names the page that asks (a browser tab, the desktop
	// window). A round cancels the running round of its own page only:
	// pages writing through one server at once do not cancel each other.
	Client string `json:"client,omitempty"`
}

// maxClientBytes bounds a request's Client (a page's random name).
const maxClientBytes = 128

func checkClient(client string) error {
	if len(client) > maxClientBytes {
		return fmt.Errorf("%w: client name of %d bytes (at most %d)", ErrBadRequest, len(client), maxClientBytes)
	}
	return nil
}

func (r SuggestRequest) validate() error {
	if err := checkClient(r.Client); err != nil {
		return err
	}
	if r.First < 0 {
		return fmt.Errorf("%w: first fragment %d is negative", ErrBadRequest, r.First)
	}
	r = r.local()
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

// local is r with Selection and Target as indices of Fragments.
func (r SuggestRequest) local() SuggestRequest {
	r.Selection -= r.First
	if r.Kind == KindRewrite {
		r.Target -= r.First
	}
	return r
}

// shortWindow fails a request that left out fragments (first > 0) when
// the story text it carried (carried, before what the prompt adds) fits in
// limit bytes whole: the story would have gone on into the fragments left
// out. Carrying more than limit bytes proves the window enough, as the
// story is trimmed from the front.
func shortWindow(first int, carried []string, limit int) error {
	if first == 0 {
		return nil
	}
	total := 0
	for _, f := range carried {
		total += len(f)
	}
	if total <= limit {
		return fmt.Errorf("%w: it starts at fragment %d with %d bytes of story before the point of the request, and the prompt has room for %d: send the whole document", ErrShortWindow, first, total, limit)
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
	start, tail := trimFrontAt(fragments, limit)
	if start == len(fragments) {
		return tail
	}
	return strings.Join(fragments[start:], "")
}

// trimFrontAt is trimFront's decision: the first whole fragment kept, or
// len(fragments) and the kept end of the last one when none fits whole.
func trimFrontAt(fragments []string, limit int) (start int, tail string) {
	total, start := 0, len(fragments)
	for start > 0 && total+len(fragments[start-1]) <= limit {
		start--
		total += len(fragments[start])
	}
	if start == len(fragments) && start > 0 {
		return start, tailBytes(fragments[start-1], limit)
	}
	return start, ""
}

// story is the story text of a prompt: the memory first, then as many
// fragments as fit in limit bytes (dropped from the front), with the
// author's note depth fragments before the end. The notes are counted
// first: they are never cut (see notesBudget). minDepth keeps the note
// off the end (a continuation must end with its prefix).
type story struct {
	text             string
	trimmedBytes     int
	trimmedFragments int
}

func buildStory(fragments []string, limit int, notes *Notes, minDepth int) story {
	memory, note := noteBlocks(notes)
	total := 0
	for _, f := range fragments {
		total += len(f)
	}
	start, tail := trimFrontAt(fragments, limit)
	kept := fragments[start:]
	if start == len(fragments) && start > 0 {
		kept = []string{tail}
		start--
	}
	depth := 0
	if notes != nil {
		depth = notes.Depth
	}
	at := min(max(len(fragments)-max(depth, minDepth), start), len(fragments)) - start
	var b strings.Builder
	b.WriteString(memory)
	before := strings.Join(kept[:at], "")
	b.WriteString(before)
	if note != "" {
		if before != "" && !strings.HasSuffix(before, "\n") {
			b.WriteString("\n")
		}
		b.WriteString(note)
		b.WriteString("\n")
	}
	rest := strings.Join(kept[at:], "")
	b.WriteString(rest)
	st := story{text: b.String(), trimmedFragments: start}
	st.trimmedBytes = total - len(before) - len(rest)
	return st
}

// noteBlocks are the memory (followed by a blank line) and the author's
// note (its own line), trimmed; "" for those not set.
func noteBlocks(n *Notes) (memory, note string) {
	if n == nil {
		return "", ""
	}
	if m := strings.TrimSpace(n.Memory); m != "" {
		memory = m + "\n\n"
	}
	return memory, strings.TrimSpace(n.AuthorsNote)
}

// minStoryTokens is the least room for story text a prompt must leave
// after the notes.
const minStoryTokens = 16

// storyBudget is the bytes of story text that fit after fixed tokens and
// the notes, or ErrNotesTooLong naming the model's sizes.
func storyBudget(s ModelSettings, contextTokens, fixed int, notes *Notes) (int, error) {
	memory, note := noteBlocks(notes)
	noteTokens := 0
	if memory != "" || note != "" {
		noteTokens = estimateTokens(memory) + estimateTokens(note) + 1
	}
	room := contextTokens - s.MaxTokens - fixed - contextTokens/16 - noteTokens
	if noteTokens > 0 && room < minStoryTokens {
		return 0, fmt.Errorf("%w: they need about %d tokens and the context holds %d, of which %d are kept for the answer (max tokens) and about %d for the rest of the prompt: shorten the memory or the author's note, or switch notes off for this model",
			ErrNotesTooLong, noteTokens, contextTokens, s.MaxTokens, fixed+contextTokens/16+minStoryTokens)
	}
	return max(room, minStoryTokens) * bytesPerToken, nil
}

// tailBytes keeps at most limit bytes from the end of s, starting at a rune
// boundary, after the first whitespace in the first eighth of the kept part.
func tailBytes(s string, limit int) string {
	if limit <= 0 {
		return ""
	}
	if len(s) <= limit {
		return s
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
	// Assistant is the start of the answer a chat continues (KindRegenerate
	// on servers that continue it); ContinueFinal adds vLLM's
	// continue_final_message and add_generation_prompt: false.
	Assistant     string
	ContinueFinal bool
	// Stop sequences sent with the request (template end-of-turn markers).
	Stop []string
	// Shaper turns the output into fragment text.
	Shaper shaper
	// TrimmedBytes and TrimmedFragments are the story text left out at the
	// front to fit the context (TrimmedFragments counts whole fragments).
	TrimmedBytes     int
	TrimmedFragments int
}

// The fixed system prompt of rewrites; the model's own system prompt is
// about continuing text.
const rewriteSystemPrompt = "You are a writing assistant. Rewrite the given text as instructed. " +
	"Keep its language and meaning unless told otherwise. Reply with the rewritten text only, without quotes or comments."

// emptyDocumentRequest replaces an empty user message (some servers reject
// one): the model is asked for an opening sentence.
const emptyDocumentRequest = "(The document is empty. Write its first sentence.)"

// BuildPrompt builds the prompt for one model. contextTokens is the model's
// context size (from the server or the settings). Errors: ErrBadRequest,
// ErrNotesTooLong.
func BuildPrompt(req SuggestRequest, s ModelSettings, contextTokens int) (Prompt, error) {
	if err := req.validate(); err != nil {
		return Prompt{}, err
	}
	first := req.First
	req = req.local()
	if req.Kind == KindRewrite {
		return buildRewrite(req, first, s, contextTokens)
	}
	return buildContinue(req, first, s, contextTokens)
}

// notesFor are the notes a model's prompts use.
func notesFor(n *Notes, s ModelSettings) *Notes {
	if s.IgnoreNotes || n.empty() {
		return nil
	}
	return n
}

// textBudget is how many bytes of document fit after fixed (the estimated
// tokens of the rest of the prompt).
func textBudget(s ModelSettings, contextTokens, fixed int) int {
	budget := contextTokens - s.MaxTokens - fixed - contextTokens/16
	return max(budget, 16) * bytesPerToken
}

// buildContinue builds a continuation of req (indices local to its
// fragments, which start at document fragment first).
func buildContinue(req SuggestRequest, first int, s ModelSettings, contextTokens int) (Prompt, error) {
	upto := req.Fragments[:min(req.Selection+1, len(req.Fragments))]
	prev := strings.Join(upto, "")
	p := Prompt{Shaper: shaper{prev: prev, chat: true, charCap: charCap(s)}}
	if s.StopAtSentence {
		p.Shaper.sentences = 1
	}
	notes := notesFor(req.Notes, s)
	system := s.SystemPrompt
	fixed := 0
	switch {
	case s.Mode == ModeChat:
		fixed = estimateTokens(system) + 8
	case s.Template != TemplateRaw:
		fixed = estimateTokens(system) + 16
	}
	limit, err := storyBudget(s, contextTokens, fixed, notes)
	if err != nil {
		return Prompt{}, err
	}
	if err := shortWindow(first, upto, limit); err != nil {
		return Prompt{}, err
	}
	st := buildStory(upto, limit, notes, 0)
	// The bytes left out are those of the fragments carried; the fragments count all.
	p.TrimmedBytes, p.TrimmedFragments = st.trimmedBytes, first+st.trimmedFragments
	switch {
	case s.Mode == ModeChat:
		p.Chat, p.System, p.User = true, system, orEmptyRequest(st.text)
	case s.Template == TemplateRaw:
		p.Text, p.Shaper.chat = st.text, false
	default:
		p.Text, p.Stop = wrapTemplate(s.Template, system, orEmptyRequest(st.text))
	}
	return p, nil
}

// ContinueRequest asks one model to regenerate a fragment from a new
// start: the prompt ends with the document before the fragment and
// Prefix, and the answer continues Prefix (token mode's Enter).
type ContinueRequest struct {
	// Fragments is the document, or its part from fragment First on (see
	// SuggestRequest.First).
	Fragments []string `json:"fragments"`
	// First is the document index of Fragments[0].
	First int `json:"first,omitempty"`
	// Index is the regenerated fragment (the document's index).
	Index int `json:"index"`
	// Prefix is its new start: its text up to and including the chosen
	// token. Not empty.
	Prefix string `json:"prefix"`
	// Model is the model that continues.
	Model string `json:"model"`
	Notes *Notes `json:"notes,omitempty"`
	// Client: as in SuggestRequest.
	Client string `json:"client,omitempty"`
}

func (r ContinueRequest) validate() error {
	if err := checkClient(r.Client); err != nil {
		return err
	}
	switch {
	case r.First < 0:
		return fmt.Errorf("%w: first fragment %d is negative", ErrBadRequest, r.First)
	case r.Index < r.First || r.Index >= r.First+len(r.Fragments):
		return fmt.Errorf("%w: fragment %d outside %d..%d", ErrBadRequest, r.Index, r.First, r.First+len(r.Fragments)-1)
	case r.Prefix == "":
		return fmt.Errorf("%w: empty prefix", ErrBadRequest)
	case r.Model == "":
		return fmt.Errorf("%w: no model", ErrBadRequest)
	}
	return nil
}

// BuildContinuation builds the request that continues req.Prefix. Text
// mode sends the document and the prefix as one raw prompt (through the
// template: the prefix starts the answer). Chat mode sends the prefix as
// the start of the assistant's message to servers that continue it
// (continuesAssistant), and otherwise falls back to a text-mode request
// through the model's template. The shaped text is the whole fragment:
// the prefix and what follows, cut at the sentence end after it.
func BuildContinuation(req ContinueRequest, s ModelSettings, contextTokens int, server string) (Prompt, error) {
	if err := req.validate(); err != nil {
		return Prompt{}, err
	}
	notes := notesFor(req.Notes, s)
	system := s.SystemPrompt
	chat := s.Mode == ModeChat && continuesAssistant(server)
	template := s.Template
	fixed := estimateTokens(req.Prefix)
	if chat || template != TemplateRaw {
		fixed += estimateTokens(system) + 16
	}
	limit, err := storyBudget(s, contextTokens, fixed, notes)
	if err != nil {
		return Prompt{}, err
	}
	before := req.Fragments[:req.Index-req.First]
	if err := shortWindow(req.First, before, limit); err != nil {
		return Prompt{}, err
	}
	st := buildStory(append(slices.Clip(before), req.Prefix), limit+len(req.Prefix), notes, 1)
	context, ok := strings.CutSuffix(st.text, req.Prefix)
	if !ok { // the prefix alone is longer than the context: keep its end
		context, st.text = "", tailBytes(req.Prefix, limit)
	}
	p := Prompt{TrimmedBytes: st.trimmedBytes, TrimmedFragments: req.First + st.trimmedFragments}
	p.Shaper = shaper{prev: strings.Join(before, "") + req.Prefix, prefix: req.Prefix, charCap: charCap(s) + len(req.Prefix)}
	if s.StopAtSentence {
		p.Shaper.sentences = 1 + sentenceEnds(req.Prefix)
	}
	switch {
	case chat:
		p.Chat, p.System, p.User, p.Assistant = true, system, orEmptyRequest(context), req.Prefix
		p.ContinueFinal = server == ServerVLLM
	case template == TemplateRaw:
		p.Text = st.text
	default:
		wrapped, stop := wrapTemplate(template, system, orEmptyRequest(context))
		p.Text, p.Stop = wrapped+req.Prefix, stop
	}
	return p, nil
}

// sentenceEnds counts the sentence ends inside text that more text cannot
// undo (a final "." may still be "3.14").
func sentenceEnds(text string) int {
	n := 0
	for rest := text; ; n++ {
		cut, ok := cutSentences(rest, 1, false)
		if !ok {
			return n
		}
		rest = rest[len(cut):]
	}
}

// buildRewrite builds a rewrite of req (indices local to its fragments,
// which start at document fragment first).
func buildRewrite(req SuggestRequest, first int, s ModelSettings, contextTokens int) (Prompt, error) {
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
	if err := shortWindow(first, before, limit); err != nil {
		return Prompt{}, err
	}
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
	return p, nil
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

// alignTokens lines up a suggestion's tokens with its text; for a
// continuation, with the text after the prefix (the page has the
// prefix's).
func (p Prompt) alignTokens(text string, toks []rawToken) []Token {
	if len(toks) == 0 {
		return nil
	}
	return alignTokens(strings.TrimPrefix(text, p.Shaper.prefix), toks)
}
