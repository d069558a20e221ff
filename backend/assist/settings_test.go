package assist

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"fragmenteditor/backend/registry"
)

func models(names ...string) []registry.Model {
	var out []registry.Model
	for _, n := range names {
		out = append(out, registry.Model{Name: n, ID: n, Raw: json.RawMessage(`{"id":"` + n + `","object":"model"}`)})
	}
	return out
}

// newTestService builds a Service on dir whose model list is *list.
func newTestService(t *testing.T, dir string, list *[]registry.Model, emit func(string, any)) *Service {
	t.Helper()
	if emit == nil {
		emit = func(string, any) {}
	}
	s, err := New(Options{
		BaseURL: "http://127.0.0.1:1/v1", SettingsDir: dir,
		Models: func() []registry.Model { return *list }, Emit: emit, Logger: quiet,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func activeNames(view []ModelInfo) []string {
	var out []string
	for _, m := range view {
		if m.Active {
			out = append(out, m.Name)
		}
	}
	return out
}

func TestModelsView_FirstModelByNameIsActiveByDefault(t *testing.T) {
	list := models("zeta", "alpha:q4", "beta")
	s := newTestService(t, t.TempDir(), &list, nil)
	view := s.Models()
	if got := activeNames(view); !reflect.DeepEqual(got, []string{"alpha:q4"}) {
		t.Fatalf("active = %v, want [alpha:q4]", got)
	}
	for i, m := range view {
		want := DefaultModelSettings(i)
		want.Active = m.Name == "alpha:q4"
		if m.Settings != want || m.ContextTokens != DefaultContextTokens || m.ContextFromServer {
			t.Errorf("%s: %+v, want defaults %+v", m.Name, m, want)
		}
	}
	if view[0].Settings.Color == view[1].Settings.Color {
		t.Error("models share a default colour")
	}
	// Discovery finds an earlier name: the default follows it.
	list = models("zeta", "alpha:q4", "beta", "aaa")
	if got := activeNames(s.Models()); !reflect.DeepEqual(got, []string{"aaa"}) {
		t.Errorf("active = %v, want [aaa]", got)
	}
}

func TestSetModelSettings_SwitchesBecomeExplicit(t *testing.T) {
	list := models("b", "a", "c")
	s := newTestService(t, t.TempDir(), &list, nil)
	tweak := s.Models()[0].Settings // b, inactive by default
	tweak.Temperature = 0.2
	if err := s.SetModelSettings("b", tweak); err != nil {
		t.Fatal(err)
	}
	if got := activeNames(s.Models()); !reflect.DeepEqual(got, []string{"a"}) {
		t.Fatalf("after a settings change without a switch, active = %v, want [a]", got)
	}
	on := s.Models()[2].Settings // c
	on.Active = true
	if err := s.SetModelSettings("c", on); err != nil {
		t.Fatal(err)
	}
	if got := activeNames(s.Models()); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Fatalf("active = %v, want [a c]", got)
	}
	// The default no longer moves with discovery.
	list = models("b", "a", "c", "0first")
	if got := activeNames(s.Models()); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Errorf("active = %v, want [a c]", got)
	}
	if s.Models()[0].Settings.Temperature != 0.2 {
		t.Error("b lost its temperature")
	}
}

func TestSetModelSettings_SwitchingTheDefaultOffLeavesNoneActive(t *testing.T) {
	list := models("a", "b")
	s := newTestService(t, t.TempDir(), &list, nil)
	off := s.Models()[0].Settings
	off.Active = false
	if err := s.SetModelSettings("a", off); err != nil {
		t.Fatal(err)
	}
	if got := activeNames(s.Models()); len(got) != 0 {
		t.Errorf("active = %v, want none", got)
	}
	if _, err := s.Suggest(SuggestRequest{Kind: KindContinue, Fragments: []string{"x"}}); !errors.Is(err, ErrNoActiveModels) {
		t.Errorf("Suggest err = %v, want ErrNoActiveModels", err)
	}
}

func TestSettings_PersistAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	list := models("a", "b")
	s := newTestService(t, dir, &list, nil)
	ms := DefaultModelSettings(1)
	ms.Active, ms.Mode, ms.Template = true, ModeText, TemplateChatML
	ms.SystemPrompt, ms.Temperature, ms.TopP = "Be terse.", 1.3, 0.5
	ms.MaxTokens, ms.Suggestions, ms.StopAtSentence = 120, 7, false
	ms.Color, ms.ContextTokens = "#123abc", 8192
	if err := s.SetModelSettings("b", ms); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suggest(SuggestRequest{Kind: KindRewrite, Fragments: []string{"A b."}, Instruction: "Shorter"}); err != nil {
		t.Fatal(err)
	}
	before := s.Settings()
	s.Close()

	again := newTestService(t, dir, &list, nil)
	after := again.Settings()
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("reopened settings differ:\n%+v\n%+v", before, after)
	}
	if after.Models["b"] != ms || !after.ActiveChosen || !reflect.DeepEqual(after.Instructions, []string{"Shorter"}) {
		t.Errorf("settings = %+v", after)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != settingsFile {
		t.Errorf("settings dir holds %v, want only %s (no temp files)", entries, settingsFile)
	}
}

