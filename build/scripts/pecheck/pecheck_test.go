package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

// versionBlob is a VS_VERSIONINFO resource as Wails' resource writer
// (tc-hib/winres) makes it.
func versionBlob(t testing.TB, fixed string, strs map[string]string) []byte {
	t.Helper()
	var vi version.Info
	for k, v := range strs {
		if err := vi.Set(version.LangNeutral, k, v); err != nil {
			t.Fatal(err)
		}
	}
	vi.ProductVersion = versionQuad(fixed)
	vi.FileVersion = vi.ProductVersion
	return vi.Bytes()
}

func versionQuad(s string) [4]uint16 {
	var q [4]uint16
	for i, part := range strings.SplitN(s, ".", 4) {
		var n uint16
		for _, c := range part {
			n = n*10 + uint16(c-'0')
		}
		q[i] = n
	}
	return q
}

func TestParseVersionInfo(t *testing.T) {
	good := versionBlob(t, "1.2.3.4", map[string]string{"ProductVersion": "1.2.3+4.gabc", "ProductName": "FragmentÉditor"})
	badKey := bytes.Clone(good)
	copy(badKey[6:], []byte{'X', 0}) // first key letter V -> X
	badSig := bytes.Clone(good)
	sigAt := bytes.Index(badSig, []byte{0xBD, 0x04, 0xEF, 0xFE})
	badSig[sigAt] = 0

	tests := []struct {
		name    string
		blob    []byte
		wantErr string
		product Quad
		strs    map[string]string
	}{
		{name: "winres blob", blob: good, product: Quad{1, 2, 3, 4},
			strs: map[string]string{"ProductVersion": "1.2.3+4.gabc", "ProductName": "FragmentÉditor"}},
		{name: "root key", blob: badKey, wantErr: "want VS_VERSION_INFO"},
		{name: "fixed signature", blob: badSig, wantErr: "signature"},
		{name: "truncated header", blob: good[:4], wantErr: "truncated"},
		{name: "truncated body", blob: good[:len(good)/2], wantErr: "does not fit"},
		{name: "empty", blob: nil, wantErr: "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vi, err := parseVersionInfo(tt.blob)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if vi.Fixed.Product != tt.product {
				t.Errorf("fixed product version = %s, want %s", vi.Fixed.Product, tt.product)
			}
			for k, want := range tt.strs {
				if got := vi.Strings[k]; got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func FuzzParseVersionInfo(f *testing.F) {
	f.Add(versionBlob(f, "1.2.3.4", map[string]string{"ProductVersion": "1.2.3"}))
	f.Add(versionBlob(f, "0.0.0.0", nil))
	f.Add([]byte{6, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseVersionInfo(b) // must not panic or loop
	})
}

// fixtures are tiny Windows programs cross-compiled once per test run, with
// and without a version resource, for amd64 (PE32+) and 386 (PE32).
var fixtures struct {
	once sync.Once
	dir  string
	err  error
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("cross-compiles Windows executables")
	}
	fixtures.once.Do(func() { fixtures.dir, fixtures.err = buildFixtures() })
	if fixtures.err != nil {
		t.Fatal(fixtures.err)
	}
	return filepath.Join(fixtures.dir, name)
}

func buildFixtures() (string, error) {
	dir, err := os.MkdirTemp("", "pecheck-fixtures")
	if err != nil {
		return "", err
	}
	src := filepath.Join(dir, "src")
	files := map[string]string{
		"go.mod":  "module fixture\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() {}\n",
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	for _, arch := range []string{"amd64", "386"} {
		bare := filepath.Join(dir, "bare-"+arch+".exe")
		cmd := exec.Command("go", "build", "-o", bare, ".")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", &buildError{arch, err, out}
		}
		if err := addVersion(bare, filepath.Join(dir, "versioned-"+arch+".exe")); err != nil {
			return "", err
		}
	}
	return dir, nil
}

type buildError struct {
	arch string
	err  error
	out  []byte
}

func (e *buildError) Error() string {
	return "go build " + e.arch + ": " + e.err.Error() + "\n" + string(e.out)
}

// addVersion writes a copy of the exe with the version resource Wails
// would give a FragmentEditor 1.2.3+4.gabc1234 build.
func addVersion(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	var vi version.Info
	vi.SetProductVersion("1.2.3+4.gabc1234")
	vi.SetFileVersion("1.2.3+4.gabc1234")
	if err := vi.Set(version.LangNeutral, version.ProductName, "FragmentEditor"); err != nil {
		return err
	}
	var rs winres.ResourceSet
	rs.SetVersionInfo(vi)
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if err := rs.WriteToEXE(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestCheck_Executables(t *testing.T) {
	want := Want{Version: "1.2.3+4.gabc1234", Product: "FragmentEditor"}
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte("not an executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		file  func(t *testing.T) string
		want  Want
		fails []string // substrings of the failed results' messages, in order
	}{
		{name: "PE32+ with version", file: func(t *testing.T) string { return fixture(t, "versioned-amd64.exe") }, want: want},
		{name: "PE32 with version", file: func(t *testing.T) string { return fixture(t, "versioned-386.exe") }, want: want,
			fails: []string{"not PE32+"}},
		{name: "no version resource", file: func(t *testing.T) string { return fixture(t, "bare-amd64.exe") }, want: want,
			fails: []string{"version resource"}},
		{name: "other version", file: func(t *testing.T) string { return fixture(t, "versioned-amd64.exe") },
			want:  Want{Version: "2.0.0", Product: "FragmentEditor"},
			fails: []string{`ProductVersion is "1.2.3+4.gabc1234", want "2.0.0"`, "does not start with 2.0.0"}},
		{name: "other product", file: func(t *testing.T) string { return fixture(t, "versioned-amd64.exe") },
			want: Want{Version: want.Version, Product: "Other"}, fails: []string{`ProductName is "FragmentEditor"`}},
		{name: "not PE", file: func(*testing.T) string { return text }, want: want, fails: []string{"not a PE file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fails []string
			results := Check(tt.file(t), tt.want)
			for _, r := range results {
				if !r.OK {
					fails = append(fails, r.Msg)
				}
			}
			if len(fails) != len(tt.fails) {
				t.Fatalf("failed checks = %q, want %d matching %q (all: %+v)", fails, len(tt.fails), tt.fails, results)
			}
			for i, sub := range tt.fails {
				if !strings.Contains(fails[i], sub) {
					t.Errorf("failure %d = %q, want it to contain %q", i, fails[i], sub)
				}
			}
		})
	}
}

func TestRun_ExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args func(t *testing.T) []string
		code int
		out  string
	}{
		{name: "no version", args: func(*testing.T) []string { return []string{"x.exe"} }, code: 2},
		{name: "no files", args: func(*testing.T) []string { return []string{"-version", "1"} }, code: 2},
		{name: "pass", code: 0, out: "PASS ",
			args: func(t *testing.T) []string {
				return []string{"-version", "1.2.3+4.gabc1234", "-product", "FragmentEditor", fixture(t, "versioned-amd64.exe")}
			}},
		{name: "fail", code: 1, out: "FAIL ",
			args: func(t *testing.T) []string {
				return []string{"-version", "1.2.3+4.gabc1234", fixture(t, "bare-amd64.exe")}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args(t), &stdout, &stderr); code != tt.code {
				t.Fatalf("exit code %d, want %d; stdout %q stderr %q", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.out) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tt.out)
			}
		})
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtures.dir != "" {
		os.RemoveAll(fixtures.dir)
	}
	os.Exit(code)
}
