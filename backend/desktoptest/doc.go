// Package desktoptest holds the end-to-end tests of the real desktop app:
// the production binary in a real window under Xvfb, driven with xdotool
// and judged by what it writes and serves. They build only with the
// "desktop" tag and need the binary:
//
//	go test -tags desktop ./backend/desktoptest -args -bin build/bin/fragmenteditor
//
// `make test` runs them after building the binary once.
package desktoptest
