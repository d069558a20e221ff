package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decoder turns JSON into a Config field by field, so that every problem
// can name its exact path, unknown and repeated keys are caught (key names
// match exactly, unlike encoding/json's case-insensitive matching), and
// decoding goes on after the first problem.
type decoder struct {
	problems
	// failed are the paths whose values could not be decoded; checks on
	// them or their parents are dropped to avoid follow-on complaints.
	failed []string
}

func (d *decoder) fail(path, format string, args ...any) {
	d.add(path, format, args...)
	d.failed = append(d.failed, path)
}

// setter decodes one member's value into a T.
type setter[T any] func(d *decoder, path string, raw json.RawMessage, into *T)

// fields maps the JSON names of a type's members to their setters.
type fields[T any] map[string]setter[T]

var configFields = fields[Config]{
	"host":                  func(d *decoder, p string, r json.RawMessage, c *Config) { d.str(p, r, &c.Host) },
	"port":                  func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.Port) },
	"interval":              func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.Interval) },
	"api_keys":              func(d *decoder, p string, r json.RawMessage, c *Config) { d.strs(p, r, &c.APIKeys) },
	"cors_origins":          func(d *decoder, p string, r json.RawMessage, c *Config) { d.strs(p, r, &c.CORSOrigins) },
	"allowed_hosts":         func(d *decoder, p string, r json.RawMessage, c *Config) { d.strs(p, r, &c.AllowedHosts) },
	"tls_cert":              func(d *decoder, p string, r json.RawMessage, c *Config) { d.str(p, r, &c.TLSCert) },
	"tls_key":               func(d *decoder, p string, r json.RawMessage, c *Config) { d.str(p, r, &c.TLSKey) },
	"max_body_bytes":        func(d *decoder, p string, r json.RawMessage, c *Config) { d.int64(p, r, &c.MaxBodyBytes) },
	"connect_timeout":       func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.ConnectTimeout) },
	"idle_timeout":          func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.IdleTimeout) },
	"probe_timeout":         func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.ProbeTimeout) },
	"probe_concurrency":     func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.ProbeConcurrency) },
	"max_connections":       func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.MaxConnections) },
	"body_read_timeout":     func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.BodyReadTimeout) },
	"max_model_id_bytes":    func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.MaxModelIDBytes) },
	"max_models_per_server": func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.MaxModelsPerServer) },
	"max_models":            func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.MaxModels) },
	"max_error_names":       func(d *decoder, p string, r json.RawMessage, c *Config) { d.int(p, r, &c.MaxErrorNames) },
	"endpoints":             decodeEndpoints,
}

var endpointFields = fields[Endpoint]{
	"label":      func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.Label) },
	"hostname":   func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.Hostname) },
	"port_start": func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.int(p, r, &e.PortStart) },
	"port_end":   func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.int(p, r, &e.PortEnd) },
	"url":        func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.URL) },
	"tags":       func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.strs(p, r, &e.Tags) },
	"enable":     decodeEnable,
	"apikey":     func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.APIKey) },
	"filter":     func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.strs(p, r, &e.Filter) },
	"models":     func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.strs(p, r, &e.Models) },

	"ssh_username": func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.SSHUsername) },
	"env_var":      func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.EnvVar) },
	"ssh_discover": func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.SSHDiscover) },
	"tunnel":       decodeTunnel,
	"ssh_key":      func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.SSHKey) },
	"ssh_port":     func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.int(p, r, &e.SSHPort) },
	"known_hosts":  func(d *decoder, p string, r json.RawMessage, e *Endpoint) { d.str(p, r, &e.KnownHosts) },
}

func decodeEndpoints(d *decoder, path string, raw json.RawMessage, c *Config) {
	elems, ok := d.array(path, raw)
	if !ok {
		return
	}
	c.Endpoints = make([]Endpoint, len(elems))
	for i, elem := range elems {
		decodeObject(d, index(path, i), elem, endpointFields, &c.Endpoints[i])
	}
}

func decodeEnable(d *decoder, path string, raw json.RawMessage, e *Endpoint) {
	var b bool
	if d.bool(path, raw, &b) {
		e.Enable = &b
	}
}

func decodeTunnel(d *decoder, path string, raw json.RawMessage, e *Endpoint) {
	var b bool
	if d.bool(path, raw, &b) {
		e.Tunnel = &b
	}
}

