// Package statuspage renders LLProxy's /status page: every model with its
// replicas (address, how each is reached, requests in flight) and tags,
// every endpoint with the last discovery run's outcome, and a Rescan
// button. The page is server-rendered with html/template, styled by
// package pagestyle, needs no JavaScript and reloads itself every
// RefreshSeconds. What it shows comes in a View, which the caller builds
// from its own state; who may see it is the caller's affair (LLProxy
// mounts it behind access.Guard, like /v1).
package statuspage

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"

	"fragmenteditor/backend/pagestyle"
)

// RefreshSeconds is how often an open page reloads itself.
const RefreshSeconds = 5

// View is everything the page shows.
type View struct {
	Version, Instance string
	// ListenAddr is the bound "host:port"; BaseURL the /v1 base URL.
	ListenAddr, BaseURL string
	// Now is the time the page is rendered at (for "12 s ago").
	Now time.Time
	// Warning (exposed without keys) and Error (the last config failure;
	// the previous config keeps running) are shown on top when set.
	Warning, Error string
	Models         []Model
	Endpoints      []Endpoint
	// LastRun is when the last discovery run started (zero: none yet),
	// LastDuration how long it took; NextRun when the next one is due.
	LastRun      time.Time
	LastDuration time.Duration
	NextRun      time.Time
	// RescanPath is where the Rescan form posts. LogoutPath, when set,
	// shows a Log out button (the viewer has a session).
	RescanPath, LogoutPath string
}

// Model is one routable model.
type Model struct {
	Name, ID string
	Tags     []string
	Replicas []Replica
}

// InFlight is the sum over the replicas.
func (m Model) InFlight() int64 {
	var n int64
	for _, r := range m.Replicas {
		n += r.InFlight
	}
	return n
}

// Replica is one backend serving a model.
type Replica struct {
	// Addr is "host:port", or a base URL for a fixed-URL endpoint.
	Addr string
	// Via is how it is reached: "direct", or "ssh://user@host".
	Via      string
	InFlight int64
}

// Endpoint is one configured endpoint and what the last run found there.
type Endpoint struct {
	Label, Target string
	// Via is "ssh://user@host" for an SSH endpoint, "" for a direct one;
	// Tunnel says whether its traffic goes through that connection.
	Via                                     string
	Tunnel                                  bool
	Skipped                                 bool
	Probed, Answered, Refused, Kept, Models int
	// SSHError is why the SSH login or port listing failed; Errors are
	// the run's other failures ("host:port: reason").
	SSHError string
	Errors   []string
	Ports    []int
	Duration time.Duration
}

//go:embed status.html
var pageHTML string

var page = template.Must(template.New("status").Funcs(template.FuncMap{
	"ago":      ago,
	"until":    until,
	"duration": formatDuration,
	"clock":    func(t time.Time) string { return t.Format("15:04:05") },
	"iso":      func(t time.Time) string { return t.Format(time.RFC3339) },
	"plural":   plural,
	"ports":    formatPorts,
}).Parse(pageHTML))

type pageData struct {
	View
	CSS     template.CSS
	Refresh int
	Totals  totals
}

type totals struct{ Models, Replicas, InFlight, Answering, Failing int }

func count(v View) totals {
	t := totals{Models: len(v.Models)}
	for _, m := range v.Models {
		t.Replicas += len(m.Replicas)
		t.InFlight += int(m.InFlight())
	}
	for _, e := range v.Endpoints {
		if !e.Skipped && (e.Answered > 0 || e.Kept > 0) {
			t.Answering++
		}
		if e.SSHError != "" || len(e.Errors) > 0 {
			t.Failing++
		}
	}
	return t
}

// Render writes the page for v.
func Render(w io.Writer, v View) error {
	return page.Execute(w, pageData{View: v, CSS: pagestyle.CSS, Refresh: RefreshSeconds, Totals: count(v)})
}

// Serve writes the page as an HTTP response: no caching, no framing, no
// scripts.
func Serve(w http.ResponseWriter, r *http.Request, v View) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	if r.Method == http.MethodHead {
		return
	}
	_ = Render(w, v) // a write error means the client left
}

func ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < time.Second {
		return "just now"
	}
	return formatDuration(d.Truncate(time.Second)) + " ago"
}

func until(t, now time.Time) string {
	d := t.Sub(now)
	if d < time.Second {
		return "now"
	}
	return "in " + formatDuration(d.Truncate(time.Second))
}

// formatDuration writes d the way the proxy panel does: "183 ms",
// "2.0 s", "4 min 5 s", "2 h 3 min".
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func formatPorts(ports []int) string {
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, ", ")
}
