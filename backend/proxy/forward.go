package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/registry"
	"fragmenteditor/backend/sshpool"
)

// proxy handles POST /v1/*: read the body, find its model, send it to a
// replica with the backend's own model id, stream the answer back.
func (s *Server) proxy(c echo.Context) error {
	req := c.Request()
	if req.Method != http.MethodPost {
		return methodNotAllowed(c, http.MethodPost)
	}
	start := time.Now()
	path, err := upstreamPath(req.URL)
	if err != nil {
		return err
	}
	st := s.settings.Load()
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	if err := readBody(c, st, buf); err != nil {
		return err
	}
	body := buf.Bytes()
	if !json.Valid(body) {
		return fail(ErrInvalidJSON, nil, "request body is not valid JSON")
	}
	v, found, err := topLevelValue(body, "model")
	switch {
	case errors.Is(err, errNotObject):
		return fail(ErrInvalidJSON, nil, "request body is not a JSON object")
	case err != nil:
		return fail(ErrMissingModel, err, `request body has more than one "model"`)
	case !found:
		return fail(ErrMissingModel, nil, `request body has no "model"`)
	}
	name, ok := stringValue(body, v)
	if !ok {
		return fail(ErrMissingModel, nil, `"model" must be a string`)
	}
	snap := s.reg.Load()
	model, ok := snap.Lookup(name)
	if !ok {
		return unknownModel(name, snap, st.maxErrorNames)
	}
	c.Set(ctxModel, name)
	out := upstreamBody{body[:v.start], quote(model.ID), body[v.end:]}
	ex := &exchange{c: c, st: st, model: model, body: out, path: path, start: start}
	err = s.forward(ex)
	s.logExchange(ex, err)
	return err
}

// exchange is one proxied request as it goes through forward and stream.
type exchange struct {
	c     echo.Context
	st    *settings
	model registry.Model
	body  upstreamBody
	path  string // the checked, escaped path to send upstream
	start time.Time

	backend string        // base URL of the replica that answered
	sent    time.Time     // when the request went upstream
	ttfb    time.Duration // to the first body byte written to the client
}

func (s *Server) logExchange(ex *exchange, err error) {
	status := ex.c.Response().Status
	if err != nil && !ex.c.Response().Committed {
		status, _ = apiError(err)
	}
	attrs := []any{"model", ex.model.Name, "backend", ex.backend, "status", status,
		"duration", time.Since(ex.start), "ttfb", ex.ttfb}
	switch {
	case errors.Is(err, ErrClientGone):
		s.log.Debug("client went away", append(attrs, "err", err)...)
	case err != nil:
		s.log.Info("proxied", append(attrs, "err", err)...)
	default:
		s.log.Info("proxied", attrs...)
	}
}

// forward tries the replicas, least busy first. A replica that cannot be
// connected to is skipped (nothing was sent to it); any other failure ends
// the request.
func (s *Server) forward(ex *exchange) error {
	replicas := ex.model.Replicas
	if len(replicas) == 0 {
		return fail(ErrNoReplica, nil, "model %q has no backend right now", ex.model.Name)
	}
	ctx := ex.c.Request().Context()
	var lastErr error
	for _, i := range replicaOrder(replicas, s.inFlight.load, s.next.Add(1)-1) {
		b := replicas[i]
		err := s.exchangeWith(ctx, ex, b)
		if err == nil || !errors.Is(err, errDial) {
			return err
		}
		s.log.Debug("replica unreachable, trying the next", "model", ex.model.Name, "backend", b.BaseURL, "err", err)
		lastErr = err
	}
	return fail(ErrUnreachable, lastErr, "no backend of model %q accepted a connection", ex.model.Name)
}

// errDial marks a failure to connect: the request never left.
var errDial = errors.New("connect failed")

