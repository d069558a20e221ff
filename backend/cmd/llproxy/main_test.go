package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fragmenteditor/backend/config"
)

func TestRun_FlagsAndUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"help", []string{"--help"}, exitOK, []string{"Usage: llproxy", "Config example"}, nil},
		{"short help", []string{"-h"}, exitOK, []string{"Usage: llproxy"}, nil},
		{"version", []string{"--version"}, exitOK, []string{"llproxy dev\n"}, nil},
		{"unknown flag", []string{"--port", "1"}, exitUsage, nil, []string{"flag provided but not defined: -port", "Usage: llproxy"}},
		{"bad log level", []string{"--log-level", "loud"}, exitUsage, nil, []string{`invalid value "loud" for flag -log-level`}},
		{"stray argument", []string{"serve"}, exitUsage, nil, []string{`unexpected argument "serve"`, "Usage: llproxy"}},
		{"no default config", nil, exitUsage, nil, []string{"no config file: ./config.json not found\n", "Usage: llproxy"}},
		{"named config missing", []string{"--config", "nope.json"}, exitUsage, nil, []string{"no config file: nope.json not found"}},
	}
	t.Chdir(t.TempDir()) // no ./config.json here
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}

// The usage text is written by hand; it must name every flag there is.
func TestUsage_DocumentsEveryFlag(t *testing.T) {
	var f flags
	newFlagSet(&f).VisitAll(func(fl *flag.Flag) {
		dashes := "--"
		if len(fl.Name) == 1 {
			dashes = "-"
		}
		if !strings.Contains(usageText, dashes+fl.Name) {
			t.Errorf("usage does not document %s%s", dashes, fl.Name)
		}
	})
}

// The config example in the usage text is a valid config.
func TestUsage_ExampleIsValid(t *testing.T) {
	start := strings.Index(usageText, "  {")
	end := strings.Index(usageText, "\n  }\n")
	if start < 0 || end < 0 {
		t.Fatal("no config example in usage")
	}
	if _, err := config.Parse([]byte(usageText[start : end+4])); err != nil {
		t.Errorf("example does not parse: %v", err)
	}
}

func TestRun_InvalidConfigPrintsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	bad := `{"port": 70000, "intervall": 5, "endpoints": [{"hostname": "127.0.0.126", "port_start": 9000, "port_end": 8000}]}`
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--config", path, "--data", t.TempDir()}, &stdout, &stderr); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	for _, want := range []string{"invalid config " + path, "port:", "intervall", "endpoints[0]"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	// Once, and without claiming that some running config was kept.
	if n := strings.Count(stderr.String(), "70000 is not a port"); n != 1 || strings.Contains(stderr.String(), "kept") {
		t.Errorf("the problem is printed %d times (want 1), or a kept config is claimed:\n%s", n, stderr.String())
	}
}

func TestRun_InvalidConfigListIsCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	eps := strings.Repeat(`{"hostname": "h", "port_start": 70000},`, 200)
	if err := os.WriteFile(path, []byte(`{"port": 1, "endpoints": [`+eps[:len(eps)-1]+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--config", path, "--data", t.TempDir()}, &stdout, &stderr); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if n := strings.Count(stderr.String(), "is not a port"); n != config.MaxProblems ||
		!strings.Contains(stderr.String(), "… and 150 more problems") {
		t.Errorf("%d problems printed, want %d and a count of the rest:\n%s", n, config.MaxProblems, stderr.String())
	}
}
