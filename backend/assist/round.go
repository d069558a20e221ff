package assist

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/openai/openai-go/v3/option"
)

// EventBatch is the name of the event carrying a Batch.
const EventBatch = "assist:batch"

// MaxSuggestions is the most suggestions one round shows.
const MaxSuggestions = 10

// Batch is one event of a round.
type Batch struct {
	Round string `json:"round"`
	// Seq counts the round's batches from 0, in emission order.
	Seq  int    `json:"seq"`
	Kind string `json:"kind"`
	// Target is the rewritten fragment (KindRewrite), or the selection the
	// suggestions continue (KindContinue).
	Target int `json:"target"`
	// Updates are the slots that changed since the previous batch (all of
	// them in batch 0).
	Updates []Update `json:"updates"`
	// Status is the state of every model of the round, in model order.
	Status []Status `json:"status"`
	// Finished marks the round's last batch; Cancelled says it was
	// cancelled (by Cancel, CancelAll, Close or a newer round).
	Finished  bool `json:"finished"`
	Cancelled bool `json:"cancelled"`
}

// Update is the state of one suggestion slot.
type Update struct {
	Model string `json:"model"`
	// Index is the suggestion's place among its model's suggestions.
	Index int `json:"index"`
	// Slot is its place in the round's reading order (0–9).
	Slot int `json:"slot"`
	// Number is its key: 1–9, then 0 for the tenth.
	Number int `json:"number"`
	// Text is the whole suggestion so far, ready to insert as a fragment.
	Text string `json:"text"`
	// Done is set once the text is final.
	Done bool `json:"done"`
	// Error is the backend's message when the request failed.
	Error string `json:"error,omitempty"`
	// Tokens come with the final text (Done) when the server sent
	// probabilities; they spell Text exactly, or for KindRegenerate the
	// text after the request's prefix. Absent: none from this server (or
	// the model's top_logprobs is 0).
	Tokens []Token `json:"tokens,omitempty"`
}

// Model states.
const (
	StateIdle      = "idle"
	StateWaiting   = "waiting"
	StateStreaming = "streaming"
	StateError     = "error"
)

// Status is one model's state in a round.
type Status struct {
	Model string `json:"model"`
	// State is StateIdle, StateWaiting (requests sent, nothing back yet),
	// StateStreaming or StateError.
	State string `json:"state"`
	// TPS is the model's generation rate over all its streams of the round:
	// chunks (content or reasoning) per second.
	TPS float64 `json:"tps"`
	// Message is the backend's error message in StateError.
	Message string `json:"message,omitempty"`
}

// slotPlan is one request of a round, decided before anything is sent.
type slotPlan struct {
	model    string
	server   string
	index    int
	number   int
	settings ModelSettings
	prompt   Prompt
	// err fails the slot before any request (the notes do not fit).
	err string
}

// planSlots numbers the suggestions of the active models, in model order
// then each model's own order, at most MaxSuggestions in all, and builds
// their prompts.
func planSlots(req SuggestRequest, view []ModelInfo) ([]slotPlan, error) {
	var plans []slotPlan
	for _, m := range view {
		if !m.Active {
			continue
		}
		p, err := BuildPrompt(req, m.Settings, m.ContextTokens)
		failed := ""
		switch {
		case errors.Is(err, ErrNotesTooLong):
			failed = fmt.Sprintf("%s: %v", m.Name, err)
		case err != nil:
			return nil, err
		}
		for i := 0; i < m.Settings.Suggestions && len(plans) < MaxSuggestions; i++ {
			plans = append(plans, slotPlan{
				model: m.Name, server: m.Server, index: i, number: (len(plans) + 1) % 10,
				settings: m.Settings, prompt: p, err: failed,
			})
			if failed != "" {
				break // one slot carries the message
			}
		}
	}
	return plans, nil
}

