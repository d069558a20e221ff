package proxy

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/registry"
)

// listModels answers GET /v1/models with every model of the current
// snapshot, in its order.
func (s *Server) listModels(c echo.Context) error {
	if c.Request().Method != http.MethodGet {
		return echo.ErrMethodNotAllowed
	}
	models := s.reg.Load().Models()
	var buf bytes.Buffer
	buf.WriteString(`{"object":"list","data":[`)
	for i, m := range models {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(modelEntry(m))
	}
	buf.WriteString("]}\n")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}

// getModel answers GET /v1/models/{name}.
func (s *Server) getModel(c echo.Context) error {
	if c.Request().Method != http.MethodGet {
		return echo.ErrMethodNotAllowed
	}
	name := c.Param("*")
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	if name == "" {
		return s.listModels(c)
	}
	snap := s.reg.Load()
	m, ok := snap.Lookup(name)
	if !ok {
		return unknownModel(name, snap)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, append(modelEntry(m), '\n'))
}

// unknownModel is the 404 for name, listing the names a client can use.
func unknownModel(name string, snap *registry.Snapshot) error {
	names := snap.Names()
	list := "none (no backend found yet)"
	if len(names) > 0 {
		list = strings.Join(names, ", ")
	}
	return fail(ErrUnknownModel, nil, "model %q not found; available models: %s", name, list)
}

// modelEntry is the backend's own /v1/models entry for m with "id"
// replaced by the final name and every other member left byte for byte as
// the backend sent it. When the entry has no "object" member,
// "object":"model" is added (OpenAI's schema requires it and some SDKs
// check it); nothing else is ever added. An entry that is not a JSON object
// (discovery from a fixed "models" list may have none) becomes a minimal
// one.
func modelEntry(m registry.Model) []byte {
	raw := bytes.TrimSpace(m.Raw)
	if !json.Valid(raw) {
		return minimalEntry(m.Name)
	}
	id, hasID, err := topLevelValue(raw, "id")
	if err != nil {
		return minimalEntry(m.Name)
	}
	_, hasObject, _ := topLevelValue(raw, "object")
	name := quote(m.Name)
	var out []byte
	if hasID {
		out = splice(raw, id, name)
	} else {
		open := span{bytes.IndexByte(raw, '{') + 1, bytes.IndexByte(raw, '{') + 1}
		sep := []byte(",")
		if isEmptyObject(raw) {
			sep = nil
		}
		out = splice(raw, open, append(append([]byte(`"id":`), name...), sep...))
	}
	if !hasObject {
		open := bytes.IndexByte(out, '{') + 1
		out = splice(out, span{open, open}, []byte(`"object":"model",`))
	}
	return out
}

func isEmptyObject(raw []byte) bool {
	return len(bytes.TrimSpace(raw[1:len(raw)-1])) == 0
}

func minimalEntry(name string) []byte {
	b, _ := json.Marshal(map[string]string{"id": name, "object": "model", "owned_by": "llproxy"})
	return b
}
