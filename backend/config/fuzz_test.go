package config

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, that every rejection is a
// *ValidationError with located problems, and that an accepted config
// survives json.Marshal and a second Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, tc := range validCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range invalidCases {
		f.Add([]byte(tc.in))
	}
	f.Add(Default())
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			var ve *ValidationError
			if c != nil || !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Parse = %v, %v: want nil and a *ValidationError with problems", c, err)
			}
			for _, p := range ve.Problems {
				if p.Message == "" {
					t.Fatalf("problem at %q has no message", p.Path)
				}
			}
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", out, err)
		}
		if !reflect.DeepEqual(c, again) {
			t.Fatalf("round trip changed the config:\n first  %s\n second %s", out, again.Redacted())
		}
		if _, err := Validate(*c); err != nil {
			t.Fatalf("Validate rejects what Parse accepted: %v", err)
		}
	})
}
