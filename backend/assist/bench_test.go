package assist

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fragmenteditor/backend/registry"
)

// BenchmarkEventPath32x50 pushes 32 concurrent streams of 50 tokens/s each
// from a fake backend on loopback through the whole Go path (HTTP, SSE
// decoding, shaping, batching, JSON encoding of every event as Wails
// would) for three seconds, and measures for every token the lag from the
// backend writing it to the event that first carries it.
func BenchmarkEventPath32x50(b *testing.B) {
	const (
		streams  = 32
		rate     = 50
		duration = 3 * time.Second
		tokens   = int(duration / time.Second * rate)
	)
	for range b.N {
		r := runEventPath(b, streams, tokens, time.Second/rate)
		if r.tokens != streams*tokens {
			b.Fatalf("events carried %d tokens, want %d", r.tokens, streams*tokens)
		}
		slices.Sort(r.lags)
		pct := func(p float64) float64 {
			return float64(r.lags[int(p*float64(len(r.lags)-1))]) / float64(time.Millisecond)
		}
		b.ReportMetric(pct(0.50), "p50-lag-ms")
		b.ReportMetric(pct(0.99), "p99-lag-ms")
		b.ReportMetric(pct(1), "max-lag-ms")
		b.ReportMetric(float64(r.batches)/r.elapsed.Seconds(), "events/s")
		b.ReportMetric(float64(r.updates)/float64(r.batches), "updates/event")
		b.ReportMetric(100*r.cpu.Seconds()/r.elapsed.Seconds(), "cpu-%")
		b.Logf("%d streams x %d tok/s for %v: %d tokens in %d events (%.0f/s, %.1f updates each, %.0f KB JSON); "+
			"lag backend write -> emit p50 %.2f ms, p99 %.2f ms, max %.2f ms; "+
			"CPU (fake backend included) %.0f%% of one core",
			streams, rate, duration, r.tokens, r.batches, float64(r.batches)/r.elapsed.Seconds(),
			float64(r.updates)/float64(r.batches), float64(r.bytes)/1024, pct(0.5), pct(0.99), pct(1),
			100*r.cpu.Seconds()/r.elapsed.Seconds())
	}
}

type pathResult struct {
	tokens, batches, updates, bytes int
	lags                            []time.Duration
	elapsed, cpu                    time.Duration
}

func runEventPath(b *testing.B, streams, tokens int, every time.Duration) pathResult {
	sent := make([][]atomic.Int64, streams) // unix nanos each token was written
	for i := range sent {
		sent[i] = make([]atomic.Int64, tokens)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Model string `json:"model"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		var s int
		fmt.Sscanf(body.Model, "s%d", &s)
		w.Header().Set("Content-Type", "text/event-stream")
		start := time.Now()
		for k := range tokens {
			time.Sleep(time.Until(start.Add(time.Duration(k) * every)))
			chunk, _ := json.Marshal(chatChunk(body.Model, map[string]any{"content": fmt.Sprintf(" t%d", k)}, nil))
			sent[s][k].Store(time.Now().UnixNano())
			if _, err := fmt.Fprintf(w, "data: %s\n\n", chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	defer srv.Close()

	var res pathResult
	seen := make([]int, streams) // tokens visible per slot; emit runs on one goroutine
	finished := make(chan struct{})
	emit := func(_ string, payload any) {
		data, _ := json.Marshal(payload) // what Wails does with every event
		now := time.Now()
		batch := payload.(Batch)
		res.batches++
		res.bytes += len(data)
		res.updates += len(batch.Updates)
		for _, u := range batch.Updates {
			n := strings.Count(u.Text, "t")
			for k := seen[u.Slot]; k < n; k++ {
				res.lags = append(res.lags, now.Sub(time.Unix(0, sent[u.Slot][k].Load())))
			}
			res.tokens += max(n-seen[u.Slot], 0)
			seen[u.Slot] = max(seen[u.Slot], n)
		}
		if batch.Finished {
			close(finished)
		}
	}
	svc, err := New(Options{
		BaseURL: srv.URL + "/v1", SettingsDir: b.TempDir(), Emit: emit,
		Models: func() []registry.Model { return nil }, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	settings := DefaultModelSettings(0)
	settings.MaxTokens, settings.StopAtSentence = 4096, false
	plans := make([]slotPlan, streams)
	for i := range plans {
		plans[i] = slotPlan{model: fmt.Sprintf("s%02d", i), settings: settings, prompt: Prompt{
			Chat: true, User: "go", Shaper: shaper{chat: true, charCap: 1 << 20},
		}}
	}
	start, cpu0 := time.Now(), processCPU()
	endpoint, err := svc.endpointOptions()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.start(KindContinue, 0, plans, endpoint); err != nil {
		b.Fatal(err)
	}
	<-finished
	res.elapsed, res.cpu = time.Since(start), processCPU()-cpu0
	return res
}
