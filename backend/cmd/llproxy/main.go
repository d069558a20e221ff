// Command llproxy is LLProxy without a window: it discovers the
// OpenAI-compatible LLM servers named in its config file and serves all of
// their models under one /v1 API, and the FragmentEditor page at / (with
// its documents under --data). It is pure Go (no cgo) for servers and
// containers; the desktop app runs the same services in-process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"fragmenteditor/backend/access"
	"fragmenteditor/backend/llproxy"
	"fragmenteditor/backend/paths"
	"fragmenteditor/backend/surface"
	"fragmenteditor/backend/webapi"
	"fragmenteditor/frontend"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// Exit codes.
const (
	exitOK      = 0
	exitRuntime = 1 // could not start or serve (e.g. the port is taken)
	exitUsage   = 2 // bad flags, missing or invalid config
)

// shutdownGrace is how long open requests get to finish on SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// flags are the parsed command line.
type flags struct {
	config   string
	data     string
	logLevel slog.Level
	version  bool
	help     bool
}

func newFlagSet(f *flags) *flag.FlagSet {
	fset := flag.NewFlagSet("llproxy", flag.ContinueOnError)
	fset.StringVar(&f.config, "config", "./config.json", "JSON config file")
	fset.StringVar(&f.data, "data", "", "folder of the editor's documents and settings")
	fset.TextVar(&f.logLevel, "log-level", slog.LevelInfo, "debug, info, warn or error")
	fset.BoolVar(&f.version, "version", false, "print the version and exit")
	fset.BoolVar(&f.help, "help", false, "show this help and exit")
	fset.BoolVar(&f.help, "h", false, "show this help and exit")
	return fset
}

const usageText = `Usage: llproxy [--config FILE] [--data DIR] [--log-level LEVEL]

llproxy finds the OpenAI-compatible LLM servers (llama.cpp, vLLM, Ollama,
LM Studio, koboldcpp, tabbyAPI, hosted APIs) listed in its config file and
serves all of their models under one OpenAI-compatible /v1 API. It also
serves the FragmentEditor page at / (open http://HOST:PORT/ in a browser):
on a loopback address without a login; on any other address the page
asks for a key, one of api_keys or the editor key printed at start.

Flags:
  --config FILE      JSON config file (default ./config.json). The file is
                     watched: an edit applies live, a broken edit is
                     reported and the running config is kept.
  --data DIR         the editor's documents (DIR/documents), suggestion
                     settings and editor key (default: the folder the
                     desktop app uses for this user, so both share them)
  --log-level LEVEL  debug, info, warn or error (default info). Logs go to
                     stderr; debug shows every probed port.
  --version          print the version and exit
  -h, --help         show this help and exit

Config example (ports are inclusive; "tags" name models "name:tag"):
  {
    "port": 3333,
    "endpoints": [
      { "hostname": "127.0.0.1", "port_start": 8080, "port_end": 8090, "tags": ["gpu"] },
      { "url": "https://api.example.com/v1", "apikey": "sk-...", "models": ["gpt-4o"] },
      { "hostname": "gpu1", "ssh_username": "me", "env_var": "LLAMA_PORT", "tags": ["gpu1"] }
    ]
  }
The last endpoint logs in to gpu1 over SSH (keys from ssh-agent or ~/.ssh,
host key from ~/.ssh/known_hosts), probes the ports that me's processes
hold in $LLAMA_PORT, and reaches them through the SSH connection.
Clients then use the base URL http://127.0.0.1:3333/v1.

Signals: SIGHUP reloads the config file and runs discovery at once;
SIGINT and SIGTERM shut down gracefully (open requests get 10 s, then
streams still open end with an error event); a second SIGINT or SIGTERM
stops at once.
Exit codes: 0 after a clean shutdown, 1 when serving fails (e.g. the port
is in use) or a second signal forced the stop, 2 for bad flags or a
missing or invalid config file.
`

func run(args []string, stdout, stderr io.Writer) int {
	var f flags
	fset := newFlagSet(&f)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, usageText) }
	if err := fset.Parse(args); err != nil {
		return exitUsage // flag printed the problem and the usage
	}
	switch {
	case f.help:
		fmt.Fprint(stdout, usageText)
		return exitOK
	case f.version:
		fmt.Fprintf(stdout, "llproxy %s\n", version)
		return exitOK
	case fset.NArg() > 0:
		fmt.Fprintf(stderr, "llproxy: unexpected argument %q\n\n%s", fset.Arg(0), usageText)
		return exitUsage
	}
	if _, err := os.Stat(f.config); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stderr, "no config file: %s not found\n\n%s", f.config, usageText)
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: f.logLevel}))
	data, err := dataDirs(f.data)
	if err != nil {
		fmt.Fprintf(stderr, "llproxy: %v\n", err)
		return exitUsage
	}
	return serve(f.config, data, logger, stderr)
}

// dataFolders are where the editor keeps its files.
type dataFolders struct {
	documents string // the library
	settings  string // assist.json
	key       string // the folder of the editor key
}

// dataDirs places the editor's files under dir, or where the desktop
// app keeps them for this user when dir is empty.
func dataDirs(dir string) (dataFolders, error) {
	if dir != "" {
		return dataFolders{documents: filepath.Join(dir, "documents"), settings: dir, key: dir}, nil
	}
	d, err := paths.Resolve()
	if err != nil {
		return dataFolders{}, fmt.Errorf("no data folder (use --data DIR): %w", err)
	}
	return dataFolders{documents: d.DocumentsDir(), settings: d.SettingsDir(), key: d.Data}, nil
}

