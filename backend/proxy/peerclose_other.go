//go:build !(linux || darwin)

package proxy

import "syscall"

const canCheckPeer = false

func peerClosed(syscall.RawConn) bool { return false }
