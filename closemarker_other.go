//go:build !linux || !cgo

package main

// SendCloseMarker: no marker key can be queued here, so the hand-over asks
// the page directly at once (see backend/handover).
func (wailsUI) SendCloseMarker(queued func(bool)) { queued(false) }