// exchangeWith sends the request to b and streams the answer back.
func (s *Server) exchangeWith(ctx context.Context, ex *exchange, b registry.Backend) error {
	counter := s.inFlight.counter(b.BaseURL)
	counter.Add(1)
	s.metrics.BackendStarted(b.BaseURL)
	defer func() { // deferred: an aborted stream panics through here
		counter.Add(-1)
		s.metrics.BackendDone(b.BaseURL)
	}()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopAbort := context.AfterFunc(s.aborting, func() { cancel(errShutdown) })
	defer stopAbort()
	resp, err := s.roundTrip(ctx, ex, b)
	if err != nil {
		switch {
		case ex.c.Request().Context().Err() != nil:
			return fail(ErrClientGone, err, "")
		case errors.Is(context.Cause(ctx), errShutdown):
			return fail(ErrShuttingDown, err, "llproxy is shutting down")
		case isDialError(err):
			return errors.Join(errDial, err)
		case b.Tunneled() && errors.Is(err, sshpool.ErrConnectionLost):
			// The host stopped answering its SSH keep-alives before any
			// answer came: it is gone, as if it had refused, so the
			// request goes to the next replica.
			return errors.Join(errDial, err)
		default:
			return fail(ErrUpstream, err, "backend of model %q failed before answering", ex.model.Name)
		}
	}
	ex.backend = b.BaseURL
	return s.stream(ctx, cancel, ex, resp)
}

// roundTrip sends one request upstream. It is never sent twice by the
// proxy itself: the transport resends it (through GetBody) only when it
// provably never reached the backend (nothing was written on a reused
// connection, or the backend had closed it while idle). A request the
// backend got and then dropped is a failure: resending it would run a
// second, possibly paid, generation.
func (s *Server) roundTrip(ctx context.Context, ex *exchange, b registry.Backend) (*http.Response, error) {
	up, err := s.upstreamRequest(ctx, ex, b)
	if err != nil {
		return nil, err
	}
	ex.sent = time.Now()
	return s.transportFor(b).RoundTrip(up)
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// upstreamRequest builds the request to b: the client's path and query on
// b's base URL, the client's headers minus hop-by-hop, credentials, cookies
// and encodings, plus b's key and the loop guard's instance chain.
func (s *Server) upstreamRequest(ctx context.Context, ex *exchange, b registry.Backend) (*http.Request, error) {
	in := ex.c.Request()
	target := strings.TrimSuffix(b.BaseURL, "/") + ex.path
	if in.URL.RawQuery != "" {
		target += "?" + in.URL.RawQuery
	}
	up, err := http.NewRequestWithContext(ctx, http.MethodPost, target, ex.body.reader())
	if err != nil {
		return nil, err
	}
	up.ContentLength = ex.body.len()
	body := ex.body
	up.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(body.reader()), nil }
	if b.Tunneled() {
		// The name the remote side dials first; servers that check Host
		// (Ollama, llproxy) accept loopback names.
		up.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(b.Port))
	}
	up.Header = forwardHeaders(in.Header)
	if b.APIKey != "" {
		up.Header.Set("Authorization", "Bearer "+b.APIKey)
	}
	chain := instanceChain(in.Header)
	up.Header.Set(InstanceHeader, strings.Join(append(chain, s.instance), ","))
	return up, nil
}

// Request headers never forwarded: hop-by-hop ones, the client's
// credentials (the backend gets its own key), cookies, the browser's
// origin (the proxy does CORS itself; Ollama refuses foreign origins),
// what a client claims about forwarding (Forwarded, X-Forwarded-*,
// X-Real-Ip: a backend must not trust them from an arbitrary client) and
// encodings (streams stay plain).
var droppedRequestHeaders = map[string]bool{
	"Forwarded": true, "X-Real-Ip": true,
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Proxy-Authenticate": true, "Proxy-Authorization": true, "Te": true,
	"Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Authorization": true, "X-Api-Key": true, "Api-Key": true, "Cookie": true,
	"Origin": true, "Referer": true, "Accept-Encoding": true, "Content-Length": true,
	"Host": true, http.CanonicalHeaderKey(InstanceHeader): true,
}

