package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
)

// ErrCrossOrigin: a browser sent a state-changing request from another
// origin (HTTP 403).
var ErrCrossOrigin = errors.New("cross-origin request refused")

// Settings are the live rules, taken from the config. Guard.Set swaps them.
type Settings struct {
	// Bind is the configured bind address ("" means 127.0.0.1).
	Bind string
	// Port is the listen port; it names the session cookie, so two
	// servers on one machine keep their logins apart.
	Port int
	// AllowedHosts are extra Host names (the config's allowed_hosts).
	AllowedHosts []string
	// Keys are the accepted keys; none means no key is required.
	Keys []string
	// TLS is true when the port serves HTTPS: cookies are then Secure.
	TLS bool
}

// Options configure a Guard.
type Options struct {
	// Sessions is the session store. Nil means a private one; share one
	// store between Guards so one login serves them all.
	Sessions *Sessions
	// LoginPath is where Login is served and the login form posts to.
	// Empty means "/login".
	LoginPath string
	// Title names the server on the login page. Empty means "LLProxy".
	Title string
	// KeyHint says on the login page which keys are accepted. Empty means
	// "one of the config's api_keys".
	KeyHint string
	// OnError writes a refusal. Nil means WriteError.
	OnError func(w http.ResponseWriter, r *http.Request, err error)
}

// Guard applies the rules of one Settings to requests. Safe for
// concurrent use.
type Guard struct {
	opts     Options
	sessions *Sessions
	origins  *http.CrossOriginProtection
	wrong    *attempts
	// policy is written by Set and read once per check by atomic load.
	policy atomic.Pointer[policy]
}

// policy is what a Settings means, derived once per Set.
type policy struct {
	hosts  *HostRule
	keys   Keys
	tls    bool
	cookie string
}

// New builds a Guard with the rules of s.
func New(opts Options, s Settings) *Guard {
	if opts.Sessions == nil {
		opts.Sessions = NewSessions()
	}
	if opts.LoginPath == "" {
		opts.LoginPath = "/login"
	}
	if opts.Title == "" {
		opts.Title = "LLProxy"
	}
	if opts.KeyHint == "" {
		opts.KeyHint = "one of the config's api_keys"
	}
	if opts.OnError == nil {
		opts.OnError = WriteError
	}
	g := &Guard{opts: opts, sessions: opts.Sessions, origins: http.NewCrossOriginProtection(), wrong: newAttempts()}
	g.Set(s)
	return g
}

// Set applies s to the requests checked from now on.
func (g *Guard) Set(s Settings) {
	name := "llproxy_session_" + strconv.Itoa(s.Port)
	if s.TLS {
		name = "__Host-" + name
	}
	g.policy.Store(&policy{
		hosts:  NewHostRule(s.Bind, s.AllowedHosts),
		keys:   NewKeys(s.Keys...),
		tls:    s.TLS,
		cookie: name,
	})
}

// Sessions is the guard's session store.
func (g *Guard) Sessions() *Sessions { return g.sessions }

// KeyRequired reports whether requests need a key (or a session).
func (g *Guard) KeyRequired() bool { return !g.policy.Load().keys.Empty() }

// CheckHost returns nil when r's Host names this server, else an error
// matching ErrMisdirected.
func (g *Guard) CheckHost(r *http.Request) error { return g.policy.Load().hosts.Check(r.Host) }

// Authenticate checks r's key: none needed, a key in the headers (see
// RequestKey), or a session cookie opened with a key that is still
// accepted. It returns the session when a cookie was used (zero
// otherwise), or an error matching ErrUnauthorized, or ErrTooManyAttempts
// when r's address sent too many wrong keys lately.
func (g *Guard) Authenticate(r *http.Request) (Session, error) {
	p := g.policy.Load()
	if p.keys.Empty() {
		return Session{}, nil
	}
	if sess, ok := g.session(p, r); ok {
		return sess, nil
	}
	key := RequestKey(r.Header)
	if key == "" {
		return Session{}, errUnauthorized
	}
	addr := clientAddr(r)
	if wait, blocked := g.wrong.blocked(addr); blocked {
		return Session{}, tooMany(wait)
	}
	if p.keys.Match(key) {
		return Session{}, nil
	}
	g.wrong.fail(addr)
	return Session{}, errUnauthorized
}

var errUnauthorized = fmt.Errorf("%w: send it as \"Authorization: Bearer KEY\" or \"x-api-key: KEY\", "+
	"or log in with it in a browser", ErrUnauthorized)

// Session returns r's live session, if its cookie names one that a key
// accepted now opened.
func (g *Guard) Session(r *http.Request) (Session, bool) { return g.session(g.policy.Load(), r) }

func (g *Guard) session(p *policy, r *http.Request) (Session, bool) {
	c, err := r.Cookie(p.cookie)
	if err != nil {
		return Session{}, false
	}
	sess, ok := g.sessions.lookup(c.Value)
	if !ok || !p.keys.has(sess.key) {
		return Session{}, false
	}
	return sess, true
}

// CheckSameOrigin returns nil for safe methods (GET, HEAD, OPTIONS), for
// non-browser requests, and for same-origin browser requests; else an
// error matching ErrCrossOrigin.
func (g *Guard) CheckSameOrigin(r *http.Request) error {
	if err := g.origins.Check(r); err != nil {
		return fmt.Errorf("%w: %s %s from origin %q (only pages of this server may change things here)",
			ErrCrossOrigin, r.Method, r.URL.Path, r.Header.Get("Origin"))
	}
	return nil
}

// Protect serves h only to requests that pass CheckHost, Authenticate and
// CheckSameOrigin. A browser (Accept: text/html) without a valid key gets
// the login page instead of an error.
func (g *Guard) Protect(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := g.CheckHost(r); err != nil {
			g.opts.OnError(w, r, err)
			return
		}
		if _, err := g.Authenticate(r); err != nil {
			if wantsHTML(r) {
				g.LoginPage(w, r, http.StatusUnauthorized, "")
				return
			}
			g.opts.OnError(w, r, err)
			return
		}
		if err := g.CheckSameOrigin(r); err != nil {
			g.opts.OnError(w, r, err)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Status is the HTTP status for an error of this package: 421, 401, 403
// or 429; 500 for anything else.
func Status(err error) int {
	switch {
	case errors.Is(err, ErrMisdirected):
		return http.StatusMisdirectedRequest
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, ErrCrossOrigin):
		return http.StatusForbidden
	case errors.Is(err, ErrTooManyAttempts):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// Code is the machine-readable code for an error of this package
// ("misdirected_request", "invalid_api_key", "cross_origin",
// "too_many_attempts"); "" for anything else.
func Code(err error) string {
	switch {
	case errors.Is(err, ErrMisdirected):
		return "misdirected_request"
	case errors.Is(err, ErrUnauthorized):
		return "invalid_api_key"
	case errors.Is(err, ErrCrossOrigin):
		return "cross_origin"
	case errors.Is(err, ErrTooManyAttempts):
		return "too_many_attempts"
	}
	return ""
}

// WriteError writes err in OpenAI's error shape
// {"error":{"message","type","code"}} with Status(err).
func WriteError(w http.ResponseWriter, _ *http.Request, err error) {
	status := Status(err)
	typ := "invalid_request_error"
	if status >= 500 {
		typ = "server_error"
	}
	body := map[string]map[string]any{"error": {"message": err.Error(), "type": typ, "code": Code(err)}}
	b, _ := json.Marshal(body) // plain strings always marshal
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
