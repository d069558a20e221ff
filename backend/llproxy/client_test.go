package llproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

// TestClient_UsesTheLLProxyOnItsPort: when another llproxy already serves
// the port, the app's own clients use it and its models.
func TestClient_UsesTheLLProxyOnItsPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.141:0")
	if err != nil {
		t.Fatal(err)
	}
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/health":
			io.WriteString(w, `{"status":"ok","service":"llproxy","instance":"svc-1","version":"1.0.0","models":1}`)
		case "/v1/models":
			io.WriteString(w, `{"object":"list","data":[{"id":"qwen:gpu","object":"model","meta":{"n_ctx_train":8192}}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	other.Listener = ln
	other.Start()
	defer other.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	path := filepath.Join(t.TempDir(), "llproxy.json")
	os.WriteFile(path, []byte(fmt.Sprintf(`{"host": "127.0.0.141", "port": %d, "endpoints": []}`, port)), 0o600)
	s, err := New(Options{ConfigPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); !errors.Is(err, ErrPortInUse) {
		t.Fatalf("Start: %v, want port in use", err)
	}
	base, _ := s.ClientEndpoint()
	if want := fmt.Sprintf("http://127.0.0.141:%d/v1", port); base != want {
		t.Fatalf("ClientEndpoint = %q, want the other llproxy %q", base, want)
	}
	models := s.Models()
	if len(models) != 1 || models[0].Name != "qwen:gpu" || len(models[0].Raw) == 0 {
		t.Fatalf("Models() = %+v, want the other llproxy's", models)
	}
	if st := s.Status(); len(st.Models) != 1 || st.Models[0].Name != "qwen:gpu" || st.PortInUse == nil {
		t.Fatalf("Status() models %+v, port in use %+v: want the other llproxy's models", st.Models, st.PortInUse)
	}
}
