package config

// The values a zero field stands for. Parse, Load and Validate fill them
// in, so code holding a checked *Config never sees the zeros.
const (
	DefaultHost             = "127.0.0.1"
	DefaultInterval         = 30_000   // ms
	DefaultMaxBodyBytes     = 32 << 20 // 32 MiB
	DefaultConnectTimeout   = 3_000    // ms
	DefaultIdleTimeout      = 300_000  // ms
	DefaultProbeTimeout     = 2_000    // ms
	DefaultProbeConcurrency = 256
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

func applyDefaults(c *Config) {
	orDefault(&c.Host, DefaultHost)
	orDefault(&c.Interval, DefaultInterval)
	orDefault(&c.MaxBodyBytes, DefaultMaxBodyBytes)
	orDefault(&c.ConnectTimeout, DefaultConnectTimeout)
	orDefault(&c.IdleTimeout, DefaultIdleTimeout)
	orDefault(&c.ProbeTimeout, DefaultProbeTimeout)
	orDefault(&c.ProbeConcurrency, DefaultProbeConcurrency)
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
