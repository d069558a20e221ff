package documents

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type testLib struct {
	*Library
	dir   string
	clock *fakeClock
	fs    *faultFS
}

func newTestLib(t *testing.T, opts Options) testLib {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "documents")
	clock := newClock()
	fsys := &faultFS{}
	opts.Now, opts.FS = clock.Now, fsys
	lib, err := OpenWith(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return testLib{Library: lib, dir: dir, clock: clock, fs: fsys}
}

func texts(d Document) []string {
	var out []string
	for _, f := range d.Fragments {
		out = append(out, f.Text)
	}
	return out
}

func withTexts(d Document, ts ...string) Document {
	d.Fragments = nil
	for _, s := range ts {
		d.Fragments = append(d.Fragments, Fragment{Text: s})
	}
	d.Selection = len(d.Fragments)
	return d
}

func mustCreate(t *testing.T, l testLib, name string, ts ...string) Document {
	t.Helper()
	doc, err := l.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) > 0 {
		doc = withTexts(doc, ts...)
		if _, err := l.Save(doc); err != nil {
			t.Fatal(err)
		}
	}
	return doc
}

func writeRaw(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLibrary_CreateSaveLoadList(t *testing.T) {
	l := newTestLib(t, Options{})
	a := mustCreate(t, l, "", "Alpha starts here. ", "Two.")
	l.clock.Advance(time.Minute)
	b := mustCreate(t, l, "Named")
	l.clock.Advance(time.Minute)
	c := sampleDoc()
	c.ID = mustCreate(t, l, "").ID
	meta, err := l.Save(c)
	if err != nil {
		t.Fatal(err)
	}
	if !meta.Modified.Equal(l.clock.Now()) {
		t.Errorf("Save: modified = %v, want now %v", meta.Modified, l.clock.Now())
	}

	got, err := l.Load(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := c
	want.Modified = l.clock.Now()
	want.Revision = 2 // created, then saved
	if meta.Revision != 2 {
		t.Errorf("Save: revision = %d, want 2", meta.Revision)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load after Save\n got %#v\nwant %#v", got, want)
	}

	list, err := l.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Problems) != 0 {
		t.Errorf("problems: %+v", list.Problems)
	}
	var summary []string
	for _, m := range list.Documents {
		summary = append(summary, fmt.Sprintf("%s|%s|%d|%d", m.ID, m.Title, m.Fragments, m.Words))
	}
	wantSummary := []string{
		c.ID + "|" + c.Name + "|4|19",
		b.ID + "|Named|0|0",
		a.ID + "|Alpha starts here. Two.|2|4",
	}
	if !slices.Equal(summary, wantSummary) {
		t.Errorf("List newest first\n got %q\nwant %q", summary, wantSummary)
	}
}

func TestLibrary_SaveFailuresKeepOldVersion(t *testing.T) {
	tests := []struct {
		name    string
		inject  func(*faultFS)
		wantErr error
	}{
		{"disk full", func(f *faultFS) { f.writeErr = syscall.ENOSPC }, syscall.ENOSPC},
		{"fsync failure", func(f *faultFS) { f.syncErr = syscall.EIO }, syscall.EIO},
		{"rename failure", func(f *faultFS) { f.renameErr = syscall.EPERM }, syscall.EPERM},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newTestLib(t, Options{})
			doc := mustCreate(t, l, "", "Version one.")
			before, _ := os.ReadFile(l.docPath(doc.ID))
			l.clock.Advance(2 * time.Minute) // a snapshot is due too
			l.fs.set(tt.inject)
			_, err := l.Save(withTexts(doc, "Version two."))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Save error = %v, want %v", err, tt.wantErr)
			}
			after, _ := os.ReadFile(l.docPath(doc.ID))
			if string(after) != string(before) {
				t.Errorf("file changed after failed save:\n%s", after)
			}
			noTempFiles(t, l.dir)
			l.fs.set((*faultFS).clear)
			loaded, err := l.Load(doc.ID)
			if err != nil || !slices.Equal(texts(loaded), []string{"Version one."}) {
				t.Fatalf("Load after failed save = %q, %v", texts(loaded), err)
			}
			if _, err := l.Save(withTexts(doc, "Version three.")); err != nil {
				t.Fatalf("Save after the fault cleared: %v", err)
			}
			loaded, _ = l.Load(doc.ID)
			if !slices.Equal(texts(loaded), []string{"Version three."}) {
				t.Errorf("Load = %q", texts(loaded))
			}
		})
	}
}

