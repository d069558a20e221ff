package main

import (
	"os"
	"testing"
)

// The web process inherits Malloc=1 unless the user set Malloc (WebKit
// reads any value as "use malloc") or asked for WebKit's own allocator.
func TestSystemMallocForWebKit(t *testing.T) {
	cases := []struct {
		name         string
		malloc, opt  string // "" leaves the variable unset
		want         string
		wantPresence bool
	}{
		{name: "by default", want: "1", wantPresence: true},
		{name: "the user's Malloc is kept", malloc: "0", want: "0", wantPresence: true},
		{name: "WebKit's own allocator on request", opt: "webkit", wantPresence: false},
		{name: "another value of the switch is ignored", opt: "libc", want: "1", wantPresence: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("Malloc", "") // restored after the test
			os.Unsetenv("Malloc")
			if c.malloc != "" {
				t.Setenv("Malloc", c.malloc)
			}
			t.Setenv("FRAGMENTEDITOR_WEBKIT_MALLOC", c.opt)
			systemMallocForWebKit()
			got, present := os.LookupEnv("Malloc")
			if present != c.wantPresence || got != c.want {
				t.Fatalf("Malloc = %q (set: %v); want %q (set: %v)", got, present, c.want, c.wantPresence)
			}
		})
	}
}
