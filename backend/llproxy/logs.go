package llproxy

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// LogEntry is one captured log record, flattened for display.
type LogEntry struct {
	// Seq increases by one per captured record; a gap between two entries
	// a reader saw means the ring dropped records in between.
	Seq     uint64    `json:"seq"`
	Time    time.Time `json:"time"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
	// Attrs are the record's attributes in order, group names joined to
	// keys with dots ("req.model"), values rendered as text. Secrets are
	// already redacted.
	Attrs []LogAttr `json:"attrs,omitempty"`
}

// LogAttr is one key and its rendered value.
type LogAttr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// logRing keeps the last N entries. Safe for concurrent use.
type logRing struct {
	mu   sync.Mutex // guards all fields below
	buf  []LogEntry // circular, len == cap once full
	next int        // index the next entry is written to once full
	seq  uint64
}

func newLogRing(size int) *logRing {
	return &logRing{buf: make([]LogEntry, 0, size)}
}

func (r *logRing) add(e LogEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq++
	e.Seq = r.seq
	if len(r.buf) < cap(r.buf) {
		r.buf = append(r.buf, e)
		return
	}
	r.buf[r.next] = e
	r.next = (r.next + 1) % len(r.buf)
}

// entries returns a copy, oldest first.
func (r *logRing) entries() []LogEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]LogEntry, 0, len(r.buf))
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// secretKeys are attribute keys whose values never reach a log line,
// whoever logs them. Compared case-insensitively on the last key segment.
var secretKeys = []string{"apikey", "api_key", "api_keys", "apikeys", "authorization", "x-api-key", "password", "secret"}

const redacted = "[REDACTED]"

func isSecretKey(key string) bool {
	return slices.Contains(secretKeys, strings.ToLower(key))
}

// redact replaces the value of a secret-named attribute (and, inside
// groups, of secret-named members) and resolves LogValuers.
func redact(a slog.Attr) slog.Attr {
	if isSecretKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	v := a.Value.Resolve()
	if v.Kind() != slog.KindGroup {
		return slog.Attr{Key: a.Key, Value: v}
	}
	members := v.Group()
	out := make([]slog.Attr, len(members))
	for i, m := range members {
		out[i] = redact(m)
	}
	return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
}

// teeHandler records every record at or above ringLevel into a ring and
// passes every record the next handler wants on to it, with secrets
// redacted on both paths.
type teeHandler struct {
	next      slog.Handler
	ring      *logRing
	ringLevel slog.Leveler
	// prefix is the group path opened by WithGroup ("a.b." or "").
	prefix string
	// attrs were added by WithAttrs, already flattened and redacted.
	attrs []LogAttr
}

var _ slog.Handler = (*teeHandler)(nil)

func newTeeHandler(next slog.Handler, ring *logRing, ringLevel slog.Leveler) *teeHandler {
	return &teeHandler{next: next, ring: ring, ringLevel: ringLevel}
}

func (h *teeHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= h.ringLevel.Level() || h.next.Enabled(ctx, level)
}

func (h *teeHandler) Handle(ctx context.Context, r slog.Record) error {
	clean := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		clean.AddAttrs(redact(a))
		return true
	})
	if r.Level >= h.ringLevel.Level() {
		h.ring.add(h.entry(clean))
	}
	if !h.next.Enabled(ctx, r.Level) {
		return nil
	}
	return h.next.Handle(ctx, clean)
}

func (h *teeHandler) entry(r slog.Record) LogEntry {
	e := LogEntry{Time: r.Time, Level: r.Level.String(), Message: r.Message}
	e.Attrs = append(e.Attrs, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		e.Attrs = flatten(e.Attrs, h.prefix, a)
		return true
	})
	return e
}

// flatten appends a (already redacted) with group keys joined by dots.
func flatten(dst []LogAttr, prefix string, a slog.Attr) []LogAttr {
	if a.Equal(slog.Attr{}) {
		return dst
	}
	if a.Value.Kind() != slog.KindGroup {
		return append(dst, LogAttr{Key: prefix + a.Key, Value: a.Value.String()})
	}
	inner := prefix
	if a.Key != "" {
		inner = prefix + a.Key + "."
	}
	for _, m := range a.Value.Group() {
		dst = flatten(dst, inner, m)
	}
	return dst
}

func (h *teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = redact(a)
	}
	c := *h
	c.next = h.next.WithAttrs(clean)
	c.attrs = slices.Clone(h.attrs)
	for _, a := range clean {
		c.attrs = flatten(c.attrs, h.prefix, a)
	}
	return &c
}

func (h *teeHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.next = h.next.WithGroup(name)
	c.prefix = h.prefix + name + "."
	return &c
}
