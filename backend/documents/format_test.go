package documents

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleDoc() Document {
	created := time.Date(2026, 1, 2, 15, 4, 5, 123456789, time.UTC)
	return Document{
		Format:   CurrentFormat,
		ID:       "abc123",
		Name:     "Rain \"novel\"",
		Created:  created,
		Modified: created.Add(time.Hour),
		Fragments: []Fragment{
			{Text: "It was late. "},
			{Text: "The rain had stopped.\n\n", Source: "model:qwen3-8b", Edited: true,
				Alternatives: []string{"The rain stopped.\n\n", "Nobody came.\n\n", "The rain had stopped.\n\n"}, Alt: 2},
			{Text: "Tab\there, \u2028 and \\ and \x01 and ünïcödé 🎉 <b>&amp;</b>", Source: "model:llama"},
		},
		Selection: 1,
		Draft:     &Draft{Index: 1, Mode: ModeEdit, Text: "The rain st"},
	}
}

func TestFormat_RoundTrip(t *testing.T) {
	docs := map[string]Document{
		"provenance, alternatives, draft": sampleDoc(),
		"empty":                           {Format: CurrentFormat, ID: "e", Fragments: []Fragment{}, Created: time.Unix(0, 0).UTC(), Modified: time.Unix(0, 0).UTC()},
		"insert draft on new": func() Document {
			d := sampleDoc()
			d.Draft = &Draft{Index: 3, Mode: ModeInsert, Text: ""}
			d.Selection = 3
			return d
		}(),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			data := ExportJSON(doc)
			if !json.Valid(data) {
				t.Fatalf("ExportJSON is not valid JSON:\n%s", data)
			}
			got, err := ImportJSON(data)
			if err != nil {
				t.Fatalf("ImportJSON: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(got, doc) {
				t.Errorf("round trip changed the document\n got %#v\nwant %#v", got, doc)
			}
		})
	}
}

// The hand-written encoder must agree with encoding/json on every string.
func TestAppendString_MatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "\"\\/", "\x00\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029", "bad \xff\xc3 end", "é🎉", "<>&"} {
		want, _ := json.Marshal(s)
		var back string
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil {
			t.Errorf("appendString(%q) is not a JSON string: %v", s, err)
			continue
		}
		var wantBack string
		_ = json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("appendString(%q) decodes to %q, encoding/json's to %q", s, back, wantBack)
		}
	}
}

func TestFormat_FileShape(t *testing.T) {
	doc := sampleDoc()
	doc.Fragments = doc.Fragments[:1]
	doc.Draft = nil
	doc.Selection = 0
	var m map[string]any
	if err := json.Unmarshal(ExportJSON(doc), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"format": 1.0, "id": "abc123", "name": "Rain \"novel\"",
		"created": "2026-01-02T15:04:05.123456789Z", "modified": "2026-01-02T16:04:05.123456789Z",
		"fragments": []any{map[string]any{"text": "It was late. "}},
		"selection": 0.0, "draft": nil,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("file shape\n got %#v\nwant %#v", m, want)
	}
}

func TestImportJSON_ReadsTolerantly(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want func(*testing.T, Document)
	}{
		{"unknown fields ignored", `{"format":1,"id":"x","fragments":[{"text":"A. ","colour":"red"}],"theme":{"x":1},"selection":0,"draft":null}`,
			func(t *testing.T, d Document) {
				if len(d.Fragments) != 1 || d.Fragments[0].Text != "A. " {
					t.Errorf("fragments = %+v", d.Fragments)
				}
			}},
		{"typed source spelled out", `{"format":1,"fragments":[{"text":"A","source":"typed"}]}`,
			func(t *testing.T, d Document) {
				if d.Fragments[0].Source != "" {
					t.Errorf("source = %q, want \"\"", d.Fragments[0].Source)
				}
			}},
		{"out-of-range UI state clamped", `{"format":1,"fragments":[{"text":"A","alternatives":["A","B"],"alt":7},{"text":"C","alt":3}],"selection":99,"draft":{"index":-4,"mode":"weird","text":"keep me"}}`,
			func(t *testing.T, d Document) {
				if d.Selection != 2 || d.Fragments[0].Alt != 1 || d.Fragments[1].Alt != 0 {
					t.Errorf("selection %d, alts %d %d", d.Selection, d.Fragments[0].Alt, d.Fragments[1].Alt)
				}
				if d.Draft == nil || d.Draft.Index != 0 || d.Draft.Mode != ModeEdit || d.Draft.Text != "keep me" {
					t.Errorf("draft = %+v", d.Draft)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ImportJSON([]byte(tt.in))
			if err != nil {
				t.Fatalf("ImportJSON: %v", err)
			}
			tt.want(t, d)
		})
	}
}

