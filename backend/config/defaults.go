package config

// The values a zero field stands for. Parse, Load and Validate fill them
// in, so code holding a checked *Config never sees the zeros.
const (
	DefaultHost               = "127.0.0.1"
	DefaultInterval           = 30_000   // ms
	DefaultMaxBodyBytes       = 32 << 20 // 32 MiB
	DefaultConnectTimeout     = 3_000    // ms
	DefaultIdleTimeout        = 300_000  // ms
	DefaultProbeTimeout       = 2_000    // ms
	DefaultProbeConcurrency   = 256
	DefaultMaxConnections     = 1024
	DefaultBodyReadTimeout    = 60_000 // ms
	DefaultMaxModelIDBytes    = 1024
	DefaultMaxModelsPerServer = 1000
	DefaultMaxModels          = 10_000
	DefaultMaxErrorNames      = 20
)

// Limits the checks enforce.
const (
	// MaxMillis bounds every millisecond field (about 24.8 days), so that
	// durations never overflow, even where int is 32 bits.
	MaxMillis = 1<<31 - 1
	// MaxProbeConcurrency bounds the discovery worker pool: more workers
	// than the ports one host has buy nothing but file descriptors.
	MaxProbeConcurrency = 1 << 16
)

// Defaults returns a config with every default filled in and nothing
// else: no port, no endpoints. It is what runtime code uses when it is
// given no config at all.
func Defaults() *Config {
	var c Config
	applyDefaults(&c)
	return &c
}

func applyDefaults(c *Config) {
	orDefault(&c.Host, DefaultHost)
	orDefault(&c.Interval, DefaultInterval)
	orDefault(&c.MaxBodyBytes, DefaultMaxBodyBytes)
	orDefault(&c.ConnectTimeout, DefaultConnectTimeout)
	orDefault(&c.IdleTimeout, DefaultIdleTimeout)
	orDefault(&c.ProbeTimeout, DefaultProbeTimeout)
	orDefault(&c.ProbeConcurrency, DefaultProbeConcurrency)
	orDefault(&c.MaxConnections, DefaultMaxConnections)
	orDefault(&c.BodyReadTimeout, DefaultBodyReadTimeout)
	orDefault(&c.MaxModelIDBytes, DefaultMaxModelIDBytes)
	orDefault(&c.MaxModelsPerServer, DefaultMaxModelsPerServer)
	orDefault(&c.MaxModels, DefaultMaxModels)
	orDefault(&c.MaxErrorNames, DefaultMaxErrorNames)
	for i := range c.Endpoints {
		e := &c.Endpoints[i]
		orDefault(&e.PortEnd, e.PortStart)
		if e.SSH() {
			orDefault(&e.SSHPort, DefaultSSHPort)
			if e.EnvVar != "" {
				orDefault(&e.SSHDiscover, SSHDiscoverEnv)
			}
		}
	}
}

func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}
