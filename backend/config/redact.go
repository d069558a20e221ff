package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// redacted stands in for a secret wherever a config is shown.
const redacted = "[redacted]"

// Redacted returns the config as compact JSON with every secret (api_keys,
// apikey) replaced by "[redacted]". Use it, not json.Marshal, to show a
// config to a person or a log.
func (c Config) Redacted() string {
	r := *clone(c)
	for i := range r.APIKeys {
		r.APIKeys[i] = redacted
	}
	for i := range r.Endpoints {
		if r.Endpoints[i].APIKey != "" {
			r.Endpoints[i].APIKey = redacted
		}
	}
	b, err := json.Marshal(r)
	if err != nil { // cannot happen: the types hold only strings and numbers
		return "{}"
	}
	return string(b)
}

// String is Redacted, so that fmt's %v and %s never print a secret.
func (c Config) String() string { return c.Redacted() }

// GoString keeps %#v from printing secrets too.
func (c Config) GoString() string { return "config.Config" + c.Redacted() }

// LogValue logs a summary of the config with the client keys counted, not
// shown, and each endpoint as its String.
func (c Config) LogValue() slog.Value {
	endpoints := make([]string, len(c.Endpoints))
	for i, e := range c.Endpoints {
		endpoints[i] = e.String()
	}
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.Int("interval_ms", c.Interval),
		slog.Int("api_keys", len(c.APIKeys)),
		slog.Any("cors_origins", c.CORSOrigins),
		slog.Any("allowed_hosts", c.AllowedHosts),
		slog.Bool("tls", c.TLSCert != ""),
		slog.Any("endpoints", endpoints),
	)
}

// String describes the endpoint in one line without its api key, e.g.
// `llama.cpp 127.0.0.1:8080-8090 tags=[gpu] apikey=[redacted]`.
func (e Endpoint) String() string {
	var b strings.Builder
	if e.Label != "" {
		b.WriteString(e.Label + " ")
	}
	if e.SSH() {
		fmt.Fprintf(&b, "ssh://%s@%s", e.SSHUsername, hostForPort(e.Hostname))
		if e.SSHPort != 0 && e.SSHPort != DefaultSSHPort {
			fmt.Fprintf(&b, ":%d", e.SSHPort)
		}
		switch {
		case e.SSHDiscover == SSHDiscoverEnv || e.SSHDiscover == "" && e.EnvVar != "":
			b.WriteString(" env=" + e.EnvVar)
		case e.SSHDiscover == SSHDiscoverListening:
			b.WriteString(" listening")
		}
		if !e.Tunneled() {
			b.WriteString(" direct")
		}
		if e.PortStart != 0 {
			b.WriteString(" ")
		}
	}
	switch {
	case e.SSH() && e.PortStart == 0:
	case e.URL != "":
		b.WriteString(e.URL)
	case e.SSH() && e.PortEnd != 0 && e.PortEnd != e.PortStart:
		fmt.Fprintf(&b, "ports=%d-%d", e.PortStart, e.PortEnd)
	case e.SSH():
		fmt.Fprintf(&b, "ports=%d", e.PortStart)
	case e.PortEnd != 0 && e.PortEnd != e.PortStart:
		fmt.Fprintf(&b, "%s:%d-%d", hostForPort(e.Hostname), e.PortStart, e.PortEnd)
	default:
		fmt.Fprintf(&b, "%s:%d", hostForPort(e.Hostname), e.PortStart)
	}
	if !e.Enabled() {
		b.WriteString(" disabled")
	}
	for _, list := range []struct {
		name  string
		items []string
	}{{"tags", e.Tags}, {"filter", e.Filter}, {"models", e.Models}} {
		if len(list.items) > 0 {
			fmt.Fprintf(&b, " %s=%q", list.name, list.items)
		}
	}
	if e.APIKey != "" {
		b.WriteString(" apikey=" + redacted)
	}
	return b.String()
}

// GoString keeps %#v from printing the api key.
func (e Endpoint) GoString() string { return "config.Endpoint{" + e.String() + "}" }

// LogValue logs the endpoint as its String.
func (e Endpoint) LogValue() slog.Value { return slog.StringValue(e.String()) }

func hostForPort(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

var (
	_ slog.LogValuer = Config{}
	_ slog.LogValuer = Endpoint{}
	_ fmt.GoStringer = Config{}
)
