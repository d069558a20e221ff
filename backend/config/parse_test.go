package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// defaulted is a config with every default filled in, for comparisons.
func defaulted(port int, endpoints ...Endpoint) *Config {
	return &Config{
		Host: DefaultHost, Port: port, Interval: DefaultInterval,
		MaxBodyBytes: DefaultMaxBodyBytes, ConnectTimeout: DefaultConnectTimeout,
		IdleTimeout: DefaultIdleTimeout, ProbeTimeout: DefaultProbeTimeout,
		ProbeConcurrency: DefaultProbeConcurrency, MaxConnections: DefaultMaxConnections,
		BodyReadTimeout: DefaultBodyReadTimeout, MaxModelIDBytes: DefaultMaxModelIDBytes,
		MaxModelsPerServer: DefaultMaxModelsPerServer, MaxModels: DefaultMaxModels,
		MaxErrorNames: DefaultMaxErrorNames, Endpoints: endpoints,
	}
}

func ptr[T any](v T) *T { return &v }

// validCases parse without error into want.
var validCases = []struct {
	name string
	in   string
	want *Config
}{
	{
		name: "the spec's example",
		in:   `{ "port": 3333, "endpoints": [ { "hostname": "127.0.0.1", "port_start": 8080, "port_end": 8090, "tags": ["gpu"] } ] }`,
		want: defaulted(3333, Endpoint{Hostname: "127.0.0.1", PortStart: 8080, PortEnd: 8090, Tags: []string{"gpu"}}),
	},
	{
		name: "the original llproxy's shape",
		in: `{
  "port": 8000,
  "interval": 10000,
  "endpoints": [
    { "hostname": "192.168.1.10", "port_start": 8080, "port_end": 8085, "tags": ["local"], "filter": ["llama", "qwen"] },
    { "hostname": "gpu-box", "port_start": 5000, "port_end": 5000, "enable": false },
    { "url": "https://api.openai.com/v1", "apikey": "sk-secret", "models": ["gpt-4o-mini", "gpt-4o"], "tags": ["openai"] },
    { "url": "http://127.0.0.1:9999/", "enable": true }
  ]
}`,
		want: func() *Config {
			c := defaulted(8000,
				Endpoint{Hostname: "192.168.1.10", PortStart: 8080, PortEnd: 8085, Tags: []string{"local"}, Filter: []string{"llama", "qwen"}},
				Endpoint{Hostname: "gpu-box", PortStart: 5000, PortEnd: 5000, Enable: ptr(false)},
				Endpoint{URL: "https://api.openai.com", APIKey: "sk-secret", Models: []string{"gpt-4o-mini", "gpt-4o"}, Tags: []string{"openai"}},
				Endpoint{URL: "http://127.0.0.1:9999", Enable: ptr(true)},
			)
			c.Interval = 10000
			return c
		}(),
	},
	{
		name: "the original llproxy's SSH endpoint",
		in:   `{"port": 3333, "endpoints": [{ "hostname": "gpu1", "ssh_username": "me", "env_var": "LLAMA_PORT", "tags": ["gpu1"] }]}`,
		want: defaulted(3333, Endpoint{Hostname: "gpu1", SSHUsername: "me", EnvVar: "LLAMA_PORT", SSHDiscover: SSHDiscoverEnv, SSHPort: 22, Tags: []string{"gpu1"}}),
	},
	{
		name: "every SSH field",
		in: `{"port": 3333, "endpoints": [{"hostname": "gpu2", "ssh_username": "me", "ssh_discover": "listening", "tunnel": false,
			"ssh_key": "~/.ssh/gpu", "ssh_port": 2222, "known_hosts": "/etc/llproxy/known_hosts", "port_start": 8000, "port_end": 8100},
			{"hostname": "gpu3", "ssh_username": "me", "port_start": 8080}]}`,
		want: defaulted(3333,
			Endpoint{Hostname: "gpu2", SSHUsername: "me", SSHDiscover: SSHDiscoverListening, Tunnel: ptr(false), SSHKey: "~/.ssh/gpu",
				SSHPort: 2222, KnownHosts: "/etc/llproxy/known_hosts", PortStart: 8000, PortEnd: 8100},
			Endpoint{Hostname: "gpu3", SSHUsername: "me", SSHPort: 22, PortStart: 8080, PortEnd: 8080}),
	},
	{
		name: "only a port",
		in:   `{"port": 1}`,
		want: defaulted(1),
	},
	{
		name: "every field set",
		in: `{"host": "0.0.0.0", "port": 65535, "interval": 500, "api_keys": ["k1", "k2"],
			"cors_origins": ["*", "HTTP://LocalHost:5173/", "wails://wails"], "max_body_bytes": 1024,
			"connect_timeout": 1, "idle_timeout": 2, "probe_timeout": 3, "probe_concurrency": 65536,
			"max_connections": 4, "body_read_timeout": 5, "max_model_id_bytes": 6, "max_models_per_server": 7,
			"max_models": 8, "max_error_names": 9,
			"endpoints": [{"label": "box", "hostname": "my_llama.lan.", "port_start": 1, "port_end": 65535}]}`,
		want: &Config{Host: "0.0.0.0", Port: 65535, Interval: 500, APIKeys: []string{"k1", "k2"},
			CORSOrigins: []string{"*", "http://localhost:5173", "wails://wails"}, MaxBodyBytes: 1024,
			ConnectTimeout: 1, IdleTimeout: 2, ProbeTimeout: 3, ProbeConcurrency: 65536,
			MaxConnections: 4, BodyReadTimeout: 5, MaxModelIDBytes: 6, MaxModelsPerServer: 7,
			MaxModels: 8, MaxErrorNames: 9,
			Endpoints: []Endpoint{{Label: "box", Hostname: "my_llama.lan.", PortStart: 1, PortEnd: 65535}}},
	},
	{
		name: "allowed hosts and TLS",
		in: `{"port": 3333, "allowed_hosts": ["GPU1.tail1234.ts.net", ".Example.com", "[2001:db8::1]", "198.18.0.2", "*"],
			"tls_cert": "/etc/llproxy/cert.pem", "tls_key": "key.pem"}`,
		want: func() *Config {
			c := defaulted(3333)
			c.AllowedHosts = []string{"gpu1.tail1234.ts.net", ".example.com", "2001:db8::1", "198.18.0.2", "*"}
			c.TLSCert, c.TLSKey = "/etc/llproxy/cert.pem", "key.pem"
			return c
		}(),
	},
	{
		name: "a byte order mark is ignored",
		in:   "\ufeff{\"port\": 3333}",
		want: defaulted(3333),
	},
	{
		name: "null means not set",
		in:   `{"port": 3333, "host": null, "interval": null, "endpoints": [{"hostname": "h", "port_start": 1, "tags": null, "enable": null}]}`,
		want: defaulted(3333, Endpoint{Hostname: "h", PortStart: 1, PortEnd: 1}),
	},
	{
		name: "empty lists mean absent",
		in:   `{"port": 3333, "api_keys": [], "cors_origins": [], "endpoints": []}`,
		want: defaulted(3333),
	},
	{
		name: "port_end defaults to port_start",
		in:   `{"port": 3333, "endpoints": [{"hostname": "localhost", "port_start": 1234, "tags": [], "models": [], "filter": []}]}`,
		want: defaulted(3333, Endpoint{Hostname: "localhost", PortStart: 1234, PortEnd: 1234}),
	},
	{
		name: "IPv6 with brackets, with a zone",
		in:   `{"host": "[::1]", "port": 3333, "endpoints": [{"hostname": "[fe80::1%eth0]", "port_start": 80}, {"hostname": "::1", "port_start": 81}]}`,
		want: func() *Config {
			c := defaulted(3333, Endpoint{Hostname: "fe80::1%eth0", PortStart: 80, PortEnd: 80}, Endpoint{Hostname: "::1", PortStart: 81, PortEnd: 81})
			c.Host = "::1"
			return c
		}(),
	},
	{
		name: "a disabled endpoint may be incomplete",
		in:   `{"port": 3333, "endpoints": [{"enable": false}, {"enable": false, "hostname": "h"}, {"enable": false, "port_start": 5}]}`,
		want: defaulted(3333, Endpoint{Enable: ptr(false)}, Endpoint{Enable: ptr(false), Hostname: "h"}, Endpoint{Enable: ptr(false), PortStart: 5, PortEnd: 5}),
	},
	{
		name: "url: trailing slashes and /v1 removed from the path only",
		in: `{"port": 3333, "endpoints": [{"url": "https://x.example/v1/"}, {"url": "https://x.example/api/v1"},
			{"url": "http://v1"}, {"url": "http://x/v1/v1//"}, {"url": "http://x/v10"}, {"url": "http://[::1]:8080/v1"}]}`,
		want: defaulted(3333, Endpoint{URL: "https://x.example"}, Endpoint{URL: "https://x.example/api"},
			Endpoint{URL: "http://v1"}, Endpoint{URL: "http://x"}, Endpoint{URL: "http://x/v10"}, Endpoint{URL: "http://[::1]:8080"}),
	},
	{
		name: "unicode in tags, filters and models",
		in:   `{"port": 3333, "endpoints": [{"hostname": "h", "port_start": 1, "tags": ["grün"], "filter": ["é"], "models": ["a b/c.gguf"]}]}`,
		want: defaulted(3333, Endpoint{Hostname: "h", PortStart: 1, PortEnd: 1, Tags: []string{"grün"}, Filter: []string{"é"}, Models: []string{"a b/c.gguf"}}),
	},
}

