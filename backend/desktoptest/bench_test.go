//go:build desktop

package desktoptest

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	docfile "fragmenteditor/backend/documents"
)

// TestBench_NovelInWebKitGTK measures the real window with a
// 100,000-fragment document (about 1.2 million words): the time to open it,
// and how long key presses take to paint (Right, Enter in edit mode, typing
// in the textarea, Tab: a suggestion round of one fake model). Each key is
// measured twice: by the page (frontend/src/bench/probe.ts, on because
// FRAGMENTEDITOR_BENCH is set; it logs each measurement through
// BenchReport), from its keydown to the end of the next frame's work in
// the page's process; and by the X server, from the key's press to the
// window's next change on screen (repaints), which also counts WebKit's
// compositor and GTK. With each key series it prints the CPU time the app's
// processes and the X server spent per key, by thread. Keys are sent far
// enough apart that each one is measured on its own, as a person types.
// The app is launched twice, each time on the same untouched novel, with
// caches of the bench's own: first with them empty
// (Mesa compiles the shaders of its software GL as things are first drawn,
// which the opening and the first keys wait for), then with what the first
// launch left; both are measured. Then it types the same way into the same
// window showing a bare page instead of the app (one line of text, the last
// key): the floor, what WebKitGTK takes for a frame here when the page does
// almost nothing. It only runs under `make bench` and prints its numbers.
func TestBench_NovelInWebKitGTK(t *testing.T) {
	if os.Getenv("FRAGMENTEDITOR_BENCH") == "" {
		t.Skip("a benchmark: run with FRAGMENTEDITOR_BENCH=1 (make bench)")
	}
	const id = "benchdoc000000001"
	fragments := 100_000
	if n, err := strconv.Atoi(os.Getenv("BENCH_FRAGMENTS")); err == nil && n > 0 {
		fragments = n
	}
	x := startXvfb(t)
	home := t.TempDir()
	dir := filepath.Join(home, "data", "documents")
	file := novel(id, fragments)
	// The library holds the novel alone, as the last one open, as when the
	// writer comes back to it (again before each launch: the keys edit it).
	library := func() { libraryOf(t, dir, id, file) }
	// One model (a 4,096-token context), found once at start, so Tab starts a real round.
	const ip = "127.0.0.204"
	fake := startFakeLLM(t, ip, storyReplies...)
	port := freePort(t)
	writeProxyConfig(t, home, fmt.Sprintf(`{"port": %d, "interval": 600000, "endpoints": [{"hostname": %q, "port_start": %d, "port_end": %d}]}`, port, ip, fake.port, fake.port))
	// Caches of the bench's own: Mesa's shader cache and WebKit's live under
	// XDG_CACHE_HOME. The app is launched twice and measured the same way
	// both times: first with those caches empty, as on the first day (under
	// software GL Mesa then compiles each shader the first time something new
	// is drawn), then with what the first launch left, as on any later day.
	cache := "XDG_CACHE_HOME=" + t.TempDir()
	letters := make([]string, 0, benchWarmup+benchSamples)
	for i := range benchWarmup + benchSamples {
		letters = append(letters, string(rune('a'+i%10)))
	}
	// Each key's page number in parts (keydown → handlers done, → next frame starts), by series.
	parts := map[string]keyParts{}
	launch := func(name string) (reports, series, screen map[string][]float64, ready time.Duration) {
		fmt.Printf("%s launch (the CPU lines come as each key series ends):\n", name)
		library()
		start := time.Now()
		a := startApp(t, x, home, "FRAGMENTEDITOR_BENCH=1", cache)
		defer a.kill()
		a.ready()
		a.waitOutput("event=open", 60*time.Second)
		ready = time.Since(start)
		waitModels(t, port, 1)

		// To the middle with search, then each key with its warm-up.
		a.keys("slash")
		a.typeText(fmt.Sprintf("number %d.", fragments/2))
		a.keys("Return", "Escape")
		repeat := func(each ...string) []string {
			var out []string
			for range benchWarmup + benchSamples {
				out = append(out, each...)
			}
			return out
		}
		series, screen = map[string][]float64{}, map[string][]float64{}
		measure := func(key string, keys []string) {
			series[key], screen[key], parts[key] = measureKeys(t, a, key, keys)
		}
		measure("ArrowRight", repeat("Right"))
		rss := webProcessRSS(a)
		measure("Enter", repeat("space", "End", "exclam", "Return", "Right"))
		fmt.Printf("  web process memory (RSS) %.0f MiB before the Enter series, %.0f MiB after its %d saved edits\n",
			float64(rss)/(1<<20), float64(webProcessRSS(a))/(1<<20), benchWarmup+benchSamples)
		measure("typing", append([]string{"space", "End"}, letters...))
		a.keys("Escape")
		measure("Tab", repeat("Tab", "Escape", "Right"))
		// Closed as a writer closes it (caches are written on the way out).
		if err := a.closeWindow(30 * time.Second); err != nil {
			t.Fatalf("app exit: %v", err)
		}
		return benchReports(a.output()), series, screen, ready
	}
	coldReports, coldSeries, _, _ := launch("first")
	reports, series, screen, ready := launch("later")
	open := reports["open"]

	// The floor: the same window showing a bare page (one line of text, the
	// last key) instead of the app, typed into the same way.
	floorApp := startApp(t, x, t.TempDir(), "FRAGMENTEDITOR_BENCH=floor", cache)
	// The page replaces the app as soon as it can, before the app may say it
	// is ready; it reports its idle frame rate once the bare page painted.
	floorApp.waitWindow("FragmentEditor", 60*time.Second)
	floorApp.waitOutput("event=idle-frames-per-second", 60*time.Second)
	x.run(t, "xdotool", "windowfocus", "--sync", strconv.FormatUint(floorApp.window, 10))
	fmt.Println("bare page:")
	series["floor"], screen["floor"], parts["floor"] = measureKeys(t, floorApp, "typing", letters)
	floorFrames := first(benchReports(floorApp.output())["idle-frames-per-second"])

	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("desktop (WebKitGTK) benchmark: %d fragments (%.0f options rendered, %.0f animation frames in the second after opening), load average %s\n",
		fragments, first(reports["rendered-options"]), first(reports["idle-frames-per-second"]), strings.Fields(string(load) + " ?")[0])
	cold := fmt.Sprintf("document painted %.0f ms (answer parsed at %.0f, options in the page at %.0f)",
		first(coldReports["open"]), first(coldReports["open-answered"]), first(coldReports["open-rendered"]))
	for _, k := range []string{"ArrowRight", "Enter", "typing", "Tab"} {
		s := summarize(coldSeries[k])
		cold += fmt.Sprintf("; %s %.0f / %.0f", k, s.median, s.p95)
	}
	fmt.Printf("  first launch, empty caches (median / p95 ms): %s\n", cold)
	fmt.Printf("  later launch: start to ready %v; page loaded → document painted %.0f ms (target < 1000 ms: %s): Go's answer parsed at %.0f, state made at %.0f, options in the page at %.0f\n",
		ready.Round(time.Millisecond), first(open), verdict(first(open) < 1000),
		first(reports["open-answered"]), first(reports["open-converted"]), first(reports["open-rendered"]))
	for _, k := range []string{"ArrowRight", "Enter", "typing", "Tab"} {
		s := summarize(series[k])
		fmt.Printf("  %-24s n=%d  median %.1f ms  p95 %.1f ms  max %.1f ms  (target median < 16, p95 < 25: %s)\n",
			k+": keydown → next frame", s.n, s.median, s.p95, s.max, verdict(s.median < 16 && s.p95 < 25))
	}
	if c := reports["Enter counts"]; len(c) > benchWarmup {
		s := summarize(c[benchWarmup:])
		fmt.Printf("  %-24s n=%d  median %.1f ms  p95 %.1f ms  max %.1f ms  (the edit's new counts in the status bar: a deferred render)\n",
			"Enter: keydown → counts", s.n, s.median, s.p95, s.max)
	}
	f := summarize(series["floor"])
	fmt.Printf("  %-24s n=%d  median %.1f ms  p95 %.1f ms  max %.1f ms  (a bare page typed into: the engine's own frame here; %.0f animation frames a second idle)\n",
		"floor: keydown → next frame", f.n, f.median, f.p95, f.max, floorFrames)
	fmt.Println("  in the page, where a key's time goes (median / p95 ms from keydown: its handlers done, with React's render and commit; the next frame starts; that frame done):")
	for _, k := range []string{"ArrowRight", "Enter", "typing", "Tab", "floor"} {
		h, f, d := summarize(parts[k].script), summarize(parts[k].frame), summarize(series[k])
		fmt.Printf("    %-10s handlers %.1f / %.1f  frame starts %.1f / %.1f  frame done %.1f / %.1f\n", k, h.median, h.p95, f.median, f.p95, d.median, d.p95)
	}
	fmt.Println("  on screen (the X server's view: key pressed → the window's pixels changed; includes WebKit's compositor and GTK):")
	for _, k := range []string{"ArrowRight", "Enter", "typing", "Tab", "floor"} {
		s := summarize(screen[k])
		fmt.Printf("    %-10s n=%d  median %.1f ms  p95 %.1f ms  max %.1f ms\n", k, s.n, s.median, s.p95, s.max)
	}
}

