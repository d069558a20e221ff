package discovery

import (
	"context"
	"crypto/ed25519"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/sshpool"
)

// An SSH host that cannot be reached is reported on its endpoint, and the
// models its ports answered with last follow the timeout rule: kept for
// one run, then dropped.
func TestUnreachableSSHHostFollowsTheTimeoutRule(t *testing.T) {
	cfg, err := config.Parse([]byte(`{"port": 1, "connect_timeout": 500, "probe_timeout": 500, "endpoints": [
		{"hostname": "gpu1", "ssh_username": "me", "env_var": "LLAMA_PORT"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	down := errors.New("no route to host")
	home := t.TempDir()
	_, priv, _ := ed25519.GenerateKey(nil)
	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	pool := sshpool.New(sshpool.Options{NoAgent: true, Home: home,
		DialTCP: func(context.Context, string) (net.Conn, error) { return nil, down }})
	defer pool.Close()
	s := New(Options{Config: cfg, SSH: pool})
	tgt := portTarget(0, cfg.Endpoints[0], 8080, nil)
	s.mem.Held = map[targetKey]held{{Endpoint: 0, BaseURL: tgt.BaseURL}: {Port: 8080, Entries: []entry{staticEntry("m")}}}

	rep, ok := s.runOnce(context.Background())
	if !ok {
		t.Fatal("run abandoned")
	}
	ep := rep.Endpoints[0]
	if !strings.Contains(ep.SSHError, "no route to host") || !strings.Contains(ep.SSHError, "ssh://me@gpu1") {
		t.Errorf("SSHError = %q, want the host and the cause", ep.SSHError)
	}
	if ep.Via != "ssh://me@gpu1" || !ep.Tunnel || ep.Kept != 1 || !ep.unreachable() {
		t.Errorf("report %+v: want via ssh://me@gpu1, tunnel, 1 kept, unreachable", ep)
	}
	models := s.reg.Load().Models()
	if len(models) != 1 || models[0].Name != "m" || models[0].Replicas[0].Via() != "ssh://me@gpu1" {
		t.Fatalf("first run: models %+v, want m kept, reached through the tunnel", models)
	}

	if _, ok := s.runOnce(context.Background()); !ok {
		t.Fatal("run abandoned")
	}
	if n := len(s.reg.Load().Models()); n != 0 {
		t.Errorf("second run: %d models, want the held one dropped", n)
	}
}

func TestMergeSSHKeepsEndpointThenPortOrder(t *testing.T) {
	p := plan{
		Targets:   []target{{Endpoint: 0, Port: 1}, {Endpoint: 2, Port: 5}},
		Endpoints: make([]EndpointReport, 3),
	}
	results := []probeResult{{Outcome: refused}, {Outcome: refused}}
	outs := []sshOutcome{{Job: sshJob{Endpoint: 1}, Ports: []int{7, 9},
		Targets: []target{{Endpoint: 1, Port: 7}, {Endpoint: 1, Port: 9}},
		Results: []probeResult{{Outcome: answered}, {Outcome: failed}}}}
	merged := mergeSSH(&p, results, outs)
	var order []int
	for _, t := range p.Targets {
		order = append(order, t.Port)
	}
	if got := order; len(got) != 4 || got[0] != 1 || got[1] != 7 || got[2] != 9 || got[3] != 5 {
		t.Errorf("order %v, want [1 7 9 5]", got)
	}
	if merged[1].Outcome != answered || merged[2].Outcome != failed {
		t.Errorf("results did not follow their targets: %+v", merged)
	}
	if got := p.Endpoints[1].Ports; len(got) != 2 {
		t.Errorf("ports %v not recorded", got)
	}
}