func TestParse_Valid(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

// p builds a Problem from "path: message".
func p(s string) Problem {
	path, msg, ok := strings.Cut(s, ": ")
	if !ok || strings.HasPrefix(s, "line ") || strings.HasPrefix(s, "the config") {
		return Problem{Message: s}
	}
	return Problem{Path: path, Message: msg}
}

// invalidCases fail with exactly these problems ("path: message").
var invalidCases = []struct {
	name string
	in   string
	want []string
}{
	{"empty object", `{}`, []string{"port: required"}},
	{"empty file", " \n", []string{`the config is empty; it must be a JSON object such as {"port": 3333, "endpoints": []}`}},
	{"not an object", `[1]`, []string{"the config must be a JSON object, not an array"}},
	{"null document", `null`, []string{"the config must be a JSON object, not a null"}},
	{"syntax: trailing comma", "{\n  \"port\": 1,\n}", []string{"line 3, column 1: invalid character '}' looking for beginning of object key string"}},
	{"syntax: truncated", "{\"port\":", []string{"line 1, column 9: unexpected end of JSON input"}},
	{"syntax: columns count characters", "{\"hostname\": \"ü\" 1}", []string{"line 1, column 18: invalid character '1' after object key:value pair"}},
	{"syntax: trailing data", "{\"port\": 1}\nx", []string{"line 2, column 1: invalid character 'x' after top-level value"}},
	{"port out of range", `{"port": 70000}`, []string{"port: 70000 is not a port"}},
	{"port negative", `{"port": -1}`, []string{"port: -1 is not a port"}},
	{"port zero", `{"port": 0}`, []string{"port: required"}},
	{"port as string", `{"port": "3333"}`, []string{"port: must be a whole number, not a string"}},
	{"port fractional", `{"port": 3333.5}`, []string{"port: 3333.5 is not a whole number"}},
	{"port huge", `{"port": 99999999999999999999}`, []string{"port: 99999999999999999999 is too large"}},
	{"host invalid", `{"host": "a b", "port": 1}`, []string{`host: "a b" is not an IP address or host name`}},
	{"host malformed IPv4", `{"host": "999.1.1.1", "port": 1}`, []string{`host: "999.1.1.1" is not an IP address or host name`}},
	{"negative interval", `{"port": 1, "interval": -5}`, []string{"interval: -5 must not be negative"}},
	{"interval too large", `{"port": 1, "interval": 2147483648}`, []string{"interval: 2147483648 is too large (at most 2147483647 ms)"}},
	{"negative timeouts and sizes", `{"port": 1, "connect_timeout": -1, "idle_timeout": -2, "probe_timeout": -3, "max_body_bytes": -4, "probe_concurrency": -5}`, []string{
		"connect_timeout: -1 must not be negative", "idle_timeout: -2 must not be negative", "probe_timeout: -3 must not be negative",
		"max_body_bytes: -4 must not be negative", "probe_concurrency: -5 must not be negative"}},
	{"negative limits", `{"port": 1, "max_connections": -1, "body_read_timeout": -2, "max_model_id_bytes": -3, "max_models_per_server": -4, "max_models": -5, "max_error_names": -6}`, []string{
		"body_read_timeout: -2 must not be negative", "max_connections: -1 must not be negative",
		"max_model_id_bytes: -3 must not be negative", "max_models_per_server: -4 must not be negative",
		"max_models: -5 must not be negative", "max_error_names: -6 must not be negative"}},
	{"probe_concurrency too many", `{"port": 1, "probe_concurrency": 65537}`, []string{"probe_concurrency: 65537 is too many (at most 65536)"}},
	{"api keys empty or with spaces, never quoted", `{"port": 1, "api_keys": ["", "sk secret", "ok"]}`, []string{
		"api_keys[0]: empty", "api_keys[1]: contains spaces or control characters"}},
	{"cors origins", `{"port": 1, "cors_origins": ["http://x/path", "localhost", "http://x:99999", "http://x?a"]}`, []string{
		`cors_origins[0]: "http://x/path" is not an origin (scheme://host[:port], or *)`,
		`cors_origins[1]: "localhost" is not an origin (scheme://host[:port], or *)`,
		`cors_origins[2]: "http://x:99999" is not an origin (scheme://host[:port], or *)`,
		`cors_origins[3]: "http://x?a" is not an origin (scheme://host[:port], or *)`}},
	{"allowed hosts", `{"port": 1, "allowed_hosts": ["", "http://gpu1", "gpu1:3333", "..x", "a b", "gpu1", "gpu1", "."]}`, []string{
		"allowed_hosts[0]: empty",
		`allowed_hosts[1]: "http://gpu1" is not a host name, IP address, .domain or * (a bare name, without scheme or path)`,
		`allowed_hosts[2]: "gpu1:3333" is not a host name, IP address, .domain or * (without a port: every port is accepted)`,
		`allowed_hosts[3]: "..x" is not a host name, IP address, .domain or *`,
		`allowed_hosts[4]: "a b" is not a host name, IP address, .domain or *`,
		`allowed_hosts[6]: "gpu1" is listed twice`,
		`allowed_hosts[7]: "." is not a host name, IP address, .domain or *`}},
	{"tls_cert without tls_key", `{"port": 1, "tls_cert": "c.pem"}`, []string{"tls_key: required with tls_cert"}},
	{"tls_key without tls_cert", `{"port": 1, "tls_key": "k.pem"}`, []string{"tls_cert: required with tls_key"}},
	{"port_end not a port", `{"port": 1, "endpoints": [{"hostname": "h", "port_start": 1}, {"hostname": "h", "port_start": 8080, "port_end": 70000}]}`, []string{
		"endpoints[1].port_end: 70000 is not a port"}},
	{"port_start > port_end", `{"port": 1, "endpoints": [{"hostname": "h", "port_start": 9000, "port_end": 8000}]}`, []string{
		"endpoints[0]: port_start 9000 > port_end 8000"}},
	{"endpoint with nothing", `{"port": 1, "endpoints": [{"hostname": "h", "port_start": 1}, {"url": "http://x"}, {"tags": ["a"]}]}`, []string{
		"endpoints[2]: needs hostname with port_start/port_end, or url"}},
	{"hostname without ports", `{"port": 1, "endpoints": [{"hostname": "h"}, {"hostname": "h", "port_end": 5}]}`, []string{
		"endpoints[0].port_start: required with hostname", "endpoints[1].port_start: required with hostname"}},
	{"ports without hostname", `{"port": 1, "endpoints": [{"port_start": 1, "port_end": 2}]}`, []string{
		"endpoints[0].hostname: required with port_start/port_end"}},
	{"hostname invalid", `{"port": 1, "endpoints": [{"hostname": "-bad", "port_start": 1}, {"hostname": "a..b", "port_start": 1}]}`, []string{
		`endpoints[0].hostname: "-bad" is not an IP address or host name`, `endpoints[1].hostname: "a..b" is not an IP address or host name`}},
	{"url not http", `{"port": 1, "endpoints": [{"url": "ftp://x"}]}`, []string{`endpoints[0].url: "ftp://x" is not an http(s) URL`}},
	{"url without scheme", `{"port": 1, "endpoints": [{"url": "localhost:8080"}]}`, []string{
		`endpoints[0].url: "localhost:8080" is not an http(s) URL (start it with http:// or https://)`}},
	{"url with credentials is not echoed", `{"port": 1, "endpoints": [{"url": "https://user:hunter2@x/v1"}, {"url": "http://u:hunter2@[::1"}]}`, []string{
		"endpoints[0].url: must not contain credentials; put the key in apikey", "endpoints[1].url: not a valid URL"}},
	{"url broken, query, fragment, no host, bad port", `{"port": 1, "endpoints": [{"url": "http://[::1"}, {"url": "http://x/v1?k=v"}, {"url": "http://x#f"}, {"url": "http://"}, {"url": "http://x:0"}, {"url": "http://a b"}]}`, []string{
		`endpoints[0].url: "http://[::1" is not a valid URL`, `endpoints[1].url: "http://x/v1?k=v" must not have a query or fragment`,
		`endpoints[2].url: "http://x#f" must not have a query or fragment`, `endpoints[3].url: "http://" has no host`,
		`endpoints[4].url: "http://x:0": 0 is not a port`, `endpoints[5].url: "http://a b" is not a valid URL`}},
	{"url with a port range", `{"port": 1, "endpoints": [{"url": "http://x", "hostname": "h", "port_start": 1}]}`, []string{
		"endpoints[0]: url cannot be combined with hostname, port_start or port_end"}},
	{"models with empty strings", `{"port": 1, "endpoints": [{"url": "http://x", "models": ["a", "", " "]}]}`, []string{
		"endpoints[0].models[1]: empty", "endpoints[0].models[2]: empty"}},
	{"repeated models and tags", `{"port": 1, "endpoints": [{"url": "http://x", "models": ["a", "a"], "tags": ["t", "t"]}]}`, []string{
		`endpoints[0].tags[1]: "t" is listed twice`, `endpoints[0].models[1]: "a" is listed twice`}},
	{"bad tags", `{"port": 1, "endpoints": [{"url": "http://x", "tags": ["a:b", "a b", ""]}]}`, []string{
		`endpoints[0].tags[0]: "a:b": a tag may not contain ':', spaces or control characters`,
		`endpoints[0].tags[1]: "a b": a tag may not contain ':', spaces or control characters`,
		"endpoints[0].tags[2]: empty"}},
	{"empty filter", `{"port": 1, "endpoints": [{"url": "http://x", "filter": [""]}]}`, []string{"endpoints[0].filter[0]: empty"}},
	{"apikey with a newline", `{"port": 1, "endpoints": [{"url": "http://x", "apikey": "sk-1\n"}]}`, []string{
		"endpoints[0].apikey: contains spaces or control characters"}},
	{"disabled endpoints are still checked", `{"port": 1, "endpoints": [{"enable": false, "hostname": "h", "port_start": 70000}]}`, []string{
		"endpoints[0].port_start: 70000 is not a port"}},
	{"unknown fields name their path", `{"port": 1, "Port": 2, "colour": 1, "endpoints": [{"hostname": "h", "portstart": 1, "port_start": 1}]}`, []string{
		`Port: unknown field (did you mean "port"?)`, "colour: unknown field", `endpoints[0].portstart: unknown field (did you mean "port_start"?)`}},
	{"misspelt field", `{"port": 1, "endpoints": [{"hostnmae": "h", "url": "http://x"}]}`, []string{
		`endpoints[0].hostnmae: unknown field (did you mean "hostname"?)`}},
	{"repeated key", `{"port": 1, "port": 2}`, []string{"port: given more than once"}},
	{"wrong types", `{"port": 1, "host": 5, "api_keys": "k", "endpoints": [{"url": "http://x", "enable": "yes", "tags": "gpu", "models": [1]}, 7]}`, []string{
		"host: must be a string, not number 5", "api_keys: must be a list, not a string",
		"endpoints[0].enable: must be true or false, not a string", "endpoints[0].tags: must be a list, not a string",
		"endpoints[0].models[0]: must be a string, not number 1", "endpoints[1]: must be an object, not number 7"}},
	{"ssh fields without ssh_username", `{"port": 1, "endpoints": [{"hostname": "a", "port_start": 1}, {"hostname": "b", "port_start": 1}, {"hostname": "gpu1", "env_var": "LLAMA_PORT"}, {"hostname": "c", "port_start": 1, "tunnel": false}]}`, []string{
		"endpoints[2].ssh_username: required with env_var", "endpoints[3].ssh_username: required with tunnel"}},
	{"bad ssh fields", `{"port": 1, "endpoints": [{"hostname": "h", "ssh_username": "a b", "env_var": "1X", "ssh_port": 0}, {"hostname": "h", "ssh_username": "u", "ssh_discover": "ps", "ssh_port": 70000}, {"hostname": "h", "ssh_username": "u", "ssh_discover": "env"}, {"ssh_username": "u", "env_var": "P"}, {"hostname": "h", "ssh_username": "u"}, {"url": "http://x", "ssh_username": "u"}, {"hostname": "h", "ssh_username": "u@h", "env_var": "P", "ssh_key": "a\nb"}]}`, []string{
		`endpoints[0].ssh_username: "a b": a user name may not contain '@', ':', '/', spaces or control characters`,
		`endpoints[0].env_var: "1X" is not an environment variable name (letters, digits and '_', not starting with a digit)`,
		`endpoints[1].ssh_discover: "ps" is not "env" or "listening"`, "endpoints[1].ssh_port: 70000 is not a port",
		`endpoints[2].env_var: required with ssh_discover "env"`,
		"endpoints[3].hostname: required with ssh_username",
		`endpoints[4]: an SSH endpoint needs env_var, ssh_discover "listening" or port_start`,
		"endpoints[5]: url cannot be combined with ssh_username",
		`endpoints[6].ssh_username: "u@h": a user name may not contain '@', ':', '/', spaces or control characters`,
		"endpoints[6].ssh_key: contains control characters"}},
	{"endpoints not a list", `{"port": 1, "endpoints": {"hostname": "h"}}`, []string{"endpoints: must be a list, not an object"}},
	{"no follow-on complaints about values that failed to decode", `{"port": "x", "endpoints": [{"hostname": "h", "port_start": "8080"}]}`, []string{
		"port: must be a whole number, not a string", "endpoints[0].port_start: must be a whole number, not a string"}},
	{"every problem at once", `{"port": 70000, "interval": -1, "endpoints": [{"hostname": "h", "port_start": 9000, "port_end": 8000}, {"url": "ftp://x"}, {}], "extra": true}`, []string{
		"extra: unknown field", "port: 70000 is not a port", "interval: -1 must not be negative",
		"endpoints[0]: port_start 9000 > port_end 8000", `endpoints[1].url: "ftp://x" is not an http(s) URL`,
		"endpoints[2]: needs hostname with port_start/port_end, or url"}},
}

func TestParse_Invalid(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tc.in))
			if err == nil {
				t.Fatalf("Parse accepted it: %#v", cfg)
			}
			if cfg != nil {
				t.Errorf("Parse returned a config with its error")
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError", err)
			}
			var want []Problem
			for _, s := range tc.want {
				want = append(want, p(s))
			}
			if !reflect.DeepEqual(ve.Problems, want) {
				t.Errorf("problems:\n got  %q\n want %q", ve.Problems, want)
			}
			if got := strings.Join(tc.want, "\n"); err.Error() != got {
				t.Errorf("Error() = %q, want %q", err.Error(), got)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "secret") {
				t.Errorf("error leaks a secret: %q", err.Error())
			}
		})
	}
}

