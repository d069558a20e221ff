package discovery

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"fragmenteditor/backend/registry"
)

// cand is a candidate for final name CleanName(id) found at endpoint ep,
// port.
func cand(id string, ep, port int) candidate {
	return candidate{
		Name:    CleanName(id),
		ID:      id,
		Backend: registry.Backend{BaseURL: fmt.Sprintf("http://h%d:%d", ep, port), Endpoint: ep, Port: port},
		Raw:     json.RawMessage(fmt.Sprintf(`{"id":%q,"port":%d}`, id, port)),
	}
}

func names(models []registry.Model) map[string]string {
	out := map[string]string{}
	for _, m := range models {
		out[m.Name] = m.ID
	}
	return out
}

func TestBuildModels_NamesAcrossRuns(t *testing.T) {
	type run struct {
		cands []candidate
		want  map[string]string // final name → id
	}
	for _, tc := range []struct {
		name string
		runs []run
	}{
		{"same id on several backends is one model", []run{
			{[]candidate{cand("a/L.gguf", 0, 8080), cand("a/L.gguf", 0, 8081), cand("a/L.gguf", 1, 80)},
				map[string]string{"L": "a/L.gguf"}},
		}},
		{"different ids are numbered in endpoint and port order", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081), cand("c/L", 1, 80)},
				map[string]string{"L:0": "a/L", "L:1": "b/L", "L:2": "c/L"}},
		}},
		{"numbers stay when the order changes", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081)},
				map[string]string{"L:0": "a/L", "L:1": "b/L"}},
			{[]candidate{cand("b/L", 0, 8080), cand("a/L", 0, 8081)},
				map[string]string{"L:0": "a/L", "L:1": "b/L"}},
		}},
		{"a number stays while its id is present, even alone", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081)},
				map[string]string{"L:0": "a/L", "L:1": "b/L"}},
			{[]candidate{cand("b/L", 0, 8081)},
				map[string]string{"L:1": "b/L"}},
			{[]candidate{cand("c/L", 0, 8080), cand("b/L", 0, 8081)},
				map[string]string{"L:0": "c/L", "L:1": "b/L"}},
		}},
		{"a name that went away starts plain again", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081)},
				map[string]string{"L:0": "a/L", "L:1": "b/L"}},
			{nil, map[string]string{}},
			{[]candidate{cand("b/L", 0, 8081)},
				map[string]string{"L": "b/L"}},
		}},
		{"a plain model is numbered when a second id arrives", []run{
			{[]candidate{cand("a/L", 0, 8081)},
				map[string]string{"L": "a/L"}},
			{[]candidate{cand("b/L", 0, 8080), cand("a/L", 0, 8081)},
				map[string]string{"L:0": "b/L", "L:1": "a/L"}},
		}},
		{"numbers skip names a plain model uses", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("L:0", 0, 8081), cand("b/L", 1, 80)},
				map[string]string{"L:0": "L:0", "L:1": "a/L", "L:2": "b/L"}},
		}},
		{"a kept number yields to a plain model that takes its name", []run{
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081)},
				map[string]string{"L:0": "a/L", "L:1": "b/L"}},
			{[]candidate{cand("a/L", 0, 8080), cand("b/L", 0, 8081), cand("x/L:1", 1, 80)},
				map[string]string{"L:0": "a/L", "L:2": "b/L", "L:1": "x/L:1"}},
		}},
		{"names with and without tags do not collide", []run{
			{[]candidate{cand("a/L", 0, 8080), {Name: "L:gpu", ID: "b/L", Backend: registry.Backend{BaseURL: "http://h1:1", Endpoint: 1}}},
				map[string]string{"L": "a/L", "L:gpu": "b/L"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var num numbering
			for i, r := range tc.runs {
				before := fmt.Sprint(num)
				models, next := buildModels(r.cands, num)
				if fmt.Sprint(num) != before {
					t.Fatalf("run %d modified the previous numbering", i)
				}
				if got := names(models); !maps.Equal(got, r.want) {
					t.Fatalf("run %d: names = %v, want %v", i, got, r.want)
				}
				if !slices.IsSortedFunc(models, func(a, b registry.Model) int { return strings.Compare(a.Name, b.Name) }) {
					t.Errorf("run %d: models not sorted by name: %v", i, slices.Collect(maps.Keys(names(models))))
				}
				num = next
			}
		})
	}
}

func TestBuildModels_Replicas(t *testing.T) {
	gpu := cand("org/L.gguf", 0, 8080)
	gpu.Tags = []string{"gpu"}
	dup := gpu // the same backend listing the id twice
	cpu := cand("org/L.gguf", 1, 9000)
	cpu.Tags = []string{"cpu", "gpu"}
	second := cand("org/L.gguf", 0, 8085)
	second.Tags = []string{"gpu"}

	models, _ := buildModels([]candidate{gpu, dup, second, cpu}, nil)
	if len(models) != 1 {
		t.Fatalf("got %d models, want 1: %v", len(models), names(models))
	}
	m := models[0]
	var got []string
	for _, r := range m.Replicas {
		got = append(got, r.BaseURL)
	}
	if want := []string{"http://h0:8080", "http://h0:8085", "http://h1:9000"}; !slices.Equal(got, want) {
		t.Errorf("replicas = %v, want %v", got, want)
	}
	if want := []string{"gpu", "cpu"}; !slices.Equal(m.Tags, want) {
		t.Errorf("tags = %v, want %v", m.Tags, want)
	}
	if string(m.Raw) != string(gpu.Raw) {
		t.Errorf("raw = %s, want the first replica's %s", m.Raw, gpu.Raw)
	}
	if m.Name != "L" || m.ID != "org/L.gguf" {
		t.Errorf("model = %q (%q), want L (org/L.gguf)", m.Name, m.ID)
	}
}
