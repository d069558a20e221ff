// Package assist owns the editor's AI assistance: per-model settings
// (persisted), prompt building, one streamed request per suggestion through
// the app's LLProxy with the official OpenAI client, shaping the output into
// fragment text, rounds with cancellation, and batching of the results into
// events. It knows nothing of Wails: the app binds the Service's methods and
// forwards what Emit receives to the frontend.
//
// # Rounds and events
//
// Suggest starts a round: one request per suggestion slot of every active
// model, all at once (separate requests, because vLLM applies stop
// sequences to the whole batch when n > 1). A new round cancels the running
// one; cancelling closes the request context, which closes the connection,
// so the proxy and the backend stop generating.
//
// A round's progress goes out as EventBatch events carrying a Batch: the
// changed slots' full text so far and every round model's status. Chunks of
// all streams are coalesced: a batch is emitted at most once per
// FlushInterval (16 ms by default; the first change after a quiet period is
// emitted at once). Seq numbers a round's batches from 0 in emission order;
// batch 0 lists every slot (empty text) so the grid can be laid out, and the
// last batch has Finished set. Batches of a cancelled round can still
// arrive after the next round's first batch: the frontend keeps only those
// of the round its latest Suggest returned.
//
// # Suggestion text
//
// Output is shaped by pure functions (shape.go): reasoning (<think> blocks,
// reasoning_content fields) is dropped; leading whitespace is fixed so that
// the text reads naturally appended to the fragment before it with nothing
// added (see joinLeading); with stop_at_sentence the text ends at the first
// sentence end (see cutSentences) and the request is cancelled there;
// trailing whitespace is dropped (the next fragment brings its own); a byte
// cap backs up max_tokens.
//
// # Token probabilities
//
// Every request asks for log-probabilities unless the model's
// top_logprobs (K, default 5) is 0: chat sends logprobs: true and
// top_logprobs: K; text sends logprobs: K (the OpenAI completions field;
// OpenAI itself caps it at 5), and to llama.cpp also n_probs: K, which
// builds whose /v1/completions ignore logprobs read. The streamed shapes,
// all parsed (logprobs.go, tested per shape in logprobs_test.go):
//
//   - OpenAI chat: each chunk's choices[0].logprobs is
//     {"content":[{"token":"m","logprob":-1.13,"bytes":[109],
//     "top_logprobs":[{"token":"m","logprob":-1.13,"bytes":[109]},…]}]},
//     the entries of that chunk's tokens. Ollama v0.17 (measured), vLLM and
//     llama.cpp's server send exactly this on /v1/chat/completions.
//   - llama.cpp's /v1/completions sends the same "content" list (entries
//     also carry "id") under choices[0].logprobs.
//   - OpenAI completions: choices[0].logprobs is {"tokens":[…],
//     "token_logprobs":[…],"top_logprobs":[{"tok":lp,…}],"text_offset":[…]};
//     vLLM sends it, spelling a token that is part of a character as
//     "bytes:\xe2\x80". A null token_logprobs entry gives no data.
//   - llama.cpp's native shape (n_probs): completion_probabilities next to
//     the choices, [{"content":" cat","probs":[{"tok_str":" cat","prob":0.8},…]}]
//     in older builds, {"token","logprob","top_logprobs"} or
//     {"token","prob","top_probs"} in newer ones.
//   - Ollama v0.17 ignores logprobs on /v1/completions (measured): no
//     probabilities in text mode there. koboldcpp, tabbyAPI and LM Studio
//     may send none either. A server that sends none is normal: those
//     suggestions carry no tokens, and the page says so.
//
// A token may be part of a character (bytes gives the exact bytes): such
// parts are joined into one token whose probability is the product. The
// tokens are lined up with the shaped text (alignTokens): reasoning is
// skipped, a space the shaper adds joins the first token, the token across
// the sentence cut is cut. When they cannot spell the text exactly, the
// suggestion carries none. Update.Tokens comes with the final text only,
// so streaming costs nothing more per batch (see the benchmark in
// bench_test.go).
//
// # Regenerating from a token
//
// Regenerate continues one fragment from a new prefix (the fragment up to
// and including the token the writer picked). Text mode sends the
// document before the fragment and the prefix as one raw prompt, or
// through the instruction template with the prefix starting the answer.
// Chat mode sends the prefix as the start of the assistant's message to
// servers that continue it: llama.cpp (assistant prefill, on by default;
// --no-prefill-assistant turns it off), vLLM (with continue_final_message:
// true, add_generation_prompt: false) and Ollama (its chat templates leave
// a last assistant message open). OpenAI, koboldcpp, tabbyAPI, LM Studio
// and unknown servers (told apart by owned_by in /v1/models) get a
// text-mode request through the model's template instead.
//
// # Story notes
//
// A continuation's story text starts with the document's memory and has
// the author's note on a line of its own Depth fragments before the
// selection (Notes). The trimmer counts the notes first and drops story
// fragments from the front, never the notes; when the notes leave no room
// the model's slot fails with ErrNotesTooLong naming the sizes. A model
// with ignore_notes gets none. Preview returns exactly what each active
// model would receive, with the trimmed part.
package assist

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"fragmenteditor/backend/registry"
)

