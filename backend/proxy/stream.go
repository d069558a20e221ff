package proxy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"
)

// errIdle and errShutdown are the cancel causes of an upstream request
// whose backend sent nothing for IdleTimeout, or that Server.AbortStreams
// ended.
var (
	errIdle     = errors.New("idle timeout")
	errShutdown = errors.New("shutting down")
)

var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// stream copies resp back to the client: status and headers at once, then
// every read flushed as it arrives, then the backend's trailers. An event
// stream goes out event by event (a partial event waits for its end), so
// that if the backend breaks it, the client gets whole events, then a
// final error event and a clean end. Any other body cut short returns an
// errAbort error: handleError then cuts the client connection, so that a
// truncated answer never looks whole.
func (s *Server) stream(ctx context.Context, cancel context.CancelCauseFunc, ex *exchange, resp *http.Response) error {
	defer resp.Body.Close()
	w := ex.c.Response()
	copyResponseHeaders(w.Header(), resp.Header)
	announced := announceTrailers(w.Header(), resp.Trailer)
	w.Header().Set("X-Accel-Buffering", "no")
	headersIn := time.Now()
	w.WriteHeader(resp.StatusCode)
	rc := http.NewResponseController(w)
	if resp.ContentLength < 0 {
		// A stream: the client sees the headers now, even if the first
		// token takes minutes. A body of known length goes out with its
		// headers in one write.
		_ = rc.Flush()
	}
	s.metrics.ObserveOverhead(ex.sent.Sub(ex.start) + time.Since(headersIn))

	out := &bodyWriter{w: w, rc: rc, events: isEventStream(resp.Header)}
	bp := copyBufPool.Get().(*[]byte)
	defer copyBufPool.Put(bp)
	buf := *bp
	idle := ex.st.idleTimeout
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if timer == nil {
				// The idle limit starts at the first byte: the time to
				// the first token has no limit.
				timer = time.AfterFunc(idle, func() { cancel(errIdle) })
				s.firstByte(ex)
			} else {
				timer.Reset(idle)
			}
			if werr := out.write(buf[:n]); werr != nil {
				return fail(ErrClientGone, werr, "")
			}
		}
		switch {
		case rerr == io.EOF:
			if err := out.finish(); err != nil {
				return fail(ErrClientGone, err, "")
			}
			if timer == nil {
				s.firstByte(ex)
			}
			copyTrailers(w.Header(), resp.Trailer, announced)
			return nil
		case rerr == nil:
			continue
		case ex.c.Request().Context().Err() != nil:
			return fail(ErrClientGone, rerr, "")
		}
		return s.broken(ex, out, rerr, context.Cause(ctx))
	}
}

func (s *Server) firstByte(ex *exchange) {
	ex.ttfb = time.Since(ex.start)
	s.metrics.ObserveTTFB(ex.model.Name, ex.ttfb)
}

// broken ends a response whose backend failed mid-body: an event stream
// with a final error event, anything else with an abort.
func (s *Server) broken(ex *exchange, out *bodyWriter, rerr, cause error) error {
	var err error
	switch {
	case errors.Is(cause, errIdle):
		err = fail(ErrBackendIdle, rerr, "backend of model %q sent nothing for %s", ex.model.Name, ex.st.idleTimeout)
	case errors.Is(cause, errShutdown):
		err = fail(ErrShuttingDown, rerr, "llproxy is shutting down; the answer of model %q was cut", ex.model.Name)
	default:
		err = fail(ErrBackendBroke, rerr, "backend of model %q failed mid-response", ex.model.Name)
	}
	if !out.events {
		return errors.Join(errAbort, err)
	}
	out.endWith(sseError(err))
	return err
}

// maxPendingEvent bounds how much of one unfinished event is held back;
// an event larger than this is passed on in pieces.
const maxPendingEvent = 1 << 20

// bodyWriter writes a response body to the client, flushing every write.
// For an event stream it writes whole events only: the bytes after the
// last event boundary wait in pending until the event ends.
type bodyWriter struct {
	w      io.Writer
	rc     *http.ResponseController
	events bool
	// pending is the start of an event not yet ended (events only).
	pending []byte
	// midEvent: an oversized event was passed on in pieces, so what the
	// client has ends inside an event.
	midEvent bool
}

func (b *bodyWriter) write(p []byte) error {
	if !b.events {
		return b.send(p)
	}
	if len(b.pending) == 0 {
		end := lastEventEnd(p, 0)
		if end > 0 {
			if err := b.send(p[:end]); err != nil {
				return err
			}
		}
		b.pending = append(b.pending, p[end:]...)
	} else {
		from := len(b.pending)
		b.pending = append(b.pending, p...)
		if end := lastEventEnd(b.pending, from); end > 0 {
			if err := b.send(b.pending[:end]); err != nil {
				return err
			}
			b.pending = b.pending[:copy(b.pending, b.pending[end:])]
		}
	}
	if len(b.pending) > maxPendingEvent {
		err := b.send(b.pending)
		b.pending, b.midEvent = b.pending[:0], true
		return err
	}
	return nil
}

// finish passes on what is left when the backend ended the body itself.
func (b *bodyWriter) finish() error {
	if len(b.pending) == 0 {
		return nil
	}
	err := b.send(b.pending)
	b.pending = nil
	return err
}

// endWith drops an unfinished event and sends event after the last whole
// one (closing an oversized event already sent in part first).
func (b *bodyWriter) endWith(event []byte) {
	b.pending = nil
	if b.midEvent {
		event = append([]byte("\n\n"), event...)
	}
	_ = b.send(event)
}

func (b *bodyWriter) send(p []byte) error {
	if _, err := b.w.Write(p); err != nil {
		return err
	}
	b.midEvent = b.midEvent && !endsEvent(p)
	_ = b.rc.Flush()
	return nil
}

// lastEventEnd returns the index just after the last blank line in b (an
// event boundary: two line ends in a row, each "\n", "\r\n" or "\r"), or 0
// when there is none. Boundaries that end before from-3 were looked at by
// an earlier call. Pure.
func lastEventEnd(b []byte, from int) int {
	best := 0
	start := max(0, from-3)
	for _, sep := range [...]string{"\n\n", "\r\r", "\n\r\n", "\r\n\r\n"} {
		if i := bytes.LastIndex(b[start:], []byte(sep)); i >= 0 {
			best = max(best, start+i+len(sep))
		}
	}
	return best
}

func endsEvent(p []byte) bool {
	return bytes.HasSuffix(p, []byte("\n\n")) || bytes.HasSuffix(p, []byte("\r\r")) || bytes.HasSuffix(p, []byte("\n\r\n"))
}

// announceTrailers declares the backend's trailers (known by name once its
// headers are in) in the client's headers, and returns how many there are.
func announceTrailers(h, trailer http.Header) int {
	if len(trailer) == 0 {
		return 0
	}
	keys := make([]string, 0, len(trailer))
	for k := range trailer {
		keys = append(keys, k)
	}
	h.Set("Trailer", strings.Join(keys, ", "))
	return len(keys)
}

// copyTrailers sends the backend's trailer values: under the names
// announced, or with http.TrailerPrefix for ones that were not.
func copyTrailers(h, trailer http.Header, announced int) {
	for k, vs := range trailer {
		if len(trailer) != announced {
			k = http.TrailerPrefix + k
		}
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}

func isEventStream(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream"
}
