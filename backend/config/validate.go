package config

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Validate checks a Config built in code the way Parse checks JSON, and
// returns a normalised copy with defaults filled in; c itself is left
// alone. The error, if any, is a *ValidationError.
func Validate(c Config) (*Config, error) {
	return finish(clone(c), &decoder{})
}

// finish normalises, checks and defaults a decoded config. Problems about
// values that already failed to decode are dropped.
func finish(c *Config, d *decoder) (*Config, error) {
	normalize(c)
	var found problems
	check(c, &found)
	for _, p := range found.list {
		if !slices.ContainsFunc(d.failed, func(f string) bool { return related(p.Path, f) }) {
			d.put(p)
		}
	}
	d.more += found.more
	if err := d.err(); err != nil {
		return nil, err
	}
	applyDefaults(c)
	return c, nil
}

// clone copies c deeply enough that normalising the copy leaves c alone.
func clone(c Config) *Config {
	c.APIKeys = slices.Clone(c.APIKeys)
	c.CORSOrigins = slices.Clone(c.CORSOrigins)
	c.AllowedHosts = slices.Clone(c.AllowedHosts)
	c.Endpoints = slices.Clone(c.Endpoints)
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		e.Tags, e.Filter, e.Models = slices.Clone(e.Tags), slices.Clone(e.Filter), slices.Clone(e.Models)
		if e.Enable != nil {
			b := *e.Enable
			e.Enable = &b
		}
		if e.Tunnel != nil {
			b := *e.Tunnel
			e.Tunnel = &b
		}
	}
	return &c
}

// normalize rewrites values that have several spellings into one, so a
// config survives a marshal/parse round trip unchanged.
func normalize(c *Config) {
	c.Host = unbracket(c.Host)
	c.APIKeys = nilIfEmpty(c.APIKeys)
	c.CORSOrigins = nilIfEmpty(c.CORSOrigins)
	for i, o := range c.CORSOrigins {
		c.CORSOrigins[i] = strings.TrimSuffix(strings.ToLower(o), "/")
	}
	c.AllowedHosts = nilIfEmpty(c.AllowedHosts)
	for i, h := range c.AllowedHosts {
		c.AllowedHosts[i] = unbracket(strings.ToLower(h))
	}
	c.Endpoints = nilIfEmpty(c.Endpoints)
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		e.Hostname = unbracket(e.Hostname)
		e.URL = trimBaseURL(e.URL)
		e.Tags, e.Filter, e.Models = nilIfEmpty(e.Tags), nilIfEmpty(e.Filter), nilIfEmpty(e.Models)
	}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// unbracket turns "[::1]" into "::1"; anything else is left as it is.
func unbracket(host string) string {
	inner, ok := strings.CutPrefix(host, "[")
	inner, ok2 := strings.CutSuffix(inner, "]")
	if ok && ok2 {
		if _, err := netip.ParseAddr(inner); err == nil {
			return inner
		}
	}
	return host
}

// trimBaseURL removes trailing slashes and trailing "/v1" segments from a
// URL's path (only when it has no query or fragment), so that
// "https://api.example.com/v1/" and "https://api.example.com" agree.
func trimBaseURL(s string) string {
	i := strings.Index(s, "://")
	if i < 0 {
		return s
	}
	j := strings.IndexByte(s[i+3:], '/')
	if j < 0 {
		return s
	}
	base, path := s[:i+3+j], s[i+3+j:]
	if strings.ContainsAny(path, "?#") {
		return s
	}
	for {
		switch {
		case strings.HasSuffix(path, "/"):
			path = path[:len(path)-1]
		case strings.HasSuffix(path, "/v1"):
			path = path[:len(path)-3]
		default:
			return base + path
		}
	}
}