// Suggest starts a round for req and returns its id. It cancels the
// running round of req.Client first. Errors: ErrBadRequest, ErrNoModels,
// ErrNoActiveModels, ErrClosed.
func (s *Service) Suggest(req SuggestRequest) (string, error) {
	if err := req.validate(); err != nil {
		return "", err
	}
	models := s.opts.Models()
	if len(models) == 0 {
		return "", ErrNoModels
	}
	plans, err := planSlots(req, s.ModelsView(models))
	if err != nil {
		return "", err
	}
	if len(plans) == 0 {
		return "", ErrNoActiveModels
	}
	endpoint, err := s.endpointOptions()
	if err != nil {
		return "", err
	}
	if req.Kind == KindRewrite {
		ins := trimInstruction(req.Instruction)
		if err := s.settings.update(func(all *AllSettings) { rememberInstruction(all, ins) }); err != nil {
			s.logger.Warn("could not save the instruction history", "err", err)
		}
	}
	target := req.Selection
	if req.Kind == KindRewrite {
		target = req.Target
	}

	r, err := s.start(req.Client, req.Kind, target, plans, endpoint)
	if err != nil {
		return "", err
	}
	return r.id, nil
}

// Regenerate starts a round of one suggestion: req.Model continues
// req.Prefix, the new start of fragment req.Index (token mode). The model
// need not be active. It cancels the running round of req.Client first. Errors:
// ErrBadRequest (also for a model that is not discovered),
// ErrNotesTooLong, ErrClosed.
func (s *Service) Regenerate(req ContinueRequest) (string, error) {
	if err := req.validate(); err != nil {
		return "", err
	}
	var info *ModelInfo
	for _, m := range s.Models() {
		if m.Name == req.Model {
			info = &m
			break
		}
	}
	if info == nil {
		return "", fmt.Errorf("%w: model %q is not available now: is its server running?", ErrBadRequest, req.Model)
	}
	p, err := BuildContinuation(req, info.Settings, info.ContextTokens, info.Server)
	if err != nil {
		return "", fmt.Errorf("%s: %w", req.Model, err)
	}
	endpoint, err := s.endpointOptions()
	if err != nil {
		return "", err
	}
	plan := slotPlan{model: info.Name, server: info.Server, number: 1, settings: info.Settings, prompt: p}
	r, err := s.start(req.Client, KindRegenerate, req.Index, []slotPlan{plan}, endpoint)
	if err != nil {
		return "", err
	}
	return r.id, nil
}

// maxLiveRounds bounds the rounds running at once across all pages; a
// round beyond it cancels the oldest.
const maxLiveRounds = 8

// start registers a round of client for plans, cancelling client's
// running round (and the oldest of all when maxLiveRounds run), and runs
// it in the background.
func (s *Service) start(client, kind string, target int, plans []slotPlan, endpoint []option.RequestOption) (*round, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var live []*round
	for _, old := range s.rounds {
		switch {
		case old.client == client:
			old.cancel()
		case old.ctx.Err() == nil:
			live = append(live, old)
		}
	}
	if len(live) >= maxLiveRounds {
		oldest := slices.MinFunc(live, func(a, b *round) int { return cmp.Compare(a.seq, b.seq) })
		oldest.cancel()
	}
	s.nextID++
	r := newRound(fmt.Sprintf("r%d", s.nextID), kind, target, plans)
	r.seq, r.client, r.endpoint = s.nextID, client, endpoint
	s.rounds[r.id] = r
	s.wg.Add(1)
	go s.runRound(r)
	return r, nil
}

// round is the live state of one Suggest call.
type round struct {
	id     string
	seq    int    // order of starting
	client string // the page that asked (SuggestRequest.Client)
	kind   string
	target int
	plans  []slotPlan
	models []string // distinct models of plans, in order
	// endpoint holds the per-request options: base URL and key.
	endpoint []option.RequestOption
	ctx      context.Context
	cancel   context.CancelFunc
	wake     chan struct{} // a slot changed; capacity 1

	mu    sync.Mutex
	slots []slotState // guarded by mu; one per plan
	dirty bool        // guarded by mu: something changed since the last batch
}

type slotState struct {
	text    string
	done    bool
	err     string
	state   string
	tokens  int
	probs   []Token   // with done
	first   time.Time // first chunk
	last    time.Time // latest chunk
	changed bool      // text, done or err changed since the last batch
}

func newRound(id, kind string, target int, plans []slotPlan) *round {
	ctx, cancel := context.WithCancel(context.Background())
	r := &round{
		id: id, kind: kind, target: target, plans: plans, ctx: ctx, cancel: cancel,
		wake: make(chan struct{}, 1), slots: make([]slotState, len(plans)),
	}
	for i, p := range plans {
		r.slots[i].state = StateWaiting
		if i == 0 || plans[i-1].model != p.model {
			r.models = append(r.models, p.model)
		}
	}
	return r
}

