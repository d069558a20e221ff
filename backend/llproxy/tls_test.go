package llproxy

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fragmenteditor/backend/config"
	"fragmenteditor/backend/llproxy/llproxytest"
)

// testCert is a self-signed certificate for ip, with the given serial.
type testCert struct {
	certPEM, keyPEM []byte
	cert            *x509.Certificate
}

func newTestCert(t *testing.T, ip string, serial int64) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: "llproxy test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP(ip)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return testCert{
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
		cert:    cert,
	}
}

// install writes the pair into dir the way a renewal does: new files
// renamed over the old ones.
func (c testCert) install(t *testing.T, dir string) {
	t.Helper()
	for name, data := range map[string][]byte{"key.pem": c.keyPEM, "cert.pem": c.certPEM} {
		tmp := filepath.Join(dir, name+".new")
		if err := os.WriteFile(tmp, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// tlsClient trusts the given certificates and dials afresh every time.
func tlsClient(certs ...testCert) *http.Client {
	pool := x509.NewCertPool()
	for _, c := range certs {
		pool.AddCert(c.cert)
	}
	return &http.Client{Timeout: waitLimit, Transport: &http.Transport{
		DisableKeepAlives: true,
		TLSClientConfig:   &tls.Config{RootCAs: pool},
	}}
}

// servedSerial does GET url and returns the serial of the certificate
// the server presented.
func servedSerial(t *testing.T, c *http.Client, url string) int64 {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("GET %s: %d, TLS %v", url, resp.StatusCode, resp.TLS != nil)
	}
	return resp.TLS.PeerCertificates[0].SerialNumber.Int64()
}

func tlsConfigJSON(t *testing.T, host string, port int, tlsOn bool) []byte {
	var m map[string]any
	if err := json.Unmarshal(configJSON(host, port), &m); err != nil {
		t.Fatal(err)
	}
	if tlsOn {
		m["tls_cert"], m["tls_key"] = "cert.pem", "key.pem" // relative to the config file
	}
	data, _ := json.Marshal(m)
	return data
}

func TestService_TLS(t *testing.T) {
	const host = "127.0.0.131"
	port := llproxytest.FreePort(t, host)
	h := newHarness(t, host, port)
	dir := filepath.Dir(h.path)
	first, renewed := newTestCert(t, host, 1), newTestCert(t, host, 2)
	first.install(t, dir)
	h.write(tlsConfigJSON(t, host, port, true))
	h.start()

	base := "https://" + net.JoinHostPort(host, strconv.Itoa(port))
	if got := h.svc.BaseURL(); got != base+"/v1" {
		t.Errorf("BaseURL = %q, want %q", got, base+"/v1")
	}
	client := tlsClient(first, renewed)
	if s := servedSerial(t, client, base+"/health"); s != 1 {
		t.Fatalf("serial %d, want 1", s)
	}
	// A client on this machine may still speak plain HTTP on the port (the
	// app's own, curl): the first byte tells. Others must use TLS.
	if code, body := getBody(t, "http://"+net.JoinHostPort(host, strconv.Itoa(port))+"/health"); code != 200 || !strings.Contains(body, `"llproxy"`) {
		t.Errorf("plain HTTP from this machine: %d %q", code, body)
	}
	if got := h.svc.BaseURL(); got != base+"/v1" {
		t.Errorf("BaseURL = %q", got)
	}
	if got, _ := h.svc.ClientEndpoint(); got != "http://"+net.JoinHostPort(host, strconv.Itoa(port))+"/v1" {
		t.Errorf("ClientEndpoint = %q: the app's own client would need to trust the certificate", got)
	}

	// A renewal is picked up by new connections without a restart.
	renewed.install(t, dir)
	waitFor(t, "the renewed certificate", func() bool { return servedSerial(t, client, base+"/health") == 2 })

	// A broken renewal keeps the working certificate.
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the broken renewal to be seen", func() bool {
		servedSerial(t, client, base+"/health") // a handshake makes it look
		return strings.Contains(h.out.String(), "renewed TLS certificate not loaded")
	})
	if s := servedSerial(t, client, base+"/health"); s != 2 {
		t.Fatalf("serial %d after a broken renewal, want 2", s)
	}

	// TLS off in the config: the same port, without a new bind, speaks
	// plain HTTP only.
	h.write(tlsConfigJSON(t, host, port, false))
	waitFor(t, "TLS off", func() bool { return strings.HasPrefix(h.svc.BaseURL(), "http://") })
	if code, _ := getBody(t, "http://"+net.JoinHostPort(host, strconv.Itoa(port))+"/health"); code != 200 {
		t.Errorf("plain HTTP after TLS off: %d", code)
	}
	if resp, err := client.Get(base + "/health"); err == nil {
		resp.Body.Close()
		t.Error("TLS still answered after TLS off")
	}
}

