package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"fragmenteditor/backend/appsettings"
	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy"
	"fragmenteditor/backend/paths"
)

// Events sent to the page.
const (
	eventProxy        = "proxy:event"          // llproxy.Event
	eventDocSaved     = "documents:saved"      // documents.Meta
	eventDocSaveError = "documents:save-error" // {id, message}
	eventClosing      = "app:closing"          // the window is closing: send the last change
)

// App is the thin adapter between Wails and the backend services: bound
// methods convert, call a backend package and return. Every runtime.* call
// goes through ui, built from Wails' own startup context.
type App struct {
	version string
	dirs    paths.Dirs
	log     *slog.Logger

	ui     ui                 // set in startup
	ctx    context.Context    // ours: cancelled in shutdown (Wails' never is)
	cancel context.CancelFunc // cancels ctx

	settings *appsettings.Store
	proxy    *llproxy.Service
	assist   *assist.Service
	docs     *documents.Library
	autosave *documents.Autosaver

	mu       sync.Mutex // guards problems
	problems []string   // start-up failures the page shows

	closing  atomic.Bool // set in shutdown: the page is gone, stop emitting
	quitting atomic.Bool // set by Quit: close even when keeping the proxy serving
}

// ui is what the backend wiring needs from the Wails runtime.
type ui interface {
	Emit(event string, data any)
	Show()
	Hide()
	Quit()
	SaveFile(title, name string) (string, error)
	OpenFile(title string) (string, error)
}

// wailsUI calls the Wails runtime with Wails' startup context, the only
// context those calls accept.
type wailsUI struct{ ctx context.Context }

func (w wailsUI) Emit(event string, data any) { runtime.EventsEmit(w.ctx, event, data) }
func (w wailsUI) Show() {
	runtime.WindowUnminimise(w.ctx)
	runtime.WindowShow(w.ctx)
}
func (w wailsUI) Hide() { runtime.WindowHide(w.ctx) }
func (w wailsUI) Quit() { runtime.Quit(w.ctx) }

var documentFilters = []runtime.FileFilter{
	{DisplayName: "Text, Markdown or FragmentEditor JSON (*.txt;*.md;*.json)", Pattern: "*.txt;*.md;*.json"},
}

func (w wailsUI) SaveFile(title, name string) (string, error) {
	return runtime.SaveFileDialog(w.ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, Filters: documentFilters})
}

func (w wailsUI) OpenFile(title string) (string, error) {
	return runtime.OpenFileDialog(w.ctx, runtime.OpenDialogOptions{Title: title, Filters: documentFilters})
}

// NewApp builds the adapter; services start in startup.
func NewApp(version string, dirs paths.Dirs, log *slog.Logger) *App {
	return &App{version: version, dirs: dirs, log: log}
}

// startup starts the services on a context of our own. A service that
// fails to start is reported to the page; the others still run.
func (a *App) startup(wailsCtx context.Context) {
	a.ui = wailsUI{ctx: wailsCtx}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	if err := a.dirs.Create(); err != nil {
		a.problem("cannot create the app's folders", err)
	}
	settings, err := appsettings.Open(a.dirs.SettingsDir())
	if err != nil {
		a.problem("settings", err)
	}
	a.settings = settings
	a.startProxy()
	a.startAssist()
	a.startDocuments()
}

func (a *App) startProxy() {
	proxy, err := llproxy.New(llproxy.Options{
		ConfigPath:    a.dirs.ProxyConfigPath(),
		CreateDefault: true,
		Logger:        a.log,
		Version:       a.version,
	})
	if err != nil {
		a.problem("the proxy cannot start", err)
		return
	}
	a.proxy = proxy
	proxy.Subscribe(func(e llproxy.Event) { a.emit(eventProxy, e) })
	if err := proxy.Start(a.ctx); err != nil {
		a.problem("the proxy is not running", err)
	}
}

