package discovery

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

// runLog records the runs of a scheduler whose run function is replaced:
// when each started (bubble time since the test began) and the interval of
// the config it saw.
type runLog struct {
	mu     sync.Mutex
	start  time.Time
	at     []time.Duration
	saw    []int
	active int
	most   int
}

func (l *runLog) record(cfg *config.Config) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.at = append(l.at, time.Since(l.start))
	l.saw = append(l.saw, cfg.Interval)
	l.active++
	l.most = max(l.most, l.active)
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.active--
	}
}

func (l *runLog) times() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.at)
}

// stubScheduler builds, inside a synctest bubble, a scheduler whose runs
// only record themselves and then call during (if set).
func stubScheduler(intervalMS int, during func()) (*Scheduler, *runLog) {
	cfg := testConfig()
	cfg.Interval = intervalMS
	s := New(Options{Config: cfg})
	log := &runLog{start: time.Now()}
	s.run = func(ctx context.Context) (Report, bool) {
		c, _ := s.settings()
		defer log.record(c)()
		if during != nil {
			during()
		}
		return Report{Models: len(log.times())}, true
	}
	return s, log
}

// startRun runs s in the bubble and returns a function that stops it and
// waits for Run to return.
func startRun(s *Scheduler) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	return func() {
		cancel()
		<-done
	}
}

func secs(ss ...float64) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = time.Duration(s * float64(time.Second))
	}
	return out
}

func TestScheduler_RunsAtStartAndEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, log := stubScheduler(10_000, nil)
		stop := startRun(s)
		time.Sleep(35 * time.Second)
		synctest.Wait()
		stop()
		if got, want := log.times(), secs(0, 10, 20, 30); !slices.Equal(got, want) {
			t.Errorf("runs at %v, want %v", got, want)
		}
	})
}

// NextRun follows the ticker: a Rescan does not move it; a new interval
// does.
func TestScheduler_NextRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := stubScheduler(10_000, nil)
		if !s.NextRun().IsZero() {
			t.Fatal("NextRun set before Run")
		}
		begin := time.Now()
		stop := startRun(s)
		defer stop()
		synctest.Wait()
		if got := s.NextRun().Sub(begin); got != 10*time.Second {
			t.Fatalf("next run in %v, want 10s", got)
		}
		time.Sleep(12 * time.Second)
		synctest.Wait()
		if got := s.NextRun().Sub(begin); got != 20*time.Second {
			t.Fatalf("after a tick: next run at %v, want 20s", got)
		}
		s.Rescan()
		synctest.Wait()
		if got := s.NextRun().Sub(begin); got != 20*time.Second {
			t.Fatalf("after a rescan: next run at %v, want 20s", got)
		}
		cfg := testConfig()
		cfg.Interval = 3_000
		s.SetConfig(cfg)
		synctest.Wait()
		if got := s.NextRun().Sub(begin); got != 15*time.Second {
			t.Fatalf("after a new interval at 12s: next run at %v, want 15s", got)
		}
	})
}

func TestScheduler_SetConfig(t *testing.T) {
	for _, tc := range []struct {
		name        string
		newInterval int
		want        []time.Duration // runs until 12.5 s; SetConfig at 3 s
	}{
		{"shorter interval restarts the ticker at once", 1_000, secs(0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)},
		{"same interval keeps the ticker", 10_000, secs(0, 3, 10)},
		{"longer interval restarts the ticker at once", 20_000, secs(0, 3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, log := stubScheduler(10_000, nil)
				stop := startRun(s)
				time.Sleep(3 * time.Second)
				cfg := testConfig()
				cfg.Interval = tc.newInterval
				s.SetConfig(cfg)
				time.Sleep(9500 * time.Millisecond)
				synctest.Wait()
				stop()
				if got := log.times(); !slices.Equal(got, tc.want) {
					t.Fatalf("runs at %v, want %v", got, tc.want)
				}
				log.mu.Lock()
				defer log.mu.Unlock()
				if log.saw[0] != 10_000 || log.saw[1] != tc.newInterval {
					t.Errorf("runs saw intervals %v, want the new config from the second run on", log.saw)
				}
			})
		})
	}
}

