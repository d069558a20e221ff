package proxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/metrics"
)

// ErrUnauthorized: a key is required and none, or a wrong one, came with
// the request. It is access's sentinel: the proxy and the pages on its
// port refuse with the same error.
var ErrUnauthorized = access.ErrUnauthorized

// Errors the proxy answers with. Handlers return them (wrapped with %w or
// in a clientError); apiError, the one place that maps errors to HTTP,
// turns them into a status and OpenAI's error shape.
var (
	ErrUnknownModel     = errors.New("unknown model")
	ErrInvalidJSON      = errors.New("request body is not a JSON object")
	ErrMissingModel     = errors.New(`request body has no string "model"`)
	ErrBodyTooLarge     = errors.New("request body too large")
	ErrOriginNotAllowed = errors.New("origin not allowed")
	ErrLoopDetected     = errors.New("request loop detected")
	// ErrUnreachable: no replica of the model accepted a connection.
	ErrUnreachable = errors.New("no reachable backend for the model")
	// ErrNoReplica: the model has no replica to send to.
	ErrNoReplica = errors.New("no backend available for the model")
	// ErrUpstream: a backend failed after accepting the connection and
	// before answering.
	ErrUpstream = errors.New("backend failed before answering")
	// ErrBackendBroke: a backend failed after its answer had started; the
	// client got the start, then an error event or a cut connection.
	ErrBackendBroke = errors.New("backend failed mid-response")
	// ErrBackendIdle: a backend sent nothing for idle_timeout after its
	// answer had started.
	ErrBackendIdle = errors.New("backend sent nothing within the idle timeout")
	// ErrBadPath: the request path is not a clean path under /v1/.
	ErrBadPath = errors.New("invalid request path")
	// ErrBodyRead: the request body could not be read (the connection
	// broke while the client was still sending).
	ErrBodyRead = errors.New("could not read the request body")
	// ErrBodyTimeout: the client did not send its body within
	// body_read_timeout.
	ErrBodyTimeout = errors.New("request body not received in time")
	// ErrShuttingDown: the proxy is stopping and ended the request.
	ErrShuttingDown = errors.New("llproxy is shutting down")
	// ErrClientGone: the client went away; nothing is written back.
	ErrClientGone = errors.New("client went away")
)

// errAbort marks an error after which the response must be cut, not
// ended: a body of known shape (JSON) that broke half way must not look
// whole to the client. handleError aborts; nothing below it panics.
var errAbort = errors.New("response aborted")

// clientError pairs a sentinel with the message the client sees and the
// cause that only goes to the log.
type clientError struct {
	kind  error  // one of the sentinels above
	msg   string // for the client; empty means kind's text
	cause error  // for the log; may be nil
}

func (e *clientError) Error() string {
	msg := e.msg
	if msg == "" {
		msg = e.kind.Error()
	}
	if e.cause != nil {
		return msg + ": " + e.cause.Error()
	}
	return msg
}

func (e *clientError) Unwrap() []error { return []error{e.kind, e.cause} }

// fail builds a clientError; cause may be nil.
func fail(kind error, cause error, format string, args ...any) error {
	return &clientError{kind: kind, msg: fmt.Sprintf(format, args...), cause: cause}
}

// accessError keeps the message of a refusal from the access package,
// which is written for the client.
func accessError(err error) error { return &clientError{kind: err, msg: err.Error()} }

// errorBody is OpenAI's error shape: clients read body.error.message.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Code    *string `json:"code"`
}

type errorKind struct {
	status int
	typ    string
	code   string
}

