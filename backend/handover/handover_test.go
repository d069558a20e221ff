package handover

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestDecide(t *testing.T) {
	tm := Timing{}.withDefaults()
	cases := []struct {
		name string
		s    state
		want action
	}{
		{"ready wins over everything", state{ready: true, sinceLive: time.Hour, elapsed: time.Hour}, action(HandedOver)},
		{"fresh", state{}, wait},
		{"slow but answering: keep waiting", state{seen: true, sinceLive: time.Second, elapsed: 30 * time.Second}, wait},
		{"silent for HungAfter", state{seen: true, sinceLive: tm.HungAfter}, action(Hung)},
		{"answering past MaxWait", state{seen: true, sinceLive: time.Second, elapsed: tm.MaxWait}, action(TooLong)},
		{"no word on the marker, page alive", state{elapsed: tm.MarkerWait}, askDirect},
		{"no word on the marker yet", state{elapsed: tm.MarkerWait - time.Millisecond}, wait},
		{"asked once already", state{asked: true, elapsed: tm.MarkerWait + time.Second}, wait},
		{"marker seen in time", state{seen: true, elapsed: tm.MarkerWait}, wait},
		{"marker queued behind slow keys: never overtaken", state{marker: markerQueued, sinceLive: time.Second, elapsed: time.Minute}, wait},
		{"marker queued, page silent", state{marker: markerQueued, sinceLive: tm.HungAfter}, action(Hung)},
		{"marker queued, past MaxWait", state{marker: markerQueued, elapsed: tm.MaxWait}, action(TooLong)},
		{"marker cannot reach the page: ask at once", state{marker: markerLost}, askDirect},
		{"marker lost, asked already", state{marker: markerLost, asked: true}, wait},
		{"page still loading: nothing to hand over", state{loading: true, marker: markerQueued}, action(NotStarted)},
		{"page still loading, answering pings", state{loading: true, marker: markerQueued, seen: false, sinceLive: time.Millisecond}, action(NotStarted)},
		{"ready wins over loading", state{loading: true, ready: true}, action(HandedOver)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decide(c.s, tm); got != c.want {
				t.Fatalf("decide(%+v) = %q, want %q", c.s, got, c.want)
			}
		})
	}
}

// fakePage records what the hand-over asked of the page. report is what the
// window says about each marker: nil says nothing.
type fakePage struct {
	mu                       sync.Mutex
	markers, pings, directly int
	report                   *bool
	queued                   []func(bool) // the reports asked for, in order
}

func (p *fakePage) SendMarker(queued func(bool)) {
	p.mu.Lock()
	p.markers++
	p.queued = append(p.queued, queued)
	report := p.report
	p.mu.Unlock()
	if report != nil {
		queued(*report)
	}
}
func (p *fakePage) Ping()      { p.mu.Lock(); p.pings++; p.mu.Unlock() }
func (p *fakePage) AskDirect() { p.mu.Lock(); p.directly++; p.mu.Unlock() }
func (p *fakePage) counts() (int, int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.markers, p.pings, p.directly
}

// start runs a hand-over in a synctest bubble and returns its outcome channel.
func start(page Page) (*Handover, chan Reason) {
	got := make(chan Reason, 1)
	h := New(page, Timing{}, func(r Reason) { got <- r })
	h.Start(context.Background())
	return h, got
}

func TestHandover_SlowPageIsWaitedFor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		page := &fakePage{}
		h, got := start(page)
		h.Alive(true) // saw the marker
		// The page answers every second for 30 s (far past any grace), then hands over.
		for range 30 {
			time.Sleep(time.Second)
			h.Alive(false)
		}
		synctest.Wait()
		select {
		case r := <-got:
			t.Fatalf("ended with %q while the page was answering", r)
		default:
		}
		h.Ready()
		if r := <-got; r != HandedOver {
			t.Fatalf("ended with %q, want %q", r, HandedOver)
		}
		if m, p, d := page.counts(); m != 1 || p == 0 || d != 0 {
			t.Fatalf("markers %d pings %d direct asks %d; want 1, some, 0", m, p, d)
		}
	})
}

func TestHandover_HungPageQuits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, got := start(&fakePage{})
		begin := time.Now()
		if r := <-got; r != Hung {
			t.Fatalf("ended with %q, want %q", r, Hung)
		}
		if d := time.Since(begin); d < 10*time.Second || d > 11*time.Second {
			t.Fatalf("a silent page was given %v, want the 10 s HungAfter", d)
		}
	})
}

