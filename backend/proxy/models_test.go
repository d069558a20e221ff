package proxy

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

// Entries as real servers send them (shared/docs/llm-servers.md).
var serverEntries = []struct {
	server, name, raw string
	addsObject        bool
}{
	{"llama.cpp", "mistral-7b-instruct-v0.3.Q4_K_M:gpu",
		`{"id":"/srv/models/mistral-7b-instruct-v0.3.Q4_K_M.gguf","object":"model","created":1735142223,"owned_by":"llamacpp","meta":{"vocab_type":2,"n_vocab":32768,"n_ctx_train":32768,"n_embd":4096,"n_params":7248023552,"size":4372812000}}`, false},
	{"llama.cpp loading", "qwen", `{"id":"qwen.gguf","object":"model","created":1,"owned_by":"llamacpp","meta":null}`, false},
	{"vLLM", "opt-125m",
		`{"id":"facebook/opt-125m","object":"model","created":1677610602,"owned_by":"vllm","root":"facebook/opt-125m","parent":null,"max_model_len":2048,"permission":[{"id":"modelperm-1","object":"model_permission","allow_sampling":true}]}`, false},
	{"koboldcpp", "Mythalion-13B.Q5_K_M",
		`{"id":"koboldcpp/Mythalion-13B.Q5_K_M","object":"model","created":1,"owned_by":"koboldcpp","permission":[],"root":"koboldcpp"}`, false},
	{"Ollama", "phi3:mini", `{"id":"phi3:mini","object":"model","created":1768091493,"owned_by":"library"}`, false},
	{"LM Studio", "deepseek-r1-distill-qwen-7b", `{"id":"deepseek-r1-distill-qwen-7b","object":"model","owned_by":"organization_owner"}`, false},
	{"small server", "x", `{"id":"/models/x.gguf","engine_state":"READY"}`, true},
	{"no id", "y", `{"owned_by":"someone"}`, true},
	{"empty object", "z", `{}`, true},
}

func TestModelEntry_ReplacesOnlyID(t *testing.T) {
	for _, tt := range serverEntries {
		t.Run(tt.server, func(t *testing.T) {
			got := modelEntry(registry.Model{Name: tt.name, Raw: json.RawMessage(tt.raw)})
			var gotM, rawM map[string]any
			if err := json.Unmarshal(got, &gotM); err != nil {
				t.Fatalf("entry is not JSON: %s", got)
			}
			json.Unmarshal([]byte(tt.raw), &rawM)
			if gotM["id"] != tt.name {
				t.Errorf("id = %v, want %q", gotM["id"], tt.name)
			}
			if _, had := rawM["object"]; !had && gotM["object"] != "model" {
				t.Errorf(`missing "object" not added: %s`, got)
			}
			for k, v := range rawM {
				if k != "id" && !reflect.DeepEqual(gotM[k], v) {
					t.Errorf("field %s changed: %v → %v", k, v, gotM[k])
				}
			}
			for k := range gotM {
				if _, had := rawM[k]; !had && k != "id" && k != "object" {
					t.Errorf("field %s added", k)
				}
			}
			if !tt.addsObject {
				// Byte for byte: only the id value differs.
				v, _, _ := topLevelValue([]byte(tt.raw), "id")
				want := string(splice([]byte(tt.raw), v, quote(tt.name)))
				if string(got) != want {
					t.Errorf("bytes changed\n got %s\nwant %s", got, want)
				}
			}
		})
	}
}

func TestModelEntry_NotAnObject(t *testing.T) {
	for _, raw := range []string{``, `null`, `"id"`, `[1]`, `{broken`} {
		got := modelEntry(registry.Model{Name: "n:t", Raw: json.RawMessage(raw)})
		want := `{"id":"n:t","object":"model","owned_by":"llproxy"}`
		if string(got) != want {
			t.Errorf("raw %q: got %s, want %s", raw, got, want)
		}
	}
}