// startAssist runs suggestions through the app's own proxy, the same path
// external clients take.
func (a *App) startAssist() {
	if a.proxy == nil {
		return
	}
	svc, err := assist.New(assist.Options{
		Endpoint:    a.proxy.ClientEndpoint,
		SettingsDir: a.dirs.SettingsDir(),
		Models:      a.proxy.Models,
		Emit:        a.emit,
		Logger:      a.log,
	})
	if err != nil {
		a.problem("AI assistance cannot start", err)
		return
	}
	a.assist = svc
}

func (a *App) startDocuments() {
	docs, err := documents.Open(a.dirs.DocumentsDir())
	if err != nil {
		a.problem("documents cannot be opened", err)
		return
	}
	a.docs = docs
	a.autosave = documents.NewAutosaver(docs, 0, func(r documents.SaveResult) {
		if r.Err != nil {
			a.emit(eventDocSaveError, map[string]string{"id": r.ID, "message": r.Err.Error()})
			return
		}
		a.emit(eventDocSaved, r.Meta)
	})
}

// emit sends an event to the page unless the page is gone.
func (a *App) emit(event string, data any) {
	if !a.closing.Load() {
		a.ui.Emit(event, data)
	}
}

func (a *App) problem(what string, err error) {
	a.log.Error(what, "err", err)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.problems = append(a.problems, fmt.Sprintf("%s: %v", what, err))
}

func (a *App) domReady(context.Context) { a.log.Info("page loaded") }

// beforeClose runs on the window's close button and on runtime.Quit. With
// "keep serving" on, the close button only hides the window (the proxy
// keeps serving; launching the app again shows it); Ctrl+Q still quits.
func (a *App) beforeClose(context.Context) (prevent bool) {
	if a.quitting.Load() {
		return false
	}
	if a.settings.Get().KeepServing {
		a.ui.Hide()
		return true
	}
	// Closing: let the page hand over its last change (it calls
	// ReadyToQuit), but never wait for it more than closeGrace.
	a.quitting.Store(true)
	a.emit(eventClosing, nil)
	time.AfterFunc(closeGrace, a.quitNow)
	return true
}

// closeGrace is how long closing waits for the page's last change.
const closeGrace = 2 * time.Second

// quitNow quits unless the app is already shutting down.
func (a *App) quitNow() {
	if !a.closing.Load() {
		a.ui.Quit()
	}
}

// ReadyToQuit is the page's answer to app:closing: its last change is in.
func (a *App) ReadyToQuit() { a.quitNow() }

// shutdown saves what is pending and stops the services.
func (a *App) shutdown(context.Context) {
	a.closing.Store(true)
	if a.autosave != nil {
		if err := a.autosave.Close(); err != nil {
			a.log.Error("saving on quit failed", "err", err)
		}
	}
	if a.assist != nil {
		a.assist.Close()
	}
	if a.proxy != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := a.proxy.Stop(ctx); err != nil {
			a.log.Error("stopping the proxy", "err", err)
		}
	}
	a.cancel()
}

// secondInstance runs when the app is launched again (the new process
// hands over and exits): show this window.
func (a *App) secondInstance(options.SecondInstanceData) {
	a.log.Info("launched again: showing the window")
	a.ui.Show()
}

// errUnavailable is returned by methods whose service failed to start.
var errUnavailable = errors.New("not available: see the start-up problems")

// --- app ---

// Version is the build's version, for the About box.
func (a *App) Version() string { return a.version }

// Quit closes the app (Ctrl+Q in the page), even when keeping the proxy
// serving.
func (a *App) Quit() {
	a.quitting.Store(true)
	a.ui.Quit()
}

// AppSettings are the app's own settings (keep serving on close).
func (a *App) AppSettings() appsettings.Settings { return a.settings.Get() }

// SetAppSettings saves the app's own settings.
func (a *App) SetAppSettings(s appsettings.Settings) error { return a.settings.Set(s) }

// FrontendReady is called by the page once it has mounted; desktop tests
// wait for the log line it writes.
func (a *App) FrontendReady() { a.log.Info("frontend ready") }

// StartupProblems lists what failed at start, for the page to show.
func (a *App) StartupProblems() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.problems...)
}

