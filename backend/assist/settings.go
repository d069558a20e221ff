package assist

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"fragmenteditor/backend/atomicfile"
	"fragmenteditor/backend/registry"
)

// Modes and templates a model can be driven with.
const (
	// ModeChat calls /v1/chat/completions with a system and a user message.
	ModeChat = "chat"
	// ModeText calls /v1/completions with a prompt built by Template.
	ModeText = "text"

	// TemplateRaw sends the document text as is: the model continues it
	// (base models). The system prompt is not used.
	TemplateRaw = "raw"
	// TemplateAlpaca puts the system prompt first, then the request under
	// "### Instruction:" and the answer under "### Response:".
	TemplateAlpaca = "alpaca"
	// TemplateChatML wraps it in <|im_start|>…<|im_end|> turns (Qwen, many
	// fine-tunes).
	TemplateChatML = "chatml"
	// TemplateLlama3 wraps it in Llama-3 header/eot turns. The begin-of-text
	// token is left to the server, which adds it when tokenizing.
	TemplateLlama3 = "llama3"
)

// Defaults for a model the user never configured.
const (
	DefaultSystemPrompt = "You are a writing assistant. Continue the user's text with the next sentence only. " +
		"Reply with the continuation text only, without quotes or comments."
	DefaultInstruction   = "Rewrite this sentence"
	DefaultTemperature   = 0.8
	DefaultTopP          = 0.95
	DefaultMaxTokens     = 60
	DefaultSuggestions   = 3
	DefaultContextTokens = 4096
	// DefaultTopLogprobs is K, the candidates asked for per token.
	DefaultTopLogprobs = 5
	// MaxTopLogprobs is the most servers give (OpenAI's limit for chat).
	MaxTopLogprobs = 20
	// MaxInstructions is how many recent rewrite instructions are kept.
	MaxInstructions = 10
)

// Palette gives unconfigured models a colour by their position in the
// model list (wrapping around).
var Palette = []string{
	"#2f7ed8", "#e4572e", "#29a36a", "#9b5de5", "#e0a100",
	"#00a3a3", "#d6336c", "#6b8e23", "#8d6e63", "#5c6bc0",
}

// ErrInvalidSettings wraps every validation failure of SetModelSettings.
var ErrInvalidSettings = errors.New("invalid model settings")

// ModelSettings is what the model panel edits for one model.
type ModelSettings struct {
	// Active models are asked on every round.
	Active bool `json:"active"`
	// Mode is ModeChat or ModeText.
	Mode string `json:"mode"`
	// Template is used in ModeText: TemplateRaw, TemplateAlpaca,
	// TemplateChatML or TemplateLlama3.
	Template string `json:"template"`
	// SystemPrompt is sent for continuations in chat mode and in the
	// instruction templates. Empty sends none.
	SystemPrompt string `json:"system_prompt"`
	// Temperature is 0–2.
	Temperature float64 `json:"temperature"`
	// TopP is 0–1.
	TopP float64 `json:"top_p"`
	// MaxTokens is the length limit per suggestion, 1–4096.
	MaxTokens int `json:"max_tokens"`
	// Suggestions is how many suggestions (separate requests) per round,
	// 1–10. A round never shows more than ten in all.
	Suggestions int `json:"suggestions"`
	// StopAtSentence cuts each suggestion at its first sentence end.
	StopAtSentence bool `json:"stop_at_sentence"`
	// Color is "#rrggbb".
	Color string `json:"color"`
	// ContextTokens is the context size used when the model list gives
	// none, 256–1048576.
	ContextTokens int `json:"context_tokens"`
	// TopLogprobs is K: every request asks for each token's probability
	// and its K most likely candidates, 0–20; 0 asks for none.
	TopLogprobs int `json:"top_logprobs"`
	// IgnoreNotes leaves the document's story notes out of this model's
	// prompts.
	IgnoreNotes bool `json:"ignore_notes"`
}

// AllSettings is the persisted state of the package.
type AllSettings struct {
	// Models holds the models the user configured, by name. Models not in
	// here use defaults.
	Models map[string]ModelSettings `json:"models"`
	// ActiveChosen is set once the user switched any model on or off. Until
	// then the first model (by name) is active by default.
	ActiveChosen bool `json:"active_chosen"`
	// Instructions are the recent rewrite instructions, newest first.
	Instructions []string `json:"instructions"`
}

