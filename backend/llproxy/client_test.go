package llproxy

import (
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

func TestClientEndpoint_BaseURLAndFirstKey(t *testing.T) {
	s, err := New(Options{ConfigPath: t.TempDir() + "/c.json"})
	if err != nil {
		t.Fatal(err)
	}
	if base, key := s.ClientEndpoint(); base != "" || key != "" {
		t.Fatalf("before any config: %q %q", base, key)
	}
	s.cfg = &config.Config{Host: "127.0.0.1", Port: 4545, APIKeys: []string{"k1", "k2"}}
	if base, key := s.ClientEndpoint(); base != "http://127.0.0.1:4545/v1" || key != "k1" {
		t.Fatalf("got %q %q", base, key)
	}
	s.reg.Store(registry.NewSnapshot([]registry.Model{{Name: "a", ID: "a"}}))
	if m := s.Models(); len(m) != 1 || m[0].Name != "a" {
		t.Fatalf("Models() = %v", m)
	}
}
