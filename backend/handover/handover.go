// Package handover closes the window without losing the page's last keys.
//
// When the user closes the window, the page still holds changes that Go has
// not seen: the text typed since the last autosave, and, worse, keys the
// user pressed that the page has not received yet. WebKitGTK hands key
// events to the page one at a time, while a script or event sent from Go
// takes another path and overtakes them: a close request sent as an event
// reached the page before the last keys in 4 of 6 rounds under load, and the
// page saved a draft without them.
//
// So a hand-over goes like this:
//  1. Go sends a marker through the same queue as the keys (Page.SendMarker:
//     a synthetic key press). The page sees it after every key pressed
//     before the close, saves what it has, and calls Ready. The window
//     reports when the marker has left its queue for the page's input, right
//     behind those keys (queued true), or that it cannot get there (false).
//  2. While it waits, Go pings the page; the page answers with Alive. A page
//     that answers is waited for as long as it takes (up to Timing.MaxWait),
//     however slow the machine: Go never quits on an older autosave just
//     because the page is busy.
//  3. A page still loading (it has not said it runs the editor, see
//     Handover.Loading) has nothing to hand over and no handler for the
//     marker: Go quits at once. A marker queued before the page could take
//     it would otherwise be waited for while the page answers pings, up to
//     Timing.MaxWait (a window closed, or the app sent SIGTERM, right as it
//     appeared stayed open that long).
//  4. A page that does not answer for Timing.HungAfter is hung: Go quits
//     with what it has. A marker that cannot reach the page (no window, the
//     web view without keyboard focus, a platform without a marker), or one
//     the window has said nothing about after Timing.MarkerWait, makes Go ask
//     the page directly (Page.AskDirect). A direct ask overtakes keys still
//     on their way, so a marker known to be queued is never replaced by one,
//     however long the page takes to reach it: under load WebKit took more
//     than 2 s to deliver the last nine keys, and a direct ask at 2 s lost them.
//
// The decisions are the pure function [decide]; [Handover] performs them.
package handover

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Page is what a hand-over needs from the window. Its methods must not block.
type Page interface {
	// SendMarker queues the close marker behind the keys already pressed,
	// then calls queued (once, from any goroutine, without blocking on it):
	// true when the marker has gone to the page's input behind those keys,
	// false when it cannot reach the page.
	SendMarker(queued func(ok bool))
	// Ping asks the page to answer with Alive.
	Ping()
	// AskDirect asks the page to hand over now, without the marker.
	AskDirect()
}

// Timing bounds a hand-over. A zero field takes its default.
type Timing struct {
	PingEvery  time.Duration // how often the page is pinged; default 250 ms
	MarkerWait time.Duration // no word from the window about the marker: ask directly after this; default 2 s
	HungAfter  time.Duration // no answer this long: the page is hung; default 10 s
	MaxWait    time.Duration // the longest a hand-over may take; default 2 min
}

func (t Timing) withDefaults() Timing {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.PingEvery, 250*time.Millisecond)
	def(&t.MarkerWait, 2*time.Second)
	def(&t.HungAfter, 10*time.Second)
	def(&t.MaxWait, 2*time.Minute)
	return t
}

// Reason says why a hand-over ended.
type Reason string

const (
	HandedOver Reason = "the page handed over its last change"
	Hung       Reason = "the page did not answer: quitting with the last autosave"
	TooLong    Reason = "the page took too long: quitting with the last autosave"
	NotStarted Reason = "the page had not started the editor: nothing to hand over"
)

// AskedDirectly is what the app logs when it asks the page directly: keys
// still on their way may be overtaken (the desktop tests look for it).
const AskedDirectly = "asking the page directly, without the marker"

// Handover runs one close hand-over at a time.
type Handover struct {
	page   Page
	timing Timing
	done   func(Reason) // called once per hand-over, from its goroutine

	running atomic.Bool
	mu      sync.Mutex    // guards wake
	wake    chan struct{} // the running hand-over's: Alive or Ready happened (capacity 1)
	seen    atomic.Bool   // the page saw the marker (or was asked directly)
	ready   atomic.Bool   // the page handed over
	marker  atomic.Int32  // a markerState: where the marker is
	alive   atomic.Int64  // the last Alive, in ns since the Unix epoch
	loading atomic.Bool   // the page has not started the editor (see Loading)
}

