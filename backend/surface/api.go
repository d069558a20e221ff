package surface

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"fragmenteditor/backend/assist"
	"fragmenteditor/backend/documents"
	"fragmenteditor/backend/llproxy"
)

// Event names the page listens to (besides assist.EventBatch).
const (
	EventProxy        = "proxy:event"          // llproxy.Event
	EventDocSaved     = "documents:saved"      // documents.Meta
	EventDocSaveError = "documents:save-error" // SaveError
)

// SaveError is the payload of EventDocSaveError.
type SaveError struct {
	ID      string `json:"id"`
	Message string `json:"message"`
	// Code is the error's code (see Code), e.g. "stale_revision".
	Code string `json:"code"`
}

// ErrUnavailable is returned by methods whose service failed to start.
var ErrUnavailable = errors.New("not available: see the start-up problems")

// Options configure an API.
type Options struct {
	// Version is the build's version.
	Version string
	// ProxyConfigPath is LLProxy's config file. Required.
	ProxyConfigPath string
	// CreateDefaultConfig writes the default config when it is missing
	// (the desktop app's first run).
	CreateDefaultConfig bool
	// SettingsDir holds the suggestion settings (assist.json).
	SettingsDir string
	// DocumentsDir is the document library.
	DocumentsDir string
	// ReadAheadStart reads the start document while the page loads (the
	// window, whose one page asks for it at once; see
	// documents.Session.ReadAhead).
	ReadAheadStart bool
	// Logger receives every record. Nil means slog.Default().
	Logger *slog.Logger
}

// API is the one implementation of the methods both doors serve. Its
// methods are safe for concurrent use. Build it with New, then Start.
type API struct {
	version string
	log     *slog.Logger
	hub     hub

	// Set in New, never changed after; nil when the service failed.
	proxy  *llproxy.Service
	assist *assist.Service
	docs   *documents.Session

	mu       sync.Mutex // guards problems and ctx
	problems []string
	ctx      context.Context // Start's: the proxy's life (also for a later start)
}

// New builds the services; nothing listens before Start. A service that
// cannot be built is a start-up problem, not an error.
func New(opts Options) *API {
	a := &API{version: opts.Version, log: opts.Logger, ctx: context.Background()}
	if a.log == nil {
		a.log = slog.Default()
	}
	proxy, err := llproxy.New(llproxy.Options{
		ConfigPath:    opts.ProxyConfigPath,
		CreateDefault: opts.CreateDefaultConfig,
		Logger:        a.log,
		Version:       opts.Version,
	})
	if err != nil {
		a.problem("the proxy cannot start", err)
	} else {
		a.proxy = proxy
		proxy.Subscribe(func(e llproxy.Event) { a.hub.emit(EventProxy, e) })
		a.startAssist(opts.SettingsDir)
	}
	docs, err := documents.OpenSession(opts.DocumentsDir, 0, a.saved)
	if err != nil {
		a.problem("documents cannot be opened", err)
	} else {
		a.docs = docs
		if opts.ReadAheadStart {
			docs.ReadAhead()
		}
	}
	return a
}

// startAssist runs suggestions through the app's own proxy, the same path
// external clients take.
func (a *API) startAssist(settingsDir string) {
	svc, err := assist.New(assist.Options{
		Endpoint:    a.proxy.ClientEndpoint,
		SettingsDir: settingsDir,
		Models:      a.proxy.Models,
		Emit:        func(name string, payload any) { a.hub.emit(name, payload) },
		Logger:      a.log,
	})
	if err != nil {
		a.problem("AI assistance cannot start", err)
		return
	}
	a.assist = svc
}

// saved reports an autosave to the page.
func (a *API) saved(r documents.SaveResult) {
	if r.Err != nil {
		a.hub.emit(EventDocSaveError, SaveError{ID: r.ID, Message: r.Err.Error(), Code: Code(r.Err)})
		return
	}
	a.hub.emit(EventDocSaved, r.Meta)
}

// Start starts the proxy on ctx (it runs until ctx ends or Close). The
// rest of the API works without it; the caller reports the error (the
// desktop app as a start-up problem, llproxy on exit).
func (a *API) Start(ctx context.Context) error {
	a.mu.Lock()
	a.ctx = ctx
	a.mu.Unlock()
	if a.proxy == nil {
		return ErrUnavailable
	}
	return a.proxy.Start(ctx)
}

// Close saves what is pending and stops the services; ctx bounds the
// proxy's graceful stop.
func (a *API) Close(ctx context.Context) error {
	var errs []error
	if a.docs != nil {
		if err := a.docs.Close(); err != nil {
			errs = append(errs, fmt.Errorf("saving on quit: %w", err))
		}
	}
	if a.assist != nil {
		a.assist.Close()
	}
	if a.proxy != nil {
		if err := a.proxy.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stopping the proxy: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Subscribe calls fn with every event (name, arguments) until the
// returned function is called. fn runs on the emitting goroutine and must
// not block.
func (a *API) Subscribe(fn func(name string, args []any)) (unsubscribe func()) {
	return a.hub.subscribe(fn)
}

// Subscribers is how many subscribers listen now (tests check that a
// closed event stream unsubscribed).
func (a *API) Subscribers() int { return a.hub.count() }

// Emit sends an event to every subscriber (the desktop app's own events).
func (a *API) Emit(name string, args ...any) { a.hub.emit(name, args...) }

// Proxy is the LLProxy service (nil when it could not be built).
func (a *API) Proxy() *llproxy.Service { return a.proxy }

// Documents is the documents session (nil when it could not be opened).
func (a *API) Documents() *documents.Session { return a.docs }

func (a *API) problem(what string, err error) {
	a.log.Error(what, "err", err)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.problems = append(a.problems, fmt.Sprintf("%s: %v", what, err))
}

// startCtx is the context Start was given.
func (a *API) startCtx() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ctx
}

// with calls f on a service, or fails with ErrUnavailable when it did not
// start: the one nil check of every method.
func with[S any, T any](svc *S, f func(*S) (T, error)) (T, error) {
	if svc == nil {
		var zero T
		return zero, ErrUnavailable
	}
	return f(svc)
}

// do is with for methods without a result.
func do[S any](svc *S, f func(*S) error) error {
	if svc == nil {
		return ErrUnavailable
	}
	return f(svc)
}

// fine wraps a method that cannot fail for with.
func fine[S any, T any](f func(*S) T) func(*S) (T, error) {
	return func(s *S) (T, error) { return f(s), nil }
}
