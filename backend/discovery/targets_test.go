package discovery

import (
	"slices"
	"testing"

	"fragmenteditor/backend/config"
)

func TestEndpointTargets(t *testing.T) {
	type tgt struct {
		host    string
		port    int
		fixed   bool
		base    string
		label   string
		static  int
		withKey bool
	}
	for _, tc := range []struct {
		name      string
		ep        config.Endpoint
		wantLabel string
		want      []tgt
	}{
		{"port range", config.Endpoint{Hostname: "127.0.0.1", PortStart: 8080, PortEnd: 8082},
			"127.0.0.1:8080-8082", []tgt{
				{"127.0.0.1", 8080, false, "http://127.0.0.1:8080", "127.0.0.1:8080", -1, false},
				{"127.0.0.1", 8081, false, "http://127.0.0.1:8081", "127.0.0.1:8081", -1, false},
				{"127.0.0.1", 8082, false, "http://127.0.0.1:8082", "127.0.0.1:8082", -1, false},
			}},
		{"one port", config.Endpoint{Hostname: "gpu-box", PortStart: 11434, PortEnd: 11434},
			"gpu-box:11434", []tgt{{"gpu-box", 11434, false, "http://gpu-box:11434", "gpu-box:11434", -1, false}}},
		{"IPv6 in brackets", config.Endpoint{Hostname: "::1", PortStart: 1234, PortEnd: 1234, APIKey: "k"},
			"[::1]:1234", []tgt{{"::1", 1234, false, "http://[::1]:1234", "[::1]:1234", -1, true}}},
		{"URL with /v1/", config.Endpoint{URL: "https://api.example.com/v1/", APIKey: "k"},
			"https://api.example.com", []tgt{{"api.example.com", 443, true, "https://api.example.com", "https://api.example.com", -1, true}}},
		{"URL with a path and port", config.Endpoint{URL: "http://10.0.0.5:8000/openai"},
			"http://10.0.0.5:8000/openai", []tgt{{"10.0.0.5", 8000, true, "http://10.0.0.5:8000/openai", "http://10.0.0.5:8000/openai", -1, false}}},
		{"URL with a password is redacted", config.Endpoint{URL: "http://u:secret@h/v1"},
			"http://u:xxxxx@h", []tgt{{"h", 80, true, "http://u:secret@h", "http://u:xxxxx@h", -1, false}}},
		{"models list", config.Endpoint{URL: "https://api.example.com", Models: []string{"a", "b"}},
			"https://api.example.com", []tgt{{"api.example.com", 443, true, "https://api.example.com", "https://api.example.com", 2, false}}},
		{"empty range", config.Endpoint{Hostname: "h", PortStart: 9, PortEnd: 8}, "h:9-8", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := endpointLabel(tc.ep); got != tc.wantLabel {
				t.Errorf("label = %q, want %q", got, tc.wantLabel)
			}
			var got []tgt
			for _, x := range endpointTargets(3, tc.ep) {
				if x.Endpoint != 3 {
					t.Errorf("target endpoint = %d, want 3", x.Endpoint)
				}
				static := -1
				if x.Static != nil {
					static = len(x.Static)
				}
				got = append(got, tgt{x.Host, x.Port, x.Fixed, x.BaseURL, x.Label, static, x.APIKey == tc.ep.APIKey && x.APIKey != ""})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("targets =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
