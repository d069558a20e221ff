package config

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestRedaction_NoSecretReachesOutput(t *testing.T) {
	c, err := Parse([]byte(`{"port": 3333, "api_keys": ["client-key-1"], "endpoints": [
		{"url": "https://api.example.com/v1", "apikey": "backend-key-2", "tags": ["cloud"]},
		{"label": "local", "hostname": "::1", "port_start": 8080, "port_end": 8090, "enable": false}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		l := slog.New(h)
		l.Info("loaded", "config", c, "value", *c, "endpoint", c.Endpoints[0])
	}
	outputs := map[string]string{
		"Redacted": c.Redacted(),
		"logs":     logs.String(),
		"%v ptr":   fmt.Sprintf("%v", c), "%+v value": fmt.Sprintf("%+v", *c), "%#v ptr": fmt.Sprintf("%#v", c),
		//lint:ignore S1025 the test checks what fmt's %s verb prints, which String() alone would not
		"%s value": fmt.Sprintf("%s", *c), "%v endpoints": fmt.Sprintf("%v", c.Endpoints),
		"%#v endpoints": fmt.Sprintf("%#v", c.Endpoints), "%+v endpoint ptr": fmt.Sprintf("%+v", &c.Endpoints[0]),
	}
	for name, out := range outputs {
		if strings.Contains(out, "client-key-1") || strings.Contains(out, "backend-key-2") {
			t.Errorf("%s leaks a secret: %s", name, out)
		}
		if !strings.Contains(out, redacted) && name != "logs" {
			t.Errorf("%s does not show that a secret was hidden: %s", name, out)
		}
	}
	if c.APIKeys[0] != "client-key-1" || c.Endpoints[0].APIKey != "backend-key-2" {
		t.Errorf("redaction changed the config itself")
	}
	for _, want := range []string{"https://api.example.com", `[::1]:8080-8090`, "disabled", `tags=[\"cloud\"]`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
	if _, err := Parse([]byte(c.Redacted())); err != nil {
		t.Errorf("Redacted is not a valid config: %v", err)
	}
}

func TestEndpointString_SSH(t *testing.T) {
	c, err := Parse([]byte(`{"port": 1, "endpoints": [
		{"hostname": "gpu1", "ssh_username": "me", "env_var": "LLAMA_PORT", "tags": ["gpu1"]},
		{"hostname": "gpu2", "ssh_username": "me", "ssh_discover": "listening", "ssh_port": 2222, "tunnel": false, "port_start": 8000, "port_end": 8100},
		{"hostname": "gpu3", "ssh_username": "me", "port_start": 8080}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		`ssh://me@gpu1 env=LLAMA_PORT tags=["gpu1"]`,
		`ssh://me@gpu2:2222 listening direct ports=8000-8100`,
		`ssh://me@gpu3 ports=8080`,
	} {
		if got := c.Endpoints[i].String(); got != want {
			t.Errorf("endpoint %d: %q, want %q", i, got, want)
		}
	}
}
