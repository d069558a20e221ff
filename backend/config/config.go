// Package config owns LLProxy's JSON configuration: the types, their
// defaults, validation (every problem at once, each naming its field) and
// watching the file for live edits. Runtime code trusts a *Config that came
// out of Parse or Load: it is defaulted and valid.
package config

import "time"

// Config is the whole proxy configuration, as read from JSON.
type Config struct {
	// Host is the bind address. Empty means 127.0.0.1: nothing is exposed
	// to the network unless asked.
	Host string `json:"host,omitempty"`
	// Port is the listen port (1–65535). Required.
	Port int `json:"port"`
	// Interval is the time between discovery runs in milliseconds, as in
	// the original llproxy. Zero means 30000.
	Interval int `json:"interval,omitempty"`
	// APIKeys, when non-empty, are the keys clients must present (as
	// "Authorization: Bearer …" or "x-api-key") on /v1/* and /metrics.
	APIKeys []string `json:"api_keys,omitempty"`
	// CORSOrigins are the browser origins allowed to call the proxy. Empty
	// means loopback origins only (http(s)://localhost|127.0.0.1|[::1] on any
	// port, and wails://wails). "*" allows any origin.
	CORSOrigins []string `json:"cors_origins,omitempty"`
	// MaxBodyBytes limits a request body. Zero means 32 MiB.
	MaxBodyBytes int64 `json:"max_body_bytes,omitempty"`
	// ConnectTimeout is the upstream dial timeout in milliseconds. Zero
	// means 3000.
	ConnectTimeout int `json:"connect_timeout,omitempty"`
	// IdleTimeout is how long (ms) a proxied response may go without a byte
	// once it started, before the proxy gives up. Zero means 300000 (5 min).
	// There is no limit on the time to the first byte.
	IdleTimeout int `json:"idle_timeout,omitempty"`
	// ProbeTimeout is the time (ms) one discovery probe may take (connect
	// plus answer). Zero means 2000.
	ProbeTimeout int `json:"probe_timeout,omitempty"`
	// ProbeConcurrency bounds the discovery worker pool. Zero means 256.
	ProbeConcurrency int `json:"probe_concurrency,omitempty"`
	// Endpoints are the places to look for LLM servers.
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoint is one host with a range of ports, or one fixed URL.
type Endpoint struct {
	// Hostname is a name or IP address; used with PortStart..PortEnd.
	Hostname string `json:"hostname,omitempty"`
	// PortStart and PortEnd are the inclusive port range to probe.
	PortStart int `json:"port_start,omitempty"`
	PortEnd   int `json:"port_end,omitempty"`
	// URL is a fixed base URL (the part before /v1; a trailing /v1 is
	// accepted) used instead of Hostname and the port range.
	URL string `json:"url,omitempty"`
	// Tags name the models found here: "name:tag" for each tag.
	Tags []string `json:"tags,omitempty"`
	// Enable false skips the endpoint; nil means enabled.
	Enable *bool `json:"enable,omitempty"`
	// APIKey is sent to this backend as "Authorization: Bearer". Never
	// logged, never returned.
	APIKey string `json:"apikey,omitempty"`
	// Filter keeps a model only if its final name contains one of these.
	Filter []string `json:"filter,omitempty"`
	// Models lists model ids to use instead of calling /v1/models.
	Models []string `json:"models,omitempty"`
}

// Enabled reports whether the endpoint takes part in discovery.
func (e Endpoint) Enabled() bool { return e.Enable == nil || *e.Enable }

// IntervalDuration is Interval as a time.Duration (after defaults).
func (c *Config) IntervalDuration() time.Duration { return ms(c.Interval) }

// ConnectTimeoutDuration is ConnectTimeout as a time.Duration.
func (c *Config) ConnectTimeoutDuration() time.Duration { return ms(c.ConnectTimeout) }

// IdleTimeoutDuration is IdleTimeout as a time.Duration.
func (c *Config) IdleTimeoutDuration() time.Duration { return ms(c.IdleTimeout) }

// ProbeTimeoutDuration is ProbeTimeout as a time.Duration.
func (c *Config) ProbeTimeoutDuration() time.Duration { return ms(c.ProbeTimeout) }

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