// Errors of Suggest.
var (
	ErrNoModels       = errors.New("no models discovered: start an LLM server or add its address to the proxy config")
	ErrNoActiveModels = errors.New("no active models: switch one on in the model panel (m)")
	ErrClosed         = errors.New("assist service closed")
	ErrNoProxy        = errors.New("the proxy is not running: check its settings")
)

// DefaultFlushInterval is the batching period of events (about one frame).
const DefaultFlushInterval = 16 * time.Millisecond

// Options configure a Service.
type Options struct {
	// BaseURL is the OpenAI-compatible API root the requests go to, the
	// app's own LLProxy, e.g. "http://127.0.0.1:3333/v1". Required unless
	// Endpoint is set.
	BaseURL string
	// APIKey is sent as a bearer token when not empty (the proxy's key).
	APIKey string
	// Endpoint, when set, is asked at the start of every round for the
	// base URL and key, in place of BaseURL and APIKey: the proxy's address
	// changes when its config is edited. An empty URL fails the round with
	// ErrNoProxy.
	Endpoint func() (baseURL, apiKey string)
	// SettingsDir holds assist.json. Required; created if missing.
	SettingsDir string
	// Models returns the current model list in panel order. Required.
	Models func() []registry.Model
	// Emit receives every event (name, payload). It is called from the
	// round goroutines, one call at a time per round; it must not block for
	// long. Required.
	Emit func(name string, payload any)
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// FlushInterval is the batching period; zero means DefaultFlushInterval.
	FlushInterval time.Duration
	// HTTPClient; nil means a client of its own with no overall timeout
	// (a cold model load can take minutes before the first byte; rounds
	// are ended by cancellation).
	HTTPClient *http.Client
}

// Service runs suggestion rounds. Create it with New; call Close at shutdown.
type Service struct {
	opts     Options
	logger   *slog.Logger
	settings *settingsStore
	chat     openai.ChatCompletionService
	text     openai.CompletionService

	mu     sync.Mutex
	rounds map[string]*round // guarded by mu: rounds not finished yet
	nextID int               // guarded by mu
	closed bool              // guarded by mu
	wg     sync.WaitGroup    // round goroutines
}

