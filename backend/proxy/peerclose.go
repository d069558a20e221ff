package proxy

import (
	"errors"
	"net"
	"syscall"
)

// A pooled upstream connection that the backend closed while it sat idle
// (a server that closes after each answer without saying so, or whose
// keep-alive ran out) is only dropped from the pool once the transport's
// read loop runs and sees the end. A request written on it before that
// reaches no one, yet the transport cannot tell it from one the backend
// got and dropped, so it refuses to resend it and the client gets 502.
// peerCheckedConn closes that gap: it writes nothing on a connection whose
// backend has already closed it, and the transport resends a request of
// which nothing was written (on a new connection).
type peerCheckedConn struct {
	net.Conn
	raw syscall.RawConn
}

// errPeerClosed: the backend had closed the connection before the write.
var errPeerClosed = errors.New("backend closed the connection before the request was written")

func (c *peerCheckedConn) Write(p []byte) (int, error) {
	if peerClosed(c.raw) {
		return 0, errPeerClosed
	}
	return c.Conn.Write(p)
}

// checkPeerClose wraps c when its socket can be checked (TCP on Linux and
// macOS); other connections are returned as they are.
func checkPeerClose(c net.Conn) net.Conn {
	sc, ok := c.(syscall.Conn)
	if !ok || !canCheckPeer {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	return &peerCheckedConn{Conn: c, raw: raw}
}
