package documents

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// A writer that hands over patches ends with the same file as one that
// hands over whole documents.
func TestSession_PatchesSaveWhatWholeDocumentsWould(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestSession(t, dir)
	doc := mustStart(t, s)
	rev := mustChanged(t, s, withTexts(doc, "A. ", "B. ", "C. "))

	steps := []struct {
		name string
		p    Patch
		want []string
	}{
		{"append", Patch{At: 3, Insert: []Fragment{{Text: "D. "}}}, []string{"A. ", "B. ", "C. ", "D. "}},
		{"edit one", Patch{At: 1, Remove: 1, Insert: []Fragment{{Text: "Bee. ", Source: "model:m", Edited: true}}}, []string{"A. ", "Bee. ", "C. ", "D. "}},
		{"delete two", Patch{At: 0, Remove: 2}, []string{"C. ", "D. "}},
		{"insert at the front", Patch{At: 0, Insert: []Fragment{{Text: "Start. "}, {Text: "Then. "}}}, []string{"Start. ", "Then. ", "C. ", "D. "}},
		{"metadata only", Patch{At: 4, Name: "Named", Selection: 1, Draft: &Draft{Index: 1, Mode: ModeEdit, Text: "Then, typed. "}, Notes: &Notes{Memory: "M", Depth: 2}}, []string{"Start. ", "Then. ", "C. ", "D. "}},
	}
	for _, st := range steps {
		p := st.p
		p.ID, p.Base = doc.ID, rev
		got, err := s.ChangedPatch(p)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != rev+1 {
			t.Errorf("%s: revision %d, want %d", st.name, got, rev+1)
		}
		rev = got
		if err := s.auto.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := diskTexts(t, dir, doc.ID); !slices.Equal(got, st.want) {
			t.Errorf("%s: on disk %q, want %q", st.name, got, st.want)
		}
	}
	lib, _ := Open(dir)
	saved, err := lib.Load(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Name != "Named" || saved.Selection != 1 || saved.Draft == nil || saved.Draft.Text != "Then, typed. " ||
		saved.Notes == nil || saved.Notes.Memory != "M" || saved.Revision != rev {
		t.Errorf("saved %+v (draft %+v, notes %+v), want the last patch's name, selection, draft, notes and revision %d", saved, saved.Draft, saved.Notes, rev)
	}
	if saved.Fragments[1].Source != "" || saved.Fragments[0].Text != "Start. " {
		t.Errorf("fragments %+v", saved.Fragments)
	}
}

// The document a writer opens is held: its first change can be a patch.
func TestSession_PatchOfAnOpenedDocument(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestSession(t, dir)
	doc := mustStart(t, s)
	if _, err := s.Save(withTexts(doc, "Kept. ")); err != nil {
		t.Fatal(err)
	}
	s2, _ := newTestSession(t, dir) // a restarted server
	opened, err := s2.Open(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.ChangedPatch(Patch{ID: doc.ID, Base: opened.Revision, At: 1, Insert: []Fragment{{Text: "Added. "}}, Selection: 2}); err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if got := diskTexts(t, dir, doc.ID); !slices.Equal(got, []string{"Kept. ", "Added. "}) {
		t.Errorf("on disk %q", got)
	}
}

// Every refused patch changes nothing, and says why: stale (another tab),
// unknown base (send the whole document), bad patch.
func TestSession_BadPatchesRefused(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestSession(t, dir)
	doc := mustStart(t, s)
	rev := mustChanged(t, s, withTexts(doc, "A. ", "B. "))
	other := mustStart(t, s) // the same document: what Start reopens
	if other.ID != doc.ID {
		t.Fatalf("Start opened %s, want %s", other.ID, doc.ID)
	}

	cases := []struct {
		name string
		p    Patch
		want error
	}{
		{"no base", Patch{ID: doc.ID, At: 0}, ErrBadPatch},
		{"negative base", Patch{ID: doc.ID, Base: -1}, ErrBadPatch},
		{"older base (another tab saved since)", Patch{ID: doc.ID, Base: rev - 1, At: 0}, ErrStaleRevision},
		{"newer base than any", Patch{ID: doc.ID, Base: rev + 5, At: 0}, ErrStaleRevision},
		{"at past the end", Patch{ID: doc.ID, Base: rev, At: 3}, ErrBadPatch},
		{"negative at", Patch{ID: doc.ID, Base: rev, At: -1}, ErrBadPatch},
		{"removing past the end", Patch{ID: doc.ID, Base: rev, At: 1, Remove: 2}, ErrBadPatch},
		{"negative remove", Patch{ID: doc.ID, Base: rev, At: 1, Remove: -1}, ErrBadPatch},
		{"invalid id", Patch{ID: "../x", Base: rev}, ErrInvalidID},
		{"a document this session never held", Patch{ID: "nosuchdocument", Base: 1}, ErrStaleRevision},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.ChangedPatch(c.p)
			if !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
	// Nothing of them changed the document: the next good patch is based on rev.
	if _, err := s.ChangedPatch(Patch{ID: doc.ID, Base: rev, At: 2, Insert: []Fragment{{Text: "C. "}}}); err != nil {
		t.Fatalf("good patch after the refused ones: %v", err)
	}
	if err := s.auto.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := diskTexts(t, dir, doc.ID); !slices.Equal(got, []string{"A. ", "B. ", "C. "}) {
		t.Errorf("on disk %q", got)
	}
}

// A base the session no longer holds (dropped after a rename read the
// revision from the file, or pushed out by other documents) is refused
// with ErrUnknownBase; the whole document then goes through.
func TestSession_PatchOfAnUnknownBase(t *testing.T) {
	t.Run("forgotten", func(t *testing.T) {
		s, _ := newTestSession(t, t.TempDir())
		doc := mustStart(t, s)
		meta, err := s.Rename(doc.ID, "Renamed")
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ChangedPatch(Patch{ID: doc.ID, Base: meta.Revision, At: 0, Insert: []Fragment{{Text: "X. "}}})
		if !errors.Is(err, ErrUnknownBase) {
			t.Fatalf("err = %v, want ErrUnknownBase", err)
		}
		d := withTexts(doc, "X. ")
		d.Revision = meta.Revision
		if _, err := s.Changed(d); err != nil {
			t.Errorf("the whole document after ErrUnknownBase: %v", err)
		}
	})
	t.Run("pushed out", func(t *testing.T) {
		s, _ := newTestSession(t, t.TempDir())
		first := mustStart(t, s)
		for i := range maxHeld {
			if _, err := s.New(); err != nil {
				t.Fatalf("new %d: %v", i, err)
			}
		}
		_, err := s.ChangedPatch(Patch{ID: first.ID, Base: first.Revision})
		if !errors.Is(err, ErrUnknownBase) {
			t.Errorf("err = %v, want ErrUnknownBase", err)
		}
		if len(s.held) > maxHeld {
			t.Errorf("%d documents held, at most %d", len(s.held), maxHeld)
		}
	})
}

// A patch never changes the copy it was applied to: the autosaver may be
// writing that copy meanwhile.
func TestPatch_LeavesItsBaseAlone(t *testing.T) {
	base := withTexts(Document{ID: "d", Revision: 3}, "A. ", "B. ", "C. ")
	base.Fragments[1].Alternatives = []string{"B. ", "Bee. "}
	before := base.Clone()
	p := Patch{ID: "d", Base: 3, At: 1, Remove: 1, Insert: []Fragment{{Text: "X. "}}, Name: "n", Selection: 0}
	got, err := p.apply(base)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A. ", "X. ", "C. "}; !slices.Equal(texts(got), want) {
		t.Errorf("patched %q, want %q", texts(got), want)
	}
	if fmt.Sprint(base) != fmt.Sprint(before) {
		t.Errorf("base changed:\n%+v\nwas\n%+v", base, before)
	}
}