// fakeAddrConn is a net.Conn with given addresses (nothing else is used).
type fakeAddrConn struct {
	net.Conn
	local, remote string
}

func (c fakeAddrConn) LocalAddr() net.Addr  { return tcpAddr(c.local) }
func (c fakeAddrConn) RemoteAddr() net.Addr { return tcpAddr(c.remote) }

func tcpAddr(s string) *net.TCPAddr {
	a, _ := net.ResolveTCPAddr("tcp", s)
	return a
}

func TestFromThisMachine(t *testing.T) {
	for _, c := range []struct {
		local, remote string
		want          bool
	}{
		{"127.0.0.1:3333", "127.0.0.1:50000", true},
		{"127.0.0.5:3333", "127.0.0.1:50000", true},
		{"[::1]:3333", "[::1]:50000", true},
		{"198.18.0.2:3333", "198.18.0.2:50000", true}, // this machine, through its own LAN address
		{"198.18.0.2:3333", "198.18.0.3:50000", false},
		{"[2001:db8::2]:3333", "[2001:db8::9]:50000", false},
	} {
		if got := fromThisMachine(fakeAddrConn{local: c.local, remote: c.remote}); got != c.want {
			t.Errorf("local %s remote %s: %v, want %v", c.local, c.remote, got, c.want)
		}
	}
	if !isTLSHandshake(0x16) || isTLSHandshake('G') || isTLSHandshake('P') {
		t.Error("isTLSHandshake")
	}
}

func TestService_TLSMissingFiles(t *testing.T) {
	const host = "127.0.0.132"
	port := llproxytest.FreePort(t, host)
	h := newHarness(t, host, port)
	h.write(tlsConfigJSON(t, host, port, true)) // no files written
	err := h.svc.Start(context.Background())
	if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "tls_cert") || !strings.Contains(err.Error(), "cert.pem") {
		t.Fatalf("Start = %v, want a config error naming tls_cert and the file", err)
	}
	if !refused(host, port) {
		t.Fatal("a listener was left behind")
	}
}

func TestExposureWarning(t *testing.T) {
	tests := []struct {
		host string
		keys []string
		want bool
	}{
		{"127.0.0.1", nil, false},
		{"::1", nil, false},
		{"localhost", nil, false},
		{"0.0.0.0", nil, true},
		{"::", nil, true},
		{"198.18.0.2", nil, true},
		{"0.0.0.0", []string{"k"}, false},
	}
	for _, tt := range tests {
		cfg := parseConfig(t, tt.host, tt.keys)
		got := exposureWarning(cfg)
		if (got != "") != tt.want {
			t.Errorf("host %q keys %v: warning %q", tt.host, tt.keys, got)
		}
		if got != "" && (!strings.Contains(got, net.JoinHostPort(tt.host, "3333")) || !strings.Contains(got, "anyone who can reach")) {
			t.Errorf("warning %q does not name the address and the risk", got)
		}
	}
}

// An exposed proxy without keys warns in the log at start and in Status
// (the panel shows it); adding a key clears it.
func TestService_ExposedWithoutKeysWarns(t *testing.T) {
	port := llproxytest.FreePort(t, "0.0.0.0")
	h := startHarness(t, "0.0.0.0", port)
	want := "listening on 0.0.0.0:" + strconv.Itoa(port) + " without api_keys: anyone who can reach this address can use the models"
	if !strings.Contains(h.out.String(), "level=WARN") || !strings.Contains(h.out.String(), want) {
		t.Fatalf("log lacks the warning:\n%s", h.out.String())
	}
	if w := h.svc.Status().Warning; !strings.Contains(w, want) {
		t.Fatalf("Status().Warning = %q", w)
	}
	var m map[string]any
	_ = json.Unmarshal(configJSON("0.0.0.0", port), &m)
	m["api_keys"] = []string{"sesame"}
	data, _ := json.Marshal(m)
	h.write(data)
	waitFor(t, "the warning to clear", func() bool { return h.svc.Status().Warning == "" })
}

func parseConfig(t *testing.T, host string, keys []string) *config.Config {
	t.Helper()
	cfg, err := config.Validate(config.Config{Host: host, Port: 3333, APIKeys: keys})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