// New returns a Handover that calls done when a hand-over ends.
func New(page Page, timing Timing, done func(Reason)) *Handover {
	return &Handover{page: page, timing: timing.withDefaults(), done: done}
}

// Loading says whether the page is still loading: true from the window's
// start until the page says it runs the editor (its close handler
// installed), false then. A hand-over of a loading page
// ends at once with NotStarted. The zero Handover takes the page as started.
func (h *Handover) Loading(loading bool) {
	h.loading.Store(loading)
	h.poke()
}

// Start begins a hand-over unless one is running; it returns at once. The
// hand-over ends when the page is ready, hung or too slow, or ctx ends (then
// done is not called).
func (h *Handover) Start(ctx context.Context) {
	if !h.running.CompareAndSwap(false, true) {
		return
	}
	h.seen.Store(false)
	h.ready.Store(false)
	h.marker.Store(int32(markerSent))
	h.alive.Store(time.Now().UnixNano())
	wake := make(chan struct{}, 1)
	h.mu.Lock()
	h.wake = wake
	h.mu.Unlock()
	if h.loading.Load() {
		wake <- struct{}{} // decide at once
	}
	h.page.SendMarker(func(ok bool) {
		h.mu.Lock()
		current := h.wake == wake // not a report from an earlier hand-over
		h.mu.Unlock()
		if !current {
			return
		}
		if ok {
			h.marker.Store(int32(markerQueued))
		} else {
			h.marker.Store(int32(markerLost))
		}
		h.poke()
	})
	go h.run(ctx, wake)
}

// Alive is the page's answer to a ping or to the marker; seen says it has
// seen the marker (or was asked directly) and is handing over.
func (h *Handover) Alive(seen bool) {
	h.alive.Store(time.Now().UnixNano())
	if seen {
		h.seen.Store(true)
	}
	h.poke()
}

// Ready is the page's word that its last change is in.
func (h *Handover) Ready() {
	h.ready.Store(true)
	h.Alive(true)
}

func (h *Handover) poke() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.wake == nil {
		return
	}
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

func (h *Handover) run(ctx context.Context, wake chan struct{}) {
	defer h.running.Store(false)
	start := time.Now()
	asked := false
	ticker := time.NewTicker(h.timing.PingEvery)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-ticker.C:
			h.page.Ping()
		}
		s := state{
			loading:   h.loading.Load(),
			ready:     h.ready.Load(),
			seen:      h.seen.Load(),
			asked:     asked,
			marker:    markerState(h.marker.Load()),
			sinceLive: time.Since(time.Unix(0, h.alive.Load())),
			elapsed:   time.Since(start),
		}
		switch a := decide(s, h.timing); a {
		case wait:
		case askDirect:
			asked = true
			h.page.AskDirect()
		default:
			h.done(Reason(a))
			return
		}
	}
}

// markerState is where the close marker is, as the window reported it.
type markerState int32

const (
	markerSent   markerState = iota // asked for; no word yet
	markerQueued                    // in the page's input, behind the keys pressed before it
	markerLost                      // it cannot reach the page
)

// state is what a decision looks at.
type state struct {
	loading            bool // the page has not started the editor
	ready, seen, asked bool
	marker             markerState
	sinceLive          time.Duration // since the page last answered
	elapsed            time.Duration // since the hand-over began
}

type action string

const (
	wait      action = ""
	askDirect action = "ask directly"
)

// decide is the hand-over's rule; it never has effects.
func decide(s state, t Timing) action {
	switch {
	case s.ready:
		return action(HandedOver)
	case s.loading:
		return action(NotStarted)
	case s.sinceLive >= t.HungAfter:
		return action(Hung)
	case s.elapsed >= t.MaxWait:
		return action(TooLong)
	case s.seen || s.asked || s.marker == markerQueued:
		return wait // the page is handing over, or will see the marker behind the last keys
	case s.marker == markerLost || s.elapsed >= t.MarkerWait:
		return askDirect
	}
	return wait
}
