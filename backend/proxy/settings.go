package proxy

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
)

// accessSettings are the access rules a Config sets: the bind address,
// port, allowed_hosts, api_keys and whether the port serves TLS.
func accessSettings(cfg *config.Config) access.Settings {
	if cfg == nil {
		cfg = config.Defaults()
	}
	return access.Settings{
		Bind:         cfg.Host,
		Port:         cfg.Port,
		AllowedHosts: cfg.AllowedHosts,
		Keys:         cfg.APIKeys,
		TLS:          cfg.TLSCert != "",
	}
}

// settings is what the request path needs from a Config, derived once per
// SetConfig and swapped whole; handlers load it once per request.
type settings struct {
	maxBody        int64
	connectTimeout time.Duration
	idleTimeout    time.Duration
	bodyTimeout    time.Duration
	maxErrorNames  int
	anyOrigin      bool
	origins        map[string]bool // normalized; nil means the loopback default
}

// newSettings derives the settings from a config that came out of config
// (Parse, Load, Validate or Defaults): defaulted and valid, so its values
// are used as they are. Nil means config.Defaults().
func newSettings(cfg *config.Config) *settings {
	if cfg == nil {
		cfg = config.Defaults()
	}
	st := &settings{
		maxBody:        cfg.MaxBodyBytes,
		connectTimeout: cfg.ConnectTimeoutDuration(),
		idleTimeout:    cfg.IdleTimeoutDuration(),
		bodyTimeout:    cfg.BodyReadTimeoutDuration(),
		maxErrorNames:  cfg.MaxErrorNames,
	}
	for _, o := range cfg.CORSOrigins {
		if o == "*" {
			st.anyOrigin = true
			continue
		}
		if st.origins == nil {
			st.origins = map[string]bool{}
		}
		st.origins[normalizeOrigin(o)] = true
	}
	return st
}

// originAllowed decides whether a browser page at origin may call the proxy.
func (st *settings) originAllowed(origin string) bool {
	switch {
	case st.anyOrigin:
		return true
	case st.origins != nil:
		return st.origins[normalizeOrigin(origin)]
	default:
		return isLoopbackOrigin(origin)
	}
}

func normalizeOrigin(o string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(o)), "/")
}

// isLoopbackOrigin is the default CORS rule: pages served from this machine
// (http or https on localhost, 127.0.0.1 or [::1], any port) and the Wails
// webview (wails://wails on Linux and macOS, http://wails.localhost on
// Windows). Any other web page is refused.
func isLoopbackOrigin(origin string) bool {
	o := normalizeOrigin(origin)
	if o == "wails://wails" || o == "http://wails.localhost" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return false
	}
	switch u.Hostname() {
	case "localhost", "127.0.0.1", "::1":
		return true
	}
	return false
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n <= 65535 && strings.Trim(p, "0123456789") == ""
}
