package webapi

import (
	"net"
	"slices"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
)

func TestInvite(t *testing.T) {
	addrs := []net.Addr{
		&net.IPNet{IP: net.ParseIP("127.0.0.1")},
		&net.IPNet{IP: net.ParseIP("192.168.1.20")},
		&net.IPNet{IP: net.ParseIP("fe80::1")},
		&net.IPNet{IP: net.ParseIP("10.0.0.5")},
	}
	cases := []struct {
		name     string
		cfg      config.Config
		urls     []string
		exposed  bool
		note, qr bool
	}{
		{"loopback", config.Config{Host: "127.0.0.1", Port: 3333}, []string{"http://127.0.0.1:3333/"}, false, true, false},
		{"every interface", config.Config{Host: "0.0.0.0", Port: 3333}, []string{"http://192.168.1.20:3333/", "http://10.0.0.5:3333/"}, true, false, true},
		{"one address, TLS", config.Config{Host: "192.168.1.20", Port: 8443, TLSCert: "c.pem"}, []string{"https://192.168.1.20:8443/"}, true, false, true},
		{"a host name", config.Config{Host: "box.lan", Port: 3333}, []string{"http://box.lan:3333/"}, true, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := Invite(&c.cfg, "fe-key", addrs)
			if !slices.Equal(inv.URLs, c.urls) || inv.Exposed != c.exposed || (inv.Note != "") != c.note ||
				strings.HasPrefix(inv.QR, "data:image/png;base64,") != c.qr || inv.Key != "fe-key" || !inv.On {
				t.Errorf("got %+v", inv)
			}
		})
	}
}