// measureKeys presses keys 120 ms apart, as a person types, and returns
// for the presses of `measured` among them (a key, or "typing" for the
// letters a–j), the first `benchWarmup` left out: the page's measurements,
// and the times from each press to the window's next change on screen.
// It prints the CPU time the app's processes and the X server spent per
// key pressed, by thread, and how many times the window changed per key
// pressed (more than one: a key's effect came in several frames). With
// the page's measurements come their parts, for the same presses.
func measureKeys(t *testing.T, a *app, measured string, keys []string) (page, screen []float64, parts keyParts) {
	t.Helper()
	before := len(benchReports(a.output())[measured])
	r, err := watchRepaints(a.x.display, a.window)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	cpu := cpuByThread(a.cmd.Process.Pid, a.x.cmd.Process.Pid)
	var onScreen []float64
	updates := 0 // the window's changes on screen, over the whole series
	for i, k := range keys {
		pressed := time.Now()
		d, err := r.press(k, 2*time.Second)
		if err != nil {
			t.Logf("press %d of %d: %v", i+1, len(keys), err)
		} else {
			updates++
			if keyOf(k) == measured {
				onScreen = append(onScreen, float64(d.Microseconds())/1000)
			}
		}
		updates += r.changesFor(time.Until(pressed.Add(120 * time.Millisecond)))
	}
	printCPU(measured, cpu, cpuByThread(a.cmd.Process.Pid, a.x.cmd.Process.Pid), len(keys))
	fmt.Printf("  window updates per key pressed (%s series): %.2f\n", measured, float64(updates)/float64(len(keys)))
	waitFor(t, measured+" measurements", 4*time.Minute, func() bool {
		page = benchReports(a.output())[measured]
		return len(page) >= before+benchWarmup+benchSamples
	})
	warm := min(benchWarmup, len(onScreen))
	// The page reports a key's parts in the same task as the whole, so
	// they line up with it.
	reports := benchReports(a.output())
	pick := func(ms []float64) []float64 {
		if len(ms) < before+benchWarmup+benchSamples {
			return nil
		}
		return ms[before+benchWarmup : before+benchWarmup+benchSamples]
	}
	parts = keyParts{script: pick(reports["script:"+measured]), frame: pick(reports["frame:"+measured])}
	return page[before+benchWarmup : before+benchWarmup+benchSamples], onScreen[warm:], parts
}