// TestScheduler_LiveChanges drives a real scheduler against fake servers:
// SetConfig and Rescan each lead to a run that sees the change.
func TestScheduler_LiveChanges(t *testing.T) {
	ip, ip2 := loopbackIP(t), loopbackIP(t)
	first := startFake(t, ip, 0, `{"data":[{"id":"first"}]}`)
	second := startFake(t, ip2, 0, `{"data":[{"id":"second"}]}`)
	reports := make(chan Report, 16)
	cfg := testConfig(hostEndpoint(ip, first.Port, first.Port))
	s := New(Options{Config: cfg, Registry: &registry.Registry{}, OnRun: func(r Report) { reports <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	// waitFor returns the first report that satisfies ok.
	waitFor := func(what string, ok func(Report) bool) Report {
		t.Helper()
		guard := time.After(time.Minute) // a failure guard, not a measurement
		for {
			select {
			case r := <-reports:
				if ok(r) {
					return r
				}
			case <-guard:
				t.Fatalf("no run %s", what)
			}
		}
	}
	waitFor("at start", func(r Report) bool { return slices.Equal(r.Added, []string{"first"}) })

	s.SetConfig(testConfig(hostEndpoint(ip2, second.Port, second.Port)))
	r := waitFor("after SetConfig", func(r Report) bool { return len(r.Added) > 0 || len(r.Removed) > 0 })
	if !slices.Equal(r.Added, []string{"second"}) || !slices.Equal(r.Removed, []string{"first"}) {
		t.Errorf("after SetConfig added %v removed %v, want second for first", r.Added, r.Removed)
	}

	second.set(http.StatusOK, `{"data":[{"id":"second"},{"id":"third"}]}`, false)
	s.Rescan()
	r = waitFor("after Rescan", func(r Report) bool { return len(r.Added) > 0 })
	if !slices.Equal(r.Added, []string{"third"}) {
		t.Errorf("after Rescan added %v, want [third]", r.Added)
	}
	if last := s.LastReport(); last.Models != 2 {
		t.Errorf("last report has %d models, want 2", last.Models)
	}
}

func TestScheduler_RescanCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var calls int
		s, log := stubScheduler(60_000, func() {
			calls++ // only ever touched by the scheduler goroutine
			if calls == 2 {
				<-release
			}
		})
		stop := startRun(s)
		synctest.Wait() // the first run is done
		s.Rescan()
		synctest.Wait() // the second run is blocked in release
		for range 5 {
			s.Rescan()
		}
		close(release)
		time.Sleep(time.Second)
		synctest.Wait()
		stop()
		if got, want := log.times(), secs(0, 0, 0); !slices.Equal(got, want) {
			t.Errorf("runs at %v, want three at once (start, rescan, one for the five coalesced)", got)
		}
	})
}

func TestScheduler_RunsNeverOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, log := stubScheduler(1_000, func() { time.Sleep(2500 * time.Millisecond) }) // runs outlast the interval
		stop := startRun(s)
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 700 * time.Millisecond)
				s.Rescan()
				s.SetConfig(s.cfgCopy())
			})
		}
		wg.Wait()
		time.Sleep(20 * time.Second)
		stop()
		log.mu.Lock()
		defer log.mu.Unlock()
		if log.most != 1 {
			t.Errorf("%d runs overlapped", log.most)
		}
		if len(log.at) < 5 {
			t.Errorf("only %d runs", len(log.at))
		}
	})
}

func TestScheduler_StopsWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, log := stubScheduler(1_000, nil)
		stop := startRun(s)
		time.Sleep(2500 * time.Millisecond)
		stop() // returns only once Run has returned
		n := len(log.times())
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := len(log.times()); got != n || n != 3 {
			t.Errorf("%d runs before stop, %d after; want 3 and no more", n, got)
		}
	})
}

func TestScheduler_LastReportAndOnRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var seen []int
		s, _ := stubScheduler(1_000, nil)
		s.onRun = func(r Report) { seen = append(seen, r.Models) }
		if got := s.LastReport(); got.Models != 0 || got.Endpoints != nil {
			t.Errorf("report before any run = %+v", got)
		}
		stop := startRun(s)
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if got := s.LastReport().Models; got != 2 {
			t.Errorf("last report is of run %d, want 2", got)
		}
		stop()
		if !slices.Equal(seen, []int{1, 2}) {
			t.Errorf("OnRun saw runs %v, want [1 2]", seen)
		}
	})
}

// cfgCopy returns a copy of the current config.
func (s *Scheduler) cfgCopy() *config.Config {
	cfg, _ := s.settings()
	c := *cfg
	return &c
}
