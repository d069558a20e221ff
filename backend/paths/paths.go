// Package paths says where FragmentEditor keeps its files: the proxy
// config and settings under the user's config directory, documents under
// the user's data directory, or everything under one folder named by
// FRAGMENTEDITOR_HOME (how tests run the app). It also derives the
// single-instance id, which must differ between such folders. It only
// computes paths; Dirs.Create makes the directories.
package paths

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// HomeEnv is the environment variable that moves every file under one
// folder: config in $FRAGMENTEDITOR_HOME/config, data in
// $FRAGMENTEDITOR_HOME/data. A relative path is taken from the current
// directory; an empty value counts as unset.
const HomeEnv = "FRAGMENTEDITOR_HOME"

// AppID is the single-instance id of a normal installation.
const AppID = "com.fragmenteditor.app"

// Dirs are the application's directories.
type Dirs struct {
	// Config holds the proxy config (llproxy.json) and the settings.
	Config string `json:"config"`
	// Data holds the documents.
	Data string `json:"data"`
	// Home is the absolute FRAGMENTEDITOR_HOME when it is set, else empty.
	Home string `json:"home,omitempty"`

	// goos is the system the paths are for; empty means runtime.GOOS.
	goos string
}

// ProxyConfigPath is the proxy's config file: Config/llproxy.json.
func (d Dirs) ProxyConfigPath() string { return d.join(d.Config, "llproxy.json") }

// SettingsDir is where the app's settings live: the Config directory.
func (d Dirs) SettingsDir() string { return d.Config }

// DocumentsDir is where documents and their history live: Data/documents.
func (d Dirs) DocumentsDir() string { return d.join(d.Data, "documents") }

// SingleInstanceID is the id a second launch uses to find the first:
// AppID normally, and with FRAGMENTEDITOR_HOME set, AppID plus an element
// derived from the folder's absolute path ("com.fragmenteditor.app.h"
// and 16 hex digits), so copies run on different folders never hand their
// launch to each other. Every element is letters, digits and underscores
// and starts with a letter, as D-Bus names require.
func (d Dirs) SingleInstanceID() string {
	if d.Home == "" {
		return AppID
	}
	sum := sha256.Sum256([]byte(d.Home))
	return AppID + ".h" + hex.EncodeToString(sum[:8])
}

// Create makes the config and documents directories (mode 0700: they may
// hold API keys and private writing) if they are missing.
func (d Dirs) Create() error {
	for _, dir := range []string{d.Config, d.DocumentsDir()} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return nil
}

// join joins path elements with the separator of d's system.
func (d Dirs) join(base, elem string) string { return join(d.goos, base, elem) }

func join(goos, base string, elems ...string) string {
	if goos == "" || goos == runtime.GOOS {
		return filepath.Join(append([]string{base}, elems...)...)
	}
	sep := "/"
	if goos == "windows" {
		sep = `\`
	}
	for _, e := range elems {
		base = strings.TrimRight(base, sep) + sep + e
	}
	return base
}

// Env is where Resolve reads its facts from; the zero Env is the running
// process's.
type Env struct {
	// Getenv reads an environment variable; nil means os.Getenv.
	Getenv func(string) string
	// GOOS is the operating system to resolve for; empty means
	// runtime.GOOS. Paths for another system than the running one are
	// joined with that system's separator (for tests).
	GOOS string
}

// Resolve finds the directories for the running process.
func Resolve() (Dirs, error) { return Env{}.Resolve() }

// Resolve finds the directories: under FRAGMENTEDITOR_HOME when it is
// set, otherwise
//
//   - Linux and other Unix systems: $XDG_CONFIG_HOME/fragmenteditor
//     (default ~/.config/fragmenteditor) and $XDG_DATA_HOME/fragmenteditor
//     (default ~/.local/share/fragmenteditor); relative XDG paths are
//     ignored, as the XDG spec says;
//   - Windows: %AppData%\FragmentEditor for both;
//   - macOS: ~/Library/Application Support/FragmentEditor for both.
func (e Env) Resolve() (Dirs, error) {
	getenv, goos := e.Getenv, e.GOOS
	if getenv == nil {
		getenv = os.Getenv
	}
	if goos == "" {
		goos = runtime.GOOS
	}
	if home := getenv(HomeEnv); home != "" {
		return underHome(goos, home)
	}
	switch goos {
	case "windows":
		appData := getenv("APPDATA")
		if appData == "" {
			return Dirs{}, errors.New("%AppData% is not set")
		}
		dir := join(goos, appData, "FragmentEditor")
		return Dirs{Config: dir, Data: dir, goos: goos}, nil
	case "darwin", "ios":
		userHome := getenv("HOME")
		if userHome == "" {
			return Dirs{}, errors.New("$HOME is not set")
		}
		dir := join(goos, userHome, "Library", "Application Support", "FragmentEditor")
		return Dirs{Config: dir, Data: dir, goos: goos}, nil
	default:
		config, err := xdg(goos, getenv, "XDG_CONFIG_HOME", ".config")
		if err != nil {
			return Dirs{}, err
		}
		data, err := xdg(goos, getenv, "XDG_DATA_HOME", ".local", "share")
		if err != nil {
			return Dirs{}, err
		}
		return Dirs{Config: config, Data: data, goos: goos}, nil
	}
}

// xdg is $name/fragmenteditor, or $HOME/fallback.../fragmenteditor when
// $name is unset or relative.
func xdg(goos string, getenv func(string) string, name string, fallback ...string) (string, error) {
	if dir := getenv(name); strings.HasPrefix(dir, "/") {
		return join(goos, dir, "fragmenteditor"), nil
	}
	userHome := getenv("HOME")
	if userHome == "" {
		return "", errors.New("neither $" + name + " nor $HOME is set")
	}
	return join(goos, userHome, append(fallback, "fragmenteditor")...), nil
}

func underHome(goos, home string) (Dirs, error) {
	if goos == runtime.GOOS {
		abs, err := filepath.Abs(home)
		if err != nil {
			return Dirs{}, err
		}
		home = abs
	}
	return Dirs{Config: join(goos, home, "config"), Data: join(goos, home, "data"), Home: home, goos: goos}, nil
}