func TestLibrary_CorruptFiles(t *testing.T) {
	l := newTestLib(t, Options{})
	good := mustCreate(t, l, "", "Fine text.")
	future := `{"format":7,"id":"future","fragments":{"new":"shape"}}`
	bad := map[string]struct {
		content string
		wantErr error
	}{
		"truncated":  {string(ExportJSON(sampleDoc()))[:100], ErrCorrupt},
		"wrongtypes": {`{"format":1,"fragments":[{"text":["not","a","string"]}]}`, ErrCorrupt},
		"future":     {future, ErrNewerFormat},
		"binary":     {"\x00\x01\x02", ErrCorrupt},
	}
	for id, b := range bad {
		writeRaw(t, l.docPath(id), b.content)
	}
	writeRaw(t, filepath.Join(l.dir, "My novel.json"), `{"format":1,"fragments":[]}`)

	list, err := l.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Documents) != 1 || list.Documents[0].ID != good.ID {
		t.Errorf("List documents = %+v, want only %s", list.Documents, good.ID)
	}
	problems := map[string]string{}
	for _, p := range list.Problems {
		problems[p.ID] = p.Message
		if !strings.Contains(p.Message, p.Path) {
			t.Errorf("problem %q does not name its file %s", p.Message, p.Path)
		}
	}
	if len(problems) != len(bad)+1 || problems["My novel"] == "" {
		t.Errorf("problems = %q", problems)
	}

	for id, b := range bad {
		t.Run(id, func(t *testing.T) {
			path := l.docPath(id)
			_, err := l.Load(id)
			if !errors.Is(err, b.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("Load error = %v, want %v naming %s", err, b.wantErr, path)
			}
			_, err = l.Save(Document{ID: id, Fragments: []Fragment{{Text: "overwrite?"}}})
			if !errors.Is(err, b.wantErr) || !strings.Contains(err.Error(), path) {
				t.Errorf("Save over it: error = %v, want %v naming %s", err, b.wantErr, path)
			}
			if got, _ := os.ReadFile(path); string(got) != b.content {
				t.Errorf("file was overwritten: %q", got)
			}
		})
	}

	// The rest of the library still works.
	if _, err := l.Save(withTexts(good, "Still fine.")); err != nil {
		t.Errorf("Save of a good document: %v", err)
	}
	if _, err := l.Create("another"); err != nil {
		t.Errorf("Create: %v", err)
	}
	// A corrupt file can be moved to the trash.
	if err := l.Delete("truncated"); err != nil {
		t.Errorf("Delete of a corrupt file: %v", err)
	}
}

// A file this process saved, then damaged by someone else, is not overwritten.
func TestLibrary_SaveRefusesFileCorruptedSinceLoad(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "Mine.")
	path := l.docPath(doc.ID)
	writeRaw(t, path, `{"format":1,"fragments":[`)
	_, err := l.Save(withTexts(doc, "Mine, edited."))
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Save error = %v, want ErrCorrupt", err)
	}
	if got, _ := os.ReadFile(path); string(got) != `{"format":1,"fragments":[` {
		t.Errorf("file overwritten: %q", got)
	}
	// Saving a copy under a new id works.
	cp, err := l.Add(withTexts(doc, "Mine, edited."))
	if err != nil || cp.ID == doc.ID {
		t.Fatalf("Add = %s, %v", cp.ID, err)
	}
}

