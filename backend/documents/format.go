package documents

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Errors of this package. Functions wrap them (often inside a *FileError
// naming the file); test them with errors.Is.
var (
	// ErrCorrupt: the data is not a readable document (bad JSON, wrong
	// types, missing fragments).
	ErrCorrupt = errors.New("not a readable document")
	// ErrNewerFormat: the file was written by a newer FragmentEditor.
	ErrNewerFormat = errors.New("written by a newer version of FragmentEditor")
	// ErrNotFound: no document (or snapshot) with that id.
	ErrNotFound = errors.New("no such document")
	// ErrInvalidID: the id cannot name a document file.
	ErrInvalidID = errors.New("invalid document id")
	// ErrDeleted: the document is in the trash; restore it first.
	ErrDeleted = errors.New("document is in the trash")
	// ErrExists: a document with that id already exists.
	ErrExists = errors.New("document already exists")
	// ErrUnsupportedFormat: a file to import or export is not .txt, .md
	// or .json.
	ErrUnsupportedFormat = errors.New("unsupported file type")
	// ErrStaleRevision: the save is based on an older revision than the
	// one saved (by another tab, window or process) since.
	ErrStaleRevision = errors.New("the document was changed elsewhere")
)

// FileError is a problem with one file; its message starts with the path.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// ExportJSON returns the document in the file format (CurrentFormat).
func ExportJSON(doc Document) []byte {
	doc.Normalize()
	return encode(&doc)
}

// ImportJSON reads a document from JSON in any supported format, migrating
// older ones. Wrong types, a missing fragments list and newer formats are
// errors (wrapping ErrCorrupt or ErrNewerFormat); out-of-range UI state is
// clamped (see Normalize). The id is kept; Library.Add gives it a new one.
func ImportJSON(data []byte) (Document, error) {
	return decode(data)
}

// encode writes the file format by hand: one fragment per line, so files
// read and diff well, and no reflection on the hot path of autosave.
func encode(d *Document) []byte {
	size := 256
	for i := range d.Fragments {
		size += len(d.Fragments[i].Text) + 16
		for _, a := range d.Fragments[i].Alternatives {
			size += len(a) + 4
		}
		if t := d.Fragments[i].Tokens; t != nil {
			size += 8*len(t.Len) + 16*len(t.Alts)
		}
	}
	b := make([]byte, 0, size+size/16)
	b = append(b, `{"format":`...)
	b = strconv.AppendInt(b, CurrentFormat, 10)
	b = append(b, `,"id":`...)
	b = appendString(b, d.ID)
	b = append(b, `,"name":`...)
	b = appendString(b, d.Name)
	b = append(b, `,"created":`...)
	b = appendTime(b, d.Created)
	b = append(b, `,"modified":`...)
	b = appendTime(b, d.Modified)
	if d.Revision > 0 {
		b = append(b, `,"revision":`...)
		b = strconv.AppendInt(b, d.Revision, 10)
	}
	b = append(b, ",\n\"fragments\":["...)
	for i := range d.Fragments {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = appendFragment(b, &d.Fragments[i])
	}
	b = append(b, "],\n\"selection\":"...)
	b = strconv.AppendInt(b, int64(d.Selection), 10)
	b = append(b, `,"draft":`...)
	b = appendDraft(b, d.Draft)
	if d.Notes != nil {
		b = append(b, ",\n\"notes\":"...)
		b = appendNotes(b, d.Notes)
	}
	return append(b, "}\n"...)
}

func appendDraft(b []byte, d *Draft) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(d.Index), 10)
	b = append(b, `,"mode":`...)
	b = appendString(b, d.Mode)
	b = append(b, `,"text":`...)
	b = appendString(b, d.Text)
	return append(b, '}')
}

func appendFragment(b []byte, f *Fragment) []byte {
	b = append(b, `{"text":`...)
	b = appendString(b, f.Text)
	if f.Source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, f.Source)
	}
	if f.Edited {
		b = append(b, `,"edited":true`...)
	}
	if len(f.Alternatives) > 0 {
		b = append(b, `,"alternatives":[`...)
		for j, a := range f.Alternatives {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendString(b, a)
		}
		b = append(b, ']')
	}
	if f.Alt != 0 {
		b = append(b, `,"alt":`...)
		b = strconv.AppendInt(b, int64(f.Alt), 10)
	}
	if f.Tokens != nil {
		b = append(b, `,"tokens":`...)
		b = appendTokens(b, f.Tokens)
	}
	return append(b, '}')
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (without HTML escaping): invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// fileDoc is the shape decoded from a file. Pointers tell "missing" apart.
type fileDoc struct {
	Format    *int        `json:"format"`
	ID        string      `json:"id"`
	Name      string      `json:"name"`
	Created   time.Time   `json:"created"`
	Modified  time.Time   `json:"modified"`
	Revision  int64       `json:"revision"`
	Fragments *[]Fragment `json:"fragments"`
	Selection int         `json:"selection"`
	Draft     *Draft      `json:"draft"`
	Notes     *Notes      `json:"notes"`
}

