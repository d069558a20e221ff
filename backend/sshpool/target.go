package sshpool

import (
	"net"
	"strconv"
)

// Target is one SSH login: who, where, and which files to use. It is
// comparable: the pool keeps one connection per distinct Target.
type Target struct {
	User string
	Host string
	// Port is the SSH port; zero means 22.
	Port int
	// KeyFile is a private key tried after the agent; empty means
	// ~/.ssh/id_ed25519, id_ecdsa and id_rsa.
	KeyFile string
	// KnownHosts is the known_hosts file; empty means ~/.ssh/known_hosts.
	KnownHosts string
}

func (t Target) port() int {
	if t.Port == 0 {
		return 22
	}
	return t.Port
}

// Addr is "host:port" of the SSH server.
func (t Target) Addr() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.port())) }

// String is "ssh://user@host" (with ":port" when not 22), as reports show
// how a backend is reached.
func (t Target) String() string {
	host := t.Host
	if t.port() != 22 {
		host = t.Addr()
	} else if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
		host = "[" + host + "]"
	}
	return "ssh://" + t.User + "@" + host
}
