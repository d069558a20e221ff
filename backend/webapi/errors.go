package webapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/surface"
)

// Codes of this door (the methods' own come from surface.Code).
const (
	codeUnknownMethod    = "unknown_method"
	codeBadRequest       = "bad_request"
	codeMethodNotAllowed = "method_not_allowed"
	codeUnsupportedMedia = "unsupported_media_type"
	codeBodyTooLarge     = "body_too_large"
	codeCSRF             = "csrf"
	codeNotFound         = surface.CodeNotFound
)

// httpError is a refusal of this door: status, code and the message.
type httpError struct {
	status int
	code   string
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, code, format string, args ...any) *httpError {
	return &httpError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func methodNotAllowed(allow string) *httpError {
	return errorf(http.StatusMethodNotAllowed, codeMethodNotAllowed, "method not allowed: use %s", allow)
}

// accessError turns a refusal of package access into one of ours.
func accessError(err error) *httpError {
	return &httpError{status: access.Status(err), code: access.Code(err), msg: err.Error()}
}

// statusOf is the HTTP status of a method's error code: one table.
var statusOf = map[string]int{
	surface.CodeStaleRevision:     http.StatusConflict,
	surface.CodeUnknownBase:       http.StatusConflict,
	surface.CodeBadPatch:          http.StatusBadRequest,
	surface.CodeNotFound:          http.StatusNotFound,
	surface.CodeInvalidID:         http.StatusBadRequest,
	surface.CodeDeleted:           http.StatusConflict,
	surface.CodeExists:            http.StatusConflict,
	surface.CodeCorrupt:           http.StatusUnprocessableEntity,
	surface.CodeNewerFormat:       http.StatusUnprocessableEntity,
	surface.CodeInvalidConfig:     http.StatusBadRequest,
	surface.CodeUnsupportedFormat: http.StatusBadRequest,
	surface.CodeNoModels:          http.StatusConflict,
	surface.CodeShortWindow:       http.StatusBadRequest,
	surface.CodeInvalidRequest:    http.StatusBadRequest,
	surface.CodeInvalidSettings:   http.StatusBadRequest,
	surface.CodeNotesTooLong:      http.StatusBadRequest,
	surface.CodeUnavailable:       http.StatusServiceUnavailable,
	surface.CodeInternal:          http.StatusInternalServerError,
}

// methodError is a method's error as this door sends it: the message is
// err.Error(), the text the Wails door rejects with.
func methodError(err error) *httpError {
	code := surface.Code(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return &httpError{status: status, code: code, msg: err.Error()}
}

type errorBody = surface.ErrorBody
type errorDetail = surface.ErrorDetail

func writeError(w http.ResponseWriter, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		writeJSON(w, methodError(err).status, surface.BodyOf(err)) // the Wails door's body exactly
		return
	}
	typ := "invalid_request_error"
	if he.status >= 500 {
		typ = "server_error"
	}
	writeJSON(w, he.status, errorBody{Error: errorDetail{Message: he.msg, Type: typ, Code: he.code}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = json.Marshal(errorBody{Error: errorDetail{Message: "encoding the result: " + err.Error(), Type: "server_error", Code: surface.CodeInternal}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(data, '\n'))
}