// decode reads any supported format; the result is normalized.
func decode(data []byte) (Document, error) {
	var f fileDoc
	err := json.Unmarshal(data, &f)
	if err != nil || f.Format == nil || *f.Format != CurrentFormat {
		// Not the current format, or broken: find out which, for a clear error.
		v, verr := probeFormat(data)
		switch {
		case verr != nil:
			return Document{}, verr
		case v > CurrentFormat:
			return Document{}, newerError(v)
		case v < CurrentFormat:
			migrated, _, merr := Migrate(data)
			if merr != nil {
				return Document{}, merr
			}
			doc, derr := decode(migrated)
			doc.Format = v
			return doc, derr
		default:
			return Document{}, corruptError(data, err)
		}
	}
	if f.Fragments == nil {
		return Document{}, fmt.Errorf("%w: no \"fragments\" list", ErrCorrupt)
	}
	doc := Document{
		Format:    *f.Format,
		ID:        f.ID,
		Name:      f.Name,
		Created:   f.Created,
		Modified:  f.Modified,
		Revision:  f.Revision,
		Fragments: *f.Fragments,
		Selection: f.Selection,
		Draft:     f.Draft,
		Notes:     f.Notes,
	}
	doc.Normalize()
	return doc, nil
}

// probeFormat reads only the format version; missing means 0.
func probeFormat(data []byte) (int, error) {
	var p struct {
		Format *json.RawMessage `json:"format"`
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return 0, corruptError(data, err)
	}
	if p.Format == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(bytes.TrimSpace(*p.Format)))
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%w: \"format\" is %s, want a version number", ErrCorrupt, *p.Format)
	}
	return v, nil
}

func newerError(v int) error {
	return fmt.Errorf("%w (file format %d; this version reads formats up to %d): update FragmentEditor to open it",
		ErrNewerFormat, v, CurrentFormat)
}

// corruptError turns a JSON error into ErrCorrupt with a line and column.
func corruptError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && syn.Offset >= int64(len(data)):
		return fmt.Errorf("%w: the JSON ends early (truncated at byte %d)", ErrCorrupt, len(data))
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1) // Offset is just past the bad byte
		return fmt.Errorf("%w: invalid JSON at line %d, column %d: %v", ErrCorrupt, line, col, syn)
	case errors.As(err, &typ):
		line, col := lineCol(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("%w: at line %d, column %d: %s is a JSON %s, want %s",
			ErrCorrupt, line, col, field, typ.Value, typ.Type)
	case err == nil:
		return fmt.Errorf("%w: unknown problem", ErrCorrupt)
	default:
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
}

func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// migrations[v] upgrades a decoded object from format v to v+1.
var migrations = map[int]func(map[string]json.RawMessage) error{
	0: migrate0to1,
	1: migrate1to2,
}

// Migrate upgrades a document in an older format to CurrentFormat, one
// step per version, and returns the upgraded JSON and the version it read.
// Data already in CurrentFormat comes back unchanged; a newer format gives
// ErrNewerFormat.
func Migrate(data []byte) (out []byte, from int, err error) {
	from, err = probeFormat(data)
	if err != nil {
		return nil, 0, err
	}
	if from > CurrentFormat {
		return nil, from, newerError(from)
	}
	if from == CurrentFormat {
		return data, from, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, from, fmt.Errorf("%w: not a JSON object", ErrCorrupt)
	}
	for v := from; v < CurrentFormat; v++ {
		step, ok := migrations[v]
		if !ok {
			return nil, from, fmt.Errorf("%w: no migration from format %d", ErrCorrupt, v)
		}
		if err := step(m); err != nil {
			return nil, from, fmt.Errorf("migrating from format %d: %w", v, err)
		}
	}
	m["format"] = json.RawMessage(strconv.Itoa(CurrentFormat))
	out, err = json.Marshal(m)
	return out, from, err
}

// migrate0to1: the prototype stored fragments as plain strings and had no
// format field; fragments that are already objects are kept.
func migrate0to1(m map[string]json.RawMessage) error {
	raw, ok := m["fragments"]
	if !ok {
		return fmt.Errorf("%w: no \"fragments\" list", ErrCorrupt)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fmt.Errorf("%w: \"fragments\" is not a list", ErrCorrupt)
	}
	for i, it := range items {
		if t := bytes.TrimSpace(it); len(t) > 0 && t[0] == '"' {
			items[i] = append(append([]byte(`{"text":`), t...), '}')
		}
	}
	fixed, err := json.Marshal(items)
	if err != nil {
		return err
	}
	m["fragments"] = fixed
	return nil
}

// migrate1to2: format 2 adds token probabilities to fragments and story
// notes to the document, both optional; a format-1 file has neither, and
// format 1 never used those names, so nothing changes but the version
// (which Migrate sets). Older versions must not open format 2: they would
// drop the tokens and notes on their next save.
func migrate1to2(m map[string]json.RawMessage) error {
	if _, ok := m["fragments"]; !ok {
		return fmt.Errorf("%w: no \"fragments\" list", ErrCorrupt)
	}
	return nil
}
