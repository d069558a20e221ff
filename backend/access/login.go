package access

import (
	_ "embed"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fragmenteditor/backend/pagestyle"
)

//go:embed login.html
var loginHTML string

var loginPage = template.Must(template.New("login").Parse(loginHTML))

// maxLoginBody bounds the login form.
const maxLoginBody = 16 << 10

type loginData struct {
	Title   string
	KeyHint string
	CSS     template.CSS
	Action  string
	Next    string
	Error   string
	Plain   bool
}

// Login serves Options.LoginPath: GET shows the form, POST checks the
// key and, when it is accepted, opens a session, sets its cookie and
// redirects (303) to the form's "next" path. POST /LoginPath?logout ends
// the session. Host and same-origin checks apply to both.
func (g *Guard) Login(w http.ResponseWriter, r *http.Request) {
	if err := g.CheckHost(r); err != nil {
		g.opts.OnError(w, r, err)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if !g.KeyRequired() { // nothing to log in to
			http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
			return
		}
		g.LoginPage(w, r, http.StatusOK, "")
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := g.CheckSameOrigin(r); err != nil {
		g.opts.OnError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		g.LoginPage(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	p := g.policy.Load()
	if r.URL.Query().Has("logout") {
		if c, err := r.Cookie(p.cookie); err == nil {
			g.sessions.close(c.Value)
		}
		http.SetCookie(w, g.cookie(p, "", -1))
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if p.keys.Empty() {
		http.Redirect(w, r, next, http.StatusSeeOther) // nothing to log in to
		return
	}
	addr := clientAddr(r)
	if wait, blocked := g.wrong.blocked(addr); blocked {
		g.renderLogin(w, r, http.StatusTooManyRequests, "Too many wrong keys from this address: "+
			"try again in "+strconv.Itoa(max(int(wait.Round(time.Second)/time.Second), 1))+" s.", next)
		return
	}
	if !p.keys.Match(key) {
		if key != "" {
			g.wrong.fail(addr)
		}
		g.renderLogin(w, r, http.StatusUnauthorized, "That key is not accepted here.", next)
		return
	}
	sess := g.sessions.open(hashKey(key))
	http.SetCookie(w, g.cookie(p, sess.ID, int(SessionTTL.Seconds())))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// LoginPage writes the login form with status, for a browser that asked
// for r without a valid key; after logging in it comes back to r's path
// (or, for a form post, to the page it was posted from). msg, if set, is
// shown as an error.
func (g *Guard) LoginPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	next := r.URL.RequestURI()
	if r.URL.Path == g.opts.LoginPath {
		next = r.URL.Query().Get("next")
	} else if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next = sameHostReferer(r)
	}
	g.renderLogin(w, r, status, msg, safeNext(next))
}

func (g *Guard) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg, next string) {
	p := g.policy.Load()
	data := loginData{
		Title:   g.opts.Title,
		KeyHint: g.opts.KeyHint,
		CSS:     pagestyle.CSS,
		Action:  g.opts.LoginPath,
		Next:    next,
		Error:   msg,
		Plain:   !p.tls && !isLoopbackName(canonicalHost(hostOnly(r.Host))),
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_ = loginPage.Execute(w, data) // a write error means the client left
}

// cookie is the session cookie carrying id; maxAge < 0 deletes it.
func (g *Guard) cookie(p *policy, id string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     p.cookie,
		Value:    id,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   p.tls,
		SameSite: http.SameSiteStrictMode,
	}
}

// safeNext keeps a redirect target on this server: a path starting with a
// single "/" (no "//host", no "/\host", no scheme); anything else is "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.ContainsAny(next, "\r\n\t") {
		return "/"
	}
	return next
}

// sameHostReferer is the path of r's Referer when it is a page of this
// host; "/" otherwise.
func sameHostReferer(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || !strings.EqualFold(u.Host, r.Host) {
		return "/"
	}
	return u.RequestURI()
}

// wantsHTML reports whether r comes from a browser navigating to a page.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// IsLoopbackBind reports whether bind ("" means 127.0.0.1) only listens on
// loopback, the one case where an unauthenticated server is reachable from
// this machine only.
func IsLoopbackBind(bind string) bool {
	bind = strings.Trim(bind, "[]")
	if bind == "" || strings.EqualFold(bind, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(bind)
	if err != nil {
		ips, err := net.LookupIP(bind)
		if err != nil || len(ips) == 0 {
			return false
		}
		for _, ip := range ips {
			if !ip.IsLoopback() {
				return false
			}
		}
		return true
	}
	return ip.Unmap().IsLoopback()
}
