package discovery

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/registry"
)

// Bug 1 of issue 14: probes name this llproxy's instance (so that another
// llproxy lists only what it found itself), and models listed by an
// llproxy (its answer names its instance) are marked as learned through
// it.
func TestDiscovery_RecognisesAnotherLLProxy(t *testing.T) {
	var asked atomic.Value
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.Header.Get(InstanceHeader))
		w.Header().Set(InstanceHeader, "peer-b")
		io.WriteString(w, `{"object":"list","data":[{"id":"remote","object":"model"}]}`)
	}))
	t.Cleanup(peer.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"data":[{"id":"local"}]}`)
	}))
	t.Cleanup(plain.Close)
	reg := &registry.Registry{}
	s := New(Options{Config: testConfig(config.Endpoint{URL: peer.URL}, config.Endpoint{URL: plain.URL}),
		Registry: reg, Instance: "me-a"})
	mustRun(t, s)
	if got, _ := asked.Load().(string); got != "me-a" {
		t.Errorf("the probe's %s = %q, want me-a", InstanceHeader, got)
	}
	if m, ok := reg.Load().Lookup("remote"); !ok || m.Through != "peer-b" {
		t.Errorf("remote: %+v; want Through peer-b", m)
	}
	if m, ok := reg.Load().Lookup("local"); !ok || m.Through != "" {
		t.Errorf("local: %+v; want first-hand", m)
	}
}

// A model that is also found first-hand is first-hand.
func TestNewModel_FirstHandWins(t *testing.T) {
	group := []candidate{
		{Name: "m", ID: "m", Backend: registry.Backend{BaseURL: "http://a"}, Through: "peer"},
		{Name: "m", ID: "m", Backend: registry.Backend{BaseURL: "http://b"}},
	}
	if m := newModel("m", "m", group); m.Through != "" || len(m.Replicas) != 2 {
		t.Fatalf("%+v", m)
	}
	if m := newModel("m", "m", group[:1]); m.Through != "peer" {
		t.Fatalf("%+v", m)
	}
}
