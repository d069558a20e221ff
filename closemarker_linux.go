//go:build linux && cgo

package main

/*
#cgo linux pkg-config: gtk+-3.0
#include <gtk/gtk.h>

// closeMarkerKeyval is the key the page takes as "the window is closing":
// F24, which no editor key uses.
#define CLOSE_MARKER_KEYVAL GDK_KEY_F24

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

// fe_put_close_marker runs on GTK's main thread: it appends a key press and
// release to GDK's event queue, behind every key already received, so
// WebKit hands it to the page after them.
static gboolean fe_put_close_marker(gpointer data) {
	GList *tops = gtk_window_list_toplevels();
	for (GList *l = tops; l != NULL; l = l->next) {
		GtkWindow *w = GTK_WINDOW(l->data);
		if (gtk_window_get_window_type(w) != GTK_WINDOW_TOPLEVEL || !gtk_widget_get_visible(GTK_WIDGET(w))) continue;
		GdkWindow *win = gtk_widget_get_window(GTK_WIDGET(w));
		if (win == NULL) continue;
		fe_put_key(win, GDK_KEY_PRESS);
		fe_put_key(win, GDK_KEY_RELEASE);
		break;
	}
	g_list_free(tops);
	return G_SOURCE_REMOVE;
}

static void fe_send_close_marker(void) { g_idle_add(fe_put_close_marker, NULL); }
*/
import "C"

// SendCloseMarker queues the close marker (an F24 key press) behind the keys
// the window has received; see backend/handover.
func (wailsUI) SendCloseMarker() { C.fe_send_close_marker() }
