package lab_test

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"fragmenteditor/backend/lab"
)

func TestLabPortRangeAcrossHosts(t *testing.T) {
	l := theLab(t)
	var eps []string
	for _, h := range l.Hosts {
		eps = append(eps, fmt.Sprintf(`{"hostname": %q, "port_start": 8000, "port_end": 8010}`, h.Addr))
	}
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+strings.Join(eps, ",")+`]`)
	// The loopback-only servers (loop, beta) cannot be reached directly.
	p.waitModels(t, "alpha", "gamma", "shared")
	seen := map[string]bool{}
	for range 4 {
		code, text := p.chat(t, "shared")
		if code != http.StatusOK {
			t.Fatalf("shared: %d %s", code, text)
		}
		seen[strings.Fields(text)[0]] = true
	}
	if !seen["host=h1"] || !seen["host=h2"] {
		t.Errorf("shared answered from %v, want both h1 and h2 (replicas across hosts)", seen)
	}
}

func TestLabSSHEnvVar(t *testing.T) {
	l := theLab(t)
	h1 := l.Hosts[0]
	// The original llproxy's form, as written (with the lab's address).
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+
		fmt.Sprintf(`{ "hostname": %q, "ssh_username": "root", "env_var": "LLAMA_PORT", "tags": ["gpu1"] }`, h1.Addr)+`]`)
	p.waitModels(t, "alpha:gpu1", "loop:gpu1", "shared:gpu1")
	// loop listens on h1's 127.0.0.1 only: it answers through the tunnel.
	code, text := p.chat(t, "loop:gpu1")
	if code != http.StatusOK || text != "host=h1 port=8002" {
		t.Fatalf("loop through the tunnel: %d %q", code, text)
	}
	code, text = p.chat(t, "alpha:gpu1")
	if code != http.StatusOK || text != "host=h1 port=8001" {
		t.Fatalf("alpha through the tunnel: %d %q", code, text)
	}
}

func TestLabSSHWithoutTunnel(t *testing.T) {
	l := theLab(t)
	// Ports are found over SSH, then dialled directly: the loopback-only
	// server is found but cannot be reached, as with the original.
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+sshEndpoint(l.Hosts[0], `, "env_var": "LLAMA_PORT", "tunnel": false`)+`]`)
	p.waitModels(t, "alpha", "shared")
	if code, text := p.chat(t, "alpha"); code != http.StatusOK || text != "host=h1 port=8001" {
		t.Fatalf("alpha direct: %d %q", code, text)
	}
}

func TestLabSSHListening(t *testing.T) {
	l := theLab(t)
	// h2: shared on its address, beta on its 127.0.0.1 without any
	// variable; sshd's own port is not probed.
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+sshEndpoint(l.Hosts[1], `, "ssh_discover": "listening"`)+`]`)
	p.waitModels(t, "beta", "shared")
	if code, text := p.chat(t, "beta"); code != http.StatusOK || text != "host=h2 port=8004" {
		t.Fatalf("beta through the tunnel: %d %q", code, text)
	}
	if strings.Contains(lab.Output(p.cmd), ":22 via") {
		t.Errorf("sshd's port was probed:\n%s", tail(lab.Output(p.cmd), 40))
	}
}

