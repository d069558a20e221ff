package assist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/shared"
)

// deltas is a streamed answer seen as text deltas.
type deltas interface {
	Next() bool
	// Delta is the current chunk's output text, and whether the chunk
	// carried generated output at all (content or reasoning), which is
	// what the status counts as a token.
	Delta() (text string, token bool)
	// Logprobs is the current chunk's token probabilities, unparsed (the
	// stream loop keeps them and parses once, when the text is final).
	Logprobs() rawLogprobs
	Err() error
	Close() error
}

type chatDeltas struct {
	*ssestream.Stream[openai.ChatCompletionChunk]
}

// Delta reads choices[0].delta.content; reasoning_content (and reasoning)
// fields count as tokens but never become text.
func (c chatDeltas) Delta() (string, bool) {
	ch := c.Current()
	if len(ch.Choices) == 0 {
		return "", false
	}
	d := ch.Choices[0].Delta
	if d.Content != "" {
		return d.Content, true
	}
	for _, key := range []string{"reasoning_content", "reasoning"} {
		if f, ok := d.JSON.ExtraFields[key]; ok && f.Valid() && f.Raw() != `""` {
			return "", true
		}
	}
	return "", false
}

// Logprobs reads choices[0].logprobs of a chunk with content (reasoning
// tokens are never part of the text).
func (c chatDeltas) Logprobs() rawLogprobs {
	ch := c.Current()
	if len(ch.Choices) == 0 || ch.Choices[0].Delta.Content == "" {
		return rawLogprobs{}
	}
	return rawLogprobs{choice: ch.Choices[0].JSON.Logprobs.Raw()}
}

type textDeltas struct {
	*ssestream.Stream[openai.Completion]
}

func (c textDeltas) Delta() (string, bool) {
	ch := c.Current()
	if len(ch.Choices) == 0 || ch.Choices[0].Text == "" {
		return "", false
	}
	return ch.Choices[0].Text, true
}

// Logprobs reads choices[0].logprobs, or llama.cpp's
// completion_probabilities next to the choices.
func (c textDeltas) Logprobs() rawLogprobs {
	ch := c.Current()
	if len(ch.Choices) == 0 || ch.Choices[0].Text == "" {
		return rawLogprobs{}
	}
	r := rawLogprobs{choice: ch.Choices[0].JSON.Logprobs.Raw()}
	if f, ok := ch.JSON.ExtraFields["completion_probabilities"]; ok {
		r.native = f.Raw()
	}
	return r
}

// rawLogprobs is one chunk's probabilities as the server sent them: the
// choice's "logprobs" and llama.cpp's chunk-level
// "completion_probabilities".
type rawLogprobs struct{ choice, native string }

// parse reads them in whichever shape they came.
func (r rawLogprobs) parse() []rawToken {
	if toks := parseLogprobs(r.choice); toks != nil {
		return toks
	}
	return parseCompletionProbabilities(r.native)
}

// parseAll parses the chunks' probabilities in order.
func parseAll(chunks []rawLogprobs) []rawToken {
	var out []rawToken
	for _, c := range chunks {
		out = append(out, c.parse()...)
	}
	return out
}

// open sends the request of plan p with the round's endpoint options.
func (s *Service) open(ctx context.Context, p slotPlan, endpoint []option.RequestOption) deltas {
	ms := p.settings
	k := int64(ms.TopLogprobs)
	if p.prompt.Chat {
		var msgs []openai.ChatCompletionMessageParamUnion
		if p.prompt.System != "" {
			msgs = append(msgs, openai.SystemMessage(p.prompt.System))
		}
		msgs = append(msgs, openai.UserMessage(p.prompt.User))
		if p.prompt.Assistant != "" {
			msgs = append(msgs, openai.AssistantMessage(p.prompt.Assistant))
		}
		params := openai.ChatCompletionNewParams{
			Model:       shared.ChatModel(p.model),
			Messages:    msgs,
			MaxTokens:   openai.Int(int64(ms.MaxTokens)),
			Temperature: openai.Float(ms.Temperature),
			TopP:        openai.Float(ms.TopP),
		}
		if len(p.prompt.Stop) > 0 {
			params.Stop.OfStringArray = p.prompt.Stop
		}
		if k > 0 {
			params.Logprobs, params.TopLogprobs = openai.Bool(true), openai.Int(k)
		}
		opts := endpoint
		if p.prompt.ContinueFinal {
			opts = append(slices.Clip(opts), option.WithJSONSet("continue_final_message", true),
				option.WithJSONSet("add_generation_prompt", false))
		}
		return chatDeltas{s.chat.NewStreaming(ctx, params, opts...)}
	}
	params := openai.CompletionNewParams{
		Model:       openai.CompletionNewParamsModel(p.model),
		Prompt:      openai.CompletionNewParamsPromptUnion{OfString: openai.String(p.prompt.Text)},
		MaxTokens:   openai.Int(int64(ms.MaxTokens)),
		Temperature: openai.Float(ms.Temperature),
		TopP:        openai.Float(ms.TopP),
	}
	if len(p.prompt.Stop) > 0 {
		params.Stop.OfStringArray = p.prompt.Stop
	}
	opts := endpoint
	if k > 0 {
		params.Logprobs = openai.Int(k)
		if p.server == ServerLlamaCpp {
			// Builds whose /v1/completions ignore logprobs read n_probs.
			opts = append(slices.Clip(opts), option.WithJSONSet("n_probs", k))
		}
	}
	return textDeltas{s.text.NewStreaming(ctx, params, opts...)}
}

