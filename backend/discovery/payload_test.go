package discovery

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseModelList_ServerShapes(t *testing.T) {
	for _, shape := range serverShapes {
		t.Run(shape.server, func(t *testing.T) {
			entries, err := parseModelList([]byte(shape.body))
			if err != nil {
				t.Fatalf("parseModelList: %v", err)
			}
			if len(entries) != len(shape.ids) {
				t.Fatalf("got %d entries, want %d (%v)", len(entries), len(shape.ids), entries)
			}
			items := rawItems(t, shape.body)
			for i, e := range entries {
				if e.ID != shape.ids[i] {
					t.Errorf("entry %d id = %q, want %q", i, e.ID, shape.ids[i])
				}
				if !containsRaw(items, e.Raw) {
					t.Errorf("entry %d raw %s is not one of the answer's entries", i, e.Raw)
				}
			}
		})
	}
}

func TestParseModelList_Rejects(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       error
	}{
		{"html", "<html>hello</html>", errNotJSON},
		{"empty", "", errNotJSON},
		{"truncated", `{"data":[{"id":"a"}`, errNotJSON},
		{"error object", `{"error":{"message":"no"}}`, errNoModelList},
		{"data not a list", `{"data":"x"}`, errNoModelList},
		{"data null", `{"data":null}`, errNoModelList},
		{"string", `"models"`, errNoModelList},
		{"number", `42`, errNoModelList},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := parseModelList([]byte(tc.body))
			if !errors.Is(err, tc.want) {
				t.Fatalf("parseModelList(%q) = %v, %v; want error %v", tc.body, entries, err, tc.want)
			}
		})
	}
}

// rawItems returns the entries of a {"data":[…]} or bare-array answer.
func rawItems(t *testing.T, body string) []json.RawMessage {
	t.Helper()
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(body), &items); err == nil {
		return items
	}
	var list struct{ Data []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatalf("bad fixture %s: %v", body, err)
	}
	return list.Data
}

func containsRaw(items []json.RawMessage, raw json.RawMessage) bool {
	for _, it := range items {
		if string(it) == string(raw) {
			return true
		}
	}
	return false
}

// FuzzParseModelList: any answer parses or is refused without a panic,
// and every entry has a non-empty id and is one of the answer's entries.
// Seeded with the server shapes and the bad ids of issue 14.
func FuzzParseModelList(f *testing.F) {
	for _, shape := range serverShapes {
		f.Add([]byte(shape.body))
	}
	for _, body := range []string{
		`{"data":[{"id":"evil\u202etxt"},{"id":"bell\u0007"},{"id":"/"},{"id":".."},{"id":"a/.."}]}`,
		`{"data":[{"id":"` + strings.Repeat("x", 5000) + `"}]}`,
		`{"data":[{"id":"m"},{"id":"m"},{"id":""},{"id":7},{"id":null},"m",[],{}]}`,
		`[{"id":"a"},{"id":"b","object":"model"}]`,
		`{"data":[{"id":"a"}],"data":[{"id":"b"}]}`,
		`{"object":"list","data":[]}`,
	} {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		entries, err := parseModelList(body)
		if err != nil {
			if entries != nil {
				t.Fatalf("entries %v with error %v", entries, err)
			}
			return
		}
		for _, e := range entries {
			if e.ID == "" || !json.Valid(e.Raw) {
				t.Fatalf("entry %+v from %q", e, body)
			}
			if checkID(e.ID, 64) == nil && strings.ContainsAny(CleanName(e.ID), `/\`) {
				t.Fatalf("id %q accepted with a path for a name", e.ID)
			}
		}
	})
}
