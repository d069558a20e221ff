package proxy

import (
	"errors"
	"net"
	"testing"
)

// checkPeerClose: a connection writes while its peer is open, and writes
// nothing (errPeerClosed) once the peer has closed it.
func TestCheckPeerClose(t *testing.T) {
	if !canCheckPeer {
		t.Skip("no socket peek on this platform")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- c
		}
	}()
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := checkPeerClose(raw)
	t.Cleanup(func() { c.Close() })
	pc, ok := c.(*peerCheckedConn)
	if !ok {
		t.Fatalf("checkPeerClose(%T) = %T, want *peerCheckedConn", raw, c)
	}
	peer := recv(t, accepted, "the accepted connection")
	if n, err := c.Write([]byte("GET / HTTP/1.1\r\n")); n != 16 || err != nil {
		t.Fatalf("write with the peer open: %d, %v", n, err)
	}
	peer.Close() // with unread bytes: a reset
	eventually(t, "the peer's close reaching the socket", func() bool { return peerClosed(pc.raw) })
	if n, err := c.Write([]byte("POST / HTTP/1.1\r\n")); n != 0 || !errors.Is(err, errPeerClosed) {
		t.Fatalf("write after the peer closed: %d, %v; want 0, errPeerClosed", n, err)
	}
}

// A connection that cannot be peeked at (an SSH channel, a pipe) is used
// as it is.
func TestCheckPeerClose_OtherConnsUnchanged(t *testing.T) {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	if c := checkPeerClose(a); c != a {
		t.Fatalf("checkPeerClose(pipe) = %T, want the pipe itself", c)
	}
}
