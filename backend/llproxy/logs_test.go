package llproxy

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// secretLogValue redacts itself, the way callers are asked to.
type secretLogValue string

func (secretLogValue) LogValue() slog.Value { return slog.StringValue("sk-…") }

func TestLogRing_KeepsTheLastN(t *testing.T) {
	tests := []struct {
		name     string
		size     int
		add      int
		wantMsgs []string
		wantSeq  uint64 // of the first entry
	}{
		{"empty", 3, 0, nil, 0},
		{"not full", 3, 2, []string{"m1", "m2"}, 1},
		{"exactly full", 3, 3, []string{"m1", "m2", "m3"}, 1},
		{"wrapped once", 3, 5, []string{"m3", "m4", "m5"}, 3},
		{"wrapped many times", 2, 9, []string{"m8", "m9"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newLogRing(tt.size)
			for i := 1; i <= tt.add; i++ {
				r.add(LogEntry{Message: fmt.Sprintf("m%d", i)})
			}
			got := r.entries()
			var msgs []string
			for _, e := range got {
				msgs = append(msgs, e.Message)
			}
			if fmt.Sprint(msgs) != fmt.Sprint(tt.wantMsgs) {
				t.Fatalf("messages = %v, want %v", msgs, tt.wantMsgs)
			}
			if len(got) > 0 && got[0].Seq != tt.wantSeq {
				t.Errorf("first seq = %d, want %d", got[0].Seq, tt.wantSeq)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Seq != got[i-1].Seq+1 {
					t.Errorf("seq not consecutive: %d after %d", got[i].Seq, got[i-1].Seq)
				}
			}
		})
	}
}

func TestTeeHandler_RecordsFlattensAndRedacts(t *testing.T) {
	tests := []struct {
		name      string
		log       func(l *slog.Logger)
		wantMsg   string
		wantAttrs string // "k=v k=v" of the ring entry
	}{
		{
			name:      "plain attributes",
			log:       func(l *slog.Logger) { l.Info("run", "models", 3, "addr", "127.0.0.1:1") },
			wantMsg:   "run",
			wantAttrs: "models=3 addr=127.0.0.1:1",
		},
		{
			name: "secret keys redacted in any case",
			log: func(l *slog.Logger) {
				l.Info("x", "apikey", "sk-1", "Authorization", "Bearer sk-2", "api_keys", []string{"sk-3"})
			},
			wantMsg:   "x",
			wantAttrs: "apikey=[REDACTED] Authorization=[REDACTED] api_keys=[REDACTED]",
		},
		{
			name: "secret inside a group",
			log: func(l *slog.Logger) {
				l.Info("x", slog.Group("backend", "url", "http://h:1", "apikey", "sk-4"))
			},
			wantMsg:   "x",
			wantAttrs: "backend.url=http://h:1 backend.apikey=[REDACTED]",
		},
		{
			name:      "LogValuer resolved",
			log:       func(l *slog.Logger) { l.Info("x", "key", secretLogValue("sk-5")) },
			wantMsg:   "x",
			wantAttrs: "key=sk-…",
		},
		{
			name: "WithAttrs and WithGroup",
			log: func(l *slog.Logger) {
				l.With("component", "proxy", "apikey", "sk-6").WithGroup("req").Info("done", "model", "m:gpu")
			},
			wantMsg:   "done",
			wantAttrs: "component=proxy apikey=[REDACTED] req.model=m:gpu",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			ring := newLogRing(10)
			next := slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})
			tt.log(slog.New(newTeeHandler(next, ring, slog.LevelInfo)))

			got := ring.entries()
			if len(got) != 1 {
				t.Fatalf("ring has %d entries, want 1", len(got))
			}
			if got[0].Message != tt.wantMsg || got[0].Level != "INFO" {
				t.Errorf("entry = %s %q, want INFO %q", got[0].Level, got[0].Message, tt.wantMsg)
			}
			var attrs []string
			for _, a := range got[0].Attrs {
				attrs = append(attrs, a.Key+"="+a.Value)
			}
			if s := strings.Join(attrs, " "); s != tt.wantAttrs {
				t.Errorf("attrs = %q, want %q", s, tt.wantAttrs)
			}
			if strings.Contains(out.String(), "sk-") && !strings.Contains(out.String(), "sk-…") {
				t.Errorf("secret reached the real logger: %s", out.String())
			}
			if out.Len() == 0 {
				t.Error("record did not reach the real logger")
			}
		})
	}
}

func TestTeeHandler_Levels(t *testing.T) {
	var out bytes.Buffer
	ring := newLogRing(10)
	next := slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn})
	l := slog.New(newTeeHandler(next, ring, slog.LevelInfo))
	l.Debug("debug line")
	l.Info("info line")
	l.Error("error line")

	var msgs []string
	for _, e := range ring.entries() {
		msgs = append(msgs, e.Message)
	}
	if fmt.Sprint(msgs) != "[info line error line]" {
		t.Errorf("ring = %v, want info and error only", msgs)
	}
	if strings.Contains(out.String(), "info line") || !strings.Contains(out.String(), "error line") {
		t.Errorf("real logger (warn) got %q", out.String())
	}
}