// keyParts are the parts of a series' page numbers, from each keydown:
// to the end of the page's handlers of the key (React's render and commit
// included), and to the start of the next animation frame.
type keyParts struct{ script, frame []float64 }

// keyOf names an X keysym as the page's key events and benchReports do.
func keyOf(keysym string) string {
	switch {
	case typed(keysym):
		return "typing"
	case keysym == "Right":
		return "ArrowRight"
	case keysym == "Return":
		return "Enter"
	}
	return keysym
}

// cpuByThread is the CPU time, in clock ticks, of every thread of the
// process group pgid (the app and the WebKit processes it starts) and of
// process xvfb, by "process/thread" name, numbered threads of a pool summed
// (llvmpipe-0 and llvmpipe-1 as llvmpipe).
func cpuByThread(pgid, xvfb int) map[string]int64 {
	out := map[string]int64{}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		pid, _ := strconv.Atoi(filepath.Base(p))
		proc := procStat(p + "/stat")
		if proc == nil || (pid != xvfb && proc.pgrp != pgid) {
			continue
		}
		tasks, _ := filepath.Glob(p + "/task/[0-9]*")
		for _, task := range tasks {
			if st := procStat(task + "/stat"); st != nil {
				out[proc.comm+"/"+strings.TrimRight(st.comm, "-0123456789")] += st.ticks
			}
		}
	}
	return out
}

// webProcessRSS is the resident memory of the app's WebKit web process
// (the page's heap, the DOM and layout, its caches), in bytes.
func webProcessRSS(a *app) int64 {
	var total int64
	for _, p := range a.webProcesses() {
		status, _ := os.ReadFile(p + "/status")
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				total += kb << 10
			}
		}
	}
	return total
}

type stat struct {
	comm  string
	pgrp  int
	ticks int64 // user + system
}

// procStat reads /proc/…/stat (proc(5)); nil when it is gone or unreadable.
func procStat(path string) *stat {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open || end+2 > len(s) {
		return nil
	}
	f := strings.Fields(s[end+2:]) // from field 3, state
	if len(f) < 13 {
		return nil
	}
	pgrp, _ := strconv.Atoi(f[2])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return &stat{comm: s[open+1 : end], pgrp: pgrp, ticks: utime + stime}
}

