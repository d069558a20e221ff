package surface

import (
	"errors"

	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy"
)

// Error codes: what a page can act on, the same in both doors.
const (
	CodeStaleRevision     = "stale_revision" // reload, or save this version as a copy
	CodeNotFound          = "not_found"
	CodeInvalidID         = "invalid_id"
	CodeDeleted           = "deleted"
	CodeExists            = "exists"
	CodeCorrupt           = "corrupt"
	CodeNewerFormat       = "newer_format"
	CodeInvalidConfig     = "invalid_config"
	CodeUnsupportedFormat = "unsupported_format"
	CodeNoModels          = "no_models"
	CodeUnavailable       = "unavailable"
	CodeInternal          = "internal"
)

// codes maps sentinels to codes, first match wins.
var codes = []struct {
	err  error
	code string
}{
	{documents.ErrStaleRevision, CodeStaleRevision},
	{documents.ErrNotFound, CodeNotFound},
	{documents.ErrInvalidID, CodeInvalidID},
	{documents.ErrDeleted, CodeDeleted},
	{documents.ErrExists, CodeExists},
	{documents.ErrCorrupt, CodeCorrupt},
	{documents.ErrNewerFormat, CodeNewerFormat},
	{documents.ErrUnsupportedFormat, CodeUnsupportedFormat},
	{llproxy.ErrConfig, CodeInvalidConfig},
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
