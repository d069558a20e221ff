package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/paths"
	"fragmenteditor/backend/surface"
)

// fakeUI records what the app asks of the window.
type fakeUI struct {
	mu       sync.Mutex
	events   []string // names, in order
	payloads map[string][]any
	quits    int
	hides    int
	markers  int    // close markers queued
	saveTo   string // what the save dialog answers
	openFrom string // what the open dialog answers
}

func (f *fakeUI) Emit(event string, data ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, event)
	if f.payloads == nil {
		f.payloads = map[string][]any{}
	}
	f.payloads[event] = data
}
func (f *fakeUI) Show() {}
func (f *fakeUI) Hide() { f.mu.Lock(); f.hides++; f.mu.Unlock() }
func (f *fakeUI) Quit() { f.mu.Lock(); f.quits++; f.mu.Unlock() }
func (f *fakeUI) SendCloseMarker(queued func(bool)) {
	f.mu.Lock()
	f.markers++
	f.mu.Unlock()
	queued(true)
}
func (f *fakeUI) quitCount() int { f.mu.Lock(); defer f.mu.Unlock(); return f.quits }
func (f *fakeUI) SaveFile(title, name string) (string, error) {
	return f.saveTo, nil
}
func (f *fakeUI) OpenFile(title string) (string, error) { return f.openFrom, nil }

func (f *fakeUI) last(event string) []any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.payloads[event]
}

// startTestApp runs the app's start-up with a fake window on folders of
// its own and a proxy on a free loopback port.
func startTestApp(t *testing.T) (*App, *fakeUI) {
	t.Helper()
	// A free port can be taken by another test between the check and the
	// bind on a busy machine: an address of our own, and a few tries.
	var problems []string
	for range 3 {
		app, u, p := tryStartTestApp(t)
		if len(p) == 0 {
			return app, u
		}
		app.shutdown(context.Background())
		problems = p
	}
	t.Fatalf("start-up problems: %q", problems)
	return nil, nil
}

