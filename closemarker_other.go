//go:build !linux || !cgo

package main

// SendCloseMarker asks the page directly where no marker key can be queued
// (the hand-over's fallback; see backend/handover).
func (w wailsUI) SendCloseMarker() { w.Emit(eventClosing) }