// runSlot streams one suggestion into slot i of r. Its request ends when
// the text is complete (sentence end or length cap: the request context is
// cancelled, which closes the connection upstream), when the stream ends,
// or when the round is cancelled.
func (s *Service) runSlot(r *round, i int) {
	p := r.plans[i]
	if p.err != "" {
		r.change(i, func(st *slotState) { st.done, st.err, st.state, st.changed = true, p.err, StateError, true })
		return
	}
	ctx, stop := context.WithCancel(r.ctx)
	defer stop()
	stream := s.open(ctx, p, r.endpoint)
	defer stream.Close()

	var raw strings.Builder
	var probs []rawLogprobs
	text, tokens := "", 0
	// A server that ignores max_tokens is stopped a little after it.
	tokenLimit := p.settings.MaxTokens + 16
	for stream.Next() {
		delta, token := stream.Delta()
		if !token {
			continue
		}
		tokens++
		raw.WriteString(delta)
		if p.settings.TopLogprobs > 0 {
			if lp := stream.Logprobs(); lp != (rawLogprobs{}) {
				probs = append(probs, lp)
			}
		}
		next, complete := p.prompt.Shaper.shape(raw.String(), false)
		complete = complete || tokens >= tokenLimit
		now := time.Now()
		var final []Token
		if complete { // parsed once, outside the round's lock
			final = p.prompt.alignTokens(next, parseAll(probs))
		}
		r.change(i, func(st *slotState) {
			if st.tokens == 0 {
				st.first, st.state = now, StateStreaming
			}
			st.tokens, st.last = tokens, now
			if next != text || complete {
				st.text, st.changed = next, true
			}
			if complete {
				st.done, st.state, st.probs = true, StateIdle, final
			}
		})
		text = next
		if complete {
			stop()
			return
		}
	}
	err := stream.Err()
	switch {
	case r.ctx.Err() != nil:
		// Cancelled: keep what arrived, without an error.
		toks := p.prompt.alignTokens(text, parseAll(probs))
		r.change(i, func(st *slotState) {
			st.done, st.state, st.changed, st.probs = true, StateIdle, true, toks
		})
	case err != nil:
		msg := errorMessage(err)
		s.logger.Info("suggestion failed", "model", p.model, "round", r.id, "err", msg)
		r.change(i, func(st *slotState) {
			st.done, st.err, st.state, st.changed = true, msg, StateError, true
		})
	default:
		final, _ := p.prompt.Shaper.shape(raw.String(), true)
		toks := p.prompt.alignTokens(final, parseAll(probs))
		r.change(i, func(st *slotState) {
			st.text, st.done, st.state, st.changed, st.probs = final, true, StateIdle, true, toks
		})
	}
}

// BackendError is an HTTP error answer from the proxy or a backend.
type BackendError struct {
	StatusCode int
	// Message is the body's error.message (OpenAI shape), its error string,
	// or the start of the body.
	Message string
}

func (e *BackendError) Error() string {
	return fmt.Sprintf("backend answered %d: %s", e.StatusCode, e.Message)
}

// backendErrors is client middleware turning error answers into
// *BackendError, whatever their body looks like.
func backendErrors(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	res, err := next(req)
	if err != nil || res.StatusCode < 400 {
		return res, err
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	return nil, &BackendError{StatusCode: res.StatusCode, Message: bodyMessage(body, res.Status)}
}

// bodyMessage finds the human message in an error body: {"error":
// {"message": …}}, {"error": "…"}, {"message": …}, or the text itself.
func bodyMessage(body []byte, fallback string) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var str string
		switch {
		case json.Unmarshal(v.Error, &inner) == nil && inner.Message != "":
			return inner.Message
		case json.Unmarshal(v.Error, &str) == nil && str != "":
			return str
		case v.Message != "":
			return v.Message
		case v.Detail != "":
			return v.Detail
		}
	}
	text := string(bytes.TrimSpace(body))
	if text == "" || text[0] == '{' || text[0] == '<' {
		return fallback
	}
	if len(text) > 300 {
		text = text[:300] + "…"
	}
	return text
}

// errorMessage is what the status line shows for a failed request.
func errorMessage(err error) string {
	var be *BackendError
	if errors.As(err, &be) {
		return be.Message
	}
	var se *ssestream.StreamError
	if errors.As(err, &se) {
		return bodyMessage(se.Event.Data, se.Message)
	}
	return err.Error()
}
