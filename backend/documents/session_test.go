package documents

import (
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// newTestSession opens a session on dir whose autosaver waits an hour, so
// only flushes and explicit saves write; reports are collected.
func newTestSession(t *testing.T, dir string) (*Session, *reports) {
	t.Helper()
	var r reports
	s, err := OpenSession(dir, time.Hour, r.add)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, &r
}

type reports struct {
	mu  sync.Mutex
	all []SaveResult
}

func (r *reports) add(res SaveResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, res)
}

func (r *reports) errs() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []error
	for _, res := range r.all {
		if res.Err != nil {
			out = append(out, res.Err)
		}
	}
	return out
}

func mustStart(t *testing.T, s *Session) Document {
	t.Helper()
	doc, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func mustChanged(t *testing.T, s *Session, doc Document) int64 {
	t.Helper()
	rev, err := s.Changed(doc)
	if err != nil {
		t.Fatalf("Changed: %v", err)
	}
	return rev
}

func diskTexts(t *testing.T, dir, id string) []string {
	t.Helper()
	lib, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := lib.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	return texts(doc)
}

func TestSession_RevisionsChainForOneWriter(t *testing.T) {
	s, _ := newTestSession(t, t.TempDir())
	doc := mustStart(t, s)
	if doc.Revision != 1 {
		t.Fatalf("new document: revision %d, want 1", doc.Revision)
	}
	for i, text := range []string{"One. ", "Two. ", "Three. "} {
		doc = withTexts(doc, texts(doc)...)
		doc.Fragments = append(doc.Fragments, Fragment{Text: text})
		doc.Revision = mustChanged(t, s, doc)
		if want := int64(i + 2); doc.Revision != want {
			t.Errorf("change %d: revision %d, want %d", i, doc.Revision, want)
		}
	}
	meta, err := s.Save(doc)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Revision != 5 {
		t.Errorf("Save: revision %d, want 5", meta.Revision)
	}
	reopened, err := s.Open(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if reopened.Revision != 5 || !slices.Equal(texts(reopened), []string{"One. ", "Two. ", "Three. "}) {
		t.Errorf("reopened: revision %d, texts %q", reopened.Revision, texts(reopened))
	}
}

// Two tabs on one document through one session: the second writer's
// change, based on the revision the first one replaced, is refused and
// nothing of it is written; after a reload it goes through.
func TestSession_TwoTabsStaleSaveRefused(t *testing.T) {
	for _, how := range []string{"Changed", "Save"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := newTestSession(t, dir)
			a := mustStart(t, s)
			b, err := s.Open(a.ID)
			if err != nil {
				t.Fatal(err)
			}
			a = withTexts(a, "Tab A wrote this. ")
			a.Revision = mustChanged(t, s, a)

			b = withTexts(b, "Tab B wrote this. ")
			var werr error
			if how == "Changed" {
				_, werr = s.Changed(b)
			} else {
				_, werr = s.Save(b)
			}
			if !errors.Is(werr, ErrStaleRevision) {
				t.Fatalf("%s of tab B: err = %v, want ErrStaleRevision", how, werr)
			}
			if _, err := s.List(); err != nil { // flushes
				t.Fatal(err)
			}
			if got := diskTexts(t, dir, a.ID); !slices.Equal(got, []string{"Tab A wrote this. "}) {
				t.Errorf("on disk after the refused save: %q, want tab A's text", got)
			}

			// Tab B keeps its text as a copy, or reloads and writes again.
			cp, err := s.Add(b)
			if err != nil || !slices.Equal(diskTexts(t, dir, cp.ID), []string{"Tab B wrote this. "}) {
				t.Errorf("save as copy: %v", err)
			}
			b, err = s.Open(a.ID)
			if err != nil {
				t.Fatal(err)
			}
			b = withTexts(b, "Tab B again. ")
			if _, err := s.Save(b); err != nil {
				t.Errorf("save after reload: %v", err)
			}
		})
	}
}

