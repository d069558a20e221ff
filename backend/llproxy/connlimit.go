package llproxy

import (
	"net"
	"sync"
	"sync/atomic"
)

// connLimit bounds the client connections open at once across every
// listener of a run (max_connections). A listener wrapped by it stops
// accepting while the limit is reached: further clients wait in the
// kernel's accept queue, and nothing here holds a goroutine or a file
// descriptor for them. The limit can change while connections are open.
type connLimit struct {
	mu     sync.Mutex
	cond   *sync.Cond
	open   int // guarded by mu
	limit  int // guarded by mu
	closed bool
}

func newConnLimit(limit int) *connLimit {
	l := &connLimit{limit: max(limit, 1)}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// set changes the limit; connections above a lowered limit stay open.
func (l *connLimit) set(limit int) {
	l.mu.Lock()
	l.limit = max(limit, 1)
	l.mu.Unlock()
	l.cond.Broadcast()
}

// acquire waits for a free slot; false once the limiter or the asking
// listener (stopped) is closed.
func (l *connLimit) acquire(stopped *atomic.Bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.open >= l.limit && !l.closed && !stopped.Load() {
		l.cond.Wait()
	}
	if l.closed || stopped.Load() {
		return false
	}
	l.open++
	return true
}

func (l *connLimit) release() {
	l.mu.Lock()
	l.open--
	l.mu.Unlock()
	l.cond.Signal()
}

// close wakes every waiting Accept for good.
func (l *connLimit) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.cond.Broadcast()
}

// limitedListener accepts through a connLimit.
type limitedListener struct {
	net.Listener
	limit  *connLimit
	closed atomic.Bool
}

func (ln *limitedListener) Accept() (net.Conn, error) {
	if !ln.limit.acquire(&ln.closed) {
		return nil, net.ErrClosed
	}
	c, err := ln.Listener.Accept()
	if err != nil {
		ln.limit.release()
		return nil, err
	}
	return &limitedConn{Conn: c, release: ln.limit.release}, nil
}

// Close closes the listener and wakes an Accept waiting for a slot.
func (ln *limitedListener) Close() error {
	err := ln.Listener.Close()
	ln.limit.mu.Lock() // no Accept is between its check and its Wait
	ln.closed.Store(true)
	ln.limit.mu.Unlock()
	ln.limit.cond.Broadcast()
	return err
}

// limitedConn gives its slot back when closed (once).
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
