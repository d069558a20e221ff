package webapi

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/surface"
)

const testEditorKey = "fe-test-editor-key"

type testServer struct {
	*httptest.Server
	api *surface.API
	web *Server
}

// newTestServer serves a fresh API (documents in a temp folder; the proxy
// is built but not started) through the HTTP door.
func newTestServer(t *testing.T, cfg *config.Config, assets fstest.MapFS) testServer {
	t.Helper()
	dir := t.TempDir()
	api := surface.New(surface.Options{
		Version:         "test",
		ProxyConfigPath: filepath.Join(dir, "llproxy.json"),
		SettingsDir:     filepath.Join(dir, "settings"),
		DocumentsDir:    filepath.Join(dir, "documents"),
		Logger:          slog.New(slog.DiscardHandler),
	})
	opts := Options{API: api, EditorKey: testEditorKey, Logger: slog.New(slog.DiscardHandler)}
	if assets != nil {
		opts.Assets = assets
	}
	web := New(opts)
	if cfg != nil {
		web.SetConfig(cfg)
	}
	srv := httptest.NewServer(web)
	t.Cleanup(func() {
		web.Close()
		srv.Close()
		_ = api.Close(t.Context())
	})
	return testServer{Server: srv, api: api, web: web}
}

type reply struct {
	status int
	body   []byte
	err    errorDetail
}

// post calls a method with the JSON of args, plus extra headers.
func (ts testServer) post(t *testing.T, client *http.Client, method string, args []any, hdr map[string]string) reply {
	t.Helper()
	body, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+CallPrefix+method, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return ts.do(t, client, req)
}

func (ts testServer) do(t *testing.T, client *http.Client, req *http.Request) reply {
	t.Helper()
	if client == nil {
		client = ts.Client()
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, body: data}
	if resp.StatusCode != http.StatusOK {
		var eb errorBody
		_ = json.Unmarshal(data, &eb)
		r.err = eb.Error
	}
	return r
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s: %v", r.body, err)
	}
	return v
}

// Every method surface.Methods marks Both is reachable over HTTP with its
// arguments; the desktop-only ones are not served.
func TestDoors_EveryServedMethodReachable(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	var both []string
	for _, m := range surface.Methods {
		if m.Door != surface.Both {
			r := ts.post(t, nil, m.Name, nil, nil)
			if r.status != http.StatusNotFound || r.err.Code != codeUnknownMethod {
				t.Errorf("desktop-only %s over HTTP: %d %s, want 404 unknown_method", m.Name, r.status, r.body)
			}
			continue
		}
		both = append(both, m.Name)
		fn, ok := reflect.TypeOf(ts.api).MethodByName(m.Name)
		if !ok {
			t.Errorf("%s: surface.API lacks it", m.Name)
			continue
		}
		args := []any{}
		for i := 1; i < fn.Type.NumIn(); i++ {
			args = append(args, reflect.Zero(fn.Type.In(i)).Interface())
		}
		r := ts.post(t, nil, m.Name, args, nil)
		switch {
		case r.status == http.StatusOK:
		case r.err.Code == codeUnknownMethod || r.err.Code == codeBadRequest || r.err.Code == "":
			t.Errorf("%s%v: %d %s: the door did not reach the method", m.Name, args, r.status, r.body)
		}
	}
	served := ts.web.Served()
	slices.Sort(served)
	slices.Sort(both)
	if !slices.Equal(served, both) {
		t.Errorf("served %v, want the Both rows %v", served, both)
	}
}