func TestModels_ListAndGet(t *testing.T) {
	var models []registry.Model
	for _, e := range serverEntries {
		models = append(models, registry.Model{Name: e.name, ID: "true-id", Raw: json.RawMessage(e.raw),
			Replicas: []registry.Backend{{BaseURL: "http://127.0.0.1:1"}}})
	}
	s := newTestServer(t, nil, models...)

	rec := do(s, http.MethodGet, "/v1/models", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("list: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var list struct {
		Object string            `json:"object"`
		Data   []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || list.Object != "list" || len(list.Data) != len(models) {
		t.Fatalf("list body: %v %s", err, rec.Body)
	}
	for i, m := range models {
		if string(list.Data[i]) != string(modelEntry(m)) {
			t.Errorf("entry %d = %s, want %s", i, list.Data[i], modelEntry(m))
		}
	}

	tests := []struct {
		name, path string
		status     int
		wantID     string
	}{
		{"name with colon", "/v1/models/phi3:mini", 200, "phi3:mini"},
		{"name with tag", "/v1/models/mistral-7b-instruct-v0.3.Q4_K_M:gpu", 200, "mistral-7b-instruct-v0.3.Q4_K_M:gpu"},
		{"escaped", "/v1/models/phi3%3Amini", 200, "phi3:mini"},
		{"true id is not a name", "/v1/models/true-id", 404, ""},
		{"unknown", "/v1/models/nope", 404, ""},
		{"trailing slash lists", "/v1/models/", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(s, http.MethodGet, tt.path, "")
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status == 404 {
				e := apiErr(t, rec.Body.Bytes())
				if code(e) != "model_not_found" || !strings.Contains(e.Message, "phi3:mini") {
					t.Fatalf("404 should name the available models: %+v", e)
				}
				return
			}
			var one map[string]any
			json.Unmarshal(rec.Body.Bytes(), &one)
			if tt.wantID != "" && one["id"] != tt.wantID {
				t.Fatalf("id %v, want %s", one["id"], tt.wantID)
			}
		})
	}
	if rec := do(s, http.MethodPost, "/v1/models", `{}`); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /v1/models: %d, want 405", rec.Code)
	}
}

func TestModels_EmptyRegistry(t *testing.T) {
	s := newTestServer(t, nil)
	rec := do(s, http.MethodGet, "/v1/models", "")
	if rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"object":"list","data":[]}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = do(s, http.MethodPost, "/v1/chat/completions", `{"model":"a"}`)
	if e := apiErr(t, rec.Body.Bytes()); rec.Code != 404 || !strings.Contains(e.Message, "none") {
		t.Fatalf("%d %+v", rec.Code, e)
	}
}

// Issue 14: a 405 says what is allowed.
func TestRoutes_MethodNotAllowedSaysAllow(t *testing.T) {
	s := newTestServer(t, nil, model("m", "m", "http://127.0.0.1:1"))
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodPost, "/v1/models", "GET"},
		{http.MethodDelete, "/v1/models/m", "GET"},
		{http.MethodGet, "/v1/chat/completions", "POST"},
		{http.MethodPut, "/v1/completions", "POST"},
		{http.MethodPost, "/health", "OPTIONS, GET"}, // Echo's own 405s say it too
		{http.MethodPost, "/metrics", "OPTIONS, GET"},
	} {
		rec := do(s, tc.method, tc.path, "")
		if rec.Code != http.StatusMethodNotAllowed || !strings.HasPrefix(rec.Header().Get("Allow"), tc.allow) {
			t.Errorf("%s %s: %d, Allow %q; want 405 with Allow %s", tc.method, tc.path, rec.Code, rec.Header().Get("Allow"), tc.allow)
		}
	}
}

// Issue 14: an unknown-model 404 listed every name (2.3 MB for 240k).
func TestModels_UnknownModelListsAFewNames(t *testing.T) {
	var models []registry.Model
	for i := range 100 {
		models = append(models, model(fmt.Sprintf("m%03d", i), "id", "http://127.0.0.1:1"))
	}
	s := newTestServer(t, validConfig(config.Config{MaxErrorNames: 3}), models...)
	for _, rec := range []*httptest.ResponseRecorder{
		do(s, http.MethodPost, "/v1/chat/completions", `{"model":"nope"}`),
		do(s, http.MethodGet, "/v1/models/nope", ""),
	} {
		e := apiErr(t, rec.Body.Bytes())
		want := `model "nope" not found; available models: m000, m001, m002, … and 97 more (GET /v1/models lists them all)`
		if rec.Code != 404 || e.Message != want {
			t.Errorf("%d %q\nwant %q", rec.Code, e.Message, want)
		}
	}
}

// Bug 1 of issue 14: another llproxy (its probe names its instance) gets
// only the models found at LLM servers, and learns that it talks to an
// llproxy; a client gets them all.
func TestModels_PeersGetOnlyFirstHandModels(t *testing.T) {
	own := model("local", "local", "http://127.0.0.1:1")
	learned := model("remote", "remote", "http://127.0.0.1:2")
	learned.Through = "peer-b"
	s := newTestServer(t, nil, learned, own)
	names := func(rec *httptest.ResponseRecorder) []string {
		var list struct{ Data []struct{ ID string } }
		json.Unmarshal(rec.Body.Bytes(), &list)
		var out []string
		for _, d := range list.Data {
			out = append(out, d.ID)
		}
		return out
	}
	client := do(s, http.MethodGet, "/v1/models", "")
	if got := names(client); !slices.Equal(got, []string{"remote", "local"}) {
		t.Errorf("a client sees %v", got)
	}
	peer := do(s, http.MethodGet, "/v1/models", "", InstanceHeader, "peer-a")
	if got := names(peer); !slices.Equal(got, []string{"local"}) {
		t.Errorf("a peer sees %v, want only [local]", got)
	}
	if got := peer.Header().Get(InstanceHeader); got != testInstance {
		t.Errorf("%s = %q, want %q", InstanceHeader, got, testInstance)
	}
}
