// FragmentEditor: a keyboard-driven fragment editor with LLProxy, an
// OpenAI-compatible proxy for the user's own LLM servers, in one Wails app.
package main

import (
	"embed"
	"fmt"
	"log/slog"
	"os"
	"runtime"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"fragmenteditor/backend/paths"
	"fragmenteditor/backend/surface"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// init runs on the process's first thread; locking the main goroutine to it
// keeps every GTK and WebKit call there. WebKit takes the thread of its
// first call as its main thread and aborts when a later one comes from
// another: composeOnlyDamage calls it before wails.Run, and Wails locks only
// the thread it happens to run on then (without this, 2 of about 100
// launches under make test-stress aborted in Wails' SetupWebview).
func init() {
	runtime.LockOSThread()
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	dirs, err := paths.Resolve()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fragmenteditor:", err)
		os.Exit(1)
	}
	app := NewApp(version, dirs, logger)
	classicScrollbars()
	systemMallocForWebKit()
	composeOnlyDamage(logger)

	err = wails.Run(&options.App{
		Title:            "FragmentEditor",
		Width:            1200,
		Height:           800,
		MinWidth:         640,
		MinHeight:        420,
		BackgroundColour: &options.RGBA{R: 250, G: 249, B: 246, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		Bind:             []any{app},
		ErrorFormatter:   func(err error) any { return surface.ErrorJSON(err) }, // the HTTP door's error body
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               dirs.SingleInstanceID(),
			OnSecondInstanceLaunch: app.secondInstance,
		},
		Linux: &linux.Options{
			Icon: icon,
			// Wails v2.15 hands this to WebKitGTK as ALWAYS (its C switch
			// swaps ON_DEMAND and ALWAYS), and ALWAYS is what we want: under
			// software GL, ON_DEMAND stalled the 100,000-fragment bench and
			// NEVER took Right to 3.8 s (README, benchmarks).
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
			ProgramName:      "fragmenteditor",
		},
	})
	if err != nil {
		logger.Error("fragmenteditor stopped", "err", err)
		os.Exit(1)
	}
}

// classicScrollbars asks GTK (and so WebKitGTK) for scrollbars that stay
// shown, unless the user chose otherwise. Overlay scrollbars fade in and out
// on every scroll and content change, and under software GL those frames cost
// each typed key about 10 ms (typing 34-42 ms median with them, 25-28 without,
// README, benchmarks). The list reserves the gutter either way.
func classicScrollbars() {
	if _, set := os.LookupEnv("GTK_OVERLAY_SCROLLING"); !set {
		os.Setenv("GTK_OVERLAY_SCROLLING", "0")
	}
}

// systemMallocForWebKit asks WebKit to allocate its memory with the C
// library's malloc instead of its own allocator (libpas), through the
// variable WebKit reads for that, Malloc; its web process inherits this
// process's environment. libpas gives freed pages back to the system about
// every 100 ms, and WebKitGTK allocates zeroed buffers afresh for each frame
// it paints (on the CPU under software GL; most likely its tiles' buffers,
// the profile's WebKit frames have no symbols): at 100,000 fragments the
// web process's main thread took about 700 page faults per key of the bench's
// Enter series, zeroing memory the system had just taken back, and an Enter's
// frame was done 3-6 ms later than with malloc (README, benchmarks). What
// WebKit gives up is its own allocator's hardening (such as the Gigacage),
// which guards against hostile pages; this web view loads only the app's.
// FRAGMENTEDITOR_WEBKIT_MALLOC=webkit, or Malloc already set, leaves it be.
func systemMallocForWebKit() {
	if os.Getenv("FRAGMENTEDITOR_WEBKIT_MALLOC") == "webkit" {
		return
	}
	if _, set := os.LookupEnv("Malloc"); !set {
		os.Setenv("Malloc", "1")
	}
}