// Two processes on one folder (the desktop app and llproxy): a Session
// does not know what the other accepted, so the Library refuses to write
// over a file the other process wrote since this one read it.
func TestSession_TwoProcessesStaleSaveRefused(t *testing.T) {
	dir := t.TempDir()
	s1, _ := newTestSession(t, dir)
	s2, rep2 := newTestSession(t, dir)
	a := mustStart(t, s1)
	b, err := s2.Open(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	a = withTexts(a, "Window. ")
	if _, err := s1.Save(a); err != nil {
		t.Fatal(err)
	}

	t.Run("save now", func(t *testing.T) {
		_, err := s2.Save(withTexts(b, "Browser. "))
		if !errors.Is(err, ErrStaleRevision) {
			t.Errorf("err = %v, want ErrStaleRevision", err)
		}
	})
	t.Run("autosaved chain", func(t *testing.T) {
		b, _ := s2.Open(a.ID) // revision 2, then the window saves again
		if _, err := s1.Save(withTexts(func() Document { d := a; d.Revision = 2; return d }(), "Window again. ")); err != nil {
			t.Fatal(err)
		}
		b = withTexts(b, "Browser 1. ")
		b.Revision = mustChanged(t, s2, b) // accepted: s2 cannot know yet
		b = withTexts(b, "Browser 2. ")
		b.Revision = mustChanged(t, s2, b)
		if _, err := s2.ListTrash(); err != nil { // flushes; the report has the failure
			t.Logf("flush: %v", err)
		}
		if errs := rep2.errs(); len(errs) == 0 || !errors.Is(errs[len(errs)-1], ErrStaleRevision) {
			t.Errorf("autosave reports %v, want ErrStaleRevision last", errs)
		}
		if _, err := s2.Changed(b); !errors.Is(err, ErrStaleRevision) {
			t.Errorf("next change after the refused autosave: err = %v, want ErrStaleRevision", err)
		}
		if got := diskTexts(t, dir, a.ID); !slices.Equal(got, []string{"Window again. "}) {
			t.Errorf("on disk: %q, want the window's text", got)
		}
	})
}

func TestSession_ZeroRevisionIsNotChecked(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestSession(t, dir)
	doc := mustStart(t, s)
	for _, text := range []string{"A. ", "B. "} {
		d := withTexts(doc, text)
		d.Revision = 0
		if _, err := s.Save(d); err != nil {
			t.Fatalf("save without a revision: %v", err)
		}
	}
	if got := diskTexts(t, dir, doc.ID); !slices.Equal(got, []string{"B. "}) {
		t.Errorf("on disk: %q", got)
	}
}

// Every operation that reads or moves documents saves the pending change
// first (ListTrash used not to).
func TestSession_EveryOperationFlushesFirst(t *testing.T) {
	ops := map[string]func(s *Session, id string) error{
		"Open":      func(s *Session, id string) error { _, err := s.Open(id); return err },
		"New":       func(s *Session, _ string) error { _, err := s.New(); return err },
		"Add":       func(s *Session, _ string) error { _, err := s.Add(Document{}); return err },
		"List":      func(s *Session, _ string) error { _, err := s.List(); return err },
		"ListTrash": func(s *Session, _ string) error { _, err := s.ListTrash(); return err },
		"Rename":    func(s *Session, id string) error { _, err := s.Rename(id, "N"); return err },
		"Duplicate": func(s *Session, id string) error { _, err := s.Duplicate(id); return err },
		"Delete":    func(s *Session, id string) error { return s.Delete(id) },
		"History":   func(s *Session, id string) error { _, err := s.History(id); return err },
		"Start":     func(s *Session, _ string) error { _, err := s.Start(); return err },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, _ := newTestSession(t, dir)
			doc := mustStart(t, s)
			mustChanged(t, s, withTexts(doc, "Pending. "))
			if err := op(s, doc.ID); err != nil {
				t.Fatal(err)
			}
			if n := s.Pending(); n != 0 {
				t.Errorf("%d documents still pending", n)
			}
			lib, _ := Open(dir)
			got, err := lib.Load(doc.ID)
			if errors.Is(err, ErrNotFound) { // deleted: it is in the trash
				_, err = lib.Restore(doc.ID)
				if err == nil {
					got, err = lib.Load(doc.ID)
				}
			}
			if err != nil || !slices.Equal(texts(got), []string{"Pending. "}) {
				t.Errorf("saved: %q, %v", texts(got), err)
			}
		})
	}
}

func TestSession_RenameAndRestoreMakeOpenCopiesStale(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestSession(t, dir)
	doc := mustStart(t, s)
	if _, err := s.Rename(doc.ID, "Renamed elsewhere"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Changed(withTexts(doc, "Old copy. ")); !errors.Is(err, ErrStaleRevision) {
		t.Errorf("change of the copy opened before the rename: err = %v, want ErrStaleRevision", err)
	}
	if filepath.Base(s.Library().Dir()) != filepath.Base(dir) {
		t.Errorf("Library().Dir() = %q", s.Library().Dir())
	}
}

func TestSession_InvalidIDRefused(t *testing.T) {
	s, _ := newTestSession(t, t.TempDir())
	for _, id := range []string{"", "../x", "a/b", "state", "..", "x.json"} {
		if _, err := s.Changed(Document{ID: id}); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Changed(%q): err = %v, want ErrInvalidID", id, err)
		}
		if _, err := s.Open(id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Open(%q): err = %v, want ErrInvalidID", id, err)
		}
	}
}

