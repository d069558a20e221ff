package discovery

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"

	"fragmenteditor/backend/config"
)

// plan is what one run will do, endpoint by endpoint.
type plan struct {
	Targets   []target // in endpoint, then port order
	Endpoints []EndpointReport
	SelfSkips []target // own listen addresses, never probed
}

// planRun lists the targets of every enabled endpoint, leaving out the
// proxy's own addresses.
func planRun(ctx context.Context, cfg *config.Config, self *selfFilter) plan {
	var p plan
	for i, ep := range cfg.Endpoints {
		rep := EndpointReport{Index: i, Label: ep.Label, Target: endpointLabel(ep), Skipped: !ep.Enabled()}
		p.Endpoints = append(p.Endpoints, rep)
		if rep.Skipped {
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
	var static []entry
	if len(ep.Models) > 0 {
		static = make([]entry, 0, len(ep.Models))
		for _, id := range ep.Models {
			if id != "" {
				static = append(static, staticEntry(id))
			}
		}
	}
	if ep.URL != "" {
		base := baseURL(ep.URL)
		host, port := urlHostPort(base)
		return []target{{Endpoint: index, Host: host, Port: port, Fixed: true, BaseURL: base,
			Label: redactURL(base), APIKey: ep.APIKey, Static: static}}
	}
	end := ep.PortEnd
	if end == 0 {
		end = ep.PortStart // as config.Parse defaults it
	}
	if ep.PortStart <= 0 || end < ep.PortStart {
		return nil
	}
	out := make([]target, 0, end-ep.PortStart+1)
	for port := ep.PortStart; port <= end && port <= 65535; port++ {
		hp := net.JoinHostPort(ep.Hostname, strconv.Itoa(port))
		out = append(out, target{Endpoint: index, Host: ep.Hostname, Port: port,
			BaseURL: "http://" + hp, Label: hp, APIKey: ep.APIKey, Static: static})
	}
	return out
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

// endpointLabel names an endpoint in reports: "host:start-end", "host:port"
// or its URL (with any password hidden).
func endpointLabel(ep config.Endpoint) string {
	if ep.URL != "" {
		return redactURL(baseURL(ep.URL))
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
