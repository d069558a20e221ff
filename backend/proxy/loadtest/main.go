// Command loadtest measures LLProxy against the same fake backend reached
// straight and through a minimal httputil.ReverseProxy doing the same model
// rewrite, and prints a table: requests/s and latency, time to first
// streamed byte, client-abort-to-upstream-cancel time, and the proxy's
// memory at idle and under concurrent streams (the proxy then runs as a
// separate process, so its RSS is its own). Loopback only; about 40 s.
//
//	go run ./backend/proxy/loadtest
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"fragmenteditor/backend/proxy"
	"fragmenteditor/backend/proxy/internal/loadgen"
	"fragmenteditor/backend/registry"
)

const (
	modelName = "bench:gpu"
	modelID   = "bench-model"
)

func main() {
	child := flag.Bool("child", false, "internal: run only the proxy, for the memory measurement")
	backendURL := flag.String("backend", "", "internal: the fake backend's URL, with -child")
	rounds := flag.Int("rounds", 15, "throughput rounds (each runs every target once)")
	roundLen := flag.Duration("round", 400*time.Millisecond, "length of one target's run in a round")
	conc := flag.Int("c", 32, "concurrent clients for throughput")
	streams := flag.Int("streams", 200, "concurrent streams for the memory measurement")
	waves := flag.Int("waves", 3, "waves of concurrent streams for the memory measurement")
	flag.Parse()
	if *child {
		if err := runChild(*backendURL); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := run(ctx, *rounds, *roundLen, *conc, *streams, *waves); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func registryFor(backendURL string) *registry.Registry {
	reg := &registry.Registry{}
	reg.Store(registry.NewSnapshot([]registry.Model{{Name: modelName, ID: modelID,
		Replicas: []registry.Backend{{BaseURL: backendURL}}, Raw: []byte(`{"id":"bench-model"}`)}}))
	return reg
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func run(ctx context.Context, rounds int, roundLen time.Duration, conc, streams, waves int) error {
	be, err := loadgen.StartBackend()
	if err != nil {
		return err
	}
	defer be.Close()
	reg := registryFor(be.URL)
	p, err := proxy.New(proxy.Options{Registry: reg})
	if err != nil {
		return err
	}
	defer p.Close()
	llURL, stopLL, err := serve(p.Handler())
	if err != nil {
		return err
	}
	defer stopLL()
	rpURL, stopRP, err := serve(loadgen.NewReverseProxy(reg))
	if err != nil {
		return err
	}
	defer stopRP()
	client := &http.Client{Transport: loadgen.Transport(256)}
	urls := map[string]string{"direct": be.URL, "reverseproxy": rpURL, "llproxy": llURL}
	bodies := map[string][]byte{"direct": loadgen.ChatBody(modelID, false),
		"reverseproxy": loadgen.ChatBody(modelName, false), "llproxy": loadgen.ChatBody(modelName, false)}
	names := []string{"direct", "reverseproxy", "llproxy"}

	fmt.Printf("throughput: %d rounds × %s per target, %d concurrent clients, non-streamed chat completions (~1 KiB body)\n", rounds, roundLen, conc)
	perSec := map[string][]float64{}
	lat := map[string][]time.Duration{}
	for _, n := range names { // warm up pools and code paths
		loadgen.Load(ctx, client, urls[n]+"/v1/chat/completions", bodies[n], conc, 500, 5*time.Second)
	}
	for r := range rounds {
		for i := range names {
			n := names[(r+i)%len(names)] // rotate the order: no target always goes first
			res := loadgen.Load(ctx, client, urls[n]+"/v1/chat/completions", bodies[n], conc, 1<<30, roundLen)
			if res.Errors > 0 {
				return fmt.Errorf("%s: %d errors", n, res.Errors)
			}
			perSec[n] = append(perSec[n], res.PerSecond())
			lat[n] = append(lat[n], res.Latencies...)
		}
	}

	fmt.Println("first byte: 300 streamed requests one at a time, per target, interleaved")
	ttfb := map[string][]time.Duration{}
	for range 3 {
		for _, n := range []string{"direct", "llproxy"} {
			model := modelName
			if n == "direct" {
				model = modelID
			}
			d, err := loadgen.FirstByte(ctx, client, urls[n]+"/v1/chat/completions", loadgen.ChatBody(model, true), 100)
			if err != nil {
				return fmt.Errorf("first byte %s: %w", n, err)
			}
			ttfb[n] = append(ttfb[n], d...)
		}
	}

	fmt.Println("abort: 200 held streams cancelled by the client")
	abort, err := loadgen.AbortToCancel(ctx, client, llURL+"/v1/chat/completions", loadgen.ChatBody(modelName, true), be, 200)
	if err != nil {
		return err
	}

	fmt.Printf("memory: llproxy as its own process, %d concurrent streams of 300 events 10 ms apart, %d waves\n", streams, waves)
	mem, err := measureMemory(ctx, be, client, streams, waves)
	if err != nil {
		return err
	}

	printTable(names, perSec, lat, ttfb, abort, mem, streams)
	return nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func sorted(d []time.Duration) []time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s
}

type memSample struct{ rssKiB, heapBytes int64 }

type memResult struct {
	idle       memSample
	waves      [][]memSample // samples during each wave
	after      memSample
	later      memSample
	failedWave []int
}

func printTable(names []string, perSec map[string][]float64, lat map[string][]time.Duration,
	ttfb map[string][]time.Duration, abort []time.Duration, mem memResult, streams int) {
	fmt.Println()
	fmt.Println("| measurement | direct | reverseproxy | llproxy |")
	fmt.Println("| --- | --- | --- | --- |")
	row := func(label string, f func(n string) string) {
		cells := []string{label}
		for _, n := range names {
			cells = append(cells, f(n))
		}
		fmt.Println("| " + strings.Join(cells, " | ") + " |")
	}
	row("requests/s (median of rounds)", func(n string) string { return fmt.Sprintf("%.0f", median(perSec[n])) })
	row("latency p50", func(n string) string { return ms(loadgen.Percentile(sorted(lat[n]), 50)) })
	row("latency p99", func(n string) string { return ms(loadgen.Percentile(sorted(lat[n]), 99)) })
	row("first streamed byte p50", func(n string) string {
		if d, ok := ttfb[n]; ok {
			return ms(loadgen.Percentile(sorted(d), 50))
		}
		return "–"
	})
	row("first streamed byte p99", func(n string) string {
		if d, ok := ttfb[n]; ok {
			return ms(loadgen.Percentile(sorted(d), 99))
		}
		return "–"
	})
	ratios := make([]float64, len(perSec["llproxy"]))
	for i := range ratios {
		ratios[i] = perSec["llproxy"][i] / perSec["reverseproxy"][i]
	}
	fmt.Println()
	fmt.Printf("| llproxy summary | value | target |\n| --- | --- | --- |\n")
	q := slices.Clone(ratios)
	slices.Sort(q)
	fmt.Printf("| throughput vs reverseproxy (median of %d per-round ratios; middle half) | %.2f× (%.2f–%.2f) | ≥ 0.9× |\n",
		len(q), median(ratios), q[len(q)/4], q[len(q)*3/4])
	over := loadgen.Percentile(sorted(ttfb["llproxy"]), 50) - loadgen.Percentile(sorted(ttfb["direct"]), 50)
	fmt.Printf("| first-byte overhead (p50 proxy − p50 direct) | %s | < 1 ms |\n", ms(over))
	fmt.Printf("| client abort → upstream cancel p50 / p99 | %s / %s | |\n",
		ms(loadgen.Percentile(abort, 50)), ms(loadgen.Percentile(abort, 99)))
	fmt.Printf("| RSS idle (separate process) | %.1f MiB | |\n", mib(mem.idle.rssKiB*1024))
	for i, w := range mem.waves {
		lo, hi := minMax(w, func(s memSample) int64 { return s.rssKiB * 1024 })
		hlo, hhi := minMax(w, func(s memSample) int64 { return s.heapBytes })
		fmt.Printf("| RSS during %d streams, wave %d (min–max of %d samples) | %.1f–%.1f MiB (Go heap in use %.1f–%.1f MiB) | flat |\n",
			streams, i+1, len(w), mib(lo), mib(hi), mib(hlo), mib(hhi))
	}
	fmt.Printf("| RSS right after the streams | %.1f MiB (Go heap in use %.1f MiB) | |\n", mib(mem.after.rssKiB*1024), mib(mem.after.heapBytes))
	fmt.Printf("| RSS 5 s later (connections closed) | %.1f MiB (Go heap in use %.1f MiB) | |\n", mib(mem.later.rssKiB*1024), mib(mem.later.heapBytes))
	for i, f := range mem.failedWave {
		if f > 0 {
			fmt.Printf("| failed streams in wave %d | %d | 0 |\n", i+1, f)
		}
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

func minMax(s []memSample, f func(memSample) int64) (int64, int64) {
	if len(s) == 0 {
		return 0, 0
	}
	lo, hi := f(s[0]), f(s[0])
	for _, x := range s[1:] {
		lo, hi = min(lo, f(x)), max(hi, f(x))
	}
	return lo, hi
}

// measureMemory starts the proxy as a child process and samples its RSS
// and Go heap at idle, during waves of concurrent streams, and after.
func measureMemory(ctx context.Context, be *loadgen.Backend, client *http.Client, streams, waves int) (memResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return memResult{}, err
	}
	cmd := exec.CommandContext(ctx, exe, "-child", "-backend", be.URL)
	stdin, _ := cmd.StdinPipe() // closing it tells the child to stop
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return memResult{}, err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return memResult{}, fmt.Errorf("child did not start: %w", err)
	}
	url := strings.TrimSpace(strings.TrimPrefix(line, "LISTEN "))
	pid := cmd.Process.Pid
	sample := func() memSample {
		return memSample{rssKiB: vmRSS(pid), heapBytes: scrapeHeap(ctx, client, url)}
	}
	var res memResult
	body := loadgen.ChatBody(modelName, true)
	// One request first, so that idle means "has served", not "just
	// started".
	loadgen.FirstByte(ctx, client, url+"/v1/chat/completions", body, 1)
	res.idle = sample()
	for range waves {
		done := make(chan int, 1)
		go func() {
			done <- loadgen.Streams(ctx, client, url+"/v1/chat/completions", body, streams, 300, 10*time.Millisecond)
		}()
		var samples []memSample
		tick := time.NewTicker(250 * time.Millisecond)
	wave:
		for {
			select {
			case failed := <-done:
				res.failedWave = append(res.failedWave, failed)
				break wave
			case <-tick.C:
				samples = append(samples, sample())
			}
		}
		tick.Stop()
		res.waves = append(res.waves, samples)
	}
	res.after = sample()
	// The clients hang up; the proxy's pooled upstream connections close
	// after 4 s idle.
	client.CloseIdleConnections()
	select {
	case <-time.After(5 * time.Second):
	case <-ctx.Done():
	}
	res.later = sample()
	return res, nil
}

// vmRSS reads a process's resident set size in KiB from /proc.
func vmRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// scrapeHeap reads go_memstats_heap_inuse_bytes from the proxy's /metrics.
func scrapeHeap(ctx context.Context, client *http.Client, url string) int64 {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/metrics", nil)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "go_memstats_heap_inuse_bytes "); ok {
			f, _ := strconv.ParseFloat(rest, 64)
			return int64(f)
		}
	}
	return 0
}

// runChild serves only the proxy until its stdin closes (the parent is
// done or gone), or two minutes pass.
func runChild(backendURL string) error {
	if backendURL == "" {
		return fmt.Errorf("-backend is required")
	}
	p, err := proxy.New(proxy.Options{Registry: registryFor(backendURL)})
	if err != nil {
		return err
	}
	url, stop, err := serve(p.Handler())
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println("LISTEN " + url)
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
	}
	return nil
}
