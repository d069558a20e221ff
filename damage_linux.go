//go:build linux && cgo && webkit2_41

package main

/*
#cgo linux pkg-config: webkit2gtk-4.1
#include <string.h>
#include <webkit2/webkit2.h>

// The feature that makes WebKitGTK's compositor redraw only the part of the
// window that changed, instead of every layer over the whole window.
#define FE_DAMAGE_FEATURE "UseDamagingInformationForCompositing"

static WebKitFeature *feDamage;
static void (*feSettingsConstructedBefore)(GObject *);

// feSettingsConstructed runs as each WebKitSettings is made: the web view's
// own, before the view loads anything (WebKit reads this feature once, when
// it sets up the page's compositor, so turning it on later does nothing).
static void feSettingsConstructed(GObject *o) {
	if (feSettingsConstructedBefore != NULL) feSettingsConstructedBefore(o);
	webkit_settings_set_feature_enabled(WEBKIT_SETTINGS(o), feDamage, TRUE);
}

// feComposeOnlyDamage hooks the settings' construction; 0 when this WebKit
// lacks the feature.
static int feComposeOnlyDamage(void) {
	WebKitFeatureList *all = webkit_settings_get_all_features();
	for (gsize i = 0; i < webkit_feature_list_get_length(all) && feDamage == NULL; i++) {
		WebKitFeature *f = webkit_feature_list_get(all, i);
		if (strcmp(webkit_feature_get_identifier(f), FE_DAMAGE_FEATURE) == 0) feDamage = webkit_feature_ref(f);
	}
	webkit_feature_list_unref(all);
	if (feDamage == NULL) return 0;
	GObjectClass *k = g_type_class_ref(WEBKIT_TYPE_SETTINGS);
	feSettingsConstructedBefore = k->constructed;
	k->constructed = feSettingsConstructed;
	return 1;
}
*/
import "C"

import (
	"log/slog"
	"os"
)

// composeOnlyDamage asks WebKitGTK to composite only what changed on each
// frame. By default its compositor redraws every layer over the whole
// window for every frame; under software GL (llvmpipe) that was most of the
// CPU time of each key: a typed letter took 92-93 ms of llvmpipe's CPU,
// 14-17 with this, and reached the screen in about half the time (README,
// Benchmarks). Wails does not expose WebKit's settings before the page
// loads, so the settings' construction is hooked (before wails.Run).
// WebKit ranks the feature "testable", off by default; the desktop suite
// checks that the window ends on the same pixels with it and without it
// (backend/desktoptest/screen_test.go). FRAGMENTEDITOR_WEBKIT_DAMAGE=0
// leaves it off.
func composeOnlyDamage(logger *slog.Logger) {
	if os.Getenv("FRAGMENTEDITOR_WEBKIT_DAMAGE") == "0" {
		return
	}
	if C.feComposeOnlyDamage() == 0 {
		logger.Info("webkit: no damage-based compositing in this WebKitGTK")
	}
}