func TestParse_ProblemsAreErrors(t *testing.T) {
	_, err := Parse([]byte(`{"port": 1, "endpoints": [{"hostname": "h", "port_start": 8080, "port_end": 70000}]}`))
	if !errors.Is(err, Problem{Path: "endpoints[0].port_end", Message: "70000 is not a port"}) {
		t.Errorf("errors.Is does not find the problem in %v", err)
	}
	if errors.Is(err, Problem{Path: "port", Message: "required"}) {
		t.Errorf("errors.Is finds a problem that is not there")
	}
}

func TestValidate(t *testing.T) {
	in := Config{Host: "[::1]", Port: 3333, CORSOrigins: []string{"HTTP://A/"}, Endpoints: []Endpoint{
		{URL: "https://x/v1", Tags: []string{}, Enable: ptr(true)},
		{Hostname: "h", PortStart: 10},
	}}
	got, err := Validate(in)
	if err != nil {
		t.Fatal(err)
	}
	want := defaulted(3333, Endpoint{URL: "https://x", Enable: ptr(true)}, Endpoint{Hostname: "h", PortStart: 10, PortEnd: 10})
	want.Host, want.CORSOrigins = "::1", []string{"http://a"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if in.Host != "[::1]" || in.CORSOrigins[0] != "HTTP://A/" || in.Endpoints[0].URL != "https://x/v1" || in.Endpoints[1].PortEnd != 0 {
		t.Errorf("Validate changed its argument: %#v", in)
	}
	*got.Endpoints[0].Enable = false
	if !*in.Endpoints[0].Enable {
		t.Errorf("the result shares Enable with the argument")
	}

	_, err = Validate(Config{Endpoints: []Endpoint{{Hostname: "h", PortStart: 2, PortEnd: 1}}})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("want two problems, got %v", err)
	}
}

func TestDurations(t *testing.T) {
	c, err := Parse([]byte(`{"port": 1, "connect_timeout": 1500}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.IntervalDuration().String(); got != "30s" {
		t.Errorf("IntervalDuration = %s", got)
	}
	if got := c.ConnectTimeoutDuration().String(); got != "1.5s" {
		t.Errorf("ConnectTimeoutDuration = %s", got)
	}
	if got := c.IdleTimeoutDuration().String(); got != "5m0s" {
		t.Errorf("IdleTimeoutDuration = %s", got)
	}
	if got := c.ProbeTimeoutDuration().String(); got != "2s" {
		t.Errorf("ProbeTimeoutDuration = %s", got)
	}
}
