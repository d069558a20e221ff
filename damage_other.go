//go:build !linux || !cgo || !webkit2_41

package main

import "log/slog"

// composeOnlyDamage: only WebKitGTK (webkit2gtk-4.1) has the setting.
func composeOnlyDamage(*slog.Logger) {}