func TestLabFailoverWhenALinkGoesDown(t *testing.T) {
	l := theLab(t)
	h1, h2 := l.Hosts[0], l.Hosts[1]
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+
		sshEndpoint(h1, `, "env_var": "LLAMA_PORT", "filter": ["shared"]`)+","+
		sshEndpoint(h2, `, "ssh_discover": "listening", "filter": ["shared"]`)+`]`)
	p.waitModels(t, "shared")
	waitFor(t, "shared served by both hosts", 20*time.Second, func() bool {
		seen := map[string]bool{}
		for range 4 {
			if _, text := p.chat(t, "shared"); text != "" {
				seen[strings.Fields(text)[0]] = true
			}
		}
		return seen["host=h1"] && seen["host=h2"]
	})

	// Two long streams: least-in-flight puts one on each host.
	a := p.startStream(t, "shared", 120, 100)
	b := p.startStream(t, "shared", 120, 100)
	hosts := map[string]*stream{strings.Fields(a.first)[0]: a, strings.Fields(b.first)[0]: b}
	onH1, onH2 := hosts["host=h1"], hosts["host=h2"]
	if onH1 == nil || onH2 == nil {
		t.Fatalf("streams went to %q and %q, want one on each host", a.first, b.first)
	}

	// Requests now leave idle upstream connections to both hosts in the
	// proxy's pools: the ones to h2 will be dead ones.
	for range 4 {
		if code, text := p.chat(t, "shared"); code != http.StatusOK {
			t.Fatalf("before the link goes down: %d %s", code, text)
		}
	}
	if err := l.SetLink(h2, false); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.SetLink(h2, true) })

	// Requests that had not started: no error, all answered by h1.
	for i := range 6 {
		sent := time.Now()
		code, text := p.chat(t, "shared")
		t.Logf("request %d after the link went down: %v", i, time.Since(sent).Round(time.Millisecond))
		if code != http.StatusOK || !strings.HasPrefix(text, "host=h1 ") {
			t.Fatalf("request %d after h2 went down: %d %q", i, code, text)
		}
	}
	// The stream through h2's dead tunnel ends cleanly: no broken read,
	// and a final error event says what happened.
	sent := time.Now()
	if err := onH2.drain(); err != nil {
		t.Errorf("the stream through h2 broke instead of ending: %v", err)
	}
	t.Logf("the stream through h2 ended %v later", time.Since(sent).Round(time.Millisecond))
	if last := onH2.last(); !strings.Contains(last, "error") {
		t.Errorf("the stream through h2 ended with %q, want an error event", last)
	}
	// The stream on h1 is untouched.
	if err := onH1.drain(); err != nil || onH1.last() != "[DONE]" {
		t.Errorf("the stream on h1: err %v, last event %q, want [DONE]", err, onH1.last())
	}
}

func TestLabStoppedSSHDIsReportedAndOthersUnaffected(t *testing.T) {
	l := theLab(t)
	h1, h3 := l.Hosts[0], l.Hosts[2]
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+
		sshEndpoint(h1, `, "env_var": "LLAMA_PORT"`)+","+sshEndpoint(h3, `, "env_var": "LLAMA_PORT"`)+`]`)
	p.waitModels(t, "alpha", "gamma", "loop", "shared")

	h3.StopSSHD()
	t.Cleanup(func() {
		if err := h3.StartSSHD(); err != nil {
			t.Errorf("restarting h3's sshd: %v", err)
		}
	})
	// Its connection is gone, new ones are refused: the endpoint is
	// reported, its model follows the timeout rule (kept one run, then
	// dropped), and h1's models stay.
	p.waitModels(t, "alpha", "loop", "shared")
	logs := lab.Output(p.cmd)
	if !strings.Contains(logs, "ssh endpoint unreachable") || !strings.Contains(logs, "ssh://root@"+h3.Addr) ||
		!strings.Contains(logs, "connection refused") {
		t.Errorf("no report of h3 being unreachable:\n%s", tail(logs, 40))
	}
	for range 3 {
		if code, text := p.chat(t, "alpha"); code != http.StatusOK {
			t.Fatalf("h1 affected: %d %s", code, text)
		}
	}
}

