package llproxy

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/discovery"
	"fragmenteditor/backend/llproxy/llproxytest"
	"fragmenteditor/backend/proxy"
)

// Bug 1 of issue 14: two llproxies that scan each other grew fake names
// forever (T:0 … T:54), and the real model's number changed every run.
// Names must stay stable and the list must never grow by itself.
func TestService_TwoProxiesScanningEachOtherStayStable(t *testing.T) {
	const host = "127.0.0.150"
	real := llproxytest.NewBackend(t, "127.0.0.151", []string{"/models/T.gguf"})
	portA, portB := llproxytest.FreePort(t, host), llproxytest.FreePort(t, host)
	for portB == portA {
		portB = llproxytest.FreePort(t, host)
	}
	peer := func(port int) map[string]any {
		return map[string]any{"hostname": host, "port_start": port, "port_end": port}
	}
	a := newHarness(t, host, portA, peer(portB), endpointOf(real))
	b := newHarness(t, host, portB, peer(portA))
	a.start()
	b.start()
	for round := range 6 {
		a.rescan()
		b.rescan()
		if got := a.modelNames(); !slices.Equal(got, []string{"T"}) {
			t.Fatalf("round %d: A lists %v, want [T]", round, got)
		}
		if got := b.modelNames(); !slices.Equal(got, []string{"T"}) {
			t.Fatalf("round %d: B lists %v, want [T]", round, got)
		}
	}
	// B's T is A's (learned through it), and a request through B reaches
	// the real server by way of A.
	if m := b.svc.Status().Models; m[0].Name != "T" {
		t.Fatalf("B: %+v", m)
	}
	code, body := postBody(t, b.svc.BaseURL()+"/chat/completions", `{"model":"T","messages":[{"role":"user","content":"hi"}]}`)
	if code != 200 || !strings.Contains(body, "hello from /models/T.gguf") {
		t.Fatalf("through B: %d %s", code, body)
	}
}

func postBody(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := noKeepAlive.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text())
	}
	return resp.StatusCode, b.String()
}

// Issue 14: no connection cap. 200 slow clients each held a goroutine and
// a file descriptor. Now at most max_connections are served at once; the
// next waits until one closes.
func TestService_MaxConnections(t *testing.T) {
	const host = "127.0.0.152"
	port := llproxytest.FreePort(t, host)
	h := newHarness(t, host, port)
	h.write([]byte(fmt.Sprintf(`{"host": %q, "port": %d, "interval": 600000, "max_connections": 2, "endpoints": []}`, host, port)))
	h.start()
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	health := func(c net.Conn) error {
		c.SetDeadline(time.Now().Add(waitLimit))
		fmt.Fprintf(c, "GET /health HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	var conns []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := health(c); err != nil { // served, and kept open
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	third, err := net.Dial("tcp", addr) // the kernel queues it
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	answered := make(chan error, 1)
	go func() { answered <- health(third) }()
	select {
	case err := <-answered:
		t.Fatalf("a third connection was served over max_connections 2 (%v)", err)
	case <-time.After(200 * time.Millisecond): // not a wait for a result: a check that none comes
	}
	conns[0].Close()
	if err := <-answered; err != nil {
		t.Fatalf("the third connection was not served once one closed: %v", err)
	}
}

// Issue 14: streams cut at the end of a stop's grace ended with no error
// event and no log line.
func TestService_StopOutOfTimeEndsStreamsWithAnEvent(t *testing.T) {
	alpha := llproxytest.NewBackend(t, "127.0.0.153", []string{"alpha"}, llproxytest.WithGate())
	port := llproxytest.FreePort(t, "127.0.0.154")
	h := newHarness(t, "127.0.0.154", port, endpointOf(alpha))
	h.start()
	h.waitModels("alpha")
	resp, err := noKeepAlive.Post(h.svc.BaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"alpha","stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "data: ") {
		t.Fatalf("first chunk: %q %v", lines.Text(), lines.Err())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	stopped := make(chan error, 1)
	go func() { stopped <- h.svc.Stop(ctx) }() // the backend never finishes
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	if len(rest) < 1 || !strings.Contains(strings.Join(rest, "\n"), `"code":"shutting_down"`) {
		t.Errorf("the cut stream ends %q; want a shutting_down error event", rest)
	}
	if err := <-stopped; err == nil {
		t.Error("Stop = nil; want it to say the stop was cut short")
	}
	if out := h.out.String(); !strings.Contains(out, "stop ran out of time") || !strings.Contains(out, "shutting down") {
		t.Errorf("the cut stream was not logged:\n%s", out)
	}
	alpha.Release()
}

// Discovery and the proxy speak the same loop-guard header.
func TestInstanceHeaderIsShared(t *testing.T) {
	if discovery.InstanceHeader != proxy.InstanceHeader {
		t.Fatalf("discovery sends %q, the proxy reads %q", discovery.InstanceHeader, proxy.InstanceHeader)
	}
}
