//go:build desktop

package desktoptest

/*
#cgo pkg-config: x11 xdamage xtst
#include <stdlib.h>
#include <poll.h>
#include <time.h>
#include <X11/Xlib.h>
#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <X11/extensions/Xdamage.h>
#include <X11/extensions/XTest.h>

typedef struct {
	Display *d;
	Damage damage;
	int eventBase;
} repaintWatch;

static double monotonicUs(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

// watchOpen reports the damage of window w: one event each time its
// contents change after the damage was last cleared.
static repaintWatch *watchOpen(const char *display, unsigned long w) {
	Display *d = XOpenDisplay(display);
	if (!d) return NULL;
	int eventBase, errorBase, major, minor, tst;
	if (!XDamageQueryExtension(d, &eventBase, &errorBase) ||
	    !XTestQueryExtension(d, &tst, &tst, &major, &minor)) {
		XCloseDisplay(d);
		return NULL;
	}
	repaintWatch *x = malloc(sizeof *x);
	x->d = d;
	x->eventBase = eventBase;
	x->damage = XDamageCreate(d, (Drawable)w, XDamageReportNonEmpty);
	XSync(d, False);
	return x;
}

static void watchClose(repaintWatch *x) {
	XDamageDestroy(x->d, x->damage);
	XCloseDisplay(x->d);
	free(x);
}

// clearDamage forgets what changed so far and the events that said so.
static void clearDamage(repaintWatch *x) {
	for (int i = 0; i < 2; i++) {
		XDamageSubtract(x->d, x->damage, None, None);
		XSync(x->d, False);
		while (XPending(x->d)) {
			XEvent e;
			XNextEvent(x->d, &e);
		}
	}
}

// waitDamage returns microseconds from `since` to the next damage event,
// or -1 when none came by since + timeoutMs.
static double waitDamage(repaintWatch *x, double since, int timeoutMs) {
	int fd = ConnectionNumber(x->d);
	for (;;) {
		while (XPending(x->d)) {
			XEvent e;
			XNextEvent(x->d, &e);
			if (e.type == x->eventBase + XDamageNotify) return monotonicUs() - since;
		}
		double left = timeoutMs * 1e3 - (monotonicUs() - since);
		if (left <= 0) return -1;
		struct pollfd p = {fd, POLLIN, 0};
		poll(&p, 1, (int)(left / 1e3) + 1);
	}
}

// pressKey presses and releases the key of keysym `name` (with Shift
// where the keysym needs it) through XTEST, as xdotool does, and returns
// microseconds from the press to the window's first damage after it; -1
// when none came within timeoutMs, -2 for a name the keyboard lacks.
static double pressKey(repaintWatch *x, const char *name, int timeoutMs) {
	KeySym ks = XStringToKeysym(name);
	KeyCode kc = ks == NoSymbol ? 0 : XKeysymToKeycode(x->d, ks);
	if (!kc) return -2;
	int shift = XkbKeycodeToKeysym(x->d, kc, 0, 0) != ks;
	KeyCode shiftKey = XKeysymToKeycode(x->d, XK_Shift_L);
	clearDamage(x);
	if (shift) XTestFakeKeyEvent(x->d, shiftKey, True, 0);
	double pressed = monotonicUs();
	XTestFakeKeyEvent(x->d, kc, True, 0);
	XTestFakeKeyEvent(x->d, kc, False, 0);
	if (shift) XTestFakeKeyEvent(x->d, shiftKey, False, 0);
	XFlush(x->d);
	return waitDamage(x, pressed, timeoutMs);
}

// countDamage counts the window's changes from now until timeoutMs have
// passed. Each change is cleared as it comes (the one seen last too), so
// the next one raises an event.
static int countDamage(repaintWatch *x, int timeoutMs) {
	double start = monotonicUs();
	int n = 0;
	for (;;) {
		XDamageSubtract(x->d, x->damage, None, None);
		XFlush(x->d);
		double left = timeoutMs - (monotonicUs() - start) / 1e3;
		if (left <= 0 || waitDamage(x, monotonicUs(), (int)left) < 0) return n;
		n++;
	}
}

// stillFor returns 1 once the window has not changed for quietMs, 0 when it
// kept changing until timeoutMs.
static int stillFor(repaintWatch *x, int quietMs, int timeoutMs) {
	double start = monotonicUs();
	while (monotonicUs() - start < timeoutMs * 1e3) {
		clearDamage(x);
		if (waitDamage(x, monotonicUs(), quietMs) < 0) return 1;
	}
	return 0;
}
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// repaints sees a window from the X server's side: when its pixels change
// (the DAMAGE extension), after keys it presses itself (XTEST). That is
// when a key's effect reaches the screen, after the page, WebKit's
// compositor and GTK are all done, which no clock in the page can see.
type repaints struct{ w *C.repaintWatch }

func watchRepaints(display string, window uint64) (*repaints, error) {
	cs := C.CString(display)
	defer C.free(unsafe.Pointer(cs))
	w := C.watchOpen(cs, C.ulong(window))
	if w == nil {
		return nil, fmt.Errorf("display %s: cannot open it, or it lacks DAMAGE or XTEST", display)
	}
	return &repaints{w}, nil
}

func (r *repaints) close() { C.watchClose(r.w) }

// press presses key (an X keysym name, as xdotool takes) and returns the
// time from the press to the window's next change on screen.
func (r *repaints) press(key string, timeout time.Duration) (time.Duration, error) {
	cs := C.CString(key)
	defer C.free(unsafe.Pointer(cs))
	switch us := float64(C.pressKey(r.w, cs, C.int(timeout.Milliseconds()))); {
	case us == -2:
		return 0, fmt.Errorf("key %q: not on this keyboard", key)
	case us < 0:
		return 0, fmt.Errorf("key %q: the window did not change within %v", key, timeout)
	default:
		return time.Duration(us * float64(time.Microsecond)), nil
	}
}

// changesFor counts the window's changes on screen (frames GTK put in it)
// during d.
func (r *repaints) changesFor(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(C.countDamage(r.w, C.int(d.Milliseconds())))
}

// waitStill waits until the window has not changed for quiet; an error when
// it still changed after timeout.
func (r *repaints) waitStill(quiet, timeout time.Duration) error {
	if C.stillFor(r.w, C.int(quiet.Milliseconds()), C.int(timeout.Milliseconds())) == 0 {
		return fmt.Errorf("the window kept changing for %v", timeout)
	}
	return nil
}
