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
			{Text: "Ünï went home.", Source: "model:qwen3-8b", Tokens: &Tokens{
				Len: []int{3, 5, 5, 1}, P: []int{12, 100, 0, 97},
				Alts: []TokenAlts{{Index: 0, Alts: []TokenAlt{{Text: "She", P: 40}, {Text: "\"\u2028", P: 3}}}, {Index: 2, Alts: []TokenAlt{{Text: " away", P: 88}}}},
			}},
		},
		Notes:     &Notes{Memory: "Mara is a detective.\nIt is 1923.", AuthorsNote: "[Style: terse]", Depth: 3},
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
	doc.Notes = nil
	doc.Selection = 0
	var m map[string]any
	if err := json.Unmarshal(ExportJSON(doc), &m); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"format": 2.0, "id": "abc123", "name": "Rain \"novel\"",
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
		{"future format", `{"format":3,"fragments":"a new shape"}`, ErrNewerFormat, "format 3"},
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

func TestMigrate_Format1(t *testing.T) {
	v1 := `{"format":1,"id":"old","name":"","created":"2026-01-02T15:04:05Z","modified":"2026-01-02T15:04:05Z",
"fragments":[
{"text":"It was late. "},
{"text":"The rain had stopped.","source":"model:m","alternatives":["The rain had stopped.","Nobody came."]}],
"selection":2,"draft":null}`
	out, from, err := Migrate([]byte(v1))
	if err != nil || from != 1 {
		t.Fatalf("Migrate = from %d, err %v", from, err)
	}
	if v, _ := probeFormat(out); v != CurrentFormat {
		t.Errorf("migrated format = %d, want %d", v, CurrentFormat)
	}
	doc, err := ImportJSON([]byte(v1))
	if err != nil {
		t.Fatalf("ImportJSON(format 1): %v", err)
	}
	want := []Fragment{{Text: "It was late. "}, {Text: "The rain had stopped.", Source: "model:m", Alternatives: []string{"The rain had stopped.", "Nobody came."}}}
	if doc.Format != 1 || doc.Selection != 2 || doc.Notes != nil || !reflect.DeepEqual(doc.Fragments, want) {
		t.Errorf("migrated document = %+v", doc)
	}
	// Saved again, it is a format-2 file with the same content.
	again, err := ImportJSON(ExportJSON(doc))
	if err != nil || again.Format != CurrentFormat || !reflect.DeepEqual(again.Fragments, want) {
		t.Errorf("re-read after export: format %d, err %v, fragments %+v", again.Format, err, again.Fragments)
	}
}

func TestFormat_TokensAndNotesShape(t *testing.T) {
	doc := Document{Format: CurrentFormat, ID: "t", Fragments: []Fragment{{Text: "Hi there", Source: "model:m",
		Tokens: &Tokens{Len: []int{2, 6}, P: []int{90, 35}, Alts: []TokenAlts{{Index: 1, Alts: []TokenAlt{{Text: " you", P: 30}, {Text: "!", P: 9}}}}}}},
		Notes: &Notes{Memory: "M", Depth: 0}}
	data := ExportJSON(doc)
	for _, want := range []string{
		`"tokens":{"len":[2,6],"p":[90,35],"alts":[[1," you",30,"!",9]]}`,
		`"notes":{"memory":"M","authors_note":"","depth":0}`,
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %s:\n%s", want, data)
		}
	}
	// encoding/json reads what the hand-written encoder writes (the Wails
	// binding decodes the page's documents with it).
	var viaJSON Document
	if err := json.Unmarshal(data, &viaJSON); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(viaJSON.Fragments, doc.Fragments) || !reflect.DeepEqual(viaJSON.Notes, doc.Notes) {
		t.Errorf("encoding/json read %+v %+v", viaJSON.Fragments, viaJSON.Notes)
	}
	if back, _ := json.Marshal(viaJSON.Fragments[0].Tokens); !strings.Contains(string(back), `"alts":[[1," you",30,"!",9]]`) {
		t.Errorf("encoding/json writes %s", back)
	}
}

func TestNormalize_DropsTokensThatDoNotMatchTheText(t *testing.T) {
	ok := func() *Tokens { return &Tokens{Len: []int{2, 1}, P: []int{50, 50}} }
	tests := []struct {
		name   string
		text   string
		tokens *Tokens
		kept   bool
	}{
		{"matches", "Hé!", ok(), true},
		{"text edited longer", "Hé!!", ok(), false},
		{"fewer probabilities", "Hé!", &Tokens{Len: []int{2, 1}, P: []int{50}}, false},
		{"empty token", "Hé!", &Tokens{Len: []int{3, 0}, P: []int{50, 50}}, false},
		{"probability over 100", "Hé!", &Tokens{Len: []int{2, 1}, P: []int{50, 101}}, false},
		{"alternative of a missing token", "Hé!", &Tokens{Len: []int{2, 1}, P: []int{50, 50}, Alts: []TokenAlts{{Index: 2}}}, false},
		{"alternatives out of order", "Hé!", &Tokens{Len: []int{2, 1}, P: []int{50, 50}, Alts: []TokenAlts{{Index: 1}, {Index: 0}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Document{Fragments: []Fragment{{Text: tt.text, Source: "model:m", Tokens: tt.tokens}}}
			d.Normalize()
			if got := d.Fragments[0].Tokens != nil; got != tt.kept || d.Fragments[0].Text != tt.text {
				t.Errorf("tokens kept = %v, want %v (text %q)", got, tt.kept, d.Fragments[0].Text)
			}
		})
	}
	d := Document{Notes: &Notes{Depth: 7}}
	d.Normalize()
	if d.Notes != nil {
		t.Errorf("empty notes kept: %+v", d.Notes)
	}
	d = Document{Notes: &Notes{Memory: "x", Depth: -2}}
	d.Normalize()
	if d.Notes.Depth != 0 {
		t.Errorf("depth = %d, want 0", d.Notes.Depth)
	}
}

func TestTokenAlts_RefusesBadShapes(t *testing.T) {
	for _, in := range []string{`[]`, `[1," a"]`, `["x"," a",3]`, `[1,2,3]`, `[1," a","3"]`, `{}`} {
		var a TokenAlts
		if err := json.Unmarshal([]byte(in), &a); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
	_, err := ImportJSON([]byte(`{"format":2,"fragments":[{"text":"a","tokens":{"len":[1],"p":[1],"alts":[[0,"b"]]}}]}`))
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad alternatives in a file: err = %v, want ErrCorrupt", err)
	}
}
