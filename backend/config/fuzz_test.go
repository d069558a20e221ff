package config

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
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
	// The bad inputs of issue 14.
	for _, in := range []string{
		`{"port":3333}`,
		`{"port": 1, "probe_concurrency": 65536}`,
		`{"port": 1, "probe_concurrency": 65537, "max_connections": -1, "body_read_timeout": -1}`,
		`{"port": 1, "max_model_id_bytes": 0, "max_models_per_server": 0, "max_models": 0, "max_error_names": 0}`,
		`{"port": 1, "endpoints": [` + strings.Repeat(`{"hostname": "h", "port_start": 70000},`, 80) + `{}]}`,
		"",
		"\ufeff",
	} {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			var ve *ValidationError
			if c != nil || !errors.As(err, &ve) || len(ve.Problems) == 0 || len(ve.Problems) > MaxProblems {
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
