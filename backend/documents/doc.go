// Package documents owns FragmentEditor's documents on disk: the file
// format and its migrations, atomic saving, the document library (list,
// create, rename, duplicate, trash), the last opened document, autosave,
// per-document history snapshots, and plain-text/JSON import and export
// with a byte-exact sentence splitter.
//
// It leaves to app.go everything that talks to the user: native file
// dialogs, Wails events, window titles. Nothing here imports Wails.
//
// # Layout on disk
//
// A library is one directory (normally <user data dir>/fragmenteditor/documents):
//
//	<id>.json                 one file per document (format below)
//	<id>.journal              saves appended since <id>.json was written, for
//	                          documents of 256 KiB and more (journal.go); folded
//	                          back into <id>.json when the app quits
//	state.json                {"format":1,"last_opened":"<id>"}
//	trash/<id>.json           deleted documents, recoverable with Restore
//	history/<id>/<time>.json  snapshots; <time> is UTC, 20060102T150405.000000000Z
//	.<name>.tmp-<random>      temporary files of an atomic write in progress;
//	                          never listed, removed by Open after a crash
//
// An id is 1–64 characters from [A-Za-z0-9_-]; "state" is reserved.
//
// # File format (format 2)
//
//	{
//	  "format": 2,
//	  "id": "k3v9q2m7x8c4b1n5",
//	  "name": "",                              user-set name; "" = title from the text
//	  "created": "2026-01-02T15:04:05.123456789Z",   RFC 3339 with nanoseconds
//	  "modified": "2026-01-02T15:09:41.5Z",
//	  "fragments": [
//	    {"text": "It was late. "},                              typed by the writer
//	    {"text": "The rain had stopped. ", "source": "model:qwen3-8b",
//	     "edited": true,
//	     "alternatives": ["The rain had stopped. ", "Nobody came. "], "alt": 0}
//	  ],
//	  "selection": 2,                          0..len(fragments); len = <new>
//	  "draft": {"index": 1, "mode": "edit", "text": "The rain st"},  or null
//	  "notes": {"memory": "Mara is a detective.", "authors_note": "[Style: terse]", "depth": 3}
//	}
//
// Fields of a fragment:
//   - text: the fragment's text. The document is the texts joined with
//     nothing added.
//   - source: where it came from: omitted for text the writer typed (or
//     pasted/imported), "model:<name>" for a model's suggestion or rewrite.
//     "typed" is accepted on reading and means the same as omitting it.
//     Other values (from newer versions) are kept as they are.
//   - edited: true once the writer changed a model's text. Omitted when false.
//   - alternatives: the choices Up/Down cycle through, including the one
//     shown; alt is the index of the one shown (omitted when 0). The text
//     may differ from alternatives[alt] once edited.
//   - tokens (format 2): the model's token probabilities for text, omitted
//     when there are none (typed or edited text, a server that sends
//     none), quantised to keep files small (below).
//
// Tokens look like this:
//
//	"tokens": {"len": [3, 5, 5, 1], "p": [12, 100, 0, 97],
//	           "alts": [[0, "She", 40, "He", 3], [2, " away", 88]]}
//
// len is each token's length in Unicode code points (they add up to the
// text's); p its probability in whole percent. alts stores, only for the
// tokens the writer can inspect in token mode (those with other
// candidates of at least 1 %), [token index, text, percent, …], most
// likely first, without the token itself; indexes ascend. Token data that
// does not match the text (an older version edited it) is dropped on
// reading; the text never is.
//
// notes (format 2, omitted when empty) are the story notes: memory leads
// every prompt, authors_note goes depth fragments before the selection
// (0–1000; 3 when the editor never set it).
//
// selection is the selected fragment; len(fragments) is the virtual <new>.
// draft is the open textarea, so an edit in progress survives a crash: in
// "edit" mode index is the fragment being edited (len(fragments) when
// editing <new>), in "insert" mode the position where the new fragment
// will be inserted (the empty inserted fragment itself is not stored).
//
// # Compatibility
//
//   - Readers ignore fields they do not know, so a version may add optional
//     fields without changing "format" — provided an older version that
//     drops them on save loses nothing the writer needs.
//   - A change older versions must not silently undo bumps "format". A file
//     whose format is newer than CurrentFormat gives ErrNewerFormat and is
//     never overwritten.
//   - Older formats are upgraded on reading by Migrate, one step per
//     version, and written back in the current format on the next save.
//     Format 0 is the unversioned prototype shape: no "format" field and
//     fragments as plain strings (["It was late. ", …]). Format 1 had no
//     tokens and no notes; it reads as it is.
//   - UI state that is out of range (selection, draft index, alt) is
//     clamped on reading rather than refused: the writer's text matters
//     more than where the cursor was.
//
// # Safety rules
//
//   - Every write is atomic: a temporary file in the same directory is
//     written, fsynced, renamed over the target, and the directory is
//     fsynced. A crash leaves the old or the new version, never a mix.
//   - A large document's autosave appends a record of what changed to its
//     journal and fsyncs it, instead of rewriting the file (journal.go): a
//     crash leaves the records whose saves were acknowledged, and at most a
//     torn last line, which reading ignores. Every line carries a CRC-32C,
//     the journal names its base file by revision, size and checksum, and
//     a damaged line followed by good ones makes the document unreadable
//     (ErrCorrupt naming the journal and the line) rather than silently
//     shorter. Readers of a library (List, Load, the history) always see
//     base and journal applied.
//   - A document file that fails to parse (corrupt, or from a newer
//     version) is never written over: Save refuses with an error naming the
//     file (wrapping ErrCorrupt or ErrNewerFormat). The writer can save a
//     copy under a new id (Library.Add) and repair or delete the bad file.
//   - List reports unreadable files per file and lists the rest.
//   - Each save that comes at least a minute after the document's last
//     snapshot first copies the version it replaces into history/<id>/,
//     so a deletion that was autosaved is not final. Snapshots are thinned
//     by Thin: all from the last hour (about one a minute), one per hour for the
//     last day, one per day for the last 30 days, then bounded in count and
//     bytes; the newest one is always kept.
//   - JSON strings hold Unicode: bytes that are not valid UTF-8 (possible in
//     an imported .txt) are stored as U+FFFD, as Go's encoding/json does.
package documents