func TestImportJSON_Refuses(t *testing.T) {
	full := string(ExportJSON(sampleDoc()))
	tests := []struct {
		name    string
		in      string
		wantErr error
		wantMsg string
	}{
		{"truncated", full[:len(full)/2], ErrCorrupt, "truncated"},
		{"empty file", "", ErrCorrupt, "truncated"},
		{"garbage", "{\n\"format\":1,\n  oops}", ErrCorrupt, "line 3, column 3"},
		{"not an object", `[1,2]`, ErrCorrupt, ""},
		{"wrong type of text", `{"format":1,"fragments":[{"text":5}]}`, ErrCorrupt, "fragments.text is a JSON number, want string"},
		{"fragments not a list", `{"format":1,"fragments":{"text":"a"}}`, ErrCorrupt, "fragments"},
		{"no fragments", `{"format":1,"id":"x"}`, ErrCorrupt, "no \"fragments\""},
		{"format not a number", `{"format":"1","fragments":[]}`, ErrCorrupt, "format"},
		{"future format", `{"format":2,"fragments":"a new shape"}`, ErrNewerFormat, "format 2"},
		{"far future format", `{"format":99,"fragments":[]}`, ErrNewerFormat, "format 99"},
		{"format 0 with broken fragments", `{"fragments":[1,2]}`, ErrCorrupt, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportJSON([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ImportJSON error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestMigrate_Format0(t *testing.T) {
	old := `{"name":"Prototype","fragments":["It was late. ",{"text":"Rain.","source":"model:m"}],"selection":1,"extra":true}`
	out, from, err := Migrate([]byte(old))
	if err != nil || from != 0 {
		t.Fatalf("Migrate = from %d, err %v", from, err)
	}
	if v, _ := probeFormat(out); v != CurrentFormat {
		t.Errorf("migrated format = %d", v)
	}
	doc, err := ImportJSON([]byte(old))
	if err != nil {
		t.Fatalf("ImportJSON(format 0): %v", err)
	}
	want := []Fragment{{Text: "It was late. "}, {Text: "Rain.", Source: "model:m"}}
	if doc.Format != 0 || doc.Name != "Prototype" || doc.Selection != 1 || !reflect.DeepEqual(doc.Fragments, want) {
		t.Errorf("migrated document = %+v", doc)
	}
	// Current data passes through unchanged.
	cur := ExportJSON(sampleDoc())
	if out, from, err := Migrate(cur); err != nil || from != CurrentFormat || string(out) != string(cur) {
		t.Errorf("Migrate(current) = from %d, err %v, changed %v", from, err, string(out) != string(cur))
	}
}

func TestDocument_TitleAndWords(t *testing.T) {
	frag := func(texts ...string) Document {
		d := Document{}
		for _, s := range texts {
			d.Fragments = append(d.Fragments, Fragment{Text: s})
		}
		return d
	}
	tests := []struct {
		name      string
		doc       Document
		wantTitle string
		wantWords int
	}{
		{"empty", frag(), "Untitled", 0},
		{"user name wins", Document{Name: "  My Novel ", Fragments: []Fragment{{Text: "Other words."}}}, "My Novel", 2},
		{"first six words", frag("It was a dark and ", "stormy night, and then."), "It was a dark and stormy…", 9},
		{"short", frag("Hello there."), "Hello there.", 2},
		{"first line only", frag("Chapter One\n\nIt was late."), "Chapter One", 5},
		{"skips blank lines and heading marks", frag("\n\n# ", "The Title\nbody"), "The Title", 4},
		{"trailing comma trimmed", frag("One, two, three, four, five, six, seven"), "One, two, three, four, five, six…", 7},
		{"words across fragments", frag("split", "word and ", " more"), "splitword and more", 3},
		{"long word capped", frag(strings.Repeat("x", 100)), strings.Repeat("x", 60) + "…", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.doc.Title(); got != tt.wantTitle {
				t.Errorf("Title() = %q, want %q", got, tt.wantTitle)
			}
			if got := tt.doc.Words(); got != tt.wantWords {
				t.Errorf("Words() = %d, want %d", got, tt.wantWords)
			}
		})
	}
}

// FuzzImportJSON: no input panics, and whatever is accepted survives
// ExportJSON → ImportJSON unchanged.
func FuzzImportJSON(f *testing.F) {
	f.Add(string(ExportJSON(sampleDoc())))
	f.Add(`{"name":"Old","fragments":["One. ",{"text":"Two."}],"selection":9}`)
	f.Add(`{"format":1,"fragments":[{"text":"A","alternatives":["A","B"],"alt":7}],"draft":{"index":-1,"mode":"x","text":"t"}}`)
	f.Add(`{"format":2,"fragments":[]}`)
	f.Add(`{"format":1,"fragments":[{"text":5}]}`)
	f.Add(`{"format":1,"created":"2026-01-02T03:04:05+05:30","fragments":[]}`)
	f.Fuzz(func(t *testing.T, data string) {
		doc, err := ImportJSON([]byte(data))
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrNewerFormat) {
				t.Fatalf("error %v wraps neither ErrCorrupt nor ErrNewerFormat", err)
			}
			return
		}
		again, err := ImportJSON(ExportJSON(doc))
		if err != nil {
			t.Fatalf("re-import of an accepted document: %v", err)
		}
		if !again.Created.Equal(doc.Created) || !again.Modified.Equal(doc.Modified) {
			t.Fatalf("times changed: %v %v → %v %v", doc.Created, doc.Modified, again.Created, again.Modified)
		}
		doc.Created, doc.Modified, doc.Format = again.Created, again.Modified, again.Format
		if !reflect.DeepEqual(doc, again) {
			t.Fatalf("round trip changed the document\n got %#v\nwant %#v", again, doc)
		}
	})
}