func TestSettings_CorruptFileMovedAside(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, settingsFile), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	list := models("a")
	s := newTestService(t, dir, &list, nil)
	if got := activeNames(s.Models()); !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("active = %v, want defaults", got)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, settingsFile+".corrupt-*"))
	if len(matches) != 1 {
		t.Errorf("corrupt file not kept aside: %v", matches)
	}
}

func TestSettings_InvalidStoredEntryFallsBackToDefaults(t *testing.T) {
	dir := t.TempDir()
	data := `{"models":{"a":{"active":true,"mode":"chat","template":"raw","temperature":9,"top_p":1,"max_tokens":10,"suggestions":1,"color":"#000000","context_tokens":4096}},"active_chosen":true}`
	if err := os.WriteFile(filepath.Join(dir, settingsFile), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	list := models("a")
	s := newTestService(t, dir, &list, nil)
	if got := s.Models()[0].Settings; got.Temperature != DefaultTemperature || got.Active {
		t.Errorf("settings = %+v, want defaults (inactive: the user chose switches)", got)
	}
}

func TestSetModelSettings_Validation(t *testing.T) {
	list := models("a")
	s := newTestService(t, t.TempDir(), &list, nil)
	tests := []struct {
		name   string
		change func(*ModelSettings)
		fields []string
	}{
		{"mode", func(m *ModelSettings) { m.Mode = "poem" }, []string{"mode"}},
		{"template", func(m *ModelSettings) { m.Template = "vicuna" }, []string{"template"}},
		{"temperature", func(m *ModelSettings) { m.Temperature = 2.5 }, []string{"temperature"}},
		{"top_p", func(m *ModelSettings) { m.TopP = -0.1 }, []string{"top_p"}},
		{"max_tokens", func(m *ModelSettings) { m.MaxTokens = 0 }, []string{"max_tokens"}},
		{"suggestions", func(m *ModelSettings) { m.Suggestions = 11 }, []string{"suggestions"}},
		{"color", func(m *ModelSettings) { m.Color = "red" }, []string{"color"}},
		{"context", func(m *ModelSettings) { m.ContextTokens = 10 }, []string{"context_tokens"}},
		{"all at once", func(m *ModelSettings) { m.Suggestions, m.Color = 0, "" }, []string{"suggestions", "color"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := DefaultModelSettings(0)
			tt.change(&ms)
			err := s.SetModelSettings("a", ms)
			if !errors.Is(err, ErrInvalidSettings) {
				t.Fatalf("err = %v, want ErrInvalidSettings", err)
			}
			for _, f := range tt.fields {
				if !strings.Contains(err.Error(), f+":") {
					t.Errorf("error %q does not name %s", err, f)
				}
			}
		})
	}
	if len(s.Settings().Models) != 0 {
		t.Error("invalid settings were stored")
	}
}

func TestRememberInstruction(t *testing.T) {
	var all AllSettings
	for i := range 12 {
		rememberInstruction(&all, string(rune('a'+i)))
	}
	rememberInstruction(&all, "e")
	want := []string{"e", "l", "k", "j", "i", "h", "g", "f", "d", "c"}
	if !reflect.DeepEqual(all.Instructions, want) {
		t.Errorf("history = %v, want %v", all.Instructions, want)
	}
}

func TestContextFromRaw(t *testing.T) {
	tests := []struct {
		name, raw string
		want      int
	}{
		{"llama.cpp", `{"id":"m","meta":{"vocab_type":2,"n_ctx_train":32768}}`, 32768},
		{"llama.cpp loading", `{"id":"m","meta":null}`, 0},
		{"vLLM", `{"id":"m","root":"m","max_model_len":2048}`, 2048},
		{"context_length", `{"id":"m","context_length":8192}`, 8192},
		{"tabbyAPI", `{"id":"m","parameters":{"max_seq_len":16384}}`, 16384},
		{"ollama", `{"id":"phi3:mini","object":"model"}`, 0},
		{"not JSON", `nope`, 0},
		{"empty", ``, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := contextFromRaw(json.RawMessage(tt.raw)); got != tt.want {
				t.Errorf("contextFromRaw(%s) = %d, want %d", tt.raw, got, tt.want)
			}
		})
	}
}

func TestModelsView_ContextFromServer(t *testing.T) {
	list := []registry.Model{{Name: "v", Raw: json.RawMessage(`{"max_model_len":2048}`)}, {Name: "o", Raw: json.RawMessage(`{}`)}}
	view := modelsView(AllSettings{}, list)
	if view[0].ContextTokens != 2048 || !view[0].ContextFromServer || view[1].ContextTokens != DefaultContextTokens || view[1].ContextFromServer {
		t.Errorf("view = %+v", view)
	}
}
