package proxy

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

var topLevelCases = []struct {
	name, doc, key string
	want           string // the value's bytes; "" when not found
	err            error
}{
	{"simple", `{"model":"a","x":1}`, "model", `"a"`, nil},
	{"last member", `{"x":1,"model":"a"}`, "model", `"a"`, nil},
	{"spaces", " {\n \"x\" : [1,2] ,\t\"model\" :\r\n \"a b\" }\n", "model", `"a b"`, nil},
	{"nested is not top level", `{"messages":[{"model":"inner"}],"opts":{"model":"x"},"model":"top"}`, "model", `"top"`, nil},
	{"only nested", `{"messages":[{"model":"inner"}]}`, "model", "", nil},
	{"key in string value", `{"a":"\"model\":\"no\"","model":"yes"}`, "model", `"yes"`, nil},
	{"escaped key", `{"mod\u0065l":"esc"}`, "model", `"esc"`, nil},
	{"escaped quote in value", `{"model":"a\"b"}`, "model", `"a\"b"`, nil},
	{"brackets in strings", `{"p":"}{][","model":"m"}`, "model", `"m"`, nil},
	{"number value", `{"model":12.5e3}`, "model", `12.5e3`, nil},
	{"object value", `{"model":{"a":[1,{"b":2}]}}`, "model", `{"a":[1,{"b":2}]}`, nil},
	{"null value", `{"model":null,"z":true}`, "model", `null`, nil},
	{"empty object", `{}`, "model", "", nil},
	{"duplicate", `{"model":"a","model":"b"}`, "model", "", errDuplicateKey},
	{"array", `[{"model":"a"}]`, "model", "", errNotObject},
	{"string", `"model"`, "model", "", errNotObject},
}

func TestTopLevelValue(t *testing.T) {
	for _, tt := range topLevelCases {
		t.Run(tt.name, func(t *testing.T) {
			doc := []byte(tt.doc)
			if !json.Valid(doc) {
				t.Fatalf("test case is not valid JSON")
			}
			v, found, err := topLevelValue(doc, tt.key)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if found != (tt.want != "") {
				t.Fatalf("found = %v, want %v", found, tt.want != "")
			}
			if found && string(doc[v.start:v.end]) != tt.want {
				t.Fatalf("value = %q, want %q", doc[v.start:v.end], tt.want)
			}
		})
	}
}

func TestSplice_KeepsOtherBytes(t *testing.T) {
	doc := []byte(`{ "temperature": 0.70, "model" : "x:gpu", "messages":[{"role":"user","content":"\u00e9 é"}] }`)
	v, _, _ := topLevelValue(doc, "model")
	got := splice(doc, v, quote("/srv/models/x.gguf"))
	want := `{ "temperature": 0.70, "model" : "/srv/models/x.gguf", "messages":[{"role":"user","content":"\u00e9 é"}] }`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestStringValue(t *testing.T) {
	tests := []struct {
		raw  string
		want string
		ok   bool
	}{
		{`"plain"`, "plain", true},
		{`"esc\"aped\u0041"`, `esc"apedA`, true},
		{`""`, "", true},
		{`12`, "", false},
		{`null`, "", false},
		{`["a"]`, "", false},
	}
	for _, tt := range tests {
		doc := []byte(tt.raw)
		got, ok := stringValue(doc, span{0, len(doc)})
		if got != tt.want || ok != tt.ok {
			t.Errorf("stringValue(%s) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzTopLevelValue checks the scanner against encoding/json: for any valid
// JSON object without duplicate keys, the value found for a key decodes to
// what encoding/json decodes for it, and splicing a new value in changes
// exactly that member.
func FuzzTopLevelValue(f *testing.F) {
	for _, tt := range topLevelCases {
		f.Add(tt.doc, tt.key)
	}
	f.Fuzz(func(t *testing.T, doc, key string) {
		b := []byte(doc)
		if !json.Valid(b) {
			return
		}
		v, found, err := topLevelValue(b, key)
		var members map[string]json.RawMessage
		if json.Unmarshal(b, &members) != nil {
			if err == nil {
				t.Fatalf("no error for a non-object %s", doc)
			}
			return
		}
		if errors.Is(err, errDuplicateKey) {
			return // encoding/json keeps the last; we refuse
		}
		if err != nil {
			t.Fatalf("error %v on object %s", err, doc)
		}
		want, ok := members[key]
		if found != ok {
			t.Fatalf("found = %v, encoding/json says %v (doc %s)", found, ok, doc)
		}
		if !found {
			return
		}
		var got, exp any
		if json.Unmarshal(b[v.start:v.end], &got) != nil || json.Unmarshal(want, &exp) != nil || !reflect.DeepEqual(got, exp) {
			t.Fatalf("value %q, encoding/json has %q", b[v.start:v.end], want)
		}
		out := splice(b, v, []byte(`"spliced"`))
		var after map[string]any
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("spliced doc invalid: %v: %s", err, out)
		}
		if after[key] != "spliced" {
			t.Fatalf("spliced value not seen: %s", out)
		}
	})
}