// --- proxy ---

// ProxyStatus is the proxy's state: address, models, last discovery run.
func (a *App) ProxyStatus() (llproxy.Status, error) {
	if a.proxy == nil {
		return llproxy.Status{}, errUnavailable
	}
	return a.proxy.Status(), nil
}

// ProxyLogs are the recent discovery and request log records.
func (a *App) ProxyLogs() ([]llproxy.LogEntry, error) {
	if a.proxy == nil {
		return nil, errUnavailable
	}
	return a.proxy.Logs(), nil
}

// ProxyConfigText is the config file's text, for editing.
func (a *App) ProxyConfigText() (string, error) {
	if a.proxy == nil {
		return "", errUnavailable
	}
	return a.proxy.ConfigText()
}

// ValidateProxyConfig lists the problems of an edited config as you type.
func (a *App) ValidateProxyConfig(text string) []config.Problem {
	if a.proxy == nil {
		return []config.Problem{{Message: errUnavailable.Error()}}
	}
	return a.proxy.ValidateConfigText(text)
}

// SaveProxyConfig validates, writes and applies an edited config; a proxy
// that could not start (say its port was taken) is started with it.
func (a *App) SaveProxyConfig(text string) error {
	if a.proxy == nil {
		return errUnavailable
	}
	if err := a.proxy.SaveConfigText(text); err != nil {
		return err
	}
	if a.proxy.Status().Running {
		return nil
	}
	return a.proxy.Start(a.ctx)
}

// FreePort is a TCP port free on this machine now, to offer when the
// configured one is taken.
func (a *App) FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RescanModels runs discovery now.
func (a *App) RescanModels() {
	if a.proxy != nil {
		a.proxy.Rescan()
	}
}

// --- assist ---

// AssistModels lists the discovered models with their suggestion settings,
// in panel order.
func (a *App) AssistModels() ([]assist.ModelInfo, error) {
	if a.assist == nil {
		return nil, errUnavailable
	}
	return a.assist.Models(), nil
}

// AssistSettings are all suggestion settings, with recent instructions.
func (a *App) AssistSettings() (assist.AllSettings, error) {
	if a.assist == nil {
		return assist.AllSettings{}, errUnavailable
	}
	return a.assist.Settings(), nil
}

// AssistSetModelSettings changes and saves one model's settings.
func (a *App) AssistSetModelSettings(name string, s assist.ModelSettings) error {
	if a.assist == nil {
		return errUnavailable
	}
	return a.assist.SetModelSettings(name, s)
}

// AssistSuggest starts a round of suggestions or rewrites (cancelling the
// running one); its batches arrive as assist:batch events.
func (a *App) AssistSuggest(req assist.SuggestRequest) (string, error) {
	if a.assist == nil {
		return "", errUnavailable
	}
	return a.assist.Suggest(req)
}

// AssistCancel cancels a round, upstream too.
func (a *App) AssistCancel(round string) {
	if a.assist != nil {
		a.assist.Cancel(round)
	}
}

// AssistCancelAll cancels every running round.
func (a *App) AssistCancelAll() {
	if a.assist != nil {
		a.assist.CancelAll()
	}
}

// --- documents ---

func (a *App) library() (*documents.Library, error) {
	if a.docs == nil {
		return nil, errUnavailable
	}
	return a.docs, nil
}

// StartDocument is the document to show at start: the last one opened.
func (a *App) StartDocument() (documents.Document, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Document{}, err
	}
	return lib.Reopen()
}

// DocumentChanged schedules an autosave (every change, drafts included).
func (a *App) DocumentChanged(doc documents.Document) {
	if a.autosave != nil {
		a.autosave.Put(doc)
	}
}

// SaveDocument saves now (Ctrl+S).
func (a *App) SaveDocument(doc documents.Document) (documents.Meta, error) {
	if a.autosave == nil {
		return documents.Meta{}, errUnavailable
	}
	return a.autosave.SaveNow(doc)
}

