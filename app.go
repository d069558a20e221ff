package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"fragmenteditor/backend/appsettings"
	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/handover"
	"fragmenteditor/backend/llproxy"
	"fragmenteditor/backend/paths"
	"fragmenteditor/backend/surface"
)

// Events of the close hand-over (backend/handover).
const (
	eventClosing     = "app:closing"      // the window is closing: send the last change now
	eventClosingPing = "app:closing-ping" // a hand-over is waiting: answer with ClosingAlive
)

// App is the desktop door to the page's surface (backend/surface): Wails
// binds its methods. The methods both doors serve are one-line delegations
// to surface.API; the desktop-only ones (surface.Methods says which) are
// here: quitting, native file dialogs, the app's own settings. Every
// runtime.* call goes through ui, built from Wails' own startup context.
type App struct {
	version string
	dirs    paths.Dirs
	log     *slog.Logger

	ui     ui                 // set in startup
	ctx    context.Context    // ours: cancelled in shutdown (Wails' never is)
	cancel context.CancelFunc // cancels ctx

	api      *surface.API
	settings *appsettings.Store
	editor   editorSite         // the editor served to other devices
	handover *handover.Handover // the close button's hand-over of the page's last change

	mu       sync.Mutex // guards problems
	problems []string   // the app's own start-up failures, before the API's

	closing  atomic.Bool // set in shutdown: the page is gone, stop emitting
	quitting atomic.Bool // set by Quit: close even when keeping the proxy serving
}

// ui is what the backend wiring needs from the Wails runtime.
type ui interface {
	Emit(event string, data ...any)
	Show()
	Hide()
	Quit()
	SendCloseMarker(queued func(ok bool)) // queues the close marker behind the keys pressed (backend/handover)
	SaveFile(title, name string) (string, error)
	OpenFile(title string) (string, error)
}

// wailsUI calls the Wails runtime with Wails' startup context, the only
// context those calls accept.
type wailsUI struct{ ctx context.Context }

func (w wailsUI) Emit(event string, data ...any) { runtime.EventsEmit(w.ctx, event, data...) }
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
	a.start(wailsUI{ctx: wailsCtx})
}

// start is startup with any ui (tests pass a fake).
func (a *App) start(u ui) {
	a.ui = u
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.handover = handover.New(closingPage{a.ui, a.log}, handover.Timing{}, func(r handover.Reason) {
		a.log.Info("closing", "how", string(r))
		a.quitNow()
	})
	a.handover.Loading(true) // until the page says it runs the editor (FrontendReady)
	if err := a.dirs.Create(); err != nil {
		a.problem("cannot create the app's folders", err)
	}
	settings, err := appsettings.Open(a.dirs.SettingsDir())
	if err != nil {
		a.problem("settings", err)
	}
	a.settings = settings
	a.api = surface.New(surface.Options{
		Version:             a.version,
		ProxyConfigPath:     a.dirs.ProxyConfigPath(),
		CreateDefaultConfig: true,
		SettingsDir:         a.dirs.SettingsDir(),
		DocumentsDir:        a.dirs.DocumentsDir(),
		ReadAheadStart:      true,
		Logger:              a.log,
	})
	a.api.Subscribe(a.forward)
	if err := a.api.Start(a.ctx); err != nil && a.api.Proxy() != nil {
		a.problem("the proxy is not running", err)
	}
	if a.settings.Get().ServeEditor {
		if err := a.serveEditor(true); err != nil {
			a.problem("the editor cannot be served to other devices", err)
		}
	}
}