// ModelInfo is one row of the model panel.
type ModelInfo struct {
	Name string `json:"name"`
	// Active is the effective switch (the default-first-model rule applied).
	Active bool `json:"active"`
	// Settings are the effective settings (defaults filled in).
	Settings ModelSettings `json:"settings"`
	// ContextTokens is the context size prompts are trimmed to.
	ContextTokens int `json:"context_tokens"`
	// ContextFromServer is true when ContextTokens came from /v1/models.
	ContextFromServer bool `json:"context_from_server"`
	// Server is the kind of server behind the model (ServerLlamaCpp, …),
	// from its /v1/models entry; "" when unknown.
	Server string `json:"server"`
}

// DefaultModelSettings are the settings of an unconfigured model that is the
// order-th in the list.
func DefaultModelSettings(order int) ModelSettings {
	return ModelSettings{
		Mode:           ModeChat,
		Template:       TemplateRaw,
		SystemPrompt:   DefaultSystemPrompt,
		Temperature:    DefaultTemperature,
		TopP:           DefaultTopP,
		MaxTokens:      DefaultMaxTokens,
		Suggestions:    DefaultSuggestions,
		StopAtSentence: true,
		Color:          Palette[max(order, 0)%len(Palette)],
		ContextTokens:  DefaultContextTokens,
		TopLogprobs:    DefaultTopLogprobs,
	}
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate reports every problem at once, each naming its field.
func (s ModelSettings) Validate() error {
	var errs []error
	bad := func(field, msg string) { errs = append(errs, fmt.Errorf("%s: %s", field, msg)) }
	if s.Mode != ModeChat && s.Mode != ModeText {
		bad("mode", `must be "chat" or "text"`)
	}
	switch s.Template {
	case TemplateRaw, TemplateAlpaca, TemplateChatML, TemplateLlama3:
	default:
		bad("template", `must be "raw", "alpaca", "chatml" or "llama3"`)
	}
	if len(s.SystemPrompt) > 8000 {
		bad("system_prompt", "must be at most 8000 bytes")
	}
	if !(s.Temperature >= 0 && s.Temperature <= 2) {
		bad("temperature", "must be between 0 and 2")
	}
	if !(s.TopP >= 0 && s.TopP <= 1) {
		bad("top_p", "must be between 0 and 1")
	}
	if s.MaxTokens < 1 || s.MaxTokens > 4096 {
		bad("max_tokens", "must be between 1 and 4096")
	}
	if s.Suggestions < 1 || s.Suggestions > 10 {
		bad("suggestions", "must be between 1 and 10")
	}
	if !colorRE.MatchString(s.Color) {
		bad("color", `must look like "#1a2b3c"`)
	}
	if s.ContextTokens < 256 || s.ContextTokens > 1<<20 {
		bad("context_tokens", "must be between 256 and 1048576")
	}
	if s.TopLogprobs < 0 || s.TopLogprobs > MaxTopLogprobs {
		bad("top_logprobs", "must be between 0 and 20")
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrInvalidSettings, errors.Join(errs...))
}

// contextFromRaw reads a context size from a backend's /v1/models entry:
// llama.cpp meta.n_ctx_train, vLLM max_model_len, tabbyAPI
// parameters.max_seq_len, or a plain context_length / max_context_length.
// Zero when none is present. Note that llama.cpp reports the training
// context, which can exceed the size the server was started with (-c).
func contextFromRaw(raw json.RawMessage) int {
	var v struct {
		Meta *struct {
			NCtxTrain int `json:"n_ctx_train"`
		} `json:"meta"`
		MaxModelLen      int `json:"max_model_len"`
		ContextLength    int `json:"context_length"`
		MaxContextLength int `json:"max_context_length"`
		Parameters       *struct {
			MaxSeqLen int `json:"max_seq_len"`
		} `json:"parameters"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return 0
	}
	candidates := []int{v.MaxModelLen, v.ContextLength, v.MaxContextLength}
	if v.Meta != nil {
		candidates = append([]int{v.Meta.NCtxTrain}, candidates...)
	}
	if v.Parameters != nil {
		candidates = append(candidates, v.Parameters.MaxSeqLen)
	}
	for _, c := range candidates {
		if c > 0 {
			return c
		}
	}
	return 0
}

// modelsView is the pure core of ModelsView.
func modelsView(all AllSettings, models []registry.Model) []ModelInfo {
	first := ""
	for _, m := range models {
		if first == "" || m.Name < first {
			first = m.Name
		}
	}
	out := make([]ModelInfo, 0, len(models))
	for i, m := range models {
		s, configured := all.Models[m.Name]
		if !configured {
			s = DefaultModelSettings(i)
		}
		if !all.ActiveChosen {
			s.Active = m.Name == first
		}
		info := ModelInfo{Name: m.Name, Active: s.Active, Settings: s, ContextTokens: s.ContextTokens, Server: serverKind(m.Raw)}
		if n := contextFromRaw(m.Raw); n > 0 {
			info.ContextTokens, info.ContextFromServer = n, true
		}
		out = append(out, info)
	}
	return out
}

// settingsStore owns AllSettings and their file.
type settingsStore struct {
	path   string
	logger *slog.Logger

	mu  sync.Mutex
	all AllSettings // guarded by mu; replaced, never mutated in place
}

const settingsFile = "assist.json"

// openSettings reads dir/assist.json. A missing file means defaults; an
// unreadable one is moved aside (assist.json.corrupt-<unix time>) and
// replaced by defaults, so a bad edit never keeps the editor from starting.
func openSettings(dir string, logger *slog.Logger) (*settingsStore, error) {
	if dir == "" {
		return nil, errors.New("assist: settings dir is empty")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("assist: settings dir: %w", err)
	}
	st := &settingsStore{path: filepath.Join(dir, settingsFile), logger: logger}
	data, err := os.ReadFile(st.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		st.all = AllSettings{Models: map[string]ModelSettings{}}
		return st, nil
	case err != nil:
		return nil, fmt.Errorf("assist: read %s: %w", st.path, err)
	}
	all, err := parseSettings(data)
	if err != nil {
		aside := fmt.Sprintf("%s.corrupt-%d", st.path, time.Now().Unix())
		logger.Warn("settings unreadable, starting from defaults", "path", st.path, "moved_to", aside, "err", err)
		_ = os.Rename(st.path, aside)
		all = AllSettings{Models: map[string]ModelSettings{}}
	}
	st.all = all
	return st, nil
}

// parseSettings decodes the file, dropping invalid model entries (they fall
// back to defaults) and extra instructions. Fields an entry lacks (written
// by an older version) take their defaults.
func parseSettings(data []byte) (AllSettings, error) {
	var file struct {
		AllSettings
		Models map[string]json.RawMessage `json:"models"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return AllSettings{}, err
	}
	all := file.AllSettings
	models := make(map[string]ModelSettings, len(file.Models))
	for name, raw := range file.Models {
		s := ModelSettings{TopLogprobs: DefaultTopLogprobs}
		if json.Unmarshal(raw, &s) == nil && s.Validate() == nil {
			models[name] = s
		}
	}
	all.Models = models
	if len(all.Instructions) > MaxInstructions {
		all.Instructions = all.Instructions[:MaxInstructions]
	}
	return all, nil
}

func (st *settingsStore) get() AllSettings {
	st.mu.Lock()
	defer st.mu.Unlock()
	return cloneSettings(st.all)
}

func cloneSettings(all AllSettings) AllSettings {
	out := AllSettings{
		Models:       make(map[string]ModelSettings, len(all.Models)),
		ActiveChosen: all.ActiveChosen,
		Instructions: slices.Clone(all.Instructions),
	}
	for k, v := range all.Models {
		out.Models[k] = v
	}
	return out
}

// update applies change to a copy, writes it, and keeps it only if the
// write succeeded.
func (st *settingsStore) update(change func(*AllSettings)) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	next := cloneSettings(st.all)
	change(&next)
	if err := writeFileAtomic(st.path, next); err != nil {
		return err
	}
	st.all = next
	return nil
}

// setModel stores s for name. The first time a switch changes, the
// effective switches of all models (the default-first-model rule) become
// explicit, so switching a second model on keeps the first one on.
func setModel(all *AllSettings, models []registry.Model, name string, s ModelSettings) {
	if !all.ActiveChosen {
		view := modelsView(*all, models)
		effective := false
		for _, info := range view {
			if info.Name == name {
				effective = info.Active
			}
		}
		if s.Active != effective {
			for _, info := range view {
				stored := info.Settings
				stored.Active = info.Active
				all.Models[info.Name] = stored
			}
			all.ActiveChosen = true
		}
	}
	all.Models[name] = s
}

// rememberInstruction puts ins first in the history, without duplicates.
func rememberInstruction(all *AllSettings, ins string) {
	list := []string{ins}
	for _, old := range all.Instructions {
		if old != ins && len(list) < MaxInstructions {
			list = append(list, old)
		}
	}
	all.Instructions = list
}

// writeFileAtomic writes v as indented JSON over path, atomically.
func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("assist: save settings: %w", err)
	}
	return nil
}

// trimInstruction normalises an instruction; empty means the default.
func trimInstruction(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultInstruction
	}
	return s
}
