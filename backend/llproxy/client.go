package llproxy

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"fragmenteditor/backend/registry"
)

// Models is the live model list, in registry order. When this service is
// not running because another llproxy serves its port, it is that
// llproxy's list (asked over loopback). Callers must not modify it.
func (s *Service) Models() []registry.Model {
	if occ := s.occupant(); occ != nil {
		return occupantModels(occ.BaseURL)
	}
	return s.reg.Load().Models()
}

// ClientEndpoint is what a client inside the app uses to reach the proxy:
// its /v1 base URL and a key it accepts ("" when it asks for none). The
// URL is plain HTTP even with TLS on: the port serves it to this machine,
// and the app's client needs no certificate. When another llproxy serves
// the configured port, that is the one to use.
func (s *Service) ClientEndpoint() (baseURL, apiKey string) {
	s.mu.Lock()
	if s.cfg != nil && len(s.cfg.APIKeys) > 0 {
		apiKey = s.cfg.APIKeys[0]
	}
	baseURL = s.localBaseURLLocked()
	s.mu.Unlock()
	if occ := s.occupant(); occ != nil {
		return occ.BaseURL, apiKey
	}
	return baseURL, apiKey
}

// occupant is the other llproxy on our port when that is why this service
// is not running; nil otherwise.
func (s *Service) occupant() *PortInUseError {
	s.mu.Lock()
	defer s.mu.Unlock()
	var inUse *PortInUseError
	if s.run != nil || !errors.As(s.lastErr, &inUse) || !inUse.LLProxy || inUse.BaseURL == "" {
		return nil
	}
	return inUse
}

// occupantModels asks another llproxy for its models; nil when it does not
// answer. Its names are final already: Name and ID are both the name.
func occupantModels(baseURL string) []registry.Model {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/models", nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var list struct {
		Data []json.RawMessage `json:"data"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 8<<20)).Decode(&list) != nil {
		return nil
	}
	root := strings.TrimSuffix(baseURL, "/v1")
	var models []registry.Model
	for _, raw := range list.Data {
		var entry struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(raw, &entry) != nil || entry.ID == "" {
			continue
		}
		models = append(models, registry.Model{
			Name: entry.ID, ID: entry.ID, Raw: raw,
			Replicas: []registry.Backend{{BaseURL: root}},
		})
	}
	return models
}