// forward sends the services' events to the page unless the page is gone.
func (a *App) forward(event string, args []any) {
	if !a.closing.Load() {
		a.ui.Emit(event, args...)
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
	// Closing: the page hands over its last change, every key pressed
	// before the close included, then calls ReadyToQuit.
	a.quitting.Store(true)
	a.handover.Start(a.ctx)
	return true
}

// closingPage is the page side of a close hand-over.
type closingPage struct {
	ui  ui
	log *slog.Logger
}

func (p closingPage) SendMarker(queued func(bool)) {
	p.ui.SendCloseMarker(func(ok bool) {
		p.log.Info("closing", "marker_queued", ok)
		queued(ok)
	})
}
func (p closingPage) Ping() { p.ui.Emit(eventClosingPing) }
func (p closingPage) AskDirect() {
	p.log.Info("closing", "how", handover.AskedDirectly)
	p.ui.Emit(eventClosing)
}

// quitNow quits unless the app is already shutting down.
func (a *App) quitNow() {
	if !a.closing.Load() {
		a.ui.Quit()
	}
}

// ReadyToQuit is the page's word at the end of a close hand-over: its last
// change is in.
func (a *App) ReadyToQuit() { a.handover.Ready() }

// ClosingAlive answers a close hand-over's ping; seen says the page saw the
// close and is handing over.
func (a *App) ClosingAlive(seen bool) { a.handover.Alive(seen) }

// shutdown saves what is pending and stops the services.
func (a *App) shutdown(context.Context) {
	a.closing.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = a.serveEditor(false) // ends the browsers' event streams first
	if err := a.api.Close(ctx); err != nil {
		a.log.Error("shutting down", "err", err)
	}
	a.cancel()
}

// secondInstance runs when the app is launched again (the new process
// hands over and exits): show this window.
func (a *App) secondInstance(options.SecondInstanceData) {
	a.log.Info("launched again: showing the window")
	a.ui.Show()
}

// --- desktop only (surface.Methods: Desktop) ---

// Quit closes the app (Ctrl+Q in the page), even when keeping the proxy
// serving.
func (a *App) Quit() {
	a.quitting.Store(true)
	a.ui.Quit()
}

// AppSettings are the app's own settings (keep serving on close).
func (a *App) AppSettings() appsettings.Settings { return a.settings.Get() }

// SetAppSettings saves the app's own settings and applies "serve the
// editor".
func (a *App) SetAppSettings(s appsettings.Settings) error {
	if err := a.settings.Set(s); err != nil {
		return err
	}
	return a.serveEditor(s.ServeEditor)
}

// BenchReport is the page's benchmark probe (frontend/src/bench/probe.ts,
// run by `make bench` in the desktop window): with FRAGMENTEDITOR_BENCH set
// it logs one measurement and returns the benchmark that runs ("floor": the
// bare page, the engine's own cost; any other value: the editor); otherwise
// it does nothing and returns "", and the page installs no probe.
func (a *App) BenchReport(event string, ms float64) string {
	mode := os.Getenv(benchEnv)
	if mode == "" {
		return ""
	}
	a.log.Info("bench", "event", event, "ms", ms)
	if mode != "floor" {
		mode = "editor"
	}
	return mode
}

// benchEnv turns the page's benchmark probe on (see BenchReport).
const benchEnv = "FRAGMENTEDITOR_BENCH"

// TestProbe is the page's test probe (frontend/src/testprobe/probe.ts, run
// by the desktop tests, backend/desktoptest): with FRAGMENTEDITOR_TEST_PROBE
// set it logs one change the page shows (event, and detail as the page's
// JSON) and returns true; otherwise it does nothing and returns false, and
// the page installs no probe.
func (a *App) TestProbe(event, detail string) bool {
	if os.Getenv(testProbeEnv) == "" {
		return false
	}
	a.log.Info("probe", "event", event, "detail", detail)
	return true
}

// testProbeEnv turns the page's test probe on (see TestProbe).
const testProbeEnv = "FRAGMENTEDITOR_TEST_PROBE"

// ProxyConfigText is the config file's text, for editing.
func (a *App) ProxyConfigText() (string, error) { return a.api.ProxyConfigText() }

// ValidateProxyConfig lists the problems of an edited config as you type.
func (a *App) ValidateProxyConfig(text string) []config.Problem {
	return a.api.ValidateProxyConfig(text)
}

// SaveProxyConfig validates, writes and applies an edited config; a proxy
// that could not start (say its port was taken) is started with it.
func (a *App) SaveProxyConfig(text string) error { return a.api.SaveProxyConfig(text) }

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

// ExportDocument asks where to and writes the document as .txt, .md or
// .json; returns the path, or "" when the user cancelled.
func (a *App) ExportDocument(doc documents.Document) (string, error) {
	path, err := a.ui.SaveFile("Export document", documents.FileName(doc, documents.FormatText))
	if err != nil || path == "" {
		return "", err
	}
	return path, documents.ExportFile(path, doc)
}

// SaveDocumentCopy asks where to and writes a copy of the document file.
func (a *App) SaveDocumentCopy(doc documents.Document) (string, error) {
	path, err := a.ui.SaveFile("Save a copy as", documents.FileName(doc, documents.FormatJSON))
	if err != nil || path == "" {
		return "", err
	}
	return path, documents.ExportFile(path, doc)
}

// ImportDocument asks for a .txt, .md or .json file and adds it to the
// library as a new document, which it opens. A zero Document (no id) means
// the user cancelled.
func (a *App) ImportDocument() (documents.Document, error) {
	path, err := a.ui.OpenFile("Import a document")
	if err != nil || path == "" {
		return documents.Document{}, err
	}
	doc, err := documents.ImportFile(path)
	if err != nil {
		return documents.Document{}, err
	}
	return a.api.SaveDocumentAsCopy(doc)
}

// --- both doors: delegations to surface.API ---

// StartupProblems lists what failed at start, for the page to show.
func (a *App) StartupProblems() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append(append([]string(nil), a.problems...), a.api.StartupProblems()...)
}