// check records every problem with a normalised config.
func check(c *Config, ps *problems) {
	if c.Host != "" && !validHost(c.Host) {
		ps.add("host", "%q is not an IP address or host name", c.Host)
	}
	if c.Port == 0 {
		ps.add("port", "required")
	} else {
		checkPort(ps, "port", c.Port)
	}
	checkMillis(ps, "interval", c.Interval)
	checkMillis(ps, "connect_timeout", c.ConnectTimeout)
	checkMillis(ps, "idle_timeout", c.IdleTimeout)
	checkMillis(ps, "probe_timeout", c.ProbeTimeout)
	checkMillis(ps, "body_read_timeout", c.BodyReadTimeout)
	for _, lim := range []struct {
		path string
		v    int
	}{
		{"max_connections", c.MaxConnections}, {"max_model_id_bytes", c.MaxModelIDBytes},
		{"max_models_per_server", c.MaxModelsPerServer}, {"max_models", c.MaxModels},
		{"max_error_names", c.MaxErrorNames},
	} {
		if lim.v < 0 {
			ps.add(lim.path, "%d must not be negative", lim.v)
		}
	}
	if c.MaxBodyBytes < 0 {
		ps.add("max_body_bytes", "%d must not be negative", c.MaxBodyBytes)
	}
	switch {
	case c.ProbeConcurrency < 0:
		ps.add("probe_concurrency", "%d must not be negative", c.ProbeConcurrency)
	case c.ProbeConcurrency > MaxProbeConcurrency:
		ps.add("probe_concurrency", "%d is too many (at most %d)", c.ProbeConcurrency, MaxProbeConcurrency)
	}
	for i, k := range c.APIKeys {
		checkSecret(ps, index("api_keys", i), k, true)
	}
	for i, o := range c.CORSOrigins {
		checkOrigin(ps, index("cors_origins", i), o)
	}
	checkList(ps, "allowed_hosts", c.AllowedHosts, checkAllowedHost)
	switch {
	case c.TLSCert != "" && c.TLSKey == "":
		ps.add("tls_key", "required with tls_cert")
	case c.TLSKey != "" && c.TLSCert == "":
		ps.add("tls_cert", "required with tls_key")
	}
	for i := range c.Endpoints {
		checkEndpoint(ps, index("endpoints", i), &c.Endpoints[i])
	}
}

func checkEndpoint(ps *problems, path string, e *Endpoint) {
	hasRange := e.Hostname != "" || e.PortStart != 0 || e.PortEnd != 0
	if e.URL != "" {
		checkURL(ps, field(path, "url"), e.URL)
		if hasRange {
			ps.add(path, "url cannot be combined with hostname, port_start or port_end")
		}
	}
	if e.Hostname != "" && !validHost(e.Hostname) {
		ps.add(field(path, "hostname"), "%q is not an IP address or host name", e.Hostname)
	}
	startOK := e.PortStart == 0 || checkPort(ps, field(path, "port_start"), e.PortStart)
	endOK := e.PortEnd == 0 || checkPort(ps, field(path, "port_end"), e.PortEnd)
	if startOK && endOK && e.PortEnd != 0 && e.PortStart > e.PortEnd {
		ps.add(path, "port_start %d > port_end %d", e.PortStart, e.PortEnd)
	}
	checkSSH(ps, path, e)
	// An endpoint meant for SSH (env_var or ssh_discover without
	// ssh_username) gets the SSH complaint only.
	sshMeant := e.SSH() || e.EnvVar != "" || e.SSHDiscover != ""
	if e.Enabled() && e.URL == "" && !sshMeant { // a disabled endpoint may be incomplete
		switch {
		case !hasRange:
			ps.add(path, "needs hostname with port_start/port_end, or url")
		case e.Hostname == "":
			ps.add(field(path, "hostname"), "required with port_start/port_end")
		case e.PortStart == 0:
			ps.add(field(path, "port_start"), "required with hostname")
		}
	}
	checkSecret(ps, field(path, "apikey"), e.APIKey, false)
	checkList(ps, field(path, "tags"), e.Tags, checkTag)
	checkList(ps, field(path, "filter"), e.Filter, nil)
	checkList(ps, field(path, "models"), e.Models, nil)
}

// checkSSH checks the SSH fields: they need ssh_username, and an SSH
// endpoint needs a hostname and a way to find ports.
func checkSSH(ps *problems, path string, e *Endpoint) {
	if e.SSHUsername == "" {
		for _, f := range []struct {
			name string
			set  bool
		}{{"env_var", e.EnvVar != ""}, {"ssh_discover", e.SSHDiscover != ""}, {"tunnel", e.Tunnel != nil},
			{"ssh_key", e.SSHKey != ""}, {"ssh_port", e.SSHPort != 0}, {"known_hosts", e.KnownHosts != ""}} {
			if f.set {
				ps.add(field(path, "ssh_username"), "required with %s", f.name)
				break
			}
		}
	} else if strings.IndexFunc(e.SSHUsername, spaceOrControl) >= 0 || strings.ContainsAny(e.SSHUsername, "@:/") {
		ps.add(field(path, "ssh_username"), "%q: a user name may not contain '@', ':', '/', spaces or control characters", e.SSHUsername)
	}
	if e.EnvVar != "" && !validEnvName(e.EnvVar) {
		ps.add(field(path, "env_var"), "%q is not an environment variable name (letters, digits and '_', not starting with a digit)", e.EnvVar)
	}
	switch e.SSHDiscover {
	case "", SSHDiscoverListening:
	case SSHDiscoverEnv:
		if e.EnvVar == "" {
			ps.add(field(path, "env_var"), "required with ssh_discover \"env\"")
		}
	default:
		ps.add(field(path, "ssh_discover"), "%q is not \"env\" or \"listening\"", e.SSHDiscover)
	}
	if e.SSHPort != 0 {
		checkPort(ps, field(path, "ssh_port"), e.SSHPort)
	}
	for _, f := range []struct{ name, value string }{{"ssh_key", e.SSHKey}, {"known_hosts", e.KnownHosts}} {
		if f.value != "" && strings.IndexFunc(f.value, unicode.IsControl) >= 0 {
			ps.add(field(path, f.name), "contains control characters")
		}
	}
	if !e.SSH() {
		return
	}
	if e.URL != "" {
		ps.add(path, "url cannot be combined with ssh_username")
		return
	}
	if !e.Enabled() {
		return // a disabled endpoint may be incomplete
	}
	switch {
	case e.Hostname == "":
		ps.add(field(path, "hostname"), "required with ssh_username")
	case e.EnvVar == "" && e.SSHDiscover == "" && e.PortStart == 0:
		ps.add(path, "an SSH endpoint needs env_var, ssh_discover \"listening\" or port_start")
	}
}

