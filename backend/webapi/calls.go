package webapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"

	"fragmenteditor/backend/surface"
)

// call is one method served: its function value (bound to the API) and
// its parameter types.
type call struct {
	fn     reflect.Value
	params []reflect.Type
	// errLast: the last result is an error.
	errLast bool
}

var errorType = reflect.TypeFor[error]()

// callTable binds every method surface.Methods marks Both to api, by
// name, the way Wails binds App's methods.
func callTable(api *surface.API) map[string]call {
	v := reflect.ValueOf(api)
	out := map[string]call{}
	for _, m := range surface.Methods {
		if m.Door != surface.Both {
			continue
		}
		fn := v.MethodByName(m.Name)
		if !fn.IsValid() {
			continue // TestDoors fails on it
		}
		t := fn.Type()
		c := call{fn: fn}
		for i := range t.NumIn() {
			c.params = append(c.params, t.In(i))
		}
		c.errLast = t.NumOut() > 0 && t.Out(t.NumOut()-1) == errorType
		out[m.Name] = c
	}
	return out
}

// Served lists the methods this door serves (for tests and /api/session).
func (s *Server) Served() []string {
	out := make([]string, 0, len(s.calls))
	for name := range s.calls {
		out = append(out, name)
	}
	return out
}

func (s *Server) call(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodPost {
		writeError(w, methodNotAllowed("POST"))
		return
	}
	sess, err := s.guard.Authenticate(r)
	if err != nil {
		writeError(w, accessError(err))
		return
	}
	if err := s.checkWrite(r, sess); err != nil {
		writeError(w, err)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeError(w, errorf(http.StatusUnsupportedMediaType, codeUnsupportedMedia,
			"send the arguments as a JSON array with Content-Type: application/json"))
		return
	}
	c, ok := s.calls[name]
	if !ok {
		writeError(w, unknownMethod(name))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.rules.Load().maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, errorf(http.StatusRequestEntityTooLarge, codeBodyTooLarge,
				"the request body is larger than %d bytes (max_body_bytes in the config)", tooLarge.Limit))
			return
		}
		writeError(w, errorf(http.StatusBadRequest, codeBadRequest, "reading the request body: %v", err))
		return
	}
	args, err := c.decode(name, body)
	if err != nil {
		writeError(w, err)
		return
	}
	result, err := c.invoke(args)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, result)
}

func unknownMethod(name string) *httpError {
	for _, m := range surface.Methods {
		if m.Name == name {
			return errorf(http.StatusNotFound, codeUnknownMethod, "%s is only available in the desktop app", name)
		}
	}
	return errorf(http.StatusNotFound, codeUnknownMethod, "no method %q", name)
}

// decode reads the JSON array of positional arguments into the
// parameters' types, as Wails does (encoding/json).
func (c call) decode(name string, body []byte) ([]reflect.Value, error) {
	var raw []json.RawMessage
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("[]")
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errorf(http.StatusBadRequest, codeBadRequest, "%s: the body must be a JSON array of the arguments: %v", name, err)
	}
	if len(raw) != len(c.params) {
		return nil, errorf(http.StatusBadRequest, codeBadRequest, "%s takes %d arguments, got %d", name, len(c.params), len(raw))
	}
	args := make([]reflect.Value, len(raw))
	for i, p := range c.params {
		v := reflect.New(p)
		if err := json.Unmarshal(raw[i], v.Interface()); err != nil {
			return nil, errorf(http.StatusBadRequest, codeBadRequest, "%s: argument %d (%s): %v", name, i+1, p, err)
		}
		args[i] = v.Elem()
	}
	return args, nil
}

// invoke calls the method; a panic is an internal error, not a crash.
func (c call) invoke(args []reflect.Value) (result any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errorf(http.StatusInternalServerError, surface.CodeInternal, "internal error: %v", p)
		}
	}()
	out := c.fn.Call(args)
	if c.errLast {
		if e := out[len(out)-1]; !e.IsNil() {
			return nil, e.Interface().(error)
		}
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0].Interface(), nil
}

// String is for logs.
func (c call) String() string { return fmt.Sprint(c.fn.Type()) }