func TestLibrary_LoadUsesFileNameAsID(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "Original", "Text.")
	data, _ := os.ReadFile(l.docPath(doc.ID))
	writeRaw(t, l.docPath("copied"), string(data))
	got, err := l.Load("copied")
	if err != nil || got.ID != "copied" {
		t.Fatalf("Load(copied) = id %q, %v", got.ID, err)
	}
	if _, err := l.Save(withTexts(got, "Changed copy.")); err != nil {
		t.Fatal(err)
	}
	orig, _ := l.Load(doc.ID)
	if !slices.Equal(texts(orig), []string{"Text."}) {
		t.Errorf("saving the copy changed the original: %q", texts(orig))
	}
}

func TestLibrary_MigratesOldFileOnSave(t *testing.T) {
	l := newTestLib(t, Options{})
	writeRaw(t, l.docPath("proto"), `{"name":"Old","fragments":["One. ","Two."],"selection":2}`)
	doc, err := l.Load("proto")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != 0 || !slices.Equal(texts(doc), []string{"One. ", "Two."}) || doc.Modified.IsZero() {
		t.Fatalf("Load(format 0) = %+v", doc)
	}
	if _, err := l.Save(doc); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(l.docPath("proto"))
	if v, err := probeFormat(data); v != CurrentFormat || err != nil {
		t.Errorf("format after save = %d, %v", v, err)
	}
}

func TestLibrary_RenameAndDuplicate(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "The first words of it. More.")
	meta, err := l.Rename(doc.ID, "  Better name ")
	if err != nil || meta.Title != "Better name" || meta.Name != "Better name" {
		t.Fatalf("Rename = %+v, %v", meta, err)
	}
	meta, err = l.Rename(doc.ID, "")
	if err != nil || meta.Title != "The first words of it. More." {
		t.Fatalf("Rename to derived = %+v, %v", meta, err)
	}
	l.clock.Advance(time.Minute)
	dup, err := l.Duplicate(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if dup.ID == doc.ID || dup.Name != "The first words of it. More. (copy)" || !dup.Created.Equal(l.clock.Now()) {
		t.Errorf("Duplicate = id %s, name %q, created %v", dup.ID, dup.Name, dup.Created)
	}
	loaded, err := l.Load(dup.ID)
	if err != nil || !slices.Equal(texts(loaded), texts(doc)) {
		t.Errorf("Load(duplicate) = %q, %v", texts(loaded), err)
	}
	if _, err := l.Rename("nope", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Rename(unknown) error = %v, want ErrNotFound", err)
	}
}

func TestLibrary_TrashAndRestore(t *testing.T) {
	l := newTestLib(t, Options{})
	keep := mustCreate(t, l, "Keep")
	doc := mustCreate(t, l, "Doomed", "Precious words.")
	if err := l.Delete(doc.ID); err != nil {
		t.Fatal(err)
	}
	list, _ := l.List()
	if len(list.Documents) != 1 || list.Documents[0].ID != keep.ID {
		t.Errorf("List after delete = %+v", list.Documents)
	}
	trash, _ := l.ListTrash()
	if len(trash.Documents) != 1 || trash.Documents[0].ID != doc.ID || trash.Documents[0].Title != "Doomed" {
		t.Errorf("ListTrash = %+v", trash.Documents)
	}
	if _, err := l.Load(doc.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Load(deleted) error = %v, want ErrNotFound", err)
	}
	if _, err := l.Save(doc); !errors.Is(err, ErrDeleted) {
		t.Errorf("Save(deleted) error = %v, want ErrDeleted (a late autosave must not resurrect it)", err)
	}
	meta, err := l.Restore(doc.ID)
	if err != nil || meta.Title != "Doomed" {
		t.Fatalf("Restore = %+v, %v", meta, err)
	}
	loaded, err := l.Load(doc.ID)
	if err != nil || !slices.Equal(texts(loaded), []string{"Precious words."}) {
		t.Errorf("Load(restored) = %q, %v", texts(loaded), err)
	}
	if trash, _ := l.ListTrash(); len(trash.Documents) != 0 {
		t.Errorf("trash after restore = %+v", trash.Documents)
	}
	// Restoring over an existing document is refused.
	if err := l.Delete(doc.ID); err != nil {
		t.Fatal(err)
	}
	writeRaw(t, l.docPath(doc.ID), string(ExportJSON(Document{ID: doc.ID})))
	if _, err := l.Restore(doc.ID); !errors.Is(err, ErrExists) {
		t.Errorf("Restore over existing: error = %v, want ErrExists", err)
	}
	if err := l.Delete("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete(missing) error = %v, want ErrNotFound", err)
	}
	if _, err := l.Restore("missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Restore(missing) error = %v, want ErrNotFound", err)
	}
}

