package surface

import (
	"encoding/json"
	"errors"

	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy"
)

// Error codes: what a page can act on, the same in both doors.
const (
	CodeStaleRevision     = "stale_revision" // reload, or save this version as a copy
	CodeUnknownBase       = "unknown_base"   // send the whole document instead of a patch
	CodeBadPatch          = "bad_patch"
	CodeNotFound          = "not_found"
	CodeInvalidID         = "invalid_id"
	CodeDeleted           = "deleted"
	CodeExists            = "exists"
	CodeCorrupt           = "corrupt"
	CodeNewerFormat       = "newer_format"
	CodeInvalidConfig     = "invalid_config"
	CodeUnsupportedFormat = "unsupported_format"
	CodeNoModels          = "no_models"
	CodeShortWindow       = "short_window"     // send the whole document with the suggestion request
	CodeInvalidRequest    = "invalid_request"  // a suggestion request that cannot be served as it is
	CodeInvalidSettings   = "invalid_settings" // a model setting out of range (the message names it)
	CodeNotesTooLong      = "notes_too_long"   // the story notes leave no room for the story
	CodeUnavailable       = "unavailable"
	CodeInternal          = "internal"
)

// codes maps sentinels to codes, first match wins.
var codes = []struct {
	err  error
	code string
}{
	{documents.ErrStaleRevision, CodeStaleRevision},
	{documents.ErrUnknownBase, CodeUnknownBase},
	{documents.ErrBadPatch, CodeBadPatch},
	{documents.ErrNotFound, CodeNotFound},
	{documents.ErrInvalidID, CodeInvalidID},
	{documents.ErrDeleted, CodeDeleted},
	{documents.ErrExists, CodeExists},
	{documents.ErrCorrupt, CodeCorrupt},
	{documents.ErrNewerFormat, CodeNewerFormat},
	{documents.ErrUnsupportedFormat, CodeUnsupportedFormat},
	{llproxy.ErrConfig, CodeInvalidConfig},
	{assist.ErrShortWindow, CodeShortWindow},
	{assist.ErrBadRequest, CodeInvalidRequest},
	{assist.ErrInvalidSettings, CodeInvalidSettings},
	{assist.ErrNotesTooLong, CodeNotesTooLong},
	{assist.ErrNoModels, CodeNoModels},
	{assist.ErrNoActiveModels, CodeNoModels},
	{assist.ErrNoProxy, CodeUnavailable},
	{assist.ErrClosed, CodeUnavailable},
	{ErrUnavailable, CodeUnavailable},
}

// Code is the machine-readable code of an error a method returned
// (CodeInternal when no sentinel matches).
func Code(err error) string {
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return CodeInternal
}

// ErrorType is the OpenAI-style error type of a code: "server_error" for
// a failure on this side, else "invalid_request_error".
func ErrorType(code string) string {
	if code == CodeInternal || code == CodeUnavailable {
		return "server_error"
	}
	return "invalid_request_error"
}

// ErrorBody is how both doors describe a method's error:
// {"error":{"message","type","code"}}. The HTTP door sends it as the body;
// the Wails door rejects with it as JSON text (see ErrorJSON), and the
// page's bridge reads both the same way.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of ErrorBody; Message is err.Error().
type ErrorDetail struct {
	Message string `json:"message"`
	Type    string `json:"type"`
	Code    string `json:"code"`
}

// BodyOf describes err.
func BodyOf(err error) ErrorBody {
	code := Code(err)
	return ErrorBody{Error: ErrorDetail{Message: err.Error(), Type: ErrorType(code), Code: code}}
}

// ErrorJSON is BodyOf(err) as JSON text: what the desktop door rejects
// with (Wails' ErrorFormatter).
func ErrorJSON(err error) string {
	data, _ := json.Marshal(BodyOf(err)) // strings only: never fails
	return string(data)
}
