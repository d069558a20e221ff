package llproxy

import "fragmenteditor/backend/registry"

// Models is the live model list, in registry order. Callers must not
// modify it.
func (s *Service) Models() []registry.Model { return s.reg.Load().Models() }

// ClientEndpoint is what a client inside the app uses to reach the proxy:
// its /v1 base URL and a key it accepts ("" when it asks for none).
func (s *Service) ClientEndpoint() (baseURL, apiKey string) {
	s.mu.Lock()
	if s.cfg != nil && len(s.cfg.APIKeys) > 0 {
		apiKey = s.cfg.APIKeys[0]
	}
	s.mu.Unlock()
	return s.BaseURL(), apiKey
}
