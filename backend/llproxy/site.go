package llproxy

import (
	"net/http"
	"strings"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
)

// SetSite serves h on the proxy's port for every path the proxy does not
// own: the proxy keeps /v1, /health, /metrics and /status; h gets the
// rest ("/", "/login", "/api/…", the page's files). nil stops serving it
// (those paths are then the proxy's again: 404, and its own /login). h
// applies its own access rules (share Sessions for one login). It takes
// effect on the next request, on every listener.
func (s *Service) SetSite(h http.Handler) {
	if h == nil {
		s.site.Store(nil)
		return
	}
	s.site.Store(&h)
}

// proxyOwns reports whether path belongs to the proxy even with a site.
func proxyOwns(path string) bool {
	for _, p := range []string{"/v1", "/status"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return path == "/health" || path == "/metrics"
}

// route sends the site's paths to the site, when one is set.
func (s *Service) route(proxy http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if site := s.site.Load(); site != nil && !proxyOwns(r.URL.Path) {
			(*site).ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// Sessions is the store of browser logins shared by every guard on the
// port: a login on the editor's page also opens /status when its key is
// one of api_keys.
func (s *Service) Sessions() *access.Sessions { return s.sessions }

// Config is the configuration in force (nil before the first Start).
// Treat it as read-only.
func (s *Service) Config() *config.Config {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}