func (a *App) Version() string { return a.api.Version() }
func (a *App) FrontendReady() {
	a.handover.Loading(false) // its close hand-over is installed
	a.api.FrontendReady()
}

func (a *App) ProxyStatus() (llproxy.Status, error)   { return a.api.ProxyStatus() }
func (a *App) ProxyLogs() ([]llproxy.LogEntry, error) { return a.api.ProxyLogs() }
func (a *App) RescanModels()                          { a.api.RescanModels() }

func (a *App) AssistModels() ([]assist.ModelInfo, error)   { return a.api.AssistModels() }
func (a *App) AssistSettings() (assist.AllSettings, error) { return a.api.AssistSettings() }
func (a *App) AssistSetModelSettings(name string, s assist.ModelSettings) error {
	return a.api.AssistSetModelSettings(name, s)
}
func (a *App) AssistSuggest(req assist.SuggestRequest) (string, error) {
	return a.api.AssistSuggest(req)
}
func (a *App) AssistRegenerate(req assist.ContinueRequest) (string, error) {
	return a.api.AssistRegenerate(req)
}
func (a *App) AssistPreview(req assist.SuggestRequest) ([]assist.PromptPreview, error) {
	return a.api.AssistPreview(req)
}
func (a *App) AssistCancel(round string)     { a.api.AssistCancel(round) }
func (a *App) AssistCancelAll(client string) { a.api.AssistCancelAll(client) }

func (a *App) StartDocument() (documents.Document, error) { return a.api.StartDocument() }
func (a *App) DocumentChanged(doc documents.Document) (int64, error) {
	return a.api.DocumentChanged(doc)
}
func (a *App) DocumentPatched(p documents.Patch) (int64, error) { return a.api.DocumentPatched(p) }
func (a *App) SaveDocument(doc documents.Document) (documents.Meta, error) {
	return a.api.SaveDocument(doc)
}
func (a *App) SaveDocumentAsCopy(doc documents.Document) (documents.Document, error) {
	return a.api.SaveDocumentAsCopy(doc)
}
func (a *App) OpenDocument(id string) (documents.Document, error) { return a.api.OpenDocument(id) }
func (a *App) NewDocument() (documents.Document, error)           { return a.api.NewDocument() }
func (a *App) ListDocuments() (documents.Listing, error)          { return a.api.ListDocuments() }
func (a *App) ListTrash() (documents.Listing, error)              { return a.api.ListTrash() }
func (a *App) RenameDocument(id, name string) (documents.Meta, error) {
	return a.api.RenameDocument(id, name)
}
func (a *App) DuplicateDocument(id string) (documents.Document, error) {
	return a.api.DuplicateDocument(id)
}
func (a *App) DeleteDocument(id string) error                    { return a.api.DeleteDocument(id) }
func (a *App) RestoreDocument(id string) (documents.Meta, error) { return a.api.RestoreDocument(id) }
func (a *App) DocumentHistory(id string) ([]documents.Snapshot, error) {
	return a.api.DocumentHistory(id)
}
func (a *App) RestoreVersion(id, snapshotID string) (documents.Document, error) {
	return a.api.RestoreVersion(id, snapshotID)
}
func (a *App) ExportDocumentData(doc documents.Document, format string) (documents.ExportedFile, error) {
	return a.api.ExportDocumentData(doc, format)
}
func (a *App) ImportDocumentData(name, content string) (documents.Document, error) {
	return a.api.ImportDocumentData(name, content)
}
