// Package access decides who may use LLProxy's port: which Host names it
// answers to, which keys it accepts, how a browser logs in, and which
// state-changing requests count as same-origin. It owns these decisions
// and the login page; what a refusal looks like on the wire (OpenAI's
// error shape for the proxy) is left to the caller, which maps this
// package's sentinels.
//
// # Host names (DNS rebinding)
//
// A web page can point a name it controls at 127.0.0.1 and then talk to a
// local server as if it were its own origin. Checking the Host header closes
// that: a request is served only when its Host (port ignored) names this
// server. [HostRule.Allowed] accepts:
//
//   - the bind address itself (an IP or a host name);
//   - localhost, 127.0.0.1 and [::1] (any port) when the bind address is a
//     loopback one (or a name that resolves only to loopback addresses);
//   - when bound to a wildcard (0.0.0.0, ::), the machine's own interface
//     addresses (read again when an unknown IP literal arrives, at most once
//     per second) and its host name as the system reports it, plus the
//     loopback names (a longer name such as a tailnet's goes in
//     allowed_hosts);
//   - every entry of allowed_hosts: an exact host name or IP, ".example.com"
//     for that domain and its subdomains, or "*" for any host (which turns
//     the protection off; for use behind a reverse proxy that checks Host).
//
// A request without a Host (HTTP/1.0) is allowed: browsers always send one.
// Anything else fails with an error matching [ErrMisdirected] (HTTP 421)
// whose message names the host and says how to allow it.
//
// # Keys
//
// [Keys] is a set of accepted keys, compared in constant time against their
// SHA-256 hashes. [RequestKey] reads a key from "Authorization: Bearer KEY"
// or "x-api-key: KEY". An empty set means no key is required. Guessing is
// slowed down: after [MaxWrongKeys] wrong keys from one address within
// [WrongKeyWindow] (headers and the login form alike; a request without a
// key does not count), that address gets [ErrTooManyAttempts] (HTTP 429)
// for every key until the window ends.
//
// # Browser sessions
//
// A person cannot add a header to a browser tab, so [Guard.Login] serves a
// small login page: its form posts the key, and a correct key becomes a
// session cookie (HttpOnly, SameSite=Strict, Path=/, Secure and named with
// the "__Host-" prefix under TLS). The cookie holds only a random session
// id; the [Sessions] store keeps, per id, the hash of the key that opened
// it, so removing a key from the config ends its sessions at once. Sessions
// live in memory for [SessionTTL] (a restart means logging in again); a
// store is shared by several Guards (Options.Sessions) so that one login
// serves every part of the port. Each session carries a CSRF token
// ([Session.CSRF]) for pages that prefer a form token to the Origin check.
//
// # Same origin
//
// [Guard.CheckSameOrigin] refuses a state-changing request (anything but
// GET, HEAD, OPTIONS) that a browser sent from another origin: by
// Sec-Fetch-Site, else by comparing Origin with Host (net/http's
// CrossOriginProtection). Requests from non-browser clients (no Origin, no
// Sec-Fetch-Site) pass; they cannot carry a victim's cookie. Refusals match
// [ErrCrossOrigin] (HTTP 403).
//
// # Using it
//
// Build one [Guard] per set of rules with [New], give it the live settings
// with [Guard.Set] (swapped atomically; in-flight requests keep what they
// read), and per request call [Guard.CheckHost], then [Guard.Authenticate]
// (a header key or the session cookie), then, for writes,
// [Guard.CheckSameOrigin]. [Guard.Protect] does all three for a plain
// http.Handler and shows the login page to a browser that is not logged in.
// A second Guard with other keys (the editor's generated editor_key next
// to api_keys) shares the Sessions store: a session opened with a key the
// second Guard does not accept is simply not valid there.
//
// In LLProxy, backend/proxy owns the port's Guard (built from the config:
// host, port, allowed_hosts, api_keys, TLS; updated by SetConfig). Its
// Server.Guard returns it, Server.Mount serves a handler behind it (as
// /status is), and Options.Sessions lets another Guard share its logins.
// The login form is served at /login. A page with other keys (the
// editor's generated editor_key next to api_keys) gets its own Guard
// sharing s.Guard().Sessions(), served with Server.MountWith, and its own
// login form with Server.MountLogin at that Guard's LoginPath.
package access