func TestLibrary_LastOpened(t *testing.T) {
	l := newTestLib(t, Options{})
	if id, err := l.LastOpened(); id != "" || err != nil {
		t.Errorf("LastOpened on a new library = %q, %v", id, err)
	}
	doc := mustCreate(t, l, "Open me")
	if err := l.SetLastOpened(doc.ID); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(l.dir)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := reopened.LastOpened(); id != doc.ID || err != nil {
		t.Errorf("LastOpened after reopening = %q, %v; want %s", id, err, doc.ID)
	}
	if list, _ := reopened.List(); len(list.Documents) != 1 || len(list.Problems) != 0 {
		t.Errorf("state.json shows up in the listing: %+v", list)
	}
	if err := l.Delete(doc.ID); err != nil {
		t.Fatal(err)
	}
	if id, err := l.LastOpened(); id != "" || err != nil {
		t.Errorf("LastOpened after delete = %q, %v", id, err)
	}
	writeRaw(t, filepath.Join(l.dir, stateFile), "{broken")
	if id, err := l.LastOpened(); id != "" || !errors.Is(err, ErrCorrupt) {
		t.Errorf("LastOpened with a corrupt state.json = %q, %v", id, err)
	}
}

func TestLibrary_InvalidIDs(t *testing.T) {
	l := newTestLib(t, Options{})
	for _, id := range []string{"", "../escape", "a/b", `a\b`, "state", ".hidden", "with space", strings.Repeat("x", 65)} {
		if _, err := l.Load(id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Load(%q) error = %v", id, err)
		}
		if _, err := l.Save(Document{ID: id}); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Save(%q) error = %v", id, err)
		}
		if err := l.Delete(id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Delete(%q) error = %v", id, err)
		}
	}
	if id := NewID(); !ValidID(id) {
		t.Errorf("NewID() = %q is not valid", id)
	}
}

func TestOpen_RemovesLeftoverTempFiles(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := l.Create("x")
	for _, p := range []string{
		filepath.Join(dir, ".abc.json.tmp-123"),
		filepath.Join(dir, "trash", ".abc.json.tmp-9"),
		filepath.Join(dir, "history", doc.ID, ".20260101T000000.000000000Z.json.tmp-1"),
	} {
		_ = os.MkdirAll(filepath.Dir(p), 0o700)
		writeRaw(t, p, "half a doc")
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	noTempFiles(t, dir)
	if _, err := os.Stat(l.docPath(doc.ID)); err != nil {
		t.Errorf("the document itself went: %v", err)
	}
}

func TestLibrary_ConcurrentUse(t *testing.T) {
	l := newTestLib(t, Options{})
	docs := []Document{mustCreate(t, l, "a"), mustCreate(t, l, "b")}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				doc := withTexts(docs[(w+i)%2], fmt.Sprintf("writer %d edit %d. ", w, i))
				if _, err := l.Save(doc); err != nil {
					t.Error(err)
					return
				}
				if _, err := l.List(); err != nil {
					t.Error(err)
				}
				if _, err := l.Load(doc.ID); err != nil {
					t.Error(err)
				}
				l.clock.Advance(7 * time.Second)
			}
		})
	}
	wg.Wait()
	for _, d := range docs {
		got, err := l.Load(d.ID)
		if err != nil || len(got.Fragments) != 1 || !strings.HasPrefix(got.Fragments[0].Text, "writer ") {
			t.Errorf("final %s = %q, %v", d.ID, texts(got), err)
		}
	}
	noTempFiles(t, l.dir)
}
