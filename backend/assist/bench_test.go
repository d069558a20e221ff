package assist

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/registry"
)

// BenchmarkEventPath32x50 pushes 32 concurrent streams of 50 tokens/s each
// from a fake backend on loopback through the whole Go path (HTTP, SSE
// decoding, shaping, batching, JSON encoding of every event as Wails
// would) for three seconds, and measures for every token the lag from the
// backend writing it to the event that first carries it.
//
// It runs with token probabilities off (K = 0) and on (K = 5: every chunk
// carries its token's logprob and 5 candidates, the final texts carry
// their tokens), and reports what the tokens cost in a document file:
// bytes per 1,000 tokens, quantised as backend/documents stores them.
func BenchmarkEventPath32x50(b *testing.B) {
	for _, k := range []int{0, 5} {
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) { benchEventPath(b, k) })
	}
}

func benchEventPath(b *testing.B, k int) {
	const (
		streams  = 32
		rate     = 50
		duration = 3 * time.Second
		tokens   = int(duration / time.Second * rate)
	)
	for range b.N {
		r := runEventPath(b, streams, tokens, time.Second/rate, k)
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
		if k > 0 {
			if r.withProbs == 0 {
				b.Fatalf("no suggestion carried tokens")
			}
			b.ReportMetric(r.docBytesPer1000, "doc-bytes/1000tok")
			b.Logf("document file: %.0f bytes per 1,000 tokens for the token data (quantised), text alone %.0f", r.docBytesPer1000, r.textBytesPer1000)
		}
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
	withProbs                       int
	docBytesPer1000                 float64
	textBytesPer1000                float64
	lags                            []time.Duration
	elapsed, cpu                    time.Duration
}

func runEventPath(b *testing.B, streams, tokens int, every time.Duration, k int) pathResult {
	topK := k
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
			c := chatChunk(body.Model, map[string]any{"content": fmt.Sprintf(" t%d", k)}, nil)
			if topK > 0 {
				addBenchProbs(c, fmt.Sprintf(" t%d", k), k, topK)
			}
			chunk, _ := json.Marshal(c)
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
	var final []Update
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
			if u.Done {
				final = append(final, u)
			}
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
	settings.MaxTokens, settings.StopAtSentence, settings.TopLogprobs = 4096, false, k
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
	if _, err := svc.start("bench", KindContinue, 0, plans, endpoint); err != nil {
		b.Fatal(err)
	}
	<-finished
	res.elapsed, res.cpu = time.Since(start), processCPU()-cpu0
	res.withProbs, res.docBytesPer1000, res.textBytesPer1000 = documentCost(final)
	return res
}

// addBenchProbs gives a bench chunk the chat logprobs of its token with k
// candidates, probabilities spread as a real model's are (most tokens
// likely, some not).
func addBenchProbs(chunk map[string]any, tok string, i, k int) {
	p := []float64{0.97, 0.82, 0.55, 0.31, 0.12, 0.995, 0.9, 0.04}[i%8]
	top := []any{map[string]any{"token": tok, "logprob": math.Log(p), "bytes": []int{}}}
	for c := 1; c < k; c++ {
		alt := fmt.Sprintf(" w%d", (i*7+c)%5000)
		top = append(top, map[string]any{"token": alt, "logprob": math.Log((1 - p) / float64(c+1)), "bytes": nil})
	}
	chunk["choices"].([]any)[0].(map[string]any)["logprobs"] = map[string]any{"content": []any{
		map[string]any{"token": tok, "logprob": math.Log(p), "bytes": nil, "top_logprobs": top}}}
}

// documentCost stores the final suggestions as model fragments of a
// document, with and without their tokens, and returns how many carried
// tokens and the bytes per 1,000 tokens of the token data and of the text.
// The quantisation is the page's (convert.ts quantiseTokens): lengths in
// code points, whole percents, candidates of at least 1 % other than the
// token itself.
func documentCost(final []Update) (withProbs int, tokenBytes, textBytes float64) {
	var with, without documents.Document
	count := 0
	for _, u := range final {
		f := documents.Fragment{Text: u.Text, Source: documents.ModelSource(u.Model)}
		without.Fragments = append(without.Fragments, f)
		if len(u.Tokens) > 0 {
			withProbs++
			count += len(u.Tokens)
			f.Tokens = quantise(u.Tokens)
		}
		with.Fragments = append(with.Fragments, f)
	}
	if count == 0 {
		return 0, 0, 0
	}
	a, c := len(documents.ExportJSON(with)), len(documents.ExportJSON(without))
	text := 0
	for _, f := range without.Fragments {
		text += len(f.Text)
	}
	return withProbs, float64(a-c) * 1000 / float64(count), float64(text) * 1000 / float64(count)
}

func quantise(toks []Token) *documents.Tokens {
	t := &documents.Tokens{}
	pct := func(p float64) int { return int(math.Round(min(max(p, 0), 1) * 100)) }
	for i, tok := range toks {
		t.Len = append(t.Len, utf8.RuneCountInString(tok.Text))
		t.P = append(t.P, pct(tok.P))
		alts := documents.TokenAlts{Index: i}
		for _, c := range tok.Top {
			if c.Text != tok.Text && pct(c.P) >= 1 {
				alts.Alts = append(alts.Alts, documents.TokenAlt{Text: c.Text, P: pct(c.P)})
			}
		}
		if len(alts.Alts) > 0 {
			t.Alts = append(t.Alts, alts)
		}
	}
	return t
}
