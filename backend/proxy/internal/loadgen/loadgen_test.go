package loadgen

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"fragmenteditor/backend/registry"
)

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {99, 10}, {100, 10}, {0, 1}, {10, 1}, {90, 9}} {
		if got := Percentile(d, tt.p); got != tt.want {
			t.Errorf("p%v = %d, want %d", tt.p, got, tt.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty")
	}
}

// TestYardstick: the ReverseProxy baseline really rewrites and forwards, and
// the drivers count what they should, so the comparison measures like for
// like.
func TestYardstick(t *testing.T) {
	be, err := StartBackend()
	if err != nil {
		t.Fatal(err)
	}
	defer be.Close()
	reg := &registry.Registry{}
	reg.Store(registry.NewSnapshot([]registry.Model{{Name: "n:t", ID: "true-id", Replicas: []registry.Backend{{BaseURL: be.URL}}}}))
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: NewReverseProxy(reg)}
	go srv.Serve(ln)
	defer srv.Close()
	client := &http.Client{Transport: Transport(8)}
	url := "http://" + ln.Addr().String() + "/v1/chat/completions"

	r := Load(context.Background(), client, url, ChatBody("n:t", false), 4, 40, time.Minute)
	if r.Requests != 40 || r.Errors != 0 || len(r.Latencies) != 40 {
		t.Fatalf("load: %+v", r)
	}
	if r := Load(context.Background(), client, url, ChatBody("unknown", false), 1, 1, time.Minute); r.Errors != 1 {
		t.Fatalf("an unknown model should fail: %+v", r)
	}
	if d, err := FirstByte(context.Background(), client, url, ChatBody("n:t", true), 3); err != nil || len(d) != 3 {
		t.Fatalf("first byte: %v %v", d, err)
	}
	if d, err := AbortToCancel(context.Background(), client, url, ChatBody("n:t", true), be, 3); err != nil || len(d) != 3 {
		t.Fatalf("abort: %v %v", d, err)
	}
	if failed := Streams(context.Background(), client, url, ChatBody("n:t", true), 5, 3, 0); failed != 0 {
		t.Fatalf("%d streams failed", failed)
	}
}