func forwardHeaders(in http.Header) http.Header {
	named := connectionHeaders(in)
	out := make(http.Header, len(in)+2)
	for k, vs := range in {
		if droppedRequestHeaders[k] || named[k] || strings.HasPrefix(k, "X-Forwarded-") {
			continue
		}
		out[k] = vs
	}
	return out
}

// Response headers never copied back: hop-by-hop ones, and the backend's
// own CORS headers (the proxy's are the ones that count).
var droppedResponseHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true,
	"Proxy-Authenticate": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true,
}

func copyResponseHeaders(dst, src http.Header) {
	named := connectionHeaders(src)
	for k, vs := range src {
		if droppedResponseHeaders[k] || named[k] || strings.HasPrefix(k, "Access-Control-") {
			continue
		}
		dst[k] = vs
	}
}

// connectionHeaders are the headers a Connection header names as
// hop-by-hop.
func connectionHeaders(h http.Header) map[string]bool {
	vs := h.Values("Connection")
	if len(vs) == 0 {
		return nil
	}
	named := map[string]bool{}
	for _, v := range vs {
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				named[http.CanonicalHeaderKey(f)] = true
			}
		}
	}
	return named
}

// upstreamBody is the client's body with the model value replaced, kept as
// three slices so that the bytes are not copied.
type upstreamBody [3][]byte

func (u upstreamBody) len() int64 { return int64(len(u[0]) + len(u[1]) + len(u[2])) }

func (u upstreamBody) reader() io.Reader { return &bodyReader{parts: u} }

// bodyReader reads an upstreamBody. Its WriteTo writes the parts straight
// to the transport's buffer (io.MultiReader's would allocate 32 KiB per
// request).
type bodyReader struct {
	parts upstreamBody
	i     int
}

func (r *bodyReader) Read(p []byte) (int, error) {
	for r.i < len(r.parts) && len(r.parts[r.i]) == 0 {
		r.i++
	}
	if r.i == len(r.parts) {
		return 0, io.EOF
	}
	n := copy(p, r.parts[r.i])
	r.parts[r.i] = r.parts[r.i][n:]
	return n, nil
}

func (r *bodyReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for ; r.i < len(r.parts); r.i++ {
		n, err := w.Write(r.parts[r.i])
		total += int64(n)
		r.parts[r.i] = r.parts[r.i][n:]
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBody(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // keep the pool from pinning huge bodies
		return
	}
	b.Reset()
	bodyPool.Put(b)
}

// readBody reads the request body into buf, refusing more than the body
// limit and giving the client body_read_timeout to send it all (a client
// that trickles its body would otherwise hold a connection forever).
func readBody(c echo.Context, st *settings, buf *bytes.Buffer) error {
	req, limit := c.Request(), st.maxBody
	if req.ContentLength > limit {
		return fail(ErrBodyTooLarge, nil, "request body is %d bytes; the limit is %d (max_body_bytes)", req.ContentLength, limit)
	}
	if req.ContentLength > 0 {
		buf.Grow(int(req.ContentLength))
	}
	// The deadline is lifted only after a whole body: after a failure it
	// stays, so that net/http's attempt to drain the rest fails at once
	// too and the connection is closed.
	rc := http.NewResponseController(c.Response())
	deadline := rc.SetReadDeadline(time.Now().Add(st.bodyTimeout)) == nil
	n, err := buf.ReadFrom(io.LimitReader(req.Body, limit+1))
	if err == nil && deadline {
		_ = rc.SetReadDeadline(time.Time{})
	}
	switch {
	case n > limit:
		return fail(ErrBodyTooLarge, nil, "request body is over the limit of %d bytes (max_body_bytes)", limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fail(ErrBodyTimeout, err, "request body not received within %s (body_read_timeout)", st.bodyTimeout)
	case err != nil && req.Context().Err() != nil:
		return fail(ErrClientGone, err, "")
	case err != nil:
		return fail(ErrBodyRead, err, "could not read the request body")
	}
	return nil
}
