// Package webapi is the HTTP door to the page's surface (backend/surface):
// the same methods, events and errors the desktop window gets through
// Wails, served on LLProxy's port next to the editor page itself, so the
// editor works in any browser.
//
// # Contract
//
//	POST /api/call/{Method}   body: JSON array of the positional arguments,
//	                          as Wails passes them (Content-Type: application/json).
//	                          200: JSON of the return value (null when none).
//	                          Error: 4xx/5xx with
//	                          {"error":{"message":"…","type":"…","code":"…"}};
//	                          message is the text the Wails door rejects with,
//	                          code is surface.Code (stale_revision, not_found, …)
//	                          or one of this door's: unknown_method, bad_request,
//	                          method_not_allowed, unsupported_media_type,
//	                          body_too_large, csrf, and package access's
//	                          misdirected_request, invalid_api_key, cross_origin.
//	GET  /api/events          Server-Sent Events: "event: <name>" and
//	                          "data: <JSON array of the args>", the events
//	                          the window gets; ": ping" comments every 15 s.
//	GET  /api/session         {"transport":"http","exposed":bool,"loggedIn":bool,
//	                          "csrf":"…","version":"…","editor":bool,
//	                          "desktopOnly":["Quit",…]}
//	GET/POST /login           the login page (package access): key → cookie.
//	GET  /, /assets/…         the page's files (the production build).
//
// Only the methods surface.Methods marks Both are served; the desktop-only
// ones are unknown_method (404) here.
//
// # Access
//
// Every request passes the Host check (DNS rebinding). On a loopback bind
// nothing more is asked. Exposed (any other bind), a key is required: one
// of api_keys or the editor key (EditorKey), sent as a header by scripts
// or typed once into /login, which opens a session cookie. Browsers
// without a session get the login page for "/" and 401 for the API.
// POST /api/call must come from this server's own pages: a same-origin
// Origin (or no browser markers at all: a script with a key), or the
// X-CSRF-Token header carrying /api/session's csrf. Bodies are bounded by
// the config's max_body_bytes. Document ids are checked by package
// documents (ErrInvalidID: no path can be named).
package webapi
