package access

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// ErrTooManyAttempts: the client sent too many wrong keys lately (HTTP
// 429); it may try again after a while.
var ErrTooManyAttempts = errors.New("too many wrong keys")

// Guessing keys is slowed down per client address: after MaxWrongKeys
// wrong keys (in headers or the login form) within WrongKeyWindow, every
// key from that address is refused until the window ends. A request
// without any key is not a wrong key.
const (
	MaxWrongKeys   = 20
	WrongKeyWindow = time.Minute
)

// maxTracked bounds the addresses remembered; past it, expired windows
// are dropped, then all (an attacker gains nothing from filling it but a
// fresh window).
const maxTracked = 10_000

// attempts counts wrong keys per client address in fixed windows. Safe for
// concurrent use.
type attempts struct {
	now func() time.Time

	mu sync.Mutex // guards by
	by map[string]*window
}

type window struct {
	start time.Time
	n     int
}

func newAttempts() *attempts { return &attempts{now: time.Now, by: map[string]*window{}} }

// blocked reports whether addr is refused now, and for how long still.
func (a *attempts) blocked(addr string) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	w, ok := a.by[addr]
	if !ok {
		return 0, false
	}
	left := w.start.Add(WrongKeyWindow).Sub(a.now())
	if left <= 0 {
		delete(a.by, addr)
		return 0, false
	}
	return left, w.n >= MaxWrongKeys
}

// fail counts a wrong key from addr.
func (a *attempts) fail(addr string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	w, ok := a.by[addr]
	if !ok || now.Sub(w.start) >= WrongKeyWindow {
		if len(a.by) >= maxTracked {
			a.pruneLocked(now)
		}
		w = &window{start: now}
		a.by[addr] = w
	}
	w.n++
}

func (a *attempts) pruneLocked(now time.Time) {
	for k, w := range a.by {
		if now.Sub(w.start) >= WrongKeyWindow {
			delete(a.by, k)
		}
	}
	if len(a.by) >= maxTracked {
		clear(a.by)
	}
}

// clientAddr is the IP address r came from.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func tooMany(wait time.Duration) error {
	secs := int(wait.Round(time.Second) / time.Second)
	return fmt.Errorf("%w from this address: try again in %d s", ErrTooManyAttempts, max(secs, 1))
}
