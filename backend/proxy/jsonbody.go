package proxy

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Pure byte-level helpers for the two JSON edits the proxy makes: the
// "model" of a request body and the "id" of a /v1/models entry. They splice
// the bytes of one value and leave every other byte as it was, so fields the
// proxy does not know about reach the backend exactly as the client wrote
// them (number formats, key order, whitespace, unknown extensions).

var (
	errNotObject    = errors.New("JSON body is not an object")
	errDuplicateKey = errors.New("duplicate key")
)

// span is a half-open byte range [start, end) of a JSON value.
type span struct{ start, end int }

// topLevelValue finds the value of key among the members of the JSON object
// doc. doc must be valid JSON (check with json.Valid first); found is false
// when the object has no such member. A key given twice is an error, since
// JSON parsers disagree on which one wins.
func topLevelValue(doc []byte, key string) (v span, found bool, err error) {
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return span{}, false, errNotObject
	}
	i = skipSpace(doc, i+1)
	for i < len(doc) && doc[i] != '}' {
		keyEnd := skipString(doc, i)
		isKey := keyEquals(doc[i:keyEnd], key)
		i = skipSpace(doc, keyEnd)
		i = skipSpace(doc, i+1) // the colon
		valEnd := skipValue(doc, i)
		if isKey {
			if found {
				return span{}, false, errDuplicateKey
			}
			v, found = span{i, valEnd}, true
		}
		i = skipSpace(doc, valEnd)
		if i < len(doc) && doc[i] == ',' {
			i = skipSpace(doc, i+1)
		}
	}
	return v, found, nil
}

// splice returns doc with the bytes of v replaced by repl, in a new slice.
func splice(doc []byte, v span, repl []byte) []byte {
	out := make([]byte, 0, len(doc)-(v.end-v.start)+len(repl))
	out = append(out, doc[:v.start]...)
	out = append(out, repl...)
	return append(out, doc[v.end:]...)
}

// stringValue decodes the JSON string at v; ok is false for any other kind
// of value.
func stringValue(doc []byte, v span) (s string, ok bool) {
	raw := doc[v.start:v.end]
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// quote encodes s as a JSON string.
func quote(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// keyEquals reports whether the JSON string raw (quotes included) decodes
// to key.
func keyEquals(raw []byte, key string) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return len(raw) == len(key)+2 && string(raw[1:len(raw)-1]) == key
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == key
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) {
		switch doc[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index just past the string starting at doc[i].
func skipString(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just past the value starting at doc[i].
func skipValue(doc []byte, i int) int {
	if i >= len(doc) {
		return i
	}
	switch doc[i] {
	case '"':
		return skipString(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				i = skipString(doc, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default: // number, true, false, null
		for i < len(doc) {
			switch doc[i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return i
			}
			i++
		}
		return i
	}
}
