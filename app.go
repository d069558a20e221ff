package main

import (
	"context"
	"log/slog"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"fragmenteditor/backend/paths"
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

	mu       sync.Mutex // guards quitting
	quitting bool
}

// ui is what the backend wiring needs from the Wails runtime.
type ui interface {
	Emit(event string, data any)
	Show()
	Quit()
}

// wailsUI calls the Wails runtime with Wails' startup context, the only
// context those calls accept.
type wailsUI struct{ ctx context.Context }

func (w wailsUI) Emit(event string, data any) { runtime.EventsEmit(w.ctx, event, data) }
func (w wailsUI) Show() {
	runtime.WindowUnminimise(w.ctx)
	runtime.WindowShow(w.ctx)
}
func (w wailsUI) Quit() { runtime.Quit(w.ctx) }

// NewApp builds the adapter; services start in startup.
func NewApp(version string, dirs paths.Dirs, log *slog.Logger) *App {
	return &App{version: version, dirs: dirs, log: log}
}

func (a *App) startup(wailsCtx context.Context) {
	a.ui = wailsUI{ctx: wailsCtx}
	a.ctx, a.cancel = context.WithCancel(context.Background())
}

func (a *App) domReady(context.Context) {}

// beforeClose runs on the window's close button and on runtime.Quit.
func (a *App) beforeClose(context.Context) (prevent bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.quitting = true
	return false
}

func (a *App) shutdown(context.Context) {
	if a.cancel != nil {
		a.cancel()
	}
}

// secondInstance runs when the app is launched again: show this window.
func (a *App) secondInstance(options.SecondInstanceData) {
	if a.ui != nil {
		a.ui.Show()
	}
}

// Version is the build's version, for the About box.
func (a *App) Version() string { return a.version }

// Quit closes the app (Ctrl+Q in the page).
func (a *App) Quit() { a.ui.Quit() }

// FrontendReady is called by the page once it has mounted; desktop tests
// wait for the log line it writes.
func (a *App) FrontendReady() { a.log.Info("frontend ready") }