func TestCalls_ErrorsAreTheWailsDoorsText(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	doc := decode[documents.Document](t, ts.post(t, nil, "StartDocument", nil, nil))
	doc.Fragments = []documents.Fragment{{Text: "First tab. "}}
	saved := decode[documents.Meta](t, ts.post(t, nil, "SaveDocument", []any{doc}, nil))
	if saved.Revision != doc.Revision+1 {
		t.Fatalf("saved revision %d, want %d", saved.Revision, doc.Revision+1)
	}
	stale := doc
	stale.Fragments = []documents.Fragment{{Text: "Second tab, opened before. "}}

	cases := []struct {
		name   string
		method string
		args   []any
		direct func() error // the same call as the Wails door makes it
		status int
		code   string
	}{
		{"stale save", "SaveDocument", []any{stale},
			func() error { _, err := ts.api.SaveDocument(stale); return err }, 409, surface.CodeStaleRevision},
		{"stale autosave", "DocumentChanged", []any{stale},
			func() error { _, err := ts.api.DocumentChanged(stale); return err }, 409, surface.CodeStaleRevision},
		{"stale patch", "DocumentPatched", []any{documents.Patch{ID: doc.ID, Base: doc.Revision}},
			func() error {
				_, err := ts.api.DocumentPatched(documents.Patch{ID: doc.ID, Base: doc.Revision})
				return err
			}, 409, surface.CodeStaleRevision},
		{"patch out of range", "DocumentPatched", []any{documents.Patch{ID: doc.ID, Base: saved.Revision, At: 2}},
			func() error {
				_, err := ts.api.DocumentPatched(documents.Patch{ID: doc.ID, Base: saved.Revision, At: 2})
				return err
			}, 400, surface.CodeBadPatch},
		{"patch without a base", "DocumentPatched", []any{documents.Patch{ID: doc.ID}},
			func() error { _, err := ts.api.DocumentPatched(documents.Patch{ID: doc.ID}); return err }, 400, surface.CodeBadPatch},
		{"missing document", "OpenDocument", []any{"nosuchdocument"},
			func() error { _, err := ts.api.OpenDocument("nosuchdocument"); return err }, 404, surface.CodeNotFound},
		{"path trick", "OpenDocument", []any{"../../../etc/passwd"},
			func() error { _, err := ts.api.OpenDocument("../../../etc/passwd"); return err }, 400, surface.CodeInvalidID},
		{"path trick in a save", "SaveDocument", []any{documents.Document{ID: "../state"}},
			func() error { _, err := ts.api.SaveDocument(documents.Document{ID: "../state"}); return err }, 400, surface.CodeInvalidID},
		{"import of an unknown type", "ImportDocumentData", []any{"x.exe", "MZ"},
			func() error { _, err := ts.api.ImportDocumentData("x.exe", "MZ"); return err }, 400, surface.CodeUnsupportedFormat},
		{"suggestion of an unknown kind", "AssistSuggest", []any{assist.SuggestRequest{Kind: "poem"}},
			func() error { _, err := ts.api.AssistSuggest(assist.SuggestRequest{Kind: "poem"}); return err }, 400, surface.CodeInvalidRequest},
		{"model setting out of range", "AssistSetModelSettings", []any{"m", assist.ModelSettings{TopP: 3}},
			func() error { return ts.api.AssistSetModelSettings("m", assist.ModelSettings{TopP: 3}) }, 400, surface.CodeInvalidSettings},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ts.post(t, nil, c.method, c.args, nil)
			want := c.direct()
			if want == nil {
				t.Fatal("the direct call did not fail")
			}
			if r.status != c.status || r.err.Code != c.code || r.err.Message != want.Error() {
				t.Errorf("got %d %+v\nwant %d code %s message %q", r.status, r.err, c.status, c.code, want.Error())
			}
			// The Wails door rejects with exactly this body (main.go's ErrorFormatter).
			if got := strings.TrimSpace(string(r.body)); got != surface.ErrorJSON(want) {
				t.Errorf("body %s\nWails door rejects with %s", got, surface.ErrorJSON(want))
			}
		})
	}
	// Nothing of the refused saves was written; save as copy keeps it.
	cur := decode[documents.Document](t, ts.post(t, nil, "OpenDocument", []any{doc.ID}, nil))
	if cur.Text() != "First tab. " {
		t.Errorf("after the refused saves the document reads %q", cur.Text())
	}
	cp := decode[documents.Document](t, ts.post(t, nil, "SaveDocumentAsCopy", []any{stale}, nil))
	if cp.ID == doc.ID || cp.Text() != stale.Text() {
		t.Errorf("copy %s reads %q", cp.ID, cp.Text())
	}
}

