package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	c, err := Parse(Default())
	if err != nil {
		t.Fatalf("the embedded default does not parse: %v", err)
	}
	if c.Host != "127.0.0.1" || c.Port != 3333 || c.Interval != DefaultInterval {
		t.Errorf("listen %s:%d every %d ms, want 127.0.0.1:3333 every 30000 ms", c.Host, c.Port, c.Interval)
	}
	type scan struct {
		host       string
		start, end int
	}
	var got []scan
	for _, e := range c.Endpoints {
		if !e.Enabled() || len(e.Tags) > 0 || e.APIKey != "" || e.URL != "" {
			t.Errorf("endpoint %v should be a plain enabled range", e)
		}
		got = append(got, scan{e.Hostname, e.PortStart, e.PortEnd})
	}
	want := []scan{{"127.0.0.1", 8080, 8090}, {"127.0.0.1", 8000, 8010}, {"127.0.0.1", 5000, 5001}, {"127.0.0.1", 1234, 1234}, {"127.0.0.1", 11434, 11434}}
	if !equalSlices(got, want) {
		t.Errorf("default scans %v, want %v", got, want)
	}
	b := Default()
	b[0] = 'x'
	if Default()[0] == 'x' {
		t.Errorf("Default returns the embedded bytes themselves")
	}
}

func equalSlices[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	t.Run("valid", func(t *testing.T) {
		c, err := Load(write("ok.json", `{"port": 4444}`))
		if err != nil || c.Port != 4444 {
			t.Fatalf("Load = %v, %v", c, err)
		}
	})
	t.Run("every line starts with the path", func(t *testing.T) {
		path := write("bad.json", `{"port": 0, "interval": -1}`)
		_, err := Load(path)
		want := path + ": port: required\n" + path + ": interval: -1 must not be negative"
		if err == nil || err.Error() != want {
			t.Fatalf("Load error = %v, want %q", err, want)
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.File != path || len(ve.Problems) != 2 {
			t.Errorf("want a *ValidationError for %s with 2 problems, got %#v", path, ve)
		}
	})
	t.Run("syntax error", func(t *testing.T) {
		path := write("syntax.json", "{\n\"port\" 1}")
		_, err := Load(path)
		want := path + ": line 2, column 8: invalid character '1' after object key"
		if err == nil || err.Error() != want {
			t.Fatalf("Load error = %v, want %q", err, want)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		path := filepath.Join(dir, "none.json")
		_, err := Load(path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Load error = %v, want fs.ErrNotExist", err)
		}
		if !strings.HasPrefix(err.Error(), path+": ") || strings.Count(err.Error(), path) != 1 {
			t.Errorf("error %q should start with the path, once", err)
		}
	})
}

func TestEnsureFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "llproxy.json")

	created, err := EnsureFile(path)
	if err != nil || !created {
		t.Fatalf("EnsureFile = %v, %v; want true, nil", created, err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, Default()) {
		t.Fatalf("file holds %q (%v), want the default", got, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v, want 0700", fi.Mode().Perm())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the config (no temporary files)", len(entries))
	}

	mine := []byte(`{"port": 1}`)
	if err := os.WriteFile(path, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	created, err = EnsureFile(path)
	if err != nil || created {
		t.Fatalf("second EnsureFile = %v, %v; want false, nil", created, err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, mine) {
		t.Errorf("EnsureFile overwrote an existing file: %q", got)
	}
}

func TestEnsureFile_ReportsUnwritableDirectory(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	created, err := EnsureFile(filepath.Join(parent, "llproxy.json")) // parent is a file, not a dir
	if err == nil || created {
		t.Fatalf("EnsureFile = %v, %v; want an error", created, err)
	}
}

// A hopeless config reports a bounded list of problems.
func TestParse_CapsTheProblemList(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"port": 1, "endpoints": [`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"hostname": "h", "port_start": 70000}`)
	}
	b.WriteString(`]}`)
	_, err := Parse([]byte(b.String()))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != MaxProblems || ve.More != 500-MaxProblems {
		t.Fatalf("got %d problems and %d more; want %d and %d", len(ve.Problems), ve.More, MaxProblems, 500-MaxProblems)
	}
	if lines := strings.Count(err.Error(), "\n") + 1; lines != MaxProblems+1 ||
		!strings.HasSuffix(err.Error(), "… and 450 more problems") {
		t.Fatalf("the message has %d lines, ending %q", lines, err.Error()[len(err.Error())-40:])
	}
}

func TestDefaults_FillsEveryDefault(t *testing.T) {
	if got, want := Defaults(), defaulted(0); !reflect.DeepEqual(got, want) {
		t.Fatalf("Defaults() = %#v, want %#v", got, want)
	}
}
