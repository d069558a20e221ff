package discovery

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/sshpool"
)

// plan is what one run will do, endpoint by endpoint.
type plan struct {
	Targets   []target // in endpoint, then port order
	SSH       []sshJob // SSH endpoints whose ports are found on the host
	Endpoints []EndpointReport
	SelfSkips []target // own listen addresses, never probed
}

// planRun lists the targets of every enabled endpoint, leaving out the
// proxy's own addresses.
func planRun(ctx context.Context, cfg *config.Config, self *selfFilter) plan {
	var p plan
	for i, ep := range cfg.Endpoints {
		rep := EndpointReport{Index: i, Label: ep.Label, Target: endpointLabel(ep), Skipped: !ep.Enabled()}
		if ep.SSH() {
			rep.Via, rep.Tunnel = sshTarget(ep).String(), ep.Tunneled()
		}
		p.Endpoints = append(p.Endpoints, rep)
		if rep.Skipped {
			continue
		}
		if ep.SSH() && ep.SSHDiscover != "" {
			p.SSH = append(p.SSH, sshJob{Endpoint: i, Config: ep})
			continue
		}
		for _, t := range endpointTargets(i, ep) {
			if t.Host != "" && self.skip(ctx, t.Host, t.Port) {
				p.SelfSkips = append(p.SelfSkips, t)
				continue
			}
			p.Targets = append(p.Targets, t)
		}
	}
	return p
}

// endpointTargets expands one endpoint into its targets: its URL, or each
// port of its range.
func endpointTargets(index int, ep config.Endpoint) []target {
	static := staticEntries(ep)
	if ep.URL != "" {
		base := baseURL(ep.URL)
		host, port := urlHostPort(base)
		return []target{{Endpoint: index, Host: host, Port: port, Fixed: true, BaseURL: base,
			Label: redactURL(base), APIKey: ep.APIKey, Static: static}}
	}
	end := ep.PortEnd // config sets it (to PortStart when absent)
	if ep.PortStart <= 0 || end < ep.PortStart {
		return nil
	}
	out := make([]target, 0, end-ep.PortStart+1)
	for port := ep.PortStart; port <= end && port <= 65535; port++ {
		out = append(out, portTarget(index, ep, port, static))
	}
	return out
}

// portTarget is one port of a host endpoint, through the endpoint's SSH
// tunnel if it has one.
func portTarget(index int, ep config.Endpoint, port int, static []entry) target {
	hp := net.JoinHostPort(ep.Hostname, strconv.Itoa(port))
	t := target{Endpoint: index, Host: ep.Hostname, Port: port,
		BaseURL: "http://" + hp, Label: hp, APIKey: ep.APIKey, Static: static}
	if ep.Tunneled() {
		t.Tunnel = sshTarget(ep)
		t.Label = hp + " via " + t.Tunnel.String()
	}
	return t
}

// sshTarget is the SSH login of an SSH endpoint.
func sshTarget(ep config.Endpoint) sshpool.Target {
	return sshpool.Target{User: ep.SSHUsername, Host: ep.Hostname, Port: ep.SSHPort,
		KeyFile: ep.SSHKey, KnownHosts: ep.KnownHosts}
}

// staticEntries is the endpoint's "models" list as entries (nil: probe).
func staticEntries(ep config.Endpoint) []entry {
	if len(ep.Models) == 0 {
		return nil
	}
	static := make([]entry, 0, len(ep.Models))
	for _, id := range ep.Models {
		if id != "" {
			static = append(static, staticEntry(id))
		}
	}
	return static
}

// baseURL is a URL endpoint's root: without trailing slashes or "/v1".
func baseURL(raw string) string {
	base := strings.TrimRight(raw, "/")
	base = strings.TrimSuffix(base, "/v1")
	return strings.TrimRight(base, "/")
}

// urlHostPort extracts the host and effective port of a URL, for the self
// check; ("", 0) when it cannot be parsed.
func urlHostPort(raw string) (string, int) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return "", 0
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		port = 80
		if u.Scheme == "https" {
			port = 443
		}
	}
	return u.Hostname(), port
}

// endpointLabel names an endpoint in reports: "host:start-end", "host:port",
// its URL (with any password hidden), or for an SSH endpoint that finds its
// ports "host ($VAR)" or "host (listening)" (with ":start-end" if it has a
// range).
func endpointLabel(ep config.Endpoint) string {
	if ep.URL != "" {
		return redactURL(baseURL(ep.URL))
	}
	if ep.SSH() && ep.SSHDiscover != "" {
		how := "$" + ep.EnvVar
		if ep.SSHDiscover == config.SSHDiscoverListening {
			how = "listening"
		}
		host := ep.Hostname
		if ep.PortStart != 0 {
			host = net.JoinHostPort(ep.Hostname, strconv.Itoa(ep.PortStart))
			if ep.PortEnd != 0 && ep.PortEnd != ep.PortStart {
				host += "-" + strconv.Itoa(ep.PortEnd)
			}
		}
		return host + " (" + how + ")"
	}
	label := net.JoinHostPort(ep.Hostname, strconv.Itoa(ep.PortStart))
	if ep.PortEnd != 0 && ep.PortEnd != ep.PortStart {
		label += "-" + strconv.Itoa(ep.PortEnd)
	}
	return label
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
