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
		{"marker not seen, page alive", state{elapsed: tm.MarkerWait}, askDirect},
		{"asked once already", state{asked: true, elapsed: tm.MarkerWait + time.Second}, wait},
		{"marker seen in time", state{seen: true, elapsed: tm.MarkerWait}, wait},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decide(c.s, tm); got != c.want {
				t.Fatalf("decide(%+v) = %q, want %q", c.s, got, c.want)
			}
		})
	}
}

// fakePage records what the hand-over asked of the page.
type fakePage struct {
	mu                       sync.Mutex
	markers, pings, directly int
}

func (p *fakePage) SendMarker() { p.mu.Lock(); p.markers++; p.mu.Unlock() }
func (p *fakePage) Ping()       { p.mu.Lock(); p.pings++; p.mu.Unlock() }
func (p *fakePage) AskDirect()  { p.mu.Lock(); p.directly++; p.mu.Unlock() }
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
