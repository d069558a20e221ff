package discovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// entry is one model a backend lists: its true id and its own JSON entry,
// passed through to clients untouched.
type entry struct {
	ID  string
	Raw json.RawMessage
	// Through is the instance of the llproxy that listed it; empty for an
	// LLM server's own entry.
	Through string
}

// Reasons a 2xx answer is not a model list.
var (
	errNotJSON     = errors.New("not JSON")
	errNoModelList = errors.New(`JSON but neither {"data":[…]} nor an array`)
)

// parseModelList reads a /v1/models answer: {"data":[…]} or a bare array.
// Entries without a non-empty string "id" are skipped; missing object,
// created or owned_by are fine. It returns an error for anything else.
func parseModelList(body []byte) ([]entry, error) {
	body = bytes.TrimSpace(body)
	if !json.Valid(body) {
		return nil, errNotJSON
	}
	var items []json.RawMessage
	switch body[0] {
	case '[':
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, fmt.Errorf("%w: %v", errNoModelList, err)
		}
	case '{':
		var list struct {
			Data *[]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, fmt.Errorf("%w: %v", errNoModelList, err)
		}
		if list.Data == nil {
			return nil, errNoModelList
		}
		items = *list.Data
	default:
		return nil, errNoModelList
	}
	entries := make([]entry, 0, len(items))
	for _, item := range items {
		if id, ok := entryID(item); ok {
			entries = append(entries, entry{ID: id, Raw: item})
		}
	}
	return entries, nil
}

// entryID returns an entry's "id" when the entry is an object whose id is a
// non-empty string.
func entryID(item json.RawMessage) (string, bool) {
	var head struct {
		ID any `json:"id"`
	}
	if err := json.Unmarshal(item, &head); err != nil {
		return "", false
	}
	id, ok := head.ID.(string)
	return id, ok && id != ""
}

// staticEntry is the entry used for an id from an endpoint's "models" list.
func staticEntry(id string) entry {
	raw, _ := json.Marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		OwnedBy string `json:"owned_by"`
	}{id, "model", "llproxy"})
	return entry{ID: id, Raw: raw}
}
