//go:build desktop

package desktoptest

/*
#cgo pkg-config: x11
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>

// sendDelete sends WM_DELETE_WINDOW to window w, as a window manager's close
// button does. Returns 0 on success.
static int sendDelete(const char *display, unsigned long w) {
	Display *d = XOpenDisplay(display);
	if (!d) return 1;
	XEvent ev;
	memset(&ev, 0, sizeof ev);
	ev.xclient.type = ClientMessage;
	ev.xclient.window = (Window)w;
	ev.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
	ev.xclient.data.l[1] = CurrentTime;
	XSendEvent(d, (Window)w, False, NoEventMask, &ev);
	XSync(d, False);
	XCloseDisplay(d);
	return 0;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// closeWindow asks window id on display to close, like a close button.
func closeWindow(display string, id uint64) error {
	cs := C.CString(display)
	defer C.free(unsafe.Pointer(cs))
	if C.sendDelete(cs, C.ulong(id)) != 0 {
		return fmt.Errorf("cannot open display %s", display)
	}
	return nil
}