// readCounter is the real file system counting reads of document files.
type readCounter struct {
	OSFS
	mu    sync.Mutex
	reads map[string]int
}

func (r *readCounter) ReadFile(name string) ([]byte, error) {
	r.mu.Lock()
	if r.reads == nil {
		r.reads = map[string]int{}
	}
	r.reads[filepath.Base(name)]++
	r.mu.Unlock()
	return r.OSFS.ReadFile(name)
}

func (r *readCounter) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reads[id+docExt]
}

// A library whose last-opened document is "Last. ", another document, and a
// session on it that reads through a readCounter.
func readAheadLibrary(t *testing.T) (s *Session, rc *readCounter, last, other Document) {
	t.Helper()
	dir := t.TempDir()
	setup, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Document{&other, &last} {
		if *d, err = setup.Create(""); err != nil {
			t.Fatal(err)
		}
	}
	last = withTexts(last, "Last. ")
	if _, err := setup.Save(last); err != nil {
		t.Fatal(err)
	}
	if err := setup.SetLastOpened(last.ID); err != nil {
		t.Fatal(err)
	}
	rc = &readCounter{}
	lib, err := OpenWith(dir, Options{FS: rc})
	if err != nil {
		t.Fatal(err)
	}
	s = NewSession(lib, time.Hour, nil)
	t.Cleanup(func() { _ = s.Close() })
	return s, rc, last, other
}

func TestSession_ReadAheadIsTheStartDocument(t *testing.T) {
	s, rc, last, _ := readAheadLibrary(t)
	s.ReadAhead()
	doc := mustStart(t, s)
	if doc.ID != last.ID || !slices.Equal(texts(doc), []string{"Last. "}) || doc.Revision != 2 {
		t.Fatalf("Start after ReadAhead: %s %q revision %d, want %s [Last. ] revision 2", doc.ID, texts(doc), doc.Revision, last.ID)
	}
	if n := rc.count(last.ID); n != 1 {
		t.Errorf("the document's file was read %d times, want once", n)
	}
	// It counts as opened: a change based on it is accepted.
	if _, err := s.Changed(withTexts(doc, "Changed. ")); err != nil {
		t.Errorf("a change based on the read-ahead document: %v", err)
	}
	// Used once: the next Start saves the change, then reads the file again.
	if again := mustStart(t, s); !slices.Equal(texts(again), []string{"Changed. "}) {
		t.Errorf("second Start: %q, want [Changed. ]", texts(again))
	}
}

func TestSession_ReadAheadNotUsedOnceOutOfDate(t *testing.T) {
	t.Run("file written since", func(t *testing.T) {
		s, _, last, _ := readAheadLibrary(t)
		s.ReadAhead()
		s.waitAhead()
		// Another process saves the document (a longer text: the size changes too).
		other, err := Open(filepath.Dir(s.lib.docPath(last.ID)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := other.Save(withTexts(last, "Written elsewhere. ")); err != nil {
			t.Fatal(err)
		}
		if doc := mustStart(t, s); !slices.Equal(texts(doc), []string{"Written elsewhere. "}) || doc.Revision != 3 {
			t.Errorf("Start: %q revision %d, want the file's new text at revision 3", texts(doc), doc.Revision)
		}
	})
	t.Run("another document opened since", func(t *testing.T) {
		s, _, _, other := readAheadLibrary(t)
		s.ReadAhead()
		s.waitAhead()
		if err := s.lib.SetLastOpened(other.ID); err != nil {
			t.Fatal(err)
		}
		if doc := mustStart(t, s); doc.ID != other.ID {
			t.Errorf("Start: %s, want the last opened %s", doc.ID, other.ID)
		}
	})
	t.Run("nothing opened yet", func(t *testing.T) {
		s, _ := newTestSession(t, t.TempDir())
		s.ReadAhead()
		if doc := mustStart(t, s); doc.ID == "" || len(doc.Fragments) != 0 {
			t.Errorf("Start in an empty library: %+v, want a new empty document", doc)
		}
	})
}

// waitAhead waits until the read ahead ended, leaving it for Start.
func (s *Session) waitAhead() {
	s.mu.Lock()
	ra := s.ahead
	s.mu.Unlock()
	<-ra.done
}
