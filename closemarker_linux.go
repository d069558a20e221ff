//go:build linux && cgo

package main

/*
#cgo linux pkg-config: gtk+-3.0
#include <gtk/gtk.h>

// closeMarkerKeyval is the key the page takes as "the window is closing":
// F24, which no editor key uses.
#define CLOSE_MARKER_KEYVAL GDK_KEY_F24

// feCloseMarkerQueued is Go's (closemarker_report_linux.go): ok says the
// marker went to the web view behind the keys before it.
extern void feCloseMarkerQueued(int ok);

static void fe_put_key(GdkWindow *win, GdkEventType type) {
	GdkEvent *ev = gdk_event_new(type);
	ev->key.window = g_object_ref(win);
	ev->key.send_event = TRUE;
	ev->key.time = GDK_CURRENT_TIME;
	ev->key.keyval = CLOSE_MARKER_KEYVAL;
	GdkSeat *seat = gdk_display_get_default_seat(gdk_window_get_display(win));
	if (seat != NULL) gdk_event_set_device(ev, gdk_seat_get_keyboard(seat));
	gdk_event_put(ev); // copies it
	gdk_event_free(ev);
}

// fe_marker_dispatched runs when GTK dispatches a key press to the window,
// before the window hands it to its focused widget. For the marker, every
// key received before it has gone the same way already: if the focused
// widget is the web view, the marker is now queued behind them for the page.
static gboolean fe_marker_dispatched(GtkWidget *w, GdkEventKey *ev, gpointer data) {
	if (ev->keyval != CLOSE_MARKER_KEYVAL || !ev->send_event) return FALSE;
	GtkWidget *focus = gtk_window_get_focus(GTK_WINDOW(w));
	GType webview = g_type_from_name("WebKitWebView");
	feCloseMarkerQueued(focus != NULL && webview != 0 && g_type_is_a(G_OBJECT_TYPE(focus), webview));
	return FALSE; // on to the web view
}

// fe_put_close_marker runs on GTK's main thread: it appends a key press and
// release to GDK's event queue, behind every key already received, so
// WebKit hands it to the page after them.
static gboolean fe_put_close_marker(gpointer data) {
	gboolean put = FALSE;
	GList *tops = gtk_window_list_toplevels();
	for (GList *l = tops; l != NULL; l = l->next) {
		GtkWindow *w = GTK_WINDOW(l->data);
		if (gtk_window_get_window_type(w) != GTK_WINDOW_TOPLEVEL || !gtk_widget_get_visible(GTK_WIDGET(w))) continue;
		GdkWindow *win = gtk_widget_get_window(GTK_WIDGET(w));
		if (win == NULL) continue;
		if (g_object_get_data(G_OBJECT(w), "fe-close-marker") == NULL) {
			g_signal_connect(w, "key-press-event", G_CALLBACK(fe_marker_dispatched), NULL);
			g_object_set_data(G_OBJECT(w), "fe-close-marker", GINT_TO_POINTER(1));
		}
		fe_put_key(win, GDK_KEY_PRESS);
		fe_put_key(win, GDK_KEY_RELEASE);
		put = TRUE;
		break;
	}
	g_list_free(tops);
	if (!put) feCloseMarkerQueued(0); // no window to carry it
	return G_SOURCE_REMOVE;
}

static void fe_send_close_marker(void) { g_idle_add(fe_put_close_marker, NULL); }
*/
import "C"

import "sync"

// closeMarker holds the report function of the marker on its way.
var closeMarker struct {
	mu     sync.Mutex
	queued func(ok bool)
}

// SendCloseMarker queues the close marker (an F24 key press) behind the keys
// the window has received, and reports when it has gone to the web view
// behind them (or that it cannot); see backend/handover.
func (wailsUI) SendCloseMarker(queued func(bool)) {
	closeMarker.mu.Lock()
	closeMarker.queued = queued
	closeMarker.mu.Unlock()
	C.fe_send_close_marker()
}

// closeMarkerQueued is the window's report on the marker: once per marker.
func closeMarkerQueued(ok bool) {
	closeMarker.mu.Lock()
	queued := closeMarker.queued
	closeMarker.queued = nil
	closeMarker.mu.Unlock()
	if queued != nil {
		go queued(ok) // off GTK's main thread
	}
}
