package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one measurement saw.
type Result struct {
	Requests  int
	Errors    int
	Elapsed   time.Duration
	Latencies []time.Duration // sorted
}

// PerSecond is the completed requests per second.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the p-th percentile (0–100) latency.
func (r Result) Percentile(p float64) time.Duration { return Percentile(r.Latencies, p) }

// Percentile of sorted durations, nearest rank.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// Load sends total POSTs of body to url from concurrency workers, or as
// many as fit before d passes, and measures each one to the end of its
// body.
func Load(ctx context.Context, client *http.Client, url string, body []byte, concurrency, total int, d time.Duration) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		next   atomic.Int64
		errs   atomic.Int64
		mu     sync.Mutex
		lat    = make([]time.Duration, 0, min(total, 1<<20))
		wg     sync.WaitGroup
		start  = time.Now()
		finish time.Time
	)
	for range concurrency {
		wg.Go(func() {
			mine := make([]time.Duration, 0, 1024)
			for next.Add(1) <= int64(total) && ctx.Err() == nil {
				t0 := time.Now()
				if err := post(ctx, client, url, body, nil); err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
					}
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	finish = time.Now()
	slices.Sort(lat)
	return Result{Requests: len(lat), Errors: int(errs.Load()), Elapsed: finish.Sub(start), Latencies: lat}
}

func post(ctx context.Context, client *http.Client, url string, body []byte, hdr http.Header) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// FirstByte sends n streamed requests one after another and returns, sorted,
// the time from sending each to reading its first body byte.
func FirstByte(ctx context.Context, client *http.Client, url string, body []byte, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for range n {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		var one [1]byte
		_, err = io.ReadFull(resp.Body, one[:])
		d := time.Since(t0)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	slices.Sort(out)
	return out, nil
}

// AbortToCancel n times opens a held stream on url, reads its first event,
// cancels the request and measures until backend reports that its request
// context ended. Sorted.
func AbortToCancel(ctx context.Context, client *http.Client, url string, body []byte, backend *Backend, n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for range n {
		rctx, cancel := context.WithCancel(ctx)
		req, _ := http.NewRequestWithContext(rctx, http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(HeaderHold, "1")
		resp, err := client.Do(req)
		if err != nil {
			cancel()
			return nil, err
		}
		var one [1]byte
		if _, err := io.ReadFull(resp.Body, one[:]); err != nil {
			cancel()
			return nil, err
		}
		t0 := time.Now()
		cancel()
		select {
		case t1 := <-backend.Cancelled:
			out = append(out, t1.Sub(t0))
		case <-time.After(10 * time.Second):
			return nil, errors.New("the backend never saw the cancel")
		}
		resp.Body.Close()
	}
	slices.Sort(out)
	return out, nil
}

// Streams opens n concurrent streamed requests (chunks events, delay
// apart) and returns when all have ended, with how many failed.
func Streams(ctx context.Context, client *http.Client, url string, body []byte, n, chunks int, delay time.Duration) (failed int) {
	hdr := http.Header{HeaderChunks: {fmt.Sprint(chunks)}, HeaderDelay: {delay.String()}}
	var wg sync.WaitGroup
	var bad atomic.Int64
	for range n {
		wg.Go(func() {
			if post(ctx, client, url, body, hdr) != nil {
				bad.Add(1)
			}
		})
	}
	wg.Wait()
	return int(bad.Load())
}
