package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"
	"time"
)

// errIdle is the cancel cause when a backend sent nothing for IdleTimeout.
var errIdle = errors.New("backend sent nothing within the idle timeout")

var copyBufPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// stream copies resp back to the client: status and headers at once, then
// every read flushed as it arrives. If the backend breaks an event stream
// after it started, the client gets a final error event and a clean end;
// any other broken body aborts the connection so that the client cannot
// take a truncated answer for a whole one.
func (s *Server) stream(ctx context.Context, cancel context.CancelCauseFunc, ex *exchange, resp *http.Response) error {
	defer resp.Body.Close()
	w := ex.c.Response()
	copyResponseHeaders(w.Header(), resp.Header)
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
	var tail [2]byte // the last two bytes sent, to find event boundaries
	wrote := false
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if timer == nil {
				// The idle limit starts at the first byte: the time to
				// the first token has no limit.
				timer = time.AfterFunc(idle, func() { cancel(errIdle) })
				ex.ttfb = time.Since(ex.start)
				s.metrics.ObserveTTFB(ex.model.Name, ex.ttfb)
			} else {
				timer.Reset(idle)
			}
			if _, werr := w.Write(buf[:n]); werr != nil {
				return fail(ErrClientGone, werr, "")
			}
			_ = rc.Flush()
			tail = lastTwo(tail, buf[:n])
			wrote = true
		}
		switch {
		case rerr == io.EOF:
			if !wrote {
				ex.ttfb = time.Since(ex.start)
				s.metrics.ObserveTTFB(ex.model.Name, ex.ttfb)
			}
			return nil
		case rerr == nil:
			continue
		case ex.c.Request().Context().Err() != nil:
			return fail(ErrClientGone, rerr, "")
		}
		return s.broken(ex, resp, rerr, context.Cause(ctx), tail, wrote)
	}
}

// broken ends a response whose backend failed mid-body.
func (s *Server) broken(ex *exchange, resp *http.Response, rerr, cause error, tail [2]byte, wrote bool) error {
	msg, code := fmt.Sprintf("backend of model %q failed mid-response", ex.model.Name), "backend_disconnected"
	if errors.Is(cause, errIdle) {
		msg, code = fmt.Sprintf("backend of model %q sent nothing for %s", ex.model.Name, ex.st.idleTimeout), "backend_idle_timeout"
		rerr = errIdle
	}
	err := fail(ErrUpstream, rerr, "%s", msg)
	if !isEventStream(resp.Header) {
		s.logExchange(ex, err)
		panic(http.ErrAbortHandler)
	}
	w := ex.c.Response()
	var event []byte
	if wrote && (tail[0] != '\n' || tail[1] != '\n') {
		event = append(event, '\n', '\n') // close the partial event first
	}
	event = append(event, sseError(msg, code)...)
	_, _ = w.Write(event)
	_ = http.NewResponseController(w).Flush()
	return err
}

func lastTwo(tail [2]byte, b []byte) [2]byte {
	if len(b) >= 2 {
		return [2]byte{b[len(b)-2], b[len(b)-1]}
	}
	return [2]byte{tail[1], b[0]}
}

func isEventStream(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream"
}
