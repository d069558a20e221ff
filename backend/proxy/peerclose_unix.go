//go:build linux || darwin

package proxy

import (
	"errors"
	"syscall"
)

const canCheckPeer = true

// peerClosed peeks at the socket without waiting: the end of the stream
// (the peer's FIN) or a reset means the peer has closed it. Pending bytes
// or nothing yet mean it is open. Control, unlike Read, does not wait for
// the transport's read loop, which may be blocked reading the same socket.
func peerClosed(raw syscall.RawConn) bool {
	closed := false
	err := raw.Control(func(fd uintptr) {
		var b [1]byte
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		closed = (n == 0 && err == nil) || errors.Is(err, syscall.ECONNRESET)
	})
	return err == nil && closed
}
