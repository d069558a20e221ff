package llproxy

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/discovery"
	"fragmenteditor/backend/registry"
)

// Status is a point-in-time view of the service for a UI.
type Status struct {
	Running bool `json:"running"`
	// ListenAddr is the bound "host:port"; empty when stopped.
	ListenAddr string `json:"listenAddr"`
	// BaseURL is what clients on this machine use ("http://127.0.0.1:3333/v1").
	BaseURL    string `json:"baseUrl"`
	Instance   string `json:"instance"`
	Version    string `json:"version"`
	ConfigPath string `json:"configPath"`
	// Error is the last config or listen failure since the last successful
	// apply (the previous config kept running); empty when none.
	Error string `json:"error,omitempty"`
	// Problems are the field problems behind Error, if it was a config
	// that did not validate.
	Problems []config.Problem `json:"problems,omitempty"`
	// Warning is set when the proxy serves the network without api_keys:
	// anyone who can reach it can use the models. Empty otherwise.
	Warning string `json:"warning,omitempty"`
	// PortInUse describes the occupant when Error is a taken listen
	// address; nil otherwise.
	PortInUse *PortInUseError `json:"portInUse,omitempty"`
	// Models is the live model list, in registry order.
	Models []ModelInfo `json:"models"`
	// Discovery is the last run's report (zero before the first run).
	Discovery discovery.Report `json:"discovery"`
}

// ModelInfo is one routable model as the panel shows it.
type ModelInfo struct {
	// Name is the final name clients ask for; ID the backend's own id.
	Name string   `json:"name"`
	ID   string   `json:"id"`
	Tags []string `json:"tags,omitempty"`
	// Replicas are the backends serving it: "host:port" for scanned ones,
	// the base URL for fixed-URL endpoints (without credentials), with
	// " via ssh://user@host" for those reached through an SSH tunnel.
	Replicas []string `json:"replicas"`
	// Raw is the first replica's own /v1/models entry.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Status reports the current state.
func (s *Service) Status() Status {
	s.mu.Lock()
	st := Status{
		Running:    s.run != nil,
		Instance:   s.instance,
		Version:    s.opts.Version,
		ConfigPath: s.opts.ConfigPath,
	}
	if s.run != nil {
		st.ListenAddr = net.JoinHostPort(bindHost(s.run.host), strconv.Itoa(s.run.port))
	}
	lastErr, run := s.lastErr, s.run
	if run != nil {
		st.Warning = s.warning
	}
	s.mu.Unlock()

	st.BaseURL = s.BaseURL()
	if lastErr != nil {
		st.Error = lastErr.Error()
		st.Problems = ConfigProblems(lastErr)
		var inUse *PortInUseError
		if errors.As(lastErr, &inUse) {
			st.PortInUse = inUse
		}
	}
	st.Models = modelInfos(s.Models()) // the other llproxy's, when using it
	if run != nil {
		st.Discovery = run.disc.LastReport()
	}
	return st
}

func modelInfos(models []registry.Model) []ModelInfo {
	out := make([]ModelInfo, 0, len(models))
	for _, m := range models {
		info := ModelInfo{Name: m.Name, ID: m.ID, Tags: m.Tags, Raw: m.Raw}
		for _, b := range m.Replicas {
			info.Replicas = append(info.Replicas, replicaLabel(b))
		}
		out = append(out, info)
	}
	return out
}

// replicaLabel is "host:port" for a scanned backend, or its base URL
// without user info for a fixed URL, plus " via ssh://user@host" when it
// is reached through a tunnel.
func replicaLabel(b registry.Backend) string {
	if b.Tunneled() {
		return plainReplicaLabel(b) + " via " + b.Via()
	}
	return plainReplicaLabel(b)
}

func plainReplicaLabel(b registry.Backend) string {
	u, err := url.Parse(b.BaseURL)
	if err != nil {
		return "(unparsable URL)"
	}
	if b.Port != 0 && (u.Path == "" || u.Path == "/") {
		return u.Host
	}
	u.User = nil
	return u.String()
}

// ConfigProblems returns the field problems behind err when it (or what it
// wraps) is a config validation error; nil otherwise. When there were more
// than config.MaxProblems, a last entry without a path says how many more.
func ConfigProblems(err error) []config.Problem {
	var ve *config.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	if ve.More == 0 {
		return ve.Problems
	}
	return append(slices.Clip(ve.Problems), config.Problem{Message: fmt.Sprintf("… and %d more problems", ve.More)})
}
