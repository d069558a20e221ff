// Package desktoptest holds the end-to-end tests of the real desktop app:
// the production binary in a real window under Xvfb, driven with xdotool
// and judged by what it writes and serves, and by what the page says it
// shows: the app runs with FRAGMENTEDITOR_TEST_PROBE=1, so the page's test
// probe (frontend/src/testprobe) logs each state it painted and a test
// waits for that line (app.waitProbe) instead of sleeping. They build only
// with the "desktop" tag and need the binary:
//
//	go test -tags desktop ./backend/desktoptest -args -bin build/bin/fragmenteditor
//
// `make test` runs them after building the binary once.
package desktoptest