// validEnvName reports whether s is a portable environment variable name.
func validEnvName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// checkList reports empty and repeated entries, then whatever more runs
// on each entry.
func checkList(ps *problems, path string, list []string, more func(ps *problems, path, s string)) {
	for i, s := range list {
		p := index(path, i)
		switch {
		case strings.TrimSpace(s) == "":
			ps.add(p, "empty")
		case slices.Index(list, s) < i:
			ps.add(p, "%q is listed twice", s)
		case more != nil:
			more(ps, p, s)
		}
	}
}

// checkAllowedHost accepts "*", a host name or IP, or ".domain".
func checkAllowedHost(ps *problems, path, h string) {
	name := strings.TrimPrefix(h, ".")
	if h == "*" || validHost(name) && (name == h || !strings.HasPrefix(name, ".")) {
		return
	}
	hint := ""
	if strings.Contains(h, "://") || strings.Contains(h, "/") {
		hint = " (a bare name, without scheme or path)"
	} else if strings.Contains(h, ":") {
		hint = " (without a port: every port is accepted)"
	}
	ps.add(path, "%q is not a host name, IP address, .domain or *%s", h, hint)
}

func checkTag(ps *problems, path, tag string) {
	if strings.ContainsRune(tag, ':') || strings.IndexFunc(tag, spaceOrControl) >= 0 {
		ps.add(path, "%q: a tag may not contain ':', spaces or control characters", tag)
	}
}

// checkSecret never quotes the secret.
func checkSecret(ps *problems, path, secret string, required bool) {
	switch {
	case secret == "" && required:
		ps.add(path, "empty")
	case strings.IndexFunc(secret, spaceOrControl) >= 0:
		ps.add(path, "contains spaces or control characters")
	}
}

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

func checkPort(ps *problems, path string, port int) bool {
	if port < 1 || port > 65535 {
		ps.add(path, "%d is not a port", port)
		return false
	}
	return true
}

func checkMillis(ps *problems, path string, v int) {
	switch {
	case v < 0:
		ps.add(path, "%d must not be negative", v)
	case v > MaxMillis:
		ps.add(path, "%d is too large (at most %d ms)", v, MaxMillis)
	}
}

func checkURL(ps *problems, path, s string) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		// url.Parse's message repeats the URL, which may hold a password.
		if strings.Contains(s, "@") {
			ps.add(path, "not a valid URL")
		} else {
			ps.add(path, "%q is not a valid URL", s)
		}
	case u.User != nil:
		ps.add(path, "must not contain credentials; put the key in apikey")
	case u.Scheme != "http" && u.Scheme != "https":
		hint := ""
		if !strings.Contains(s, "://") {
			hint = " (start it with http:// or https://)"
		}
		ps.add(path, "%q is not an http(s) URL%s", s, hint)
	case u.Host == "" || u.Hostname() == "":
		ps.add(path, "%q has no host", s)
	case !validHost(u.Hostname()):
		ps.add(path, "%q: %q is not an IP address or host name", s, u.Hostname())
	case u.Port() != "" && !isPort(u.Port()):
		ps.add(path, "%q: %s is not a port", s, u.Port())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
		ps.add(path, "%q must not have a query or fragment", s)
	}
}

func checkOrigin(ps *problems, path, origin string) {
	if origin == "*" {
		return
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Path != "" ||
		u.RawQuery != "" || u.ForceQuery || strings.Contains(origin, "#") ||
		u.Port() != "" && !isPort(u.Port()) {
		ps.add(path, "%q is not an origin (scheme://host[:port], or *)", origin)
	}
}

func isPort(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 65535
}

// validHost accepts an IP address (IPv6 possibly with a zone) or a DNS
// host name; underscores are allowed, as container names use them.
func validHost(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return false
		}
	}
	// A name whose last label is all digits is a malformed IPv4 address.
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

var (
	_ error        = Problem{}
	_ fmt.Stringer = Config{}
)