// A page that hands over patches: they apply in order; one whose base the
// server no longer holds gets 409 unknown_base and the whole document then
// goes through.
func TestCalls_PatchesThroughTheHTTPDoor(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	doc := decode[documents.Document](t, ts.post(t, nil, "StartDocument", nil, nil))
	rev := doc.Revision
	for i, text := range []string{"One. ", "Two. "} {
		p := documents.Patch{ID: doc.ID, Base: rev, At: i, Insert: []documents.Fragment{{Text: text}}, Selection: i + 1}
		rev = decode[int64](t, ts.post(t, nil, "DocumentPatched", []any{p}, nil))
	}
	list := decode[documents.Listing](t, ts.post(t, nil, "ListDocuments", nil, nil)) // flushes
	if len(list.Documents) != 1 || list.Documents[0].Revision != rev {
		t.Fatalf("listing %+v, want one document at revision %d", list.Documents, rev)
	}
	opened := decode[documents.Document](t, ts.post(t, nil, "OpenDocument", []any{doc.ID}, nil))
	if len(opened.Fragments) != 2 || opened.Fragments[0].Text != "One. " || opened.Fragments[1].Text != "Two. " || opened.Selection != 2 {
		t.Errorf("opened %+v", opened)
	}

	meta := decode[documents.Meta](t, ts.post(t, nil, "RenameDocument", []any{doc.ID, "Renamed"}, nil)) // the session reads it again
	r := ts.post(t, nil, "DocumentPatched", []any{documents.Patch{ID: doc.ID, Base: meta.Revision, At: 2}}, nil)
	if r.status != http.StatusConflict || r.err.Code != surface.CodeUnknownBase {
		t.Fatalf("patch of a base the server does not hold: %d %s, want 409 %s", r.status, r.body, surface.CodeUnknownBase)
	}
	opened.Revision, opened.Name = meta.Revision, "Renamed"
	if got := decode[int64](t, ts.post(t, nil, "DocumentChanged", []any{opened}, nil)); got != meta.Revision+1 {
		t.Errorf("the whole document after unknown_base: revision %d, want %d", got, meta.Revision+1)
	}
}

func TestCalls_BadRequests(t *testing.T) {
	ts := newTestServer(t, &config.Config{Host: "127.0.0.1", MaxBodyBytes: 4096}, nil)
	send := func(method, path, ctype, body string) reply {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		return ts.do(t, nil, req)
	}
	cases := []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"GET on a call", "GET", "/api/call/Version", "", "", 405, codeMethodNotAllowed},
		{"not JSON", "POST", "/api/call/Version", "text/plain", "[]", 415, codeUnsupportedMedia},
		{"body not an array", "POST", "/api/call/OpenDocument", "application/json", `{"id":"x"}`, 400, codeBadRequest},
		{"too few arguments", "POST", "/api/call/RenameDocument", "application/json", `["abc"]`, 400, codeBadRequest},
		{"wrong type", "POST", "/api/call/OpenDocument", "application/json", `[42]`, 400, codeBadRequest},
		{"unknown method", "POST", "/api/call/Nope", "application/json", `[]`, 404, codeUnknownMethod},
		{"path in the method name", "POST", "/api/call/OpenDocument/../DeleteDocument", "application/json", `["x"]`, 404, codeUnknownMethod},
		{"body over max_body_bytes", "POST", "/api/call/ImportDocumentData", "application/json",
			`["a.txt","` + strings.Repeat("x", 5000) + `"]`, 413, codeBodyTooLarge},
		{"unknown API path", "GET", "/api/nothing", "", "", 404, codeNotFound},
		{"patch that is not one", "POST", "/api/call/DocumentPatched", "application/json", `["garbage"]`, 400, codeBadRequest},
		{"patch with a splice of the wrong type", "POST", "/api/call/DocumentPatched", "application/json", `[{"id":"x","base":1,"at":"one"}]`, 400, codeBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := send(c.method, c.path, c.ctype, c.body)
			if r.status != c.status || r.err.Code != c.code {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, c.status, c.code)
			}
		})
	}
	// No arguments: an empty body counts as [].
	if r := send("POST", "/api/call/Version", "application/json", ""); r.status != 200 || strings.TrimSpace(string(r.body)) != `"test"` {
		t.Errorf("Version: %d %s", r.status, r.body)
	}
	// A method without a result answers null.
	if r := send("POST", "/api/call/RescanModels", "application/json", "[]"); r.status != 200 || strings.TrimSpace(string(r.body)) != "null" {
		t.Errorf("RescanModels: %d %s", r.status, r.body)
	}
}