// OpenDocument saves what is pending, then opens another document.
func (a *App) OpenDocument(id string) (documents.Document, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Document{}, err
	}
	if err := a.autosave.Flush(); err != nil {
		return documents.Document{}, err
	}
	return lib.OpenDocument(id)
}

// NewDocument saves what is pending and starts a new, empty document.
func (a *App) NewDocument() (documents.Document, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Document{}, err
	}
	if err := a.autosave.Flush(); err != nil {
		return documents.Document{}, err
	}
	doc, err := lib.Create("")
	if err != nil {
		return documents.Document{}, err
	}
	return lib.OpenDocument(doc.ID)
}

// ListDocuments lists the library, newest first, with per-file problems.
func (a *App) ListDocuments() (documents.Listing, error) {
	if err := a.flush(); err != nil {
		return documents.Listing{}, err
	}
	return a.docs.List()
}

// ListTrash lists deleted documents.
func (a *App) ListTrash() (documents.Listing, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Listing{}, err
	}
	return lib.ListTrash()
}

// RenameDocument renames a document that is not open.
func (a *App) RenameDocument(id, name string) (documents.Meta, error) {
	if err := a.flush(); err != nil {
		return documents.Meta{}, err
	}
	return a.docs.Rename(id, name)
}

// DuplicateDocument copies a document under a new id.
func (a *App) DuplicateDocument(id string) (documents.Document, error) {
	if err := a.flush(); err != nil {
		return documents.Document{}, err
	}
	return a.docs.Duplicate(id)
}

// DeleteDocument moves a document to the trash.
func (a *App) DeleteDocument(id string) error {
	if err := a.flush(); err != nil {
		return err
	}
	return a.docs.Delete(id)
}

// RestoreDocument brings a document back from the trash.
func (a *App) RestoreDocument(id string) (documents.Meta, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Meta{}, err
	}
	return lib.Restore(id)
}

// DocumentHistory lists a document's earlier versions.
func (a *App) DocumentHistory(id string) ([]documents.Snapshot, error) {
	if err := a.flush(); err != nil {
		return nil, err
	}
	return a.docs.ListHistory(id)
}

// RestoreVersion makes an earlier version current (the current one is kept
// in the history).
func (a *App) RestoreVersion(id, snapshotID string) (documents.Document, error) {
	if err := a.flush(); err != nil {
		return documents.Document{}, err
	}
	return a.docs.RestoreSnapshot(id, snapshotID)
}

// ExportDocument asks where to and writes the document as .txt, .md or
// .json; returns the path, or "" when the user cancelled.
func (a *App) ExportDocument(doc documents.Document) (string, error) {
	path, err := a.ui.SaveFile("Export document", doc.Title()+".txt")
	if err != nil || path == "" {
		return "", err
	}
	return path, documents.ExportFile(path, doc)
}

// SaveDocumentCopy asks where to and writes a copy of the document file.
func (a *App) SaveDocumentCopy(doc documents.Document) (string, error) {
	path, err := a.ui.SaveFile("Save a copy as", doc.Title()+".json")
	if err != nil || path == "" {
		return "", err
	}
	return path, documents.ExportFile(path, doc)
}

// ImportDocument asks for a .txt, .md or .json file and adds it to the
// library as a new document, which it opens. A zero Document (no id) means
// the user cancelled.
func (a *App) ImportDocument() (documents.Document, error) {
	lib, err := a.library()
	if err != nil {
		return documents.Document{}, err
	}
	path, err := a.ui.OpenFile("Import a document")
	if err != nil || path == "" {
		return documents.Document{}, err
	}
	doc, err := documents.ImportFile(path)
	if err != nil {
		return documents.Document{}, err
	}
	if err := a.autosave.Flush(); err != nil {
		return documents.Document{}, err
	}
	doc, err = lib.Add(doc)
	if err != nil {
		return documents.Document{}, err
	}
	return lib.OpenDocument(doc.ID)
}

// flush saves what autosave holds, so library operations see it.
func (a *App) flush() error {
	if a.docs == nil {
		return errUnavailable
	}
	return a.autosave.Flush()
}
