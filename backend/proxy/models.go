package proxy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"fragmenteditor/backend/registry"
)

// listModels answers GET /v1/models with every model of the current
// snapshot, in its order. Another llproxy asking (its probe names its
// instance in InstanceHeader) gets only the models found at LLM servers,
// not those learned from an llproxy: two proxies that scan each other
// then never hand names back and forth (see registry.Model.Through). The
// answer names this instance in InstanceHeader, so the asker knows it
// talks to an llproxy.
func (s *Server) listModels(c echo.Context) error {
	if c.Request().Method != http.MethodGet {
		return methodNotAllowed(c, http.MethodGet)
	}
	peer := len(instanceChain(c.Request().Header)) > 0
	c.Response().Header().Set(InstanceHeader, s.instance)
	var buf bytes.Buffer
	buf.WriteString(`{"object":"list","data":[`)
	first := true
	for _, m := range s.reg.Load().Models() {
		if peer && m.Through != "" {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(modelEntry(m))
	}
	buf.WriteString("]}\n")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, buf.Bytes())
}

// getModel answers GET /v1/models/{name}.
func (s *Server) getModel(c echo.Context) error {
	if c.Request().Method != http.MethodGet {
		return methodNotAllowed(c, http.MethodGet)
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
		return unknownModel(name, snap, s.settings.Load().maxErrorNames)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, append(modelEntry(m), '\n'))
}

// unknownModel is the 404 for name, listing the first max names a client
// can use (GET /v1/models lists them all).
func unknownModel(name string, snap *registry.Snapshot, max int) error {
	names := snap.Names()
	list := "none (no backend found yet)"
	switch {
	case len(names) > max:
		list = fmt.Sprintf("%s, … and %d more (GET /v1/models lists them all)",
			strings.Join(names[:max], ", "), len(names)-max)
	case len(names) > 0:
		list = strings.Join(names, ", ")
	}
	return fail(ErrUnknownModel, nil, "model %q not found; available models: %s", name, list)
}

// methodNotAllowed is the 405 for a route that takes only allowed, with
// the Allow header that says so.
func methodNotAllowed(c echo.Context, allowed ...string) error {
	c.Response().Header().Set("Allow", strings.Join(append(allowed, http.MethodOptions), ", "))
	return echo.ErrMethodNotAllowed
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