func TestCalls_CrossOriginWritesRefused(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	sess := decode[sessionInfo](t, ts.do(t, nil, mustReq(t, "GET", ts.URL+SessionPath)))
	if !sess.LoggedIn || sess.Exposed || sess.CSRF == "" || sess.Transport != "http" {
		t.Fatalf("loopback session = %+v", sess)
	}
	cases := []struct {
		name   string
		hdr    map[string]string
		status int
		code   string
	}{
		{"same origin", map[string]string{"Origin": ts.URL, "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"no browser markers (a script)", nil, 200, ""},
		{"the session's token", map[string]string{CSRFHeader: sess.CSRF, "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 200, ""},
		{"another origin", map[string]string{"Origin": "http://evil.example"}, 403, "cross_origin"},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross_origin"},
		{"a wrong token", map[string]string{CSRFHeader: "guess", "Origin": ts.URL}, 403, codeCSRF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ts.post(t, nil, "NewDocument", nil, c.hdr)
			if r.status != c.status || r.err.Code != c.code {
				t.Errorf("got %d %s, want %d %s", r.status, r.body, c.status, c.code)
			}
		})
	}
}

func TestAccess_ExposedNeedsAKey(t *testing.T) {
	ts := newTestServer(t, &config.Config{Host: "0.0.0.0", APIKeys: []string{"sk-client"}, MaxBodyBytes: 1 << 20},
		fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>editor</title>")}})
	sess := decode[sessionInfo](t, ts.do(t, nil, mustReq(t, "GET", ts.URL+SessionPath)))
	if !sess.Exposed || sess.LoggedIn || sess.CSRF != "" {
		t.Fatalf("exposed session before login = %+v", sess)
	}
	t.Run("no key", func(t *testing.T) {
		if r := ts.post(t, nil, "Version", nil, nil); r.status != 401 || r.err.Code != "invalid_api_key" {
			t.Errorf("got %d %s", r.status, r.body)
		}
		req := mustReq(t, "GET", ts.URL+EventsPath)
		if r := ts.do(t, nil, req); r.status != 401 {
			t.Errorf("events: %d %s", r.status, r.body)
		}
		req = mustReq(t, "GET", ts.URL+"/")
		req.Header.Set("Accept", "text/html")
		if r := ts.do(t, nil, req); r.status != 401 || !strings.Contains(string(r.body), "<form") {
			t.Errorf("page without a login: %d, want the login form", r.status)
		}
	})
	for _, key := range []string{"sk-client", testEditorKey} {
		t.Run("key header "+key, func(t *testing.T) {
			if r := ts.post(t, nil, "Version", nil, map[string]string{"Authorization": "Bearer " + key}); r.status != 200 {
				t.Errorf("got %d %s", r.status, r.body)
			}
		})
	}
	t.Run("login with the editor key", func(t *testing.T) {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		form := url.Values{"key": {testEditorKey}, "next": {"/"}}
		req, _ := http.NewRequest("POST", ts.URL+LoginPath, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", ts.URL)
		if r := ts.do(t, client, req); r.status != 200 || !strings.Contains(string(r.body), "<title>editor") {
			t.Fatalf("login then the page: %d %s", r.status, r.body)
		}
		sess := decode[sessionInfo](t, ts.do(t, client, mustReq(t, "GET", ts.URL+SessionPath)))
		if !sess.LoggedIn || sess.CSRF == "" {
			t.Fatalf("session after login = %+v", sess)
		}
		hdr := map[string]string{CSRFHeader: sess.CSRF, "Origin": ts.URL}
		if r := ts.post(t, client, "NewDocument", nil, hdr); r.status != 200 {
			t.Errorf("write with the session: %d %s", r.status, r.body)
		}
		hdr["Origin"], hdr[CSRFHeader] = "http://evil.example", ""
		if r := ts.post(t, client, "NewDocument", nil, hdr); r.status != 403 {
			t.Errorf("cross-origin write with the session cookie: %d, want 403", r.status)
		}
	})
	t.Run("wrong Host (DNS rebinding)", func(t *testing.T) {
		req := mustReq(t, "GET", ts.URL+SessionPath)
		req.Host = "attacker.example"
		if r := ts.do(t, nil, req); r.status != http.StatusMisdirectedRequest {
			t.Errorf("got %d %s", r.status, r.body)
		}
	})
}

func TestStatic_ThePageAndItsAbsence(t *testing.T) {
	page := fstest.MapFS{
		"index.html":        {Data: []byte("<!doctype html>page")},
		"assets/app-1a2.js": {Data: []byte("console.log(1)")},
	}
	ts := newTestServer(t, nil, page)
	for path, want := range map[string]string{"/": "page", "/assets/app-1a2.js": "console.log(1)"} {
		r := ts.do(t, nil, mustReq(t, "GET", ts.URL+path))
		if r.status != 200 || !strings.Contains(string(r.body), want) {
			t.Errorf("GET %s: %d %q", path, r.status, r.body)
		}
	}
	for _, path := range []string{"/assets/", "/../../etc/passwd", "/nope.js"} {
		if r := ts.do(t, nil, mustReq(t, "GET", ts.URL+path)); r.status != 404 {
			t.Errorf("GET %s: %d, want 404", path, r.status)
		}
	}
	bare := newTestServer(t, nil, nil)
	r := bare.do(t, nil, mustReq(t, "GET", bare.URL+"/"))
	if r.status != 404 || !strings.Contains(string(r.body), "built without the editor") {
		t.Errorf("no page: %d %q", r.status, r.body)
	}
	if s := decode[sessionInfo](t, bare.do(t, nil, mustReq(t, "GET", bare.URL+SessionPath))); s.Editor {
		t.Error("session says editor: true without a page")
	}
}

func TestEvents_StreamAndUnsubscribe(t *testing.T) {
	ts := newTestServer(t, nil, nil)
	before := ts.api.Subscribers()
	resp, err := ts.Client().Get(ts.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	lines := bufio.NewScanner(resp.Body)
	readUntil := func(prefix string) string {
		t.Helper()
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), prefix) {
				return lines.Text()
			}
		}
		t.Fatalf("stream ended before %q: %v", prefix, lines.Err())
		return ""
	}
	readUntil(": connected")

	// A save through the API (either door) reaches the stream.
	doc, err := ts.api.StartDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc.Fragments = []documents.Fragment{{Text: "Seen by every tab."}}
	meta, err := ts.api.SaveDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := readUntil("event: "); got != "event: "+surface.EventDocSaved {
		t.Fatalf("got %q", got)
	}
	data := strings.TrimPrefix(readUntil("data: "), "data: ")
	var args []documents.Meta
	if err := json.Unmarshal([]byte(data), &args); err != nil || len(args) != 1 || args[0].Revision != meta.Revision || args[0].ID != doc.ID {
		t.Fatalf("data %s: %v", data, err)
	}
	ts.api.Emit("app:test", "a", 2)
	readUntil("event: app:test")
	if got := readUntil("data: "); got != `data: ["a",2]` {
		t.Errorf("got %q", got)
	}

	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for ts.api.Subscribers() != before {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers after the client left, want %d", ts.api.Subscribers(), before)
		}
		ts.api.Emit("app:test") // a write to a gone client ends the stream too
		time.Sleep(10 * time.Millisecond)
	}
}

func TestEvents_HeartbeatAndClose(t *testing.T) {
	dir := t.TempDir()
	api := surface.New(surface.Options{ProxyConfigPath: filepath.Join(dir, "c.json"), SettingsDir: dir,
		DocumentsDir: filepath.Join(dir, "d"), Logger: slog.New(slog.DiscardHandler)})
	web := New(Options{API: api, Heartbeat: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(web)
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + EventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() && lines.Text() != ": ping" {
	}
	web.Close()
	for lines.Scan() {
	}
	if err := lines.Err(); err != nil && !errors.Is(err, io.EOF) {
		t.Errorf("stream after Close: %v", err)
	}
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// On loopback the editor needs no key, but /login still opens sessions
// with api_keys, for /status, which shares the session store.
func TestAccess_LoginServesStatusOnLoopback(t *testing.T) {
	ts := newTestServer(t, &config.Config{Host: "127.0.0.1", APIKeys: []string{"sk-status"}, MaxBodyBytes: 1 << 20}, nil)
	form := url.Values{"key": {"sk-status"}, "next": {"/status"}}
	req, _ := http.NewRequest("POST", ts.URL+LoginPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 || resp.Header.Get("Location") != "/status" {
		t.Errorf("login with an api key on loopback: %d, cookies %v, to %q", resp.StatusCode, resp.Cookies(), resp.Header.Get("Location"))
	}
	if r := ts.post(t, nil, "Version", nil, nil); r.status != 200 {
		t.Errorf("the editor on loopback wants a key: %d", r.status)
	}
}
