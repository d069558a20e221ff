// Package config owns LLProxy's JSON configuration: the types, their
// defaults, validation (every problem at once, each naming its field) and
// watching the file for live edits. Runtime code trusts a *Config that came
// out of Parse or Load: it is defaulted and valid.
package config

import "time"

// Config is the whole proxy configuration, as read from JSON.
//
// Throughout, an empty list means the same as an absent one, and after
// Parse, Load or Validate it is nil; a JSON null means "not set".
type Config struct {
	// Host is the bind address: an IP address or host name. Empty means
	// 127.0.0.1: nothing is exposed to the network unless asked ("0.0.0.0"
	// or "::" listen on every interface).
	Host string `json:"host,omitempty"`
	// Port is the listen port (1–65535). Required.
	Port int `json:"port"`
	// Interval is the time between discovery runs in milliseconds, as in
	// the original llproxy. Zero means 30000.
	//
	// Every millisecond field is at most 2147483647 (about 24.8 days) and
	// never negative.
	Interval int `json:"interval,omitempty"`
	// APIKeys, when non-empty, are the keys clients must present (as
	// "Authorization: Bearer …" or "x-api-key") on /v1/* and /metrics.
	// None means no authentication. Keys are non-empty and free of spaces
	// and control characters; they are never logged.
	APIKeys []string `json:"api_keys,omitempty"`
	// CORSOrigins are the browser origins allowed to call the proxy. Empty
	// means loopback origins only (http(s)://localhost|127.0.0.1|[::1] on any
	// port, and wails://wails). "*" allows any origin. Each entry is "*" or
	// scheme://host[:port]; Parse lower-cases it and drops a trailing "/".
	CORSOrigins []string `json:"cors_origins,omitempty"`
	// AllowedHosts are extra names the Host header may carry, besides the
	// bind address, the loopback names (on a loopback bind) and the
	// machine's own addresses and host name (on a wildcard bind): a host
	// name or IP ("gpu1.tail1234.ts.net"), ".example.com" for that domain
	// and every subdomain, or "*" for any (which turns off the DNS
	// rebinding protection). Any other Host gets 421. Parse lower-cases
	// entries and removes brackets around IPv6 addresses.
	AllowedHosts []string `json:"allowed_hosts,omitempty"`
	// TLSCert and TLSKey are PEM files (certificate chain, private key):
	// set both to serve HTTPS on Port, or neither for plain HTTP. A
	// relative path is relative to the config file's folder; "~/" is the
	// home folder. Renewed files are picked up without a restart.
	TLSCert string `json:"tls_cert,omitempty"`
	TLSKey  string `json:"tls_key,omitempty"`
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
	// ProbeConcurrency bounds the discovery worker pool. Zero means 256;
	// at most 65536.
	ProbeConcurrency int `json:"probe_concurrency,omitempty"`
	// MaxConnections bounds the client connections open at once; further
	// ones wait in the kernel's accept queue. Zero means 1024.
	MaxConnections int `json:"max_connections,omitempty"`
	// BodyReadTimeout is how long (ms) a client may take to send a request
	// body; a slower one gets 408. Zero means 60000 (1 min).
	BodyReadTimeout int `json:"body_read_timeout,omitempty"`
	// MaxModelIDBytes bounds the length of a backend's model id; a longer
	// id is skipped (and reported). Zero means 1024.
	MaxModelIDBytes int `json:"max_model_id_bytes,omitempty"`
	// MaxModelsPerServer bounds the models taken from one server's answer
	// (the first ones, in its order); the rest are skipped and reported.
	// Zero means 1000.
	MaxModelsPerServer int `json:"max_models_per_server,omitempty"`
	// MaxModels bounds the distinct model names of the whole list; names
	// beyond it (in endpoint and port order) are skipped and reported. Zero
	// means 10000.
	MaxModels int `json:"max_models,omitempty"`
	// MaxErrorNames bounds how many model names an "unknown model" error
	// lists (GET /v1/models lists them all). Zero means 20.
	MaxErrorNames int `json:"max_error_names,omitempty"`
	// Endpoints are the places to look for LLM servers. None is valid: the
	// proxy then serves an empty model list.
	Endpoints []Endpoint `json:"endpoints"`
}