func tryStartTestApp(t *testing.T) (*App, *fakeUI, []string) {
	t.Helper()
	home := t.TempDir()
	dirs := paths.Dirs{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data")}
	if err := os.MkdirAll(dirs.Config, 0o700); err != nil {
		t.Fatal(err)
	}
	host := fmt.Sprintf("127.%d.%d.%d", 150+rand.IntN(100), rand.IntN(256), 1+rand.IntN(254))
	l, err := net.Listen("tcp", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := fmt.Sprintf(`{"host":%q,"port":%d,"endpoints":[]}`, host, port)
	if err := os.WriteFile(dirs.ProxyConfigPath(), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	app := NewApp("test", dirs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	u := &fakeUI{}
	app.start(u)
	t.Cleanup(func() { app.shutdown(context.Background()) })
	return app, u, app.StartupProblems()
}

// The desktop door binds exactly the methods of surface.Methods; the
// methods both doors serve have App's signature on surface.API too.
func TestApp_BindsExactlyTheSurface(t *testing.T) {
	app := reflect.TypeOf(&App{})
	api := reflect.TypeOf(&surface.API{})
	var bound []string
	for m := range app.Methods() {
		bound = append(bound, m.Name)
	}
	var table []string
	for _, m := range surface.Methods {
		table = append(table, m.Name)
		am, ok := app.MethodByName(m.Name)
		if !ok {
			t.Errorf("%s is in surface.Methods but App does not bind it", m.Name)
			continue
		}
		if m.Door != surface.Both {
			continue
		}
		pm, ok := api.MethodByName(m.Name)
		if !ok {
			t.Errorf("%s is served by both doors but surface.API lacks it", m.Name)
			continue
		}
		// Compare without the receivers.
		if a, p := signature(am.Type), signature(pm.Type); a != p {
			t.Errorf("%s: App%s, surface.API%s", m.Name, a, p)
		}
	}
	slices.Sort(bound)
	slices.Sort(table)
	for _, name := range bound {
		if _, found := slices.BinarySearch(table, name); !found {
			t.Errorf("App binds %s, which is not in surface.Methods (add it there: Both or Desktop)", name)
		}
	}
}

func signature(f reflect.Type) string {
	var in, out []string
	for i := 1; i < f.NumIn(); i++ {
		in = append(in, f.In(i).String())
	}
	for i := range f.NumOut() {
		out = append(out, f.Out(i).String())
	}
	return "(" + strings.Join(in, ", ") + ") (" + strings.Join(out, ", ") + ")"
}

func TestApp_DocumentsThroughTheWindow(t *testing.T) {
	app, u := startTestApp(t)
	doc, err := app.StartDocument()
	if err != nil {
		t.Fatal(err)
	}
	doc.Fragments = []documents.Fragment{{Text: "Typed in the window. "}}
	meta, err := app.SaveDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.last(surface.EventDocSaved); len(got) != 1 || got[0].(documents.Meta).Revision != meta.Revision {
		t.Errorf("documents:saved payload %v, want the saved Meta", got)
	}

	t.Run("stale save refused", func(t *testing.T) {
		_, err := app.DocumentChanged(doc) // still based on the revision before the save
		if surface.Code(err) != surface.CodeStaleRevision {
			t.Errorf("err = %v (code %s), want stale_revision", err, surface.Code(err))
		}
	})

	t.Run("export and import through the dialogs", func(t *testing.T) {
		u.saveTo = filepath.Join(t.TempDir(), "out.txt")
		path, err := app.ExportDocument(doc)
		if err != nil || path != u.saveTo {
			t.Fatalf("ExportDocument = %q, %v", path, err)
		}
		u.openFrom = path
		imported, err := app.ImportDocument()
		if err != nil {
			t.Fatal(err)
		}
		if imported.ID == doc.ID || imported.Text() != doc.Text() {
			t.Errorf("imported %q (id %s), want the text as a new document", imported.Text(), imported.ID)
		}
		u.openFrom = "" // cancelled
		if none, err := app.ImportDocument(); err != nil || none.ID != "" {
			t.Errorf("cancelled import = %+v, %v", none, err)
		}
	})

	t.Run("every listing flushes first", func(t *testing.T) {
		cur, _ := app.OpenDocument(doc.ID)
		cur.Fragments = append(cur.Fragments, documents.Fragment{Text: "Pending."})
		if _, err := app.DocumentChanged(cur); err != nil {
			t.Fatal(err)
		}
		if _, err := app.ListTrash(); err != nil {
			t.Fatal(err)
		}
		if n := app.api.Documents().Pending(); n != 0 {
			t.Errorf("ListTrash left %d pending", n)
		}
	})
}

// Closed (or sent SIGTERM) while the page was still loading: nothing to
// hand over, so the app quits at once instead of waiting for a marker no
// handler takes.
func TestApp_CloseBeforeThePageStarted(t *testing.T) {
	app, u := startTestApp(t)
	if prevent := app.beforeClose(context.Background()); !prevent {
		t.Fatal("the close did not go through the hand-over")
	}
	for deadline := time.Now().Add(10 * time.Second); u.quitCount() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // the hand-over quits from its own goroutine
	}
	if n := u.quitCount(); n != 1 {
		t.Errorf("quit %d times, want 1 (at once: the page had not started)", n)
	}
}

func TestApp_QuitAndClose(t *testing.T) {
	app, u := startTestApp(t)
	app.FrontendReady() // the page runs the editor: a close waits for its hand-over
	if prevent := app.beforeClose(context.Background()); !prevent {
		t.Fatal("the close button quit without waiting for the page's last change")
	}
	if u.markers != 1 {
		t.Errorf("close markers queued: %d, want 1", u.markers)
	}
	app.ClosingAlive(true)
	app.ReadyToQuit()
	for deadline := time.Now().Add(10 * time.Second); u.quitCount() == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // the hand-over quits from its own goroutine
	}
	if n := u.quitCount(); n != 1 {
		t.Errorf("ReadyToQuit quit %d times, want 1", n)
	}
	if prevent := app.beforeClose(context.Background()); prevent {
		t.Error("quitting: the second close was prevented")
	}
	app.shutdown(context.Background())
	before := len(u.events)
	app.api.Emit(surface.EventDocSaved, documents.Meta{})
	if len(u.events) != before {
		t.Error("an event reached the page after shutdown")
	}
}

func TestApp_KeepServingHidesTheWindow(t *testing.T) {
	app, u := startTestApp(t)
	s := app.AppSettings()
	s.KeepServing = true
	if err := app.SetAppSettings(s); err != nil {
		t.Fatal(err)
	}
	if prevent := app.beforeClose(context.Background()); !prevent || u.hides != 1 {
		t.Errorf("keep serving: prevent %v, hides %d; want the window hidden", prevent, u.hides)
	}
	app.Quit()
	if prevent := app.beforeClose(context.Background()); prevent {
		t.Error("Ctrl+Q: the close was prevented")
	}
}

// "Serve the editor to other devices": the page and its API appear on
// the proxy's port, and go away when it is turned off.
func TestApp_ServeTheEditorSwitch(t *testing.T) {
	app, _ := startTestApp(t)
	session := func() int {
		resp, err := http.Get(strings.TrimSuffix(app.api.Proxy().BaseURL(), "/v1") + "/api/session")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if inv, _ := app.EditorServing(); inv.On || session() == http.StatusOK {
		t.Fatal("the editor is served before the switch is on")
	}
	s := app.AppSettings()
	s.ServeEditor = true
	if err := app.SetAppSettings(s); err != nil {
		t.Fatal(err)
	}
	inv, err := app.EditorServing()
	if err != nil || !inv.On || len(inv.URLs) == 0 || inv.Key == "" || inv.Note == "" {
		t.Errorf("serving on loopback: %+v, %v (want a URL, the key and a note that other devices cannot reach it)", inv, err)
	}
	if code := session(); code != http.StatusOK {
		t.Errorf("/api/session while served: %d", code)
	}
	s.ServeEditor = false
	if err := app.SetAppSettings(s); err != nil {
		t.Fatal(err)
	}
	if inv, _ := app.EditorServing(); inv.On || session() == http.StatusOK {
		t.Error("the editor is still served after the switch went off")
	}
}
