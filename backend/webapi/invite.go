package webapi

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/config"
)

// Invitation is how another device reaches the editor: what the desktop
// app's proxy panel shows when "Serve the editor to other devices" is on.
type Invitation struct {
	// On: the editor is served.
	On bool `json:"on"`
	// URLs open the editor from other devices (the machine's addresses),
	// or from this machine only when the proxy listens on loopback.
	URLs []string `json:"urls"`
	// Exposed: other devices can reach the port; they need Key (or one of
	// api_keys) to log in.
	Exposed bool   `json:"exposed"`
	Key     string `json:"key"`
	// QR is a PNG of the first URL as a data: URL ("" when none).
	QR string `json:"qr"`
	// Note says what stands in the way, if anything.
	Note string `json:"note"`
}

// Invite describes how to reach an editor served with cfg and key; addrs
// are this machine's interface addresses (net.InterfaceAddrs).
func Invite(cfg *config.Config, key string, addrs []net.Addr) Invitation {
	inv := Invitation{On: true, Exposed: !access.IsLoopbackBind(cfg.Host), Key: key}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	port := strconv.Itoa(cfg.Port)
	host := func(h string) string { return scheme + "://" + net.JoinHostPort(h, port) + "/" }
	bind, _ := netip.ParseAddr(cfg.Host)
	switch {
	case !inv.Exposed:
		inv.URLs = []string{host("127.0.0.1")}
		inv.Note = fmt.Sprintf(`LLProxy listens on %s only, so other devices cannot reach it: set "host": "0.0.0.0" in the config below to serve them (they will need the key).`, orLoopback(cfg.Host))
	case bind.IsValid() && !bind.IsUnspecified():
		inv.URLs = []string{host(bind.String())}
	case bind.IsUnspecified():
		for _, a := range addrs {
			p, ok := netip.AddrFromSlice(ipOf(a))
			if !ok || p.Unmap().IsLoopback() || p.IsLinkLocalUnicast() || (bind.Is4() && !p.Unmap().Is4()) {
				continue
			}
			inv.URLs = append(inv.URLs, host(p.Unmap().String()))
		}
		if len(inv.URLs) == 0 {
			inv.Note = "This machine has no network address other devices could use."
		}
	default: // a host name
		inv.URLs = []string{host(cfg.Host)}
	}
	if len(inv.URLs) > 0 && inv.Exposed {
		if png, err := qrcode.Encode(inv.URLs[0], qrcode.Medium, 256); err == nil {
			inv.QR = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
		}
	}
	return inv
}

func orLoopback(h string) string {
	if h == "" {
		return "127.0.0.1"
	}
	return h
}

func ipOf(a net.Addr) net.IP {
	switch v := a.(type) {
	case *net.IPNet:
		return v.IP
	case *net.IPAddr:
		return v.IP
	}
	return nil
}