func TestHandover_MarkerNotSeenAsksDirectly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		page := &fakePage{}
		h, got := start(page)
		for range 12 { // alive, but the marker never arrives
			time.Sleep(250 * time.Millisecond)
			h.Alive(false)
		}
		synctest.Wait()
		if _, _, d := page.counts(); d != 1 {
			t.Fatalf("asked directly %d times after 3 s without the marker, want 1", d)
		}
		h.Ready()
		if r := <-got; r != HandedOver {
			t.Fatalf("ended with %q, want %q", r, HandedOver)
		}
	})
}

// The regression: under load WebKit took more than 2 s to hand the last keys
// to the page; a direct ask at 2 s overtook them and the page saved a draft
// without them. A marker the window has queued is waited for instead.
func TestHandover_QueuedMarkerIsNeverOvertaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		queued := true
		page := &fakePage{report: &queued}
		h, got := start(page)
		for range 40 { // 10 s of slow keys: alive, the marker not seen yet
			time.Sleep(250 * time.Millisecond)
			h.Alive(false)
		}
		synctest.Wait()
		if _, _, d := page.counts(); d != 0 {
			t.Fatalf("asked directly %d times with the marker queued behind the keys, want 0", d)
		}
		h.Alive(true) // the marker reaches the page
		h.Ready()
		if r := <-got; r != HandedOver {
			t.Fatalf("ended with %q, want %q", r, HandedOver)
		}
	})
}

func TestHandover_MarkerThatCannotArriveAsksAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lost := false
		page := &fakePage{report: &lost}
		h, got := start(page)
		synctest.Wait()
		if _, _, d := page.counts(); d != 1 {
			t.Fatalf("asked directly %d times for a marker that cannot arrive, want 1 at once", d)
		}
		h.Ready()
		if r := <-got; r != HandedOver {
			t.Fatalf("ended with %q, want %q", r, HandedOver)
		}
	})
}

// A window closed (or the app sent SIGTERM) while the page was loading: the
// marker went to a page with no handler for it; quit at once, not after
// MaxWait of pings answered by a page that never sees it.
func TestHandover_LoadingPageQuitsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		queued := true
		page := &fakePage{report: &queued}
		got := make(chan Reason, 1)
		h := New(page, Timing{}, func(r Reason) { got <- r })
		h.Loading(true)
		h.Start(context.Background())
		synctest.Wait()
		select {
		case r := <-got:
			if r != NotStarted {
				t.Fatalf("ended with %q, want %q", r, NotStarted)
			}
		default:
			t.Fatal("a hand-over of a loading page did not end at once")
		}
		// Once the page runs the editor, a close waits for its hand-over again.
		h.Loading(false)
		h.Start(context.Background())
		synctest.Wait()
		select {
		case r := <-got:
			t.Fatalf("a started page's hand-over ended at once with %q", r)
		default:
		}
		h.Ready()
		if r := <-got; r != HandedOver {
			t.Fatalf("ended with %q, want %q", r, HandedOver)
		}
	})
}

func TestHandover_AnEarlierMarkersReportIsIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		page := &fakePage{}
		h, got := start(page)
		h.Ready()
		<-got
		synctest.Wait()
		h.Start(context.Background())
		page.queued[0](true) // late word about the first close's marker
		for range 12 {
			time.Sleep(250 * time.Millisecond)
			h.Alive(false)
		}
		synctest.Wait()
		if _, _, d := page.counts(); d != 1 {
			t.Fatalf("asked directly %d times; the second marker had no word, want 1 after MarkerWait", d)
		}
		h.Ready()
		<-got
	})
}

func TestHandover_OneAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		page := &fakePage{}
		h, got := start(page)
		h.Start(context.Background()) // a second close click while handing over
		h.Ready()
		<-got
		synctest.Wait()
		if m, _, _ := page.counts(); m != 1 {
			t.Fatalf("sent %d markers for one hand-over, want 1", m)
		}
		// A later close starts afresh.
		h.Start(context.Background())
		h.Ready()
		<-got
		if m, _, _ := page.counts(); m != 2 {
			t.Fatalf("sent %d markers for two hand-overs, want 2", m)
		}
	})
}
