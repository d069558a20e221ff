package discovery

import (
	"slices"
	"strings"
	"testing"
)

var cleanNameCases = []struct{ id, want string }{
	{"/srv/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf", "mistral-7b-instruct-v0.3.Q4_K_M"},
	{"facebook/opt-125m", "opt-125m"},
	{"koboldcpp/Mythalion-13B.Q5_K_M", "Mythalion-13B.Q5_K_M"},
	{"phi3:mini", "phi3:mini"},
	{"deepseek-r1-distill-qwen-7b", "deepseek-r1-distill-qwen-7b"},
	{"/models/x.gguf", "x"},
	{`C:\models\Qwen2.5-7B-Instruct.Q8_0.GGUF`, "Qwen2.5-7B-Instruct.Q8_0"},
	{"mixed/sep\\name.safetensors", "name"},
	{"model.ggml", "model"},
	{"model.bin", "model"},
	{"model.pt", "model"},
	{"model.pth", "model"},
	{"model.onnx", "model"},
	{"llava-v1.5-7b-q4.llamafile", "llava-v1.5-7b-q4"},
	{"twice.gguf.gguf", "twice.gguf"},          // only one extension
	{"weights.bin.gguf", "weights.bin"},        // only the last one
	{"notes.txt", "notes.txt"},                 // not a model-file extension
	{"Qwen2.5-0.5B", "Qwen2.5-0.5B"},           // version dots stay
	{"gpt-4o-mini.ggufx", "gpt-4o-mini.ggufx"}, // not exactly an extension
	{"org/model/", "model"},                    // trailing separator ignored
	{".gguf", ".gguf"},                         // nothing would be left
	{"dir/.gguf", ".gguf"},
	{"/", "/"},
	{`\\`, `\\`},
	{"a", "a"},
	{"", ""},
}

func TestCleanName(t *testing.T) {
	for _, tc := range cleanNameCases {
		t.Run(tc.id, func(t *testing.T) {
			if got := CleanName(tc.id); got != tc.want {
				t.Errorf("CleanName(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}

func FuzzCleanName(f *testing.F) {
	for _, tc := range cleanNameCases {
		f.Add(tc.id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got := CleanName(id)
		if id == "" {
			if got != "" {
				t.Fatalf("CleanName(%q) = %q, want empty", id, got)
			}
			return
		}
		if got == "" {
			t.Fatalf("CleanName(%q) is empty", id)
		}
		if got == id {
			return // unchanged or the fallback
		}
		if strings.ContainsAny(got, `/\`) {
			t.Fatalf("CleanName(%q) = %q still has a separator", id, got)
		}
		// got is the last path segment, or it with one model-file
		// extension removed.
		last := strings.TrimRight(id, `/\`)
		last = last[strings.LastIndexAny(last, `/\`)+1:]
		if got == last {
			if ext := modelFileExt(last); ext != "" && ext != last {
				t.Fatalf("CleanName(%q) = %q kept extension %q", id, got, ext)
			}
			return
		}
		if !strings.HasPrefix(last, got) || modelFileExt(last) != last[len(got):] {
			t.Fatalf("CleanName(%q) = %q is not %q minus one model-file extension", id, got, last)
		}
	})
}

func TestFinalNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		tags []string
		want []string
	}{
		{"llama", nil, []string{"llama"}},
		{"llama", []string{}, []string{"llama"}},
		{"llama", []string{"gpu"}, []string{"llama:gpu"}},
		{"llama", []string{"gpu", "fast"}, []string{"llama:gpu", "llama:fast"}},
		{"llama", []string{"gpu", "gpu", ""}, []string{"llama:gpu"}},
		{"llama", []string{""}, []string{"llama"}},
		{"phi3:mini", []string{"box"}, []string{"phi3:mini:box"}},
	} {
		if got := finalNames(tc.name, tc.tags); !slices.Equal(got, tc.want) {
			t.Errorf("finalNames(%q, %q) = %q, want %q", tc.name, tc.tags, got, tc.want)
		}
	}
}

func TestKeepName(t *testing.T) {
	for _, tc := range []struct {
		final  string
		filter []string
		want   bool
	}{
		{"llama:gpu", nil, true},
		{"llama:gpu", []string{"gpu"}, true},
		{"llama:gpu", []string{"qwen", "lla"}, true},
		{"llama:gpu", []string{"qwen"}, false},
		{"llama:gpu", []string{"LLAMA"}, false}, // case-sensitive
		{"llama", []string{"llama:"}, false},
	} {
		if got := keepName(tc.final, tc.filter); got != tc.want {
			t.Errorf("keepName(%q, %q) = %v, want %v", tc.final, tc.filter, got, tc.want)
		}
	}
}
