//go:build linux && cgo

package main

import "C"

// feCloseMarkerQueued is called from GTK's main thread (closemarker_linux.go)
// when the close marker has been dispatched. It lives apart from the C code
// that calls it: a cgo file with //export may only declare C functions.
//
//export feCloseMarkerQueued
func feCloseMarkerQueued(ok C.int) { closeMarkerQueued(ok != 0) }