// printCPU prints the CPU time spent per key between two cpuByThread
// snapshots: the total and the five threads that spent most.
func printCPU(measured string, before, after map[string]int64, keys int) {
	perKey := func(ticks int64) float64 { return float64(ticks) * 1000 / clockTicks / float64(keys) }
	type spent struct {
		thread string
		ticks  int64
	}
	var all []spent
	var total int64
	for thread, ticks := range after {
		if d := ticks - before[thread]; d > 0 {
			all = append(all, spent{thread, d})
			total += d
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ticks > all[j].ticks })
	line := fmt.Sprintf("  CPU per key pressed (%s series, %d keys): %.0f ms;", measured, keys, perKey(total))
	for _, s := range all[:min(5, len(all))] {
		line += fmt.Sprintf(" %s %.0f,", s.thread, perKey(s.ticks))
	}
	fmt.Println(strings.TrimSuffix(line, ","))
}

// clockTicks is USER_HZ, the unit of /proc's CPU times (100 on Linux).
const clockTicks = 100

const (
	benchSamples = 40 // per key; benchWarmup more are sent first
	benchWarmup  = 5
)

// benchReports collects the page's measurements from the app's log, by
// key (letters a–j as "typing"; "Enter counts": the status bar's counts
// after an Enter; "script:" and "frame:" before a key: the parts of its
// number) and "open", in the order they came.
func benchReports(log string) map[string][]float64 {
	out := map[string][]float64{}
	for _, line := range strings.Split(log, "\n") {
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ms, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			continue
		}
		// key:K is a key's whole number (kept as K), script:K and frame:K its parts.
		event := strings.TrimPrefix(m[1], "key:")
		part, key, ok := strings.Cut(event, ":")
		if !ok || (part != "script" && part != "frame") {
			part, key = "", event
		}
		if typed(key) {
			key = "typing"
		}
		if event = key; part != "" {
			event = part + ":" + key
		}
		if key, ok := strings.CutPrefix(event, "counts:"); ok && key == "Enter" {
			event = "Enter counts"
		}
		out[event] = append(out[event], ms)
	}
	return out
}

// typed says whether key is one of the letters the typing series types (a–j).
func typed(key string) bool { return len(key) == 1 && key >= "a" && key <= "j" }

var benchLine = regexp.MustCompile(`msg=bench event="?([^" ]+)"? ms=([0-9.]+)`)

type summary struct {
	n                int
	median, p95, max float64
}

func summarize(samples []float64) summary {
	if len(samples) == 0 {
		return summary{}
	}
	s := append([]float64(nil), samples...)
	sort.Float64s(s)
	q := func(p float64) float64 { return s[min(len(s)-1, int(math.Ceil(p*float64(len(s))))-1)] }
	return summary{n: len(s), median: q(0.5), p95: q(0.95), max: s[len(s)-1]}
}

// first is the first measurement, NaN when none came.
func first(ms []float64) float64 {
	if len(ms) == 0 {
		return math.NaN()
	}
	return ms[0]
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// libraryOf makes dir a library holding one document, file, as the last
// one opened (what was in dir is removed).
func libraryOf(t *testing.T, dir, id string, file []byte) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, id+".json"), file, 0o600); err != nil {
		t.Fatal(err)
	}
	lib, err := docfile.Open(dir)
	if err == nil {
		err = lib.SetLastOpened(id)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// novel is a document file of n sentences in paragraphs of 8, the shape of
// the browser benchmark's document (frontend/bench/run.mjs).
func novel(id string, n int) []byte {
	// The current file format: a novel being written is saved in it (an
	// older format is migrated once, on opening, at extra cost).
	words := []string{"the", "harbour", "light", "moved", "slowly", "across", "water", "and", "she", "watched", "boats", "return"}
	var b strings.Builder
	fmt.Fprintf(&b, `{"format":%d,"id":%q,"name":"bench","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","fragments":[`, docfile.CurrentFormat, id)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		var s strings.Builder
		for k := range 6 + i%9 {
			if k > 0 {
				s.WriteString(" ")
			}
			s.WriteString(words[(i*7+k*3)%len(words)])
		}
		text := strings.ToUpper(s.String()[:1]) + s.String()[1:] + fmt.Sprintf(" number %d.", i+1)
		if i%8 == 7 {
			text += "\n\n"
		} else {
			text += " "
		}
		fmt.Fprintf(&b, `{"text":%q}`, text)
	}
	b.WriteString(`],"selection":0,"draft":null}`)
	return []byte(b.String())
}
