//go:build desktop

package desktoptest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	docfile "fragmenteditor/backend/documents"
	"fragmenteditor/backend/handover"
)

// savedDoc is the part of a document file the tests read.
type savedDoc struct {
	ID        string `json:"id"`
	Fragments []struct {
		Text   string `json:"text"`
		Source string `json:"source"`
	} `json:"fragments"`
	Draft *struct {
		Mode string `json:"mode"`
		Text string `json:"text"`
	} `json:"draft"`
}

func (d savedDoc) texts() []string {
	var out []string
	for _, f := range d.Fragments {
		out = append(out, f.Text)
	}
	return out
}

// documents reads every document file the app under home has saved.
func documents(t *testing.T, home string) []savedDoc {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(home, "data", "documents", "*.json"))
	var docs []savedDoc
	for _, p := range paths {
		if filepath.Base(p) == "state.json" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var d savedDoc
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s is not a valid document: %v", p, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// waitDocument waits until the only document saved satisfies ok, and
// returns it.
func waitDocument(t *testing.T, home, what string, ok func(savedDoc) bool) savedDoc {
	t.Helper()
	var last []savedDoc
	deadline := time.Now().Add(20 * time.Second)
	for {
		last = documents(t, home)
		if len(last) == 1 && ok(last[0]) {
			return last[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for the saved document to have %s; saved: %+v", what, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startEditorApp starts the app with a proxy that scans nothing useful.
func startEditorApp(t *testing.T, x *xvfb, home string) *app {
	t.Helper()
	writeProxyConfig(t, home, `{"port": `+strconv.Itoa(freePort(t))+`, "interval": 60000, "endpoints": [{"hostname": "127.0.0.251", "port_start": 9000, "port_end": 9000}]}`)
	a := startApp(t, x, home)
	a.ready()
	return a
}

// TestEditor_KeysReachTheEditorInWebKitGTK types the spec's flows with
// real key events into the real window and judges by the saved document.
func TestEditor_KeysReachTheEditorInWebKitGTK(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	a := startEditorApp(t, x, home)

	// <new> is selected: i inserts at the end; Enter keeps it.
	a.keys("i")
	a.typeText("Hello world.")
	a.keys("Return", "i")
	a.typeText(" Second line")
	a.keys("ctrl+Return")
	a.typeText("continues.")
	a.keys("Return")
	// Insert, then Escape: the inserted fragment is deleted.
	a.keys("i")
	a.typeText(" Thrown away.")
	a.keys("Escape")
	// Left to the first fragment, Space edits it; Escape discards.
	a.keys("Home", "space")
	a.typeText(" NOT KEPT")
	a.keys("Escape")
	// End selects <new>; Space starts a new fragment there.
	a.keys("End", "space")
	a.typeText(" Third.")
	a.keys("Return")

	want := []string{"Hello world.", " Second line\ncontinues.", " Third."}
	waitDocument(t, home, "the typed fragments", func(d savedDoc) bool {
		return reflect.DeepEqual(d.texts(), want) && d.Draft == nil
	})

	// The fragments are painted in the list, not just kept: WebKitGTK once
	// left the list blank while the status bar (below it) still drew.
	waitFor(t, "the fragment list painted", 10*time.Second, func() bool {
		return listColours(t, a.screenshot("editor.png")) > 16
	})
}

// listColours counts the colours in the top 90% of a window screenshot
// (the fragment list, without the status bar).
func listColours(t *testing.T, path string) int {
	t.Helper()
	cropped := path + ".list.png"
	if out, err := exec.Command("convert", path, "-crop", "100%x90%+0+0", "+repage", cropped).CombinedOutput(); err != nil {
		t.Fatalf("crop %s: %v\n%s", path, err, out)
	}
	return imageColours(t, cropped)
}

// TestDocuments_CrashLosesNothing: type, wait for the autosave, kill -9,
// start again: every fragment typed is there (the open draft too) and the
// same document is open.
func TestDocuments_CrashLosesNothing(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	a := startEditorApp(t, x, home)

	a.keys("i")
	a.typeText("One.")
	a.keys("Return", "i")
	a.typeText(" Two.")
	a.keys("Return", "i")
	a.typeText(" Three, still a draft")
	// The crash comes once the autosave has written the open draft (within
	// 0.5 s of the last key: backend/documents tests that with fake time).
	before := waitDocument(t, home, "the fragments and the open draft", func(d savedDoc) bool {
		return reflect.DeepEqual(d.texts(), []string{"One.", " Two."}) && d.Draft != nil && d.Draft.Text == " Three, still a draft"
	})
	a.kill()

	b := startApp(t, x, home)
	b.ready()
	// The draft comes back in its textarea: finishing it commits it to the
	// same document.
	b.typeText(" and done.")
	b.keys("Return")
	after := waitDocument(t, home, "the draft committed after restart", func(d savedDoc) bool {
		return reflect.DeepEqual(d.texts(), []string{"One.", " Two.", " Three, still a draft and done."})
	})
	if after.ID != before.ID {
		t.Fatalf("after restart the app opened document %s, want %s", after.ID, before.ID)
	}
	if !strings.Contains(b.output(), "frontend ready") {
		t.Fatal("the page never said it was ready")
	}
}

// TestDocuments_CloseButtonSavesTheLastChange: closing the window the
// moment the last key is pressed (keys may still be queued in WebKit, and
// no autosave timer has fired) still saves every key.
func TestDocuments_CloseButtonSavesTheLastChange(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	a := startEditorApp(t, x, home)
	a.keys("i")
	a.typeText("Typed just before closing")
	if err := a.closeWindow(30 * time.Second); exitCode(err) != 0 {
		t.Fatalf("exit after close: %v", err)
	}
	docs := documents(t, home)
	if len(docs) != 1 || docs[0].Draft == nil || docs[0].Draft.Text != "Typed just before closing" {
		if len(docs) == 1 && docs[0].Draft != nil {
			t.Fatalf("saved draft after close: %q; want the text typed", docs[0].Draft.Text)
		}
		t.Fatalf("saved after close: %+v; want the draft", docs)
	}
	if !strings.Contains(a.output(), string(handover.HandedOver)) {
		t.Fatalf("the page did not hand over; app output:\n%s", a.output())
	}
	// By the marker, queued behind the keys: a direct ask can overtake them.
	if strings.Contains(a.output(), handover.AskedDirectly) {
		t.Fatalf("the page was asked directly: it did not take the marker; app output:\n%s", a.output())
	}
}

// TestDocuments_LongDocumentJournalSurvivesACrash: a document past
// docfile.DefaultJournalFrom is saved by appending to its journal (its file
// is not rewritten while the writer works), a crash keeps every change saved
// and the open draft, and quitting folds the journal back into the file.
func TestDocuments_LongDocumentJournalSurvivesACrash(t *testing.T) {
	x := startXvfb(t)
	home := t.TempDir()
	const id = "longdocument00001"
	dir := filepath.Join(home, "data", "documents")
	path := filepath.Join(dir, id+".json")
	journal := filepath.Join(dir, id+".journal")
	libraryOf(t, dir, id, novel(id, 6000))
	base, err := os.Stat(path)
	if err != nil || base.Size() < docfile.DefaultJournalFrom {
		t.Fatalf("the document's file: %v, %d bytes; want at least %d", err, base.Size(), docfile.DefaultJournalFrom)
	}
	// read polls what the app would open (base and journal) until ok.
	read := func(what string, ok func(docfile.Document) bool) docfile.Document {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			doc, err := docfile.ReadDocument(dir, id)
			if err == nil && ok(doc) {
				return doc
			}
			if time.Now().After(deadline) {
				j, _ := os.ReadFile(journal)
				t.Logf("the journal (%d bytes): %.1000s", len(j), j)
				t.Fatalf("timed out waiting for the document to have %s (%v; draft %+v)", what, err, doc.Draft)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	a := startEditorApp(t, x, home)
	a.keys("space", "End")
	a.typeText("Journaled.")
	a.keys("Return")
	read("the committed edit", func(d docfile.Document) bool { return strings.Contains(d.Text(), "Journaled.") })
	if _, err := os.Stat(journal); err != nil {
		t.Fatalf("no journal after a save: %v", err)
	}
	if now, err := os.Stat(path); err != nil || !os.SameFile(base, now) || now.ModTime() != base.ModTime() {
		t.Fatal("the document's file was rewritten for a save")
	}
	a.keys("space", "End")
	a.typeText(" Kept draft")
	read("the open draft", func(d docfile.Document) bool {
		return d.Draft != nil && strings.HasSuffix(d.Draft.Text, " Kept draft")
	})
	a.kill()

	b := startApp(t, x, home)
	b.ready()
	b.typeText(" and done")
	b.keys("Return")
	read("the draft committed after the crash", func(d docfile.Document) bool {
		return strings.Contains(d.Text(), "Journaled.") && strings.Contains(d.Text(), " Kept draft and done")
	})
	if err := b.closeWindow(30 * time.Second); exitCode(err) != 0 {
		t.Fatalf("exit after close: %v", err)
	}
	if _, err := os.Stat(journal); !os.IsNotExist(err) {
		t.Fatalf("the journal is still there after quitting: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := docfile.ImportJSON(data)
	if err != nil || !strings.Contains(whole.Text(), "Journaled.") || !strings.Contains(whole.Text(), " Kept draft and done") {
		t.Fatalf("the file alone after quitting: %v; want both edits in it", err)
	}
}