// New checks opts, loads the settings and returns a Service.
func New(opts Options) (*Service, error) {
	var errs []error
	if opts.Endpoint == nil {
		if err := checkBaseURL(opts.BaseURL); err != nil {
			errs = append(errs, fmt.Errorf("assist: %w", err))
		}
		base, key := opts.BaseURL, opts.APIKey
		opts.Endpoint = func() (string, string) { return base, key }
	}
	if opts.Models == nil {
		errs = append(errs, errors.New("assist: Models is nil"))
	}
	if opts.Emit == nil {
		errs = append(errs, errors.New("assist: Emit is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	logger := opts.Logger.With("component", "assist")
	if opts.FlushInterval <= 0 {
		opts.FlushInterval = DefaultFlushInterval
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = newHTTPClient()
	}
	st, err := openSettings(opts.SettingsDir, logger)
	if err != nil {
		return nil, err
	}
	s := &Service{opts: opts, logger: logger, settings: st, rounds: map[string]*round{}}
	// The services are built directly, not through openai.NewClient, so
	// that ambient OPENAI_* variables (base URL, keys, headers) never apply.
	// The base URL and key come with each request (see endpointOptions).
	clientOpts := []option.RequestOption{
		option.WithHTTPClient(opts.HTTPClient),
		option.WithMaxRetries(0),
		option.WithMiddleware(backendErrors),
	}
	s.chat = openai.NewChatCompletionService(clientOpts...)
	s.text = openai.NewCompletionService(clientOpts...)
	return s, nil
}

func checkBaseURL(base string) error {
	if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("base URL %q: want http(s)://host[:port]/v1", base)
	}
	return nil
}

// endpointOptions are the per-request options of a round: where the proxy
// is now, and its key.
func (s *Service) endpointOptions() ([]option.RequestOption, error) {
	base, key := s.opts.Endpoint()
	if base == "" {
		return nil, ErrNoProxy
	}
	if err := checkBaseURL(base); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoProxy, err)
	}
	opts := []option.RequestOption{option.WithBaseURL(base)}
	if key != "" {
		opts = append(opts, option.WithAPIKey(key))
	}
	return opts, nil
}

func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32 // one connection per concurrent suggestion
	return &http.Client{Transport: t}
}

// Close cancels every round and waits for their goroutines (their last
// events are emitted). Later calls to Suggest fail with ErrClosed.
func (s *Service) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.CancelAll()
	s.wg.Wait()
}

// Settings returns a copy of the persisted settings.
func (s *Service) Settings() AllSettings { return s.settings.get() }

// SetModelSettings validates and stores one model's settings. Errors wrap
// ErrInvalidSettings and name every bad field.
func (s *Service) SetModelSettings(name string, ms ModelSettings) error {
	if name == "" {
		return fmt.Errorf("%w: empty model name", ErrInvalidSettings)
	}
	if err := ms.Validate(); err != nil {
		return err
	}
	models := s.opts.Models()
	return s.settings.update(func(all *AllSettings) { setModel(all, models, name, ms) })
}

// ModelsView is the model panel: every model with its effective settings
// and context size, in the given order.
func (s *Service) ModelsView(models []registry.Model) []ModelInfo {
	return modelsView(s.settings.get(), models)
}

// Models is ModelsView of the current model list.
func (s *Service) Models() []ModelInfo { return s.ModelsView(s.opts.Models()) }

// Cancel stops a round; unknown or finished rounds are ignored.
func (s *Service) Cancel(roundID string) {
	s.mu.Lock()
	r := s.rounds[roundID]
	s.mu.Unlock()
	if r != nil {
		r.cancel()
	}
}

// CancelAll stops every running round.
func (s *Service) CancelAll() { s.cancelWhere(func(*round) bool { return true }) }

// CancelClient stops every running round of one page (the Client of its
// requests), leaving other pages' rounds running.
func (s *Service) CancelClient(client string) {
	s.cancelWhere(func(r *round) bool { return r.client == client })
}

func (s *Service) cancelWhere(match func(*round) bool) {
	s.mu.Lock()
	running := make([]*round, 0, len(s.rounds))
	for _, r := range s.rounds {
		if match(r) {
			running = append(running, r)
		}
	}
	s.mu.Unlock()
	for _, r := range running {
		r.cancel()
	}
}