// document checks the JSON syntax of a whole config and returns its single
// top-level value.
func (d *decoder) document(data []byte) (json.RawMessage, bool) {
	if len(bytes.TrimSpace(data)) == 0 {
		d.fail("", "the config is empty; it must be a JSON object such as {\"port\": 3333, \"endpoints\": []}")
		return nil, false
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	if err == nil {
		return raw, true
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		d.fail("", "%v", err)
		return nil, false
	}
	at := int(se.Offset) - 1 // the offending byte
	if strings.HasPrefix(se.Error(), "unexpected end") {
		at = len(data)
	}
	line, col := position(data, at)
	d.fail("", "line %d, column %d: %s", line, col, se.Error())
	return nil, false
}

// position is the 1-based line and column (in characters) of byte at.
func position(data []byte, at int) (line, col int) {
	at = max(0, min(at, len(data)))
	before := data[:at]
	line = 1 + bytes.Count(before, []byte{'\n'})
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}

// decodeObject decodes the object raw into *into member by member,
// reporting unknown and repeated keys.
func decodeObject[T any](d *decoder, path string, raw json.RawMessage, known fields[T], into *T) {
	members, ok := d.object(path, raw)
	if !ok {
		return
	}
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		p := field(path, m.name)
		set, ok := known[m.name]
		switch {
		case !ok:
			d.add(p, "unknown field%s", suggestion(m.name, known))
		case seen[m.name]:
			d.add(p, "given more than once")
		case kind(m.value) == "null":
			seen[m.name] = true // null means "not set", as in encoding/json
		default:
			seen[m.name] = true
			set(d, p, m.value, into)
		}
	}
}

type member struct {
	name  string
	value json.RawMessage
}

// object lists the members of a JSON object in document order, repeated
// keys included.
func (d *decoder) object(path string, raw json.RawMessage) ([]member, bool) {
	if k := kind(raw); k != "object" {
		d.fail(path, "must be an object, not %s", describe(raw))
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // '{'
		d.fail(path, "%v", err)
		return nil, false
	}
	var members []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			d.fail(path, "%v", err)
			return nil, false
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			d.fail(path, "%v", err)
			return nil, false
		}
		members = append(members, member{name: tok.(string), value: value})
	}
	return members, true
}

func (d *decoder) array(path string, raw json.RawMessage) ([]json.RawMessage, bool) {
	var elems []json.RawMessage
	if kind(raw) != "array" || json.Unmarshal(raw, &elems) != nil {
		d.fail(path, "must be a list, not %s", describe(raw))
		return nil, false
	}
	return elems, true
}

// The value decoders below store into *dst and report true when the
// value has the right type; otherwise they record a problem and leave
// *dst alone.

func (d *decoder) str(path string, raw json.RawMessage, dst *string) bool {
	if kind(raw) != "string" || json.Unmarshal(raw, dst) != nil {
		d.fail(path, "must be a string, not %s", describe(raw))
		return false
	}
	return true
}

// strs decodes a list of strings; an empty list decodes as nil (absent),
// since it means the same and would not survive a round trip otherwise.
func (d *decoder) strs(path string, raw json.RawMessage, dst *[]string) bool {
	elems, ok := d.array(path, raw)
	if !ok {
		return false
	}
	var out []string
	for i, elem := range elems {
		var s string
		if !d.str(index(path, i), elem, &s) {
			return false
		}
		out = append(out, s)
	}
	*dst = out
	return true
}

func (d *decoder) bool(path string, raw json.RawMessage, dst *bool) bool {
	switch string(raw) {
	case "true", "false":
		*dst = string(raw) == "true"
		return true
	}
	d.fail(path, "must be true or false, not %s", describe(raw))
	return false
}

func (d *decoder) int64(path string, raw json.RawMessage, dst *int64) bool {
	if kind(raw) != "number" {
		d.fail(path, "must be a whole number, not %s", describe(raw))
		return false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		d.fail(path, "%s is too large", raw)
		return false
	case err != nil:
		d.fail(path, "%s is not a whole number", raw)
		return false
	}
	*dst = n
	return true
}

func (d *decoder) int(path string, raw json.RawMessage, dst *int) bool {
	var n int64
	if !d.int64(path, raw, &n) {
		return false
	}
	if n > math.MaxInt || n < math.MinInt {
		d.fail(path, "%d is too large", n)
		return false
	}
	*dst = int(n)
	return true
}

// kind names the JSON type of a syntactically valid value.
func kind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// describe names a value for a message: its type, and the value itself
// when it is short and cannot be a secret (strings are never shown).
func describe(raw json.RawMessage) string {
	switch k := kind(raw); k {
	case "number", "boolean":
		if len(raw) <= 24 {
			return fmt.Sprintf("%s %s", k, raw)
		}
		return "a " + k
	case "object", "array":
		return "an " + k
	default:
		return "a " + k
	}
}

// suggestion proposes the known field a misspelt key most likely meant.
func suggestion[T any](name string, known fields[T]) string {
	best, bestDist := "", 3
	for k := range known {
		dist := editDistance(squash(name), squash(k))
		if dist < bestDist || dist == bestDist && k < best {
			best, bestDist = k, dist
		}
	}
	if best == "" || bestDist > 0 && len(name) < 4 {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// squash folds case and drops separators: "PortStart", "port-start" and
// "port_start" all become "portstart".
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