func TestLabUnknownHostKeyIsRefused(t *testing.T) {
	l := theLab(t)
	h1, h3 := l.Hosts[0], l.Hosts[2]
	// A known_hosts that knows h1 only.
	known := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(known, []byte(h1.KnownHostsLine()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kh := fmt.Sprintf(`, "env_var": "LLAMA_PORT", "known_hosts": %q`, known)
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+sshEndpoint(h1, kh)+","+sshEndpoint(h3, kh)+`]`)
	p.waitModels(t, "alpha", "loop", "shared")
	fp := ssh.FingerprintSHA256(h3.HostKey())
	waitFor(t, "the unknown host key reported", 10*time.Second, func() bool {
		return strings.Contains(lab.Output(p.cmd), fp)
	})
	logs := lab.Output(p.cmd)
	for _, want := range []string{"unknown host key", "ssh://root@" + h3.Addr, fp, "ssh-keyscan -t ed25519 " + h3.Addr + " >> " + known} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs do not say %q:\n%s", want, tail(logs, 30))
		}
	}
}

func TestLabExposedProxyNeedsTheKey(t *testing.T) {
	l := theLab(t)
	p := startProxy(t, l, "0.0.0.0", `"api_keys": ["lab-key"], "endpoints": [`+
		fmt.Sprintf(`{"hostname": %q, "port_start": 8001, "port_end": 8001}`, l.Hosts[0].Addr)+`]`)
	// From another namespace, at the proxy's lab address.
	client := nodeClient(l.Client)
	url := strings.Replace(p.base, "127.0.0.1", l.Proxy.Addr, 1) + "/v1/models"
	get := func(key string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = fmt.Fprint(&b, resp.Header.Get("Content-Type"))
		buf := make([]byte, 4096)
		n, _ := resp.Body.Read(buf)
		return resp.StatusCode, string(buf[:n])
	}
	waitFor(t, "alpha listed with the key", 20*time.Second, func() bool {
		code, body := get("lab-key")
		return code == http.StatusOK && strings.Contains(body, `"alpha"`)
	})
	if code, body := get(""); code != http.StatusUnauthorized {
		t.Errorf("without the key: %d %s, want 401", code, body)
	}
	if code, body := get("wrong"); code != http.StatusUnauthorized {
		t.Errorf("with a wrong key: %d %s, want 401", code, body)
	}
}

func TestLabSSHPortRangeThroughTheTunnel(t *testing.T) {
	l := theLab(t)
	// No discovery on the host: the range itself is probed through the
	// tunnel, so h2's loopback-only beta is found and reached.
	p := startProxy(t, l, "127.0.0.1", `"endpoints": [`+sshEndpoint(l.Hosts[1], `, "port_start": 8000, "port_end": 8010`)+`]`)
	p.waitModels(t, "beta", "shared")
	if code, text := p.chat(t, "beta"); code != http.StatusOK || text != "host=h2 port=8004" {
		t.Fatalf("beta through the tunnel: %d %q", code, text)
	}
}

func TestLabCleansNamespacesOfACrashedRun(t *testing.T) {
	if err := lab.Check(); err != nil {
		t.Fatalf("lab: %v", err)
	}
	// A namespace named after a process that is gone, as a crashed run
	// leaves it.
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("felab%d-stale", gone.Process.Pid)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "delete", name).Run() })
	if err := lab.CleanStale(); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command("ip", "netns", "list").Output()
	if strings.Contains(string(out), name) {
		t.Errorf("%s survived CleanStale:\n%s", name, out)
	}
}

func TestLabLeavesTheMachinesOwnNamespaceAlone(t *testing.T) {
	l := theLab(t)
	// The machine's namespace has no lab address, route or link; the lab's
	// hosts have their address and no route out.
	for _, args := range [][]string{{"-4", "addr", "show"}, {"-4", "route", "show"}, {"link", "show"}} {
		out, err := exec.Command("ip", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("ip %v: %v %s", args, err, out)
		}
		if strings.Contains(string(out), "198.18.") || strings.Contains(string(out), "br0") {
			t.Errorf("ip %s in the machine's namespace shows the lab:\n%s", strings.Join(args, " "), out)
		}
	}
	h1 := l.Hosts[0]
	out, err := exec.Command("ip", "-n", h1.NS, "-4", "route", "show").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "default") || !strings.Contains(string(out), "198.18.0.0/24") {
		t.Errorf("h1's routes: %s, want only the lab's /24", out)
	}
}
