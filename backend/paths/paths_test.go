package paths

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func env(vars ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestResolve_PerSystem(t *testing.T) {
	for _, tc := range []struct {
		name                             string
		goos                             string
		getenv                           func(string) string
		config, data, proxy, docs, error string
	}{
		{
			name: "linux with XDG dirs", goos: "linux",
			getenv: env("HOME", "/home/u", "XDG_CONFIG_HOME", "/xdg/conf", "XDG_DATA_HOME", "/xdg/data"),
			config: "/xdg/conf/fragmenteditor", data: "/xdg/data/fragmenteditor",
			proxy: "/xdg/conf/fragmenteditor/llproxy.json", docs: "/xdg/data/fragmenteditor/documents",
		},
		{
			name: "linux without XDG dirs", goos: "linux", getenv: env("HOME", "/home/u"),
			config: "/home/u/.config/fragmenteditor", data: "/home/u/.local/share/fragmenteditor",
			proxy: "/home/u/.config/fragmenteditor/llproxy.json", docs: "/home/u/.local/share/fragmenteditor/documents",
		},
		{
			name: "linux ignores relative XDG dirs", goos: "linux",
			getenv: env("HOME", "/home/u", "XDG_CONFIG_HOME", "conf", "XDG_DATA_HOME", "data"),
			config: "/home/u/.config/fragmenteditor", data: "/home/u/.local/share/fragmenteditor",
			proxy: "/home/u/.config/fragmenteditor/llproxy.json", docs: "/home/u/.local/share/fragmenteditor/documents",
		},
		{
			name: "freebsd follows XDG too", goos: "freebsd", getenv: env("HOME", "/usr/home/u", "XDG_DATA_HOME", "/d"),
			config: "/usr/home/u/.config/fragmenteditor", data: "/d/fragmenteditor",
			proxy: "/usr/home/u/.config/fragmenteditor/llproxy.json", docs: "/d/fragmenteditor/documents",
		},
		{
			name: "linux with no home", goos: "linux", getenv: env(),
			error: "neither $XDG_CONFIG_HOME nor $HOME is set",
		},
		{
			name: "linux with a config dir but no data dir or home", goos: "linux", getenv: env("XDG_CONFIG_HOME", "/c"),
			error: "neither $XDG_DATA_HOME nor $HOME is set",
		},
		{
			name: "windows", goos: "windows", getenv: env("APPDATA", `C:\Users\u\AppData\Roaming`, "HOME", "/ignored"),
			config: `C:\Users\u\AppData\Roaming\FragmentEditor`, data: `C:\Users\u\AppData\Roaming\FragmentEditor`,
			proxy: `C:\Users\u\AppData\Roaming\FragmentEditor\llproxy.json`, docs: `C:\Users\u\AppData\Roaming\FragmentEditor\documents`,
		},
		{
			name: "windows without AppData", goos: "windows", getenv: env("HOME", "/h"),
			error: "%AppData% is not set",
		},
		{
			name: "macOS", goos: "darwin", getenv: env("HOME", "/Users/u", "XDG_CONFIG_HOME", "/ignored"),
			config: "/Users/u/Library/Application Support/FragmentEditor", data: "/Users/u/Library/Application Support/FragmentEditor",
			proxy: "/Users/u/Library/Application Support/FragmentEditor/llproxy.json", docs: "/Users/u/Library/Application Support/FragmentEditor/documents",
		},
		{
			name: "macOS without home", goos: "darwin", getenv: env(),
			error: "$HOME is not set",
		},
		{
			name: "FRAGMENTEDITOR_HOME on windows", goos: "windows", getenv: env("APPDATA", `C:\a`, HomeEnv, `D:\fe`),
			config: `D:\fe\config`, data: `D:\fe\data`, proxy: `D:\fe\config\llproxy.json`, docs: `D:\fe\data\documents`,
		},
		{
			name: "FRAGMENTEDITOR_HOME on macOS", goos: "darwin", getenv: env("HOME", "/Users/u", HomeEnv, "/tmp/fe"),
			config: "/tmp/fe/config", data: "/tmp/fe/data", proxy: "/tmp/fe/config/llproxy.json", docs: "/tmp/fe/data/documents",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Env{Getenv: tc.getenv, GOOS: tc.goos}.Resolve()
			if tc.error != "" {
				if err == nil || err.Error() != tc.error {
					t.Fatalf("Resolve = %+v, %v; want error %q", d, err, tc.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{d.Config, d.Data, d.ProxyConfigPath(), d.DocumentsDir(), d.SettingsDir()}
			want := []string{tc.config, tc.data, tc.proxy, tc.docs, tc.config}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("Config, Data, ProxyConfigPath, DocumentsDir, SettingsDir:\n got  %q\n want %q", got, want)
					break
				}
			}
			if home := tc.getenv(HomeEnv); (home == "") != (d.Home == "") {
				t.Errorf("Home = %q with %s=%q", d.Home, HomeEnv, home)
			}
		})
	}
}

func TestResolve_HomeIsMadeAbsolute(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Env{Getenv: env(HomeEnv, "fe", "HOME", "/ignored")}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(wd, "fe")
	want := Dirs{Config: filepath.Join(home, "config"), Data: filepath.Join(home, "data"), Home: home}
	if d.Config != want.Config || d.Data != want.Data || d.Home != want.Home {
		t.Errorf("Resolve = %+v, want %+v", d, want)
	}
	if d.ProxyConfigPath() != filepath.Join(home, "config", "llproxy.json") || d.DocumentsDir() != filepath.Join(home, "data", "documents") {
		t.Errorf("ProxyConfigPath %q, DocumentsDir %q", d.ProxyConfigPath(), d.DocumentsDir())
	}
}

func TestResolve_ReadsTheProcessEnvironment(t *testing.T) {
	home := t.TempDir()
	t.Setenv(HomeEnv, home)
	d, err := Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if d.Home != home || d.Config != filepath.Join(home, "config") {
		t.Errorf("Resolve = %+v, want everything under %s", d, home)
	}

	t.Setenv(HomeEnv, "")
	d, err = Resolve()
	if err != nil {
		t.Skipf("no user directories here: %v", err)
	}
	if d.Home != "" || strings.HasPrefix(d.Config, home) {
		t.Errorf("an empty %s still moved the files: %+v", HomeEnv, d)
	}
	if runtime.GOOS == "linux" {
		if want, err := os.UserConfigDir(); err == nil && d.Config != filepath.Join(want, "fragmenteditor") {
			t.Errorf("Config = %q, want it in os.UserConfigDir %q", d.Config, want)
		}
	}
}

// dbusElements matches a D-Bus bus name whose every element is letters,
// digits and underscores and does not start with a digit.
var dbusElements = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$`)

func TestSingleInstanceID(t *testing.T) {
	resolve := func(home string) Dirs {
		t.Helper()
		d, err := Env{Getenv: env(HomeEnv, home, "HOME", "/home/u")}.Resolve()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	normal := resolve("")
	if got := normal.SingleInstanceID(); got != "com.fragmenteditor.app" {
		t.Errorf("normal id = %q", got)
	}
	base := t.TempDir()
	a, a2, aSlash, b := resolve(filepath.Join(base, "a")), resolve(filepath.Join(base, "a")), resolve(filepath.Join(base, "a")+"/"), resolve(filepath.Join(base, "b"))
	ids := map[string]string{"normal": normal.SingleInstanceID(), "a": a.SingleInstanceID(), "b": b.SingleInstanceID()}
	if ids["a"] == ids["normal"] || ids["a"] == ids["b"] {
		t.Errorf("ids are not unique per folder: %v", ids)
	}
	if a2.SingleInstanceID() != ids["a"] || aSlash.SingleInstanceID() != ids["a"] {
		t.Errorf("the id of one folder is not stable: %q, %q, %q", ids["a"], a2.SingleInstanceID(), aSlash.SingleInstanceID())
	}
	for name, id := range ids {
		if !dbusElements.MatchString(id) || len(id) > 200 {
			t.Errorf("%s id %q is not a valid D-Bus name", name, id)
		}
		// Wails on Linux builds "org.wails_app_<id with . and - as _>.SingleInstance".
		wails := "org.wails_app_" + strings.NewReplacer(".", "_", "-", "_").Replace(id) + ".SingleInstance"
		if !dbusElements.MatchString(wails) || len(wails) > 255 {
			t.Errorf("%s id gives the invalid D-Bus name %q", name, wails)
		}
	}
}

func TestCreate(t *testing.T) {
	home := filepath.Join(t.TempDir(), "fe")
	d, err := Env{Getenv: env(HomeEnv, home)}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Create(); err != nil {
		t.Fatal(err)
	}
	if err := d.Create(); err != nil {
		t.Fatalf("Create is not idempotent: %v", err)
	}
	for _, dir := range []string{d.Config, d.DocumentsDir()} {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			t.Fatalf("%s was not created: %v", dir, err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
			t.Errorf("%s has mode %v, want 0700", dir, fi.Mode().Perm())
		}
	}
}