// Endpoint is one host with a range of ports, or one fixed URL.
//
// An enabled endpoint has either Hostname and PortStart (PortEnd optional)
// or URL, never both. A disabled one (enable: false) may be incomplete, but
// whatever it does say is checked like any other endpoint's.
type Endpoint struct {
	// Label names the endpoint in logs and the UI ("llama.cpp"). It does
	// not change model names. Empty means none.
	Label string `json:"label,omitempty"`
	// Hostname is a host name or IP address (IPv6 without brackets; given
	// brackets are removed); used with PortStart..PortEnd.
	Hostname string `json:"hostname,omitempty"`
	// PortStart and PortEnd are the inclusive port range to probe. A zero
	// PortEnd means PortStart (one port); after Parse it is always set.
	PortStart int `json:"port_start,omitempty"`
	PortEnd   int `json:"port_end,omitempty"`
	// URL is a fixed http(s) base URL used instead of Hostname and the
	// port range: the part before /v1, as in the original llproxy. Parse
	// removes trailing slashes and a trailing /v1, so it is never doubled.
	// It may not carry credentials (use APIKey), a query or a fragment.
	URL string `json:"url,omitempty"`
	// Tags name the models found here: "name:tag" for each tag; none means
	// plain "name". A tag is non-empty, unique, without ':' or spaces.
	Tags []string `json:"tags,omitempty"`
	// Enable false skips the endpoint; nil means enabled.
	Enable *bool `json:"enable,omitempty"`
	// APIKey is sent to this backend as "Authorization: Bearer". Empty
	// means none. Never logged (see LogValue) and never returned to
	// clients. json.Marshal does include it: do not log marshalled JSON.
	APIKey string `json:"apikey,omitempty"`
	// Filter keeps a model only if its final name (tag included) contains
	// one of these substrings. None means keep every model. Entries are
	// non-empty.
	Filter []string `json:"filter,omitempty"`
	// Models lists model ids to use instead of calling /v1/models. None
	// means ask the backend. Entries are non-empty and unique.
	Models []string `json:"models,omitempty"`

	// The SSH fields below make Hostname an SSH endpoint: LLProxy logs in
	// to Hostname as SSHUsername and finds the ports to probe there. An SSH
	// endpoint needs Hostname and one of EnvVar, SSHDiscover "listening"
	// or a port range; it cannot have a URL.

	// SSHUsername is the user to log in as. Setting it makes the endpoint
	// an SSH endpoint; the other SSH fields require it.
	SSHUsername string `json:"ssh_username,omitempty"`
	// EnvVar names an environment variable (LLAMA_PORT): every process of
	// SSHUsername on the host whose environment sets it is taken to serve
	// on the port it holds. A shell name: letters, digits, '_'.
	EnvVar string `json:"env_var,omitempty"`
	// SSHDiscover is how ports are found: "env" (EnvVar, the default when
	// EnvVar is set) or "listening" (the TCP ports SSHUsername's processes
	// listen on). Empty without EnvVar means the port range, probed
	// through SSH. With a port range too, found ports outside it are
	// ignored.
	SSHDiscover string `json:"ssh_discover,omitempty"`
	// Tunnel false dials Hostname:port directly instead of through the
	// SSH connection; nil means true (see Tunneled).
	Tunnel *bool `json:"tunnel,omitempty"`
	// SSHKey is a private key file ("~/" is the home folder) tried after
	// the agent. Empty means ~/.ssh/id_ed25519, id_ecdsa and id_rsa.
	SSHKey string `json:"ssh_key,omitempty"`
	// SSHPort is the SSH server's port. Zero means 22 (Parse sets it on
	// SSH endpoints).
	SSHPort int `json:"ssh_port,omitempty"`
	// KnownHosts is the known_hosts file the host key is checked against.
	// Empty means ~/.ssh/known_hosts.
	KnownHosts string `json:"known_hosts,omitempty"`
}

// SSH discovery modes (Endpoint.SSHDiscover).
const (
	SSHDiscoverEnv       = "env"
	SSHDiscoverListening = "listening"
)

// DefaultSSHPort is the SSH port of an SSH endpoint without ssh_port.
const DefaultSSHPort = 22

// SSH reports whether the endpoint is reached by logging in over SSH.
func (e Endpoint) SSH() bool { return e.SSHUsername != "" }

// Tunneled reports whether an SSH endpoint's probes and requests go
// through its SSH connection.
func (e Endpoint) Tunneled() bool { return e.SSH() && (e.Tunnel == nil || *e.Tunnel) }

// Enabled reports whether the endpoint takes part in discovery.
func (e Endpoint) Enabled() bool { return e.Enable == nil || *e.Enable }

// IntervalDuration is Interval as a time.Duration (after defaults).
func (c *Config) IntervalDuration() time.Duration { return ms(c.Interval) }

// ConnectTimeoutDuration is ConnectTimeout as a time.Duration.
func (c *Config) ConnectTimeoutDuration() time.Duration { return ms(c.ConnectTimeout) }

// IdleTimeoutDuration is IdleTimeout as a time.Duration.
func (c *Config) IdleTimeoutDuration() time.Duration { return ms(c.IdleTimeout) }

// BodyReadTimeoutDuration is BodyReadTimeout as a time.Duration.
func (c *Config) BodyReadTimeoutDuration() time.Duration { return ms(c.BodyReadTimeout) }

// ProbeTimeoutDuration is ProbeTimeout as a time.Duration.
func (c *Config) ProbeTimeoutDuration() time.Duration { return ms(c.ProbeTimeout) }

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }
