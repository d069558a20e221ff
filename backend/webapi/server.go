package webapi

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
	"fragmenteditor/backend/surface"
)

// Paths of the HTTP door.
const (
	SessionPath = "/api/session"
	EventsPath  = "/api/events"
	CallPrefix  = "/api/call/"
	LoginPath   = "/login"
)

// CSRFHeader carries /api/session's csrf token on POST /api/call.
const CSRFHeader = "X-CSRF-Token"

// DefaultHeartbeat is how often an idle event stream gets a comment.
const DefaultHeartbeat = 15 * time.Second

// Options configure a Server.
type Options struct {
	// API is the surface served. Required.
	API *surface.API
	// Sessions keeps browser logins; share the proxy's
	// (llproxy.Service.Sessions) so one login serves the port. Nil means
	// a store of its own.
	Sessions *access.Sessions
	// EditorKey is accepted besides api_keys when the editor is exposed
	// (see EditorKey). Empty means only api_keys.
	EditorKey string
	// Assets is the page's production build (index.html at its root); nil
	// means this binary has no editor page (the API is still served).
	Assets fs.FS
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// Heartbeat is how often an idle event stream gets a comment. Zero
	// means DefaultHeartbeat.
	Heartbeat time.Duration
}

// Server serves the editor and its API. Build it with New, give it the
// proxy's config with SetConfig (again on every change), and serve it as
// the proxy's site (llproxy.Service.SetSite). Safe for concurrent use.
type Server struct {
	api *surface.API
	log *slog.Logger
	// guard decides who may use the editor: nobody needs a key on
	// loopback. login serves /login for the whole port (the editor and
	// /status): it accepts api_keys and the editor key wherever the port
	// listens, so a login for /status works on loopback too. Both share
	// one session store.
	guard     *access.Guard
	login     *access.Guard
	calls     map[string]call
	editorKey string
	assets    http.Handler // nil: no editor page in this binary
	heartbeat time.Duration
	// csrf is the token of a loopback editor, where there are no sessions.
	csrf string

	// rules is what the config in force means here; replaced whole.
	rules atomic.Pointer[rules]

	done      chan struct{} // closed by Close: event streams end
	closeOnce sync.Once
}

// rules are derived from a config by SetConfig.
type rules struct {
	exposed bool
	maxBody int64
}

// New builds a Server for a loopback config until SetConfig says otherwise.
func New(opts Options) *Server {
	s := &Server{
		api:       opts.API,
		log:       opts.Logger,
		calls:     callTable(opts.API),
		editorKey: opts.EditorKey,
		heartbeat: opts.Heartbeat,
		csrf:      randomToken(),
		done:      make(chan struct{}),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("component", "webapi")
	if s.heartbeat <= 0 {
		s.heartbeat = DefaultHeartbeat
	}
	if opts.Assets != nil {
		s.assets = staticFiles(opts.Assets)
	}
	if opts.Sessions == nil {
		opts.Sessions = access.NewSessions()
	}
	guardOpts := access.Options{
		Sessions:  opts.Sessions,
		LoginPath: LoginPath,
		Title:     "LLProxy",
		KeyHint:   "one of the config's api_keys, or the editor key (printed by llproxy at start, shown in the desktop app's proxy panel)",
		OnError:   func(w http.ResponseWriter, _ *http.Request, err error) { writeError(w, accessError(err)) },
	}
	s.guard = access.New(guardOpts, access.Settings{})
	s.login = access.New(guardOpts, access.Settings{})
	s.SetConfig(config.Defaults())
	return s
}

// SetConfig applies the proxy's config: bind address and allowed hosts
// (Host check), exposure (keys), TLS (Secure cookies), the body limit.
// nil means config.Defaults().
func (s *Server) SetConfig(cfg *config.Config) {
	if cfg == nil {
		cfg = config.Defaults()
	}
	r := &rules{exposed: !access.IsLoopbackBind(cfg.Host), maxBody: cfg.MaxBodyBytes}
	all := append(slices.Clone(cfg.APIKeys), s.editorKey)
	set := access.Settings{Bind: cfg.Host, Port: cfg.Port, AllowedHosts: cfg.AllowedHosts, Keys: all, TLS: cfg.TLSCert != ""}
	s.login.Set(set)
	if !r.exposed {
		set.Keys = nil
	}
	s.guard.Set(set)
	s.rules.Store(r)
}

// Close ends the open event streams (before the proxy's graceful stop,
// which waits for open requests).
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.done) }) }

// ServeHTTP routes the door's paths.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case path == LoginPath:
		s.login.Login(w, r)
	case strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r)
	default:
		s.guard.Protect(http.HandlerFunc(s.serveFile)).ServeHTTP(w, r)
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if err := s.guard.CheckHost(r); err != nil {
		writeError(w, accessError(err))
		return
	}
	path := r.URL.Path
	switch {
	case path == SessionPath:
		s.session(w, r)
	case path == EventsPath:
		s.events(w, r)
	case strings.HasPrefix(path, CallPrefix):
		s.call(w, r, strings.TrimPrefix(path, CallPrefix))
	default:
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "no API at %s", path))
	}
}

// sessionInfo is GET /api/session's answer.
type sessionInfo struct {
	Transport string `json:"transport"`
	// Exposed: the port reaches beyond this machine, so a key is required.
	Exposed  bool   `json:"exposed"`
	LoggedIn bool   `json:"loggedIn"`
	CSRF     string `json:"csrf"`
	Version  string `json:"version"`
	// Editor: this binary serves the editor page.
	Editor bool `json:"editor"`
	// DesktopOnly lists the page's methods this door does not serve.
	DesktopOnly []string `json:"desktopOnly"`
	// LoginPath is where a browser logs in.
	LoginPath string `json:"loginPath"`
}

func (s *Server) session(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, methodNotAllowed("GET"))
		return
	}
	info := sessionInfo{
		Transport: "http", Exposed: s.rules.Load().exposed, Version: s.api.Version(),
		Editor: s.assets != nil, DesktopOnly: desktopOnly(), LoginPath: LoginPath,
	}
	if sess, err := s.guard.Authenticate(r); err == nil {
		info.LoggedIn = true
		switch {
		case sess.ID != "":
			info.CSRF = sess.CSRF
		case !s.guard.KeyRequired():
			info.CSRF = s.csrf
		}
	}
	writeJSON(w, http.StatusOK, info)
}

func desktopOnly() []string {
	out := []string{}
	for _, m := range surface.Methods {
		if m.Door != surface.Both {
			out = append(out, m.Name)
		}
	}
	return out
}

// checkWrite lets a state-changing request through when it carries this
// server's CSRF token, or else when it is same-origin (or not from a
// browser at all: a script with a key).
func (s *Server) checkWrite(r *http.Request, sess access.Session) error {
	if token := r.Header.Get(CSRFHeader); token != "" {
		if sess.ID != "" && sess.CheckCSRF(token) {
			return nil
		}
		if !s.guard.KeyRequired() && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) == 1 {
			return nil
		}
		return errorf(http.StatusForbidden, codeCSRF, "the %s header does not match this session's token (read it again from %s)", CSRFHeader, SessionPath)
	}
	if err := s.guard.CheckSameOrigin(r); err != nil {
		return accessError(err)
	}
	return nil
}

func randomToken() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b[:])
}