var errorKinds = []struct {
	err  error
	kind errorKind
}{
	{ErrClientGone, errorKind{metrics.StatusClientClosed, "client_closed", "client_closed"}},
	{ErrUnknownModel, errorKind{http.StatusNotFound, "invalid_request_error", "model_not_found"}},
	{ErrInvalidJSON, errorKind{http.StatusBadRequest, "invalid_request_error", "invalid_json"}},
	{ErrBadPath, errorKind{http.StatusBadRequest, "invalid_request_error", "invalid_path"}},
	{ErrBodyRead, errorKind{http.StatusBadRequest, "invalid_request_error", "body_read_failed"}},
	{ErrBodyTimeout, errorKind{http.StatusRequestTimeout, "invalid_request_error", "body_timeout"}},
	{ErrMissingModel, errorKind{http.StatusBadRequest, "invalid_request_error", "missing_model"}},
	{ErrBodyTooLarge, errorKind{http.StatusRequestEntityTooLarge, "invalid_request_error", "body_too_large"}},
	{ErrUnauthorized, errorKind{http.StatusUnauthorized, "invalid_request_error", "invalid_api_key"}},
	{access.ErrMisdirected, errorKind{http.StatusMisdirectedRequest, "invalid_request_error", "misdirected_request"}},
	{access.ErrCrossOrigin, errorKind{http.StatusForbidden, "invalid_request_error", "cross_origin"}},
	{access.ErrTooManyAttempts, errorKind{http.StatusTooManyRequests, "invalid_request_error", "too_many_attempts"}},
	{ErrOriginNotAllowed, errorKind{http.StatusForbidden, "invalid_request_error", "origin_not_allowed"}},
	{ErrLoopDetected, errorKind{http.StatusLoopDetected, "proxy_error", "loop_detected"}},
	{ErrUnreachable, errorKind{http.StatusBadGateway, "proxy_error", "backend_unreachable"}},
	{ErrNoReplica, errorKind{http.StatusServiceUnavailable, "proxy_error", "no_backend"}},
	{ErrUpstream, errorKind{http.StatusBadGateway, "proxy_error", "backend_error"}},
	{ErrBackendBroke, errorKind{http.StatusBadGateway, "proxy_error", "backend_disconnected"}},
	{ErrBackendIdle, errorKind{http.StatusGatewayTimeout, "proxy_error", "backend_idle_timeout"}},
	{ErrShuttingDown, errorKind{http.StatusServiceUnavailable, "proxy_error", "shutting_down"}},
}

// apiError maps any handler error to a status and the body the client
// sees. It is the only place that decides either.
func apiError(err error) (int, errorBody) {
	for _, k := range errorKinds {
		if errors.Is(err, k.err) {
			msg := k.err.Error()
			if ce, ok := errors.AsType[*clientError](err); ok && ce.msg != "" {
				msg = ce.msg
			}
			return k.kind.status, newErrorBody(msg, k.kind.typ, k.kind.code)
		}
	}
	if errors.Is(err, context.Canceled) {
		return metrics.StatusClientClosed, newErrorBody("client went away", "client_closed", "client_closed")
	}
	if he, ok := errors.AsType[*echo.HTTPError](err); ok {
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok {
			msg = s
		}
		typ := "invalid_request_error"
		if he.Code >= 500 {
			typ = "server_error"
		}
		return he.Code, newErrorBody(msg, typ, "")
	}
	return http.StatusInternalServerError, newErrorBody("internal error", "server_error", "")
}

func newErrorBody(msg, typ, code string) errorBody {
	d := errorDetail{Message: msg, Type: typ}
	if code != "" {
		d.Code = &code
	}
	return errorBody{Error: d}
}

// handleError is Echo's HTTPErrorHandler: it writes apiError's answer unless
// the response has started or the client is gone. It is also the one place
// that aborts a response (errAbort), at the top of the handler chain as
// httputil.ReverseProxy does: net/http then cuts the connection.
func (s *Server) handleError(err error, c echo.Context) {
	if errors.Is(err, errAbort) {
		panic(http.ErrAbortHandler)
	}
	status, body := apiError(err)
	if status == metrics.StatusClientClosed || c.Response().Committed {
		s.log.Debug("request ended early", "path", c.Request().URL.Path, "err", err)
		return
	}
	if status >= 500 {
		s.log.Warn("request failed", "path", c.Request().URL.Path, "status", status, "err", err)
	}
	writeJSONError(c.Response(), status, body)
}

// writeAPIError writes err as handleError would, for handlers outside Echo.
func writeAPIError(w http.ResponseWriter, err error) {
	status, body := apiError(err)
	writeJSONError(w, status, body)
}

func writeJSONError(w http.ResponseWriter, status int, body errorBody) {
	b, _ := json.Marshal(body) // plain strings always marshal
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// sseError is a final server-sent event carrying err in the error shape
// apiError gives it, for a stream that broke after it started.
func sseError(err error) []byte {
	_, body := apiError(err)
	b, _ := json.Marshal(body)
	out := append([]byte("data: "), b...)
	return append(out, '\n', '\n')
}