// change updates slot i under the lock and wakes the flusher.
func (r *round) change(i int, f func(*slotState)) {
	r.mu.Lock()
	f(&r.slots[i])
	r.dirty = true
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// runRound runs the streams of r and its flusher until all streams ended,
// then emits the last batch.
func (s *Service) runRound(r *round) {
	defer s.wg.Done()
	var streams sync.WaitGroup
	for i := range r.plans {
		streams.Add(1)
		go func() {
			defer streams.Done()
			s.runSlot(r, i)
		}()
	}
	ended := make(chan struct{})
	go func() {
		streams.Wait()
		close(ended)
	}()
	s.flushLoop(r, ended)

	s.mu.Lock()
	delete(s.rounds, r.id)
	s.mu.Unlock()
	r.cancel()
}

// flushLoop emits batch 0 at once, then a batch whenever something
// changed, at most once per FlushInterval, and the last batch once ended is
// closed.
func (s *Service) flushLoop(r *round, ended <-chan struct{}) {
	interval := s.opts.FlushInterval
	seq := 0
	emit := func(all, final bool) {
		if b, ok := r.batch(seq, all, final, time.Now()); ok {
			s.opts.Emit(EventBatch, b)
			seq++
		}
	}
	emit(true, false)
	last := time.Now()
	var timer *time.Timer
	var due <-chan time.Time
	for {
		select {
		case <-r.wake:
			if due != nil {
				continue // a flush is already scheduled
			}
			if wait := interval - time.Since(last); wait > 0 {
				timer = time.NewTimer(wait)
				due = timer.C
				continue
			}
			emit(false, false)
			last = time.Now()
		case <-due:
			due = nil
			emit(false, false)
			last = time.Now()
		case <-ended:
			if timer != nil {
				timer.Stop()
			}
			emit(false, true)
			return
		}
	}
}

// batch collects the changes since the previous batch; ok is false when
// there are none (and it is neither the first nor the last batch).
func (r *round) batch(seq int, all, final bool, now time.Time) (Batch, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.dirty && !all && !final {
		return Batch{}, false
	}
	b := Batch{Round: r.id, Seq: seq, Kind: r.kind, Target: r.target, Finished: final,
		Updates: []Update{}, Status: make([]Status, 0, len(r.models))}
	if final {
		b.Cancelled = r.ctx.Err() != nil
	}
	for i := range r.slots {
		st := &r.slots[i]
		if all || st.changed {
			p := r.plans[i]
			b.Updates = append(b.Updates, Update{Model: p.model, Index: p.index, Slot: i, Number: p.number,
				Text: st.text, Done: st.done, Error: st.err})
			if st.done {
				b.Updates[len(b.Updates)-1].Tokens = st.probs
			}
			st.changed = false
		}
	}
	for _, m := range r.models {
		b.Status = append(b.Status, r.modelStatusLocked(m, final))
	}
	r.dirty = false
	return b, true
}

// modelStatusLocked folds the model's slots into one status: streaming if
// any streams, else waiting if any waits, else error if any failed, else
// idle.
func (r *round) modelStatusLocked(model string, final bool) Status {
	st := Status{Model: model, State: StateIdle}
	rank := map[string]int{StateIdle: 0, StateError: 1, StateWaiting: 2, StateStreaming: 3}
	var first, last time.Time
	intervals := 0
	for i, p := range r.plans {
		if p.model != model {
			continue
		}
		s := r.slots[i]
		state := s.state
		if final && state != StateError {
			state = StateIdle
		}
		if rank[state] > rank[st.State] {
			st.State = state
		}
		if s.err != "" && st.Message == "" {
			st.Message = s.err
		}
		if s.tokens > 0 {
			intervals += s.tokens - 1
			if first.IsZero() || s.first.Before(first) {
				first = s.first
			}
			if s.last.After(last) {
				last = s.last
			}
		}
	}
	if span := last.Sub(first).Seconds(); span > 0 {
		st.TPS = float64(intervals) / span
	}
	if st.State != StateError {
		st.Message = ""
	}
	return st
}
