package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy/llproxytest"
	"fragmenteditor/frontend"
)

// callEditor calls a method of the editor's HTTP door.
func callEditor(t *testing.T, root, method string, out any, args ...any) int {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	body, _ := json.Marshal(args)
	req, _ := http.NewRequest(http.MethodPost, root+"/api/call/"+method, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s: %s: %v", method, data, err)
		}
	}
	if resp.StatusCode != http.StatusOK {
		t.Logf("%s: %d %s", method, resp.StatusCode, data)
	}
	return resp.StatusCode
}

// The binary serves the editor's API next to /v1: a document written
// over HTTP survives a kill -9 and a restart, and a stale save from a
// second tab is refused.
func TestE2E_EditorOverHTTP(t *testing.T) {
	host := "127.0.0.132"
	port := llproxytest.FreePort(t, host)
	path := filepath.Join(t.TempDir(), "config.json")
	writeConfig(t, path, host, port)
	data := t.TempDir()
	root := "http://" + net.JoinHostPort(host, strconv.Itoa(port))

	p := startProc(t, "--config", path, "--data", data)
	waitHealth(t, p, root, func(h healthDoc) bool { return h.Service == "llproxy" })

	resp, err := http.Get(root + "/api/session")
	if err != nil {
		t.Fatal(err)
	}
	var sess struct {
		Transport string
		Exposed   bool
		LoggedIn  bool
		CSRF      string
		Editor    bool
	}
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	_, built := frontend.Build()
	if sess.Transport != "http" || sess.Exposed || !sess.LoggedIn || sess.CSRF == "" || sess.Editor != built {
		t.Errorf("session = %+v", sess)
	}
	page, err := http.Get(root + "/")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(page.Body)
	page.Body.Close()
	switch {
	case built && (page.StatusCode != 200 || !strings.Contains(string(text), "<div id=\"root\"")):
		t.Errorf("GET / = %d %.200s, want the page", page.StatusCode, text)
	case !built && (page.StatusCode != 404 || !strings.Contains(string(text), "built without the editor")):
		t.Errorf("GET / without a build = %d %q", page.StatusCode, text)
	}
	if !strings.Contains(p.stderr.String(), "the editor is at "+root+"/") {
		t.Errorf("stderr does not say where the editor is:\n%s", p.stderr.String())
	}

	var doc documents.Document
	if callEditor(t, root, "StartDocument", &doc) != 200 {
		t.Fatal("StartDocument failed")
	}
	doc.Fragments = []documents.Fragment{{Text: "Written in a browser. "}}
	var rev int64
	if callEditor(t, root, "DocumentChanged", &rev, doc) != 200 || rev != doc.Revision+1 {
		t.Fatalf("DocumentChanged: revision %d", rev)
	}
	if code := callEditor(t, root, "SaveDocument", nil, doc); code != http.StatusConflict {
		t.Errorf("a second save based on the same revision: %d, want 409", code)
	}
	if callEditor(t, root, "ListDocuments", nil) != 200 { // flushes the autosave
		t.Fatal("ListDocuments failed")
	}

	p.cmd.Process.Kill() // kill -9
	p.exitCode(t)
	p = startProc(t, "--config", path, "--data", data)
	waitHealth(t, p, root, func(h healthDoc) bool { return h.Service == "llproxy" })
	var back documents.Document
	if callEditor(t, root, "StartDocument", &back) != 200 || back.Text() != "Written in a browser. " || back.Revision != rev {
		t.Errorf("after kill -9 and a restart: %q at revision %d, want the text at %d", back.Text(), back.Revision, rev)
	}
}

// Exposed, the binary prints the editor key and the API wants it.
func TestE2E_ExposedEditorNeedsTheKey(t *testing.T) {
	host := "127.0.0.133" // the wildcard bind below answers on loopback too
	port := llproxytest.FreePort(t, host)
	path := filepath.Join(t.TempDir(), "config.json")
	writeConfig(t, path, "0.0.0.0", port)
	p := startProc(t, "--config", path)
	root := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	waitHealth(t, p, root, func(h healthDoc) bool { return h.Service == "llproxy" })
	if !strings.Contains(p.stderr.String(), "log in with the editor key fe-") {
		t.Fatalf("no editor key printed:\n%s", p.stderr.String())
	}
	if code := callEditor(t, root, "Version", nil); code != http.StatusUnauthorized {
		t.Errorf("without the key: %d, want 401", code)
	}
}

// A data folder that cannot be written (the packaged llproxy run by hand
// as its own user, whose home does not exist) costs the editor its saved
// key, never the proxy: /v1 still answers, and the log says why.
func TestE2E_UnwritableDataStillServesTheProxy(t *testing.T) {
	host := "127.0.0.133"
	port := llproxytest.FreePort(t, host)
	path := filepath.Join(t.TempDir(), "config.json")
	writeConfig(t, path, host, port)
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	root := "http://" + net.JoinHostPort(host, strconv.Itoa(port))

	p := startProc(t, "--config", path, "--data", filepath.Join(notADir, "data"))
	waitHealth(t, p, root, func(h healthDoc) bool { return h.Service == "llproxy" })
	resp, err := http.Get(root + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/models = %d, want 200", resp.StatusCode)
	}
	if !strings.Contains(p.stderr.String(), "the editor key cannot be kept") {
		t.Errorf("the log does not say why the key lasts one run:\n%s", p.stderr.String())
	}
}