// serve runs the services until SIGINT or SIGTERM, reloading on SIGHUP.
func serve(configPath string, data dataFolders, logger *slog.Logger, stderr io.Writer) int {
	api := surface.New(surface.Options{
		Version: version, ProxyConfigPath: configPath, Logger: logger,
		SettingsDir: data.settings, DocumentsDir: data.documents,
	})
	svc := api.Proxy()
	if svc == nil {
		fmt.Fprintf(stderr, "llproxy: %s\n", strings.Join(api.StartupProblems(), "; "))
		return exitRuntime
	}
	web, key := editorSite(api, data, logger)
	detach := webapi.Attach(api, web)
	// Signals are watched before Start so none is lost while it binds.
	stopCh := make(chan os.Signal, 1)
	signal.Notify(stopCh, os.Interrupt, syscall.SIGTERM)
	hupCh := make(chan os.Signal, 1)
	signal.Notify(hupCh, syscall.SIGHUP)
	defer signal.Stop(stopCh)
	defer signal.Stop(hupCh)

	if err := api.Start(context.Background()); err != nil {
		detach()
		_ = api.Close(context.Background())
		return reportStartError(stderr, configPath, err)
	}
	announceEditor(stderr, svc, key)
	for {
		select {
		case sig := <-stopCh:
			return shutdown(func(ctx context.Context) error {
				detach() // ends the page's event streams, which would hold the stop up
				return api.Close(ctx)
			}, sig, stopCh, logger)
		case <-hupCh:
			logger.Info("SIGHUP: reloading the config and rescanning", "path", configPath)
			if err := svc.Reload(); err != nil {
				logger.Error("reload failed; keeping the running config", "err", err)
			}
			svc.Rescan()
		}
	}
}

// forcedStopWait is how long a forced stop (a second signal) waits for
// the open requests' final error events before the process exits anyway.
const forcedStopWait = 2 * time.Second

// shutdown stops the services with stop: open requests get shutdownGrace,
// then streams still open end with an error event. A second SIGINT or
// SIGTERM ends the grace at once (exit code 1).
func shutdown(stop func(context.Context) error, sig os.Signal, stopCh <-chan os.Signal, logger *slog.Logger) int {
	logger.Info("shutting down; a second signal stops at once", "signal", sig.String())
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- stop(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			logger.Warn("shutdown cut short", "err", err)
		}
		return exitOK
	case sig := <-stopCh:
		logger.Warn("second signal: stopping now", "signal", sig.String())
		cancel()
	}
	select {
	case <-done:
	case <-time.After(forcedStopWait):
	}
	return exitRuntime
}

// editorKey is the editor key and where it is kept ("" when it is not).
type editorKey struct{ key, kept string }

// editorSite builds the editor's HTTP door with the page embedded in this
// binary (or says clearly that it has none). A data folder that cannot
// hold the editor key never stops the proxy: the key then lasts for this
// run only, and the log says why.
func editorSite(api *surface.API, data dataFolders, logger *slog.Logger) (*webapi.Server, editorKey) {
	ek := editorKey{kept: filepath.Join(data.key, webapi.EditorKeyFile)}
	key, err := webapi.EditorKey(data.key)
	if err != nil {
		logger.Error("the editor key cannot be kept: it lasts for this run only (set --data to a writable folder)", "err", err)
		key, ek.kept = webapi.NewEditorKey(), ""
	}
	ek.key = key
	opts := webapi.Options{API: api, Sessions: api.Proxy().Sessions(), EditorKey: key, Logger: logger}
	if page, ok := frontend.Build(); ok {
		opts.Assets = page
	} else {
		logger.Warn("this llproxy was built without the editor page (frontend/dist was empty): " +
			"/ says so; build with `make llproxy`, which builds the page first")
	}
	for _, p := range api.StartupProblems() {
		logger.Error("the editor is missing a part", "problem", p)
	}
	return webapi.New(opts), ek
}

// announceEditor prints where the editor is and, when it is exposed, the
// key that opens it.
func announceEditor(stderr io.Writer, svc *llproxy.Service, ek editorKey) {
	cfg := svc.Config()
	if cfg == nil {
		return
	}
	url := strings.TrimSuffix(svc.BaseURL(), "/v1") + "/"
	if access.IsLoopbackBind(cfg.Host) {
		fmt.Fprintf(stderr, "llproxy: the editor is at %s (loopback: no login)\n", url)
		return
	}
	kept := "for this run only"
	if ek.kept != "" {
		kept = "kept in " + ek.kept
	}
	fmt.Fprintf(stderr, "llproxy: the editor is at %s; log in with the editor key %s (%s) or one of api_keys\n", url, ek.key, kept)
}

// reportStartError prints why the service did not start and picks the
// exit code: every field problem of an invalid config (exit 2), or the
// runtime failure (exit 1).
func reportStartError(stderr io.Writer, configPath string, err error) int {
	if problems := llproxy.ConfigProblems(err); len(problems) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "llproxy: invalid config %s:\n", configPath)
		for _, p := range problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
		fmt.Fprint(stderr, b.String())
		return exitUsage
	}
	if errors.Is(err, llproxy.ErrConfig) {
		fmt.Fprintf(stderr, "llproxy: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "llproxy: %v\n", err)
	return exitRuntime
}
