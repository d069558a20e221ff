package documents

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
)

// journalLib is a test library whose every document saves to a journal.
func journalLib(t *testing.T) testLib {
	t.Helper()
	return newTestLib(t, Options{JournalFrom: 1})
}

// reader opens the same directory as another process would.
func reader(t *testing.T, l testLib) *Library {
	t.Helper()
	r, err := OpenWith(l.dir, Options{JournalFrom: 1})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// randomEdit changes doc as a writer might between two autosaves: a
// fragment replaced, inserted or removed (some with alternatives or token
// data), and the parts besides the fragments.
func randomEdit(rng *rand.Rand, doc Document, step int) Document {
	frag := func() Fragment {
		text := fmt.Sprintf("Sentence %d, \"quoted\" ünï\n", rng.IntN(1000))
		f := Fragment{Text: text}
		switch rng.IntN(4) {
		case 0:
			f.Source = ModelSource("qwen3-8b")
			f.Alternatives = []string{text, "Or this. "}
		case 1:
			f.Source = ModelSource("llama")
			n := len([]rune(text))
			f.Tokens = &Tokens{Len: []int{3, n - 3}, P: []int{40, 99},
				Alts: []TokenAlts{{Index: 0, Alts: []TokenAlt{{Text: "Phrase", P: 30}}}}}
		}
		return f
	}
	fr := append([]Fragment(nil), doc.Fragments...)
	n := len(fr)
	switch k := rng.IntN(6); {
	case k < 3 && n > 0: // the common case: one fragment typed into
		i := rng.IntN(n)
		fr[i].Text += "more "
		fr[i].Tokens = nil
	case k == 3 || n == 0:
		i := rng.IntN(n + 1)
		fr = append(fr[:i], append([]Fragment{frag(), frag()}[:1+rng.IntN(2)], fr[i:]...)...)
	case k == 4:
		i := rng.IntN(n)
		fr = append(fr[:i], fr[i+min(n-i, 1+rng.IntN(3)):]...)
	default: // nothing in the text: the selection moved, or the draft
	}
	doc.Fragments = fr
	doc.Selection = rng.IntN(len(fr) + 1)
	switch rng.IntN(3) {
	case 0:
		doc.Draft = nil
	case 1:
		doc.Draft = &Draft{Index: doc.Selection, Mode: ModeEdit, Text: fmt.Sprintf("draft %d", step)}
	}
	if rng.IntN(10) == 0 {
		doc.Name = fmt.Sprintf("Name %d", step)
	}
	if rng.IntN(10) == 0 {
		doc.Notes = &Notes{Memory: fmt.Sprintf("memory %d", step), Depth: 3}
	}
	return doc
}

// sameContent compares what a writer sees of two documents.
func sameContent(t *testing.T, what string, got, want Document) {
	t.Helper()
	got.Normalize()
	want.Normalize()
	if got.Revision != want.Revision || got.Name != want.Name || got.Selection != want.Selection ||
		!reflect.DeepEqual(got.Draft, want.Draft) || !reflect.DeepEqual(got.Notes, want.Notes) ||
		len(got.Fragments) != len(want.Fragments) || !got.Modified.Equal(want.Modified) {
		t.Fatalf("%s: got revision %d name %q selection %d draft %+v notes %+v, %d fragments, modified %v; want %d %q %d %+v %+v, %d, %v",
			what, got.Revision, got.Name, got.Selection, got.Draft, got.Notes, len(got.Fragments), got.Modified,
			want.Revision, want.Name, want.Selection, want.Draft, want.Notes, len(want.Fragments), want.Modified)
	}
	for i := range got.Fragments {
		if !reflect.DeepEqual(got.Fragments[i], want.Fragments[i]) {
			t.Fatalf("%s: fragment %d\n got %+v\nwant %+v", what, i, got.Fragments[i], want.Fragments[i])
		}
	}
}

// baseStat is the document file's identity: an append leaves it as it is.
func baseStat(t *testing.T, path string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// journaled is a document of a journal library after saves random saves
// (seeded with seed).
func journaled(t *testing.T, seed uint64, saves int, texts ...string) (testLib, Document) {
	t.Helper()
	l := journalLib(t)
	doc := mustCreate(t, l, "", texts...)
	doc, _ = l.Load(doc.ID)
	doc, _ = saveAll(t, l, doc, rand.New(rand.NewPCG(seed, seed)), saves)
	return l, doc
}

// saveAll saves steps random edits of doc, checking after each that
// another process reads exactly what was saved; it returns the last
// version saved and how many saves appended.
func saveAll(t *testing.T, l testLib, doc Document, rng *rand.Rand, steps int) (Document, int) {
	t.Helper()
	appended := 0
	for step := range steps {
		doc = randomEdit(rng, doc, step)
		before := baseStat(t, l.docPath(doc.ID))
		meta, err := l.Save(doc)
		if err != nil {
			t.Fatalf("save %d: %v", step, err)
		}
		doc.Revision, doc.Modified = meta.Revision, meta.Modified
		if sameFile(before, baseStat(t, l.docPath(doc.ID))) {
			appended++
		}
		got, err := reader(t, l).Load(doc.ID)
		if err != nil {
			t.Fatalf("load after save %d: %v", step, err)
		}
		sameContent(t, fmt.Sprintf("after save %d", step), got, doc)
		l.clock.Advance(time.Second)
	}
	return doc, appended
}

func TestJournal_EverySaveReadsBackExactly(t *testing.T) {
	l := journalLib(t)
	doc := mustCreate(t, l, "", "First. ", "Second.\n", "Third. ")
	doc, _ = l.Load(doc.ID)
	rng := rand.New(rand.NewPCG(7, 8))
	// More saves than a journal holds: it is folded into the file and begun again.
	doc, appended := saveAll(t, l, doc, rng, maxJournalRecords+60)
	if appended < maxJournalRecords-10 || appended == maxJournalRecords+60 {
		t.Errorf("%d of %d saves appended; want most of them, and a rewrite after %d records", appended, maxJournalRecords+60, maxJournalRecords)
	}
	// The library itself (its cache of the version on disk) agrees too.
	got, err := l.Load(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, "same library", got, doc)
	list, err := reader(t, l).List()
	if err != nil || len(list.Documents) != 1 || list.Documents[0].Revision != doc.Revision ||
		list.Documents[0].Fragments != len(doc.Fragments) {
		t.Errorf("List = %+v, %v; want revision %d, %d fragments", list, err, doc.Revision, len(doc.Fragments))
	}
}

func TestJournal_SmallDocumentsAreRewrittenWhole(t *testing.T) {
	l := newTestLib(t, Options{}) // DefaultJournalFrom
	doc := mustCreate(t, l, "", "Short. ")
	for i := range 5 {
		if _, err := l.Save(withTexts(doc, fmt.Sprintf("Short %d. ", i))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(journalPath(l.docPath(doc.ID))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a %d-byte document has a journal (%v)", baseStat(t, l.docPath(doc.ID)).Size(), err)
	}
}

func TestJournal_ANovelAppendsAFewHundredBytesPerSave(t *testing.T) {
	l := newTestLib(t, Options{}) // DefaultJournalFrom: 256 KiB
	n := novel()
	doc, err := l.Add(n)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ = l.Load(doc.ID)
	base := baseStat(t, l.docPath(doc.ID))
	for i := range 20 {
		doc.Fragments = append([]Fragment(nil), doc.Fragments...)
		doc.Fragments[6000].Text += fmt.Sprintf("word%d ", i)
		doc.Draft = &Draft{Index: 6000, Mode: ModeEdit, Text: doc.Fragments[6000].Text}
		doc.Revision++ // as the session numbers changes
		meta, err := l.SaveRevision(doc)
		if err != nil {
			t.Fatal(err)
		}
		doc.Revision = meta.Revision
	}
	if !sameFile(base, baseStat(t, l.docPath(doc.ID))) {
		t.Fatal("the novel's file was rewritten")
	}
	j := baseStat(t, journalPath(l.docPath(doc.ID)))
	if per := j.Size() / 20; per > 1024 {
		t.Errorf("journal %d bytes for 20 saves (%d per save); want under 1 KiB per save", j.Size(), per)
	}
	got, err := reader(t, l).Load(doc.ID)
	if err != nil || got.Fragments[6000].Text != doc.Fragments[6000].Text || got.Revision != doc.Revision {
		t.Fatalf("read back: %v, revision %d", err, got.Revision)
	}
}

func TestJournal_TornLastLineIsASaveThatNeverHappened(t *testing.T) {
	l := journalLib(t)
	doc := mustCreate(t, l, "", "One. ", "Two. ")
	doc, _ = l.Load(doc.ID)
	rng := rand.New(rand.NewPCG(1, 1))
	doc, _ = saveAll(t, l, doc, rng, 3)
	jpath := journalPath(l.docPath(doc.ID))
	good, _ := os.ReadFile(jpath)
	prev := doc
	next := randomEdit(rng, doc, 99)
	meta, err := l.Save(next)
	if err != nil {
		t.Fatal(err)
	}
	next.Revision, next.Modified = meta.Revision, meta.Modified
	full, _ := os.ReadFile(jpath)
	if !bytes.HasPrefix(full, good) || len(full) <= len(good) {
		t.Fatalf("the save did not append (%d → %d bytes)", len(good), len(full))
	}
	base, _ := os.ReadFile(l.docPath(doc.ID))
	cuts := map[string][]byte{}
	for n := len(good); n < len(full); n++ {
		cuts[fmt.Sprintf("cut at %d of %d", n, len(full))] = full[:n]
	}
	garbled := bytes.Clone(full)
	garbled[len(good)+12] ^= 0x20 // a crash wrote garbage into the last line
	cuts["last line garbled"] = garbled
	cuts["zeros after the last line"] = append(bytes.Clone(good), make([]byte, 300)...)
	for name, data := range cuts {
		// The files as the crash left them.
		if err := os.WriteFile(l.docPath(doc.ID), base, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(jpath, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := reader(t, l)
		got, err := r.Load(doc.ID)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameContent(t, name, got, prev)
		// The writer's next save (the same change, as the autosaver retries
		// it) is not refused and does not append after the torn line.
		retry := next
		retry.Revision = prev.Revision + 1
		meta, err := r.SaveRevision(retry)
		if err != nil {
			t.Fatalf("%s: save after the crash: %v", name, err)
		}
		got, err = reader(t, l).Load(doc.ID)
		if err != nil {
			t.Fatalf("%s: load after the save: %v", name, err)
		}
		retry.Modified = meta.Modified
		sameContent(t, name+", saved again", got, retry)
	}
}

func TestJournal_DamagedLineBeforeAGoodOneIsCorruptAndKept(t *testing.T) {
	l, doc := journaled(t, 3, 4, "One. ")
	jpath := journalPath(l.docPath(doc.ID))
	data, _ := os.ReadFile(jpath)
	lines := bytes.SplitAfter(data, []byte("\n"))
	off := len(lines[0]) + len(lines[1]) + 15 // inside line 3, with lines 4–6 after it
	data[off] ^= 0x01
	if err := os.WriteFile(jpath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	base, _ := os.ReadFile(l.docPath(doc.ID))
	r := reader(t, l)
	_, err := r.Load(doc.ID)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), jpath) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("Load = %v; want ErrCorrupt naming %s, line 3", err, jpath)
	}
	if _, err := r.Save(doc); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "refusing to overwrite") {
		t.Errorf("Save over it = %v; want a refusal", err)
	}
	list, _ := r.List()
	if len(list.Problems) != 1 || !strings.Contains(list.Problems[0].Message, "line 3") {
		t.Errorf("List problems = %+v", list.Problems)
	}
	after, _ := os.ReadFile(jpath)
	afterBase, _ := os.ReadFile(l.docPath(doc.ID))
	if !bytes.Equal(after, data) || !bytes.Equal(afterBase, base) {
		t.Error("a damaged journal or its base was written over")
	}
}

func TestJournal_LeftoverOfAnEarlierBaseIsIgnored(t *testing.T) {
	l, doc := journaled(t, 4, 3, "One. ")
	jpath := journalPath(l.docPath(doc.ID))
	old, _ := os.ReadFile(jpath)
	// A crash between a rewrite and the journal's removal: the new base
	// holds everything, the old journal is still there.
	if err := l.Compact(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jpath); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Compact left the journal: %v", err)
	}
	if err := os.WriteFile(jpath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := reader(t, l).Load(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameContent(t, "with a leftover journal", got, doc)
	// The next save rewrites the base and removes the leftover.
	r := reader(t, l)
	if _, err := r.Load(doc.ID); err != nil {
		t.Fatal(err)
	}
	doc.Name = "After"
	meta, err := r.SaveRevision(withRevision(doc, doc.Revision+1))
	if err != nil {
		t.Fatal(err)
	}
	doc.Revision, doc.Modified = meta.Revision, meta.Modified
	got, _ = reader(t, l).Load(doc.ID)
	sameContent(t, "saved after", got, doc)
	if j, _ := os.ReadFile(jpath); bytes.Equal(j, old) {
		t.Error("the leftover journal is still there")
	}
}

func withRevision(d Document, rev int64) Document {
	d.Revision = rev
	return d
}

func TestJournal_DeleteRestoreAndCloseLeaveOneFile(t *testing.T) {
	dir := t.TempDir()
	lib, err := OpenWith(dir, Options{JournalFrom: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(lib, time.Hour, nil)
	start, err := s.New()
	if err != nil {
		t.Fatal(err)
	}
	doc := start
	for i := range 5 {
		doc.Fragments = append(append([]Fragment(nil), doc.Fragments...), Fragment{Text: fmt.Sprintf("Line %d. ", i)})
		rev, err := s.Changed(doc)
		if err != nil {
			t.Fatal(err)
		}
		doc.Revision = rev
		if err := s.auto.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	jpath := journalPath(lib.docPath(doc.ID))
	if _, err := os.Stat(jpath); err != nil {
		t.Fatalf("no journal after five saves: %v", err)
	}
	// Delete folds the journal in: the trash holds one whole file.
	if err := s.Delete(doc.ID); err != nil {
		t.Fatal(err)
	}
	if files := allFiles(t, dir); strings.Contains(strings.Join(files, " "), journalExt) {
		t.Errorf("files after Delete: %v", files)
	}
	if _, err := s.Restore(doc.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Open(doc.ID)
	if err != nil || len(got.Fragments) != 5 || got.Fragments[4].Text != "Line 4. " || got.Revision != doc.Revision {
		t.Fatalf("restored: %v, %d fragments, revision %d (want %d)", err, len(got.Fragments), got.Revision, doc.Revision)
	}
	// More saves, then quit: Close folds the journal into the file.
	doc = got
	doc.Fragments = append(append([]Fragment(nil), doc.Fragments...), Fragment{Text: "Last. "})
	if _, err := s.Changed(doc); err != nil {
		t.Fatal(err)
	}
	if err := s.auto.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jpath); err != nil {
		t.Fatalf("no journal before Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jpath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("journal after Close: %v", err)
	}
	data, _ := os.ReadFile(lib.docPath(doc.ID))
	whole, err := ImportJSON(data)
	if err != nil || len(whole.Fragments) != 6 || whole.Fragments[5].Text != "Last. " {
		t.Errorf("the file alone after Close: %v, %d fragments", err, len(whole.Fragments))
	}
}

func TestJournal_FailedAppendIsTakenBackAndRetried(t *testing.T) {
	for name, inject := range map[string]func(*faultFS){
		"disk full":     func(f *faultFS) { f.writeErr, f.only = syscall.ENOSPC, journalExt },
		"fsync failure": func(f *faultFS) { f.syncErr, f.only = syscall.EIO, journalExt },
	} {
		t.Run(name, func(t *testing.T) {
			l, doc := journaled(t, 5, 2, "One. ")
			jpath := journalPath(l.docPath(doc.ID))
			before, _ := os.ReadFile(jpath)
			next := doc
			next.Fragments = append(append([]Fragment(nil), doc.Fragments...), Fragment{Text: "Failed first. "})
			next.Revision = doc.Revision + 1
			l.fs.set(inject)
			if _, err := l.SaveRevision(next); err == nil {
				t.Fatal("the save succeeded under the fault")
			}
			l.fs.set((*faultFS).clear)
			if after, _ := os.ReadFile(jpath); !bytes.Equal(after, before) {
				t.Errorf("the failed record was not taken back: %d → %d bytes", len(before), len(after))
			}
			got, err := reader(t, l).Load(doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameContent(t, "after the failed save", got, doc)
			// The autosaver's retry of the same revision is not refused as stale.
			meta, err := l.SaveRevision(next)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			next.Modified = meta.Modified
			got, _ = reader(t, l).Load(doc.ID)
			sameContent(t, "after the retry", got, next)
		})
	}
}

func TestJournal_AnotherProcessesAppendIsSeen(t *testing.T) {
	l, doc := journaled(t, 6, 2, "One. ")
	other := reader(t, l)
	theirs, err := other.Load(doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	theirs.Name = "Theirs"
	theirs.Revision++
	if _, err := other.SaveRevision(theirs); err != nil {
		t.Fatal(err)
	}
	// This library's copy is now behind: its save on the old revision is refused.
	mine := doc
	mine.Name = "Mine"
	mine.Revision++
	if _, err := l.SaveRevision(mine); !errors.Is(err, ErrStaleRevision) {
		t.Fatalf("save over another process's append = %v; want ErrStaleRevision", err)
	}
	got, _ := l.Load(doc.ID)
	if got.Name != "Theirs" {
		t.Errorf("name = %q; want the other process's", got.Name)
	}
}

// wordsByRunes is the word count as unicode.IsSpace over every rune gives it.
func wordsByRunes(frags []Fragment) int {
	words, inWord := 0, false
	for _, f := range frags {
		for _, r := range f.Text {
			space := unicode.IsSpace(r)
			if !space && !inWord {
				words++
			}
			inWord = !space
		}
	}
	return words
}

func TestSplicedWords_MatchesACountOfTheWholeText(t *testing.T) {
	pieces := []string{"", " ", "a", "word", "two words", " lead", "trail ", "\n\n", "ünï", "\u00a0nbsp\u00a0", "\u2003", "x\u3000y", "\xff\xfe", "tab\t"}
	rng := rand.New(rand.NewPCG(9, 9))
	frags := func(n int) []Fragment {
		out := make([]Fragment, n)
		for i := range out {
			var b strings.Builder
			for range rng.IntN(3) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			out[i] = Fragment{Text: b.String()}
		}
		return out
	}
	for range 20000 {
		old := frags(rng.IntN(8))
		at := rng.IntN(len(old) + 1)
		remove := rng.IntN(len(old) - at + 1)
		insert := frags(rng.IntN(4))
		next := append(append(append([]Fragment(nil), old[:at]...), insert...), old[at+remove:]...)
		if got, want := (Document{Fragments: old}).Words(), wordsByRunes(old); got != want {
			t.Fatalf("Words(%q) = %d, want %d", texts(Document{Fragments: old}), got, want)
		}
		if got, want := splicedWords(wordsByRunes(old), old, at, remove, insert), wordsByRunes(next); got != want {
			t.Fatalf("splicing %q at %d (removing %d) into %q: %d words, want %d",
				texts(Document{Fragments: insert}), at, remove, texts(Document{Fragments: old}), got, want)
		}
	}
}

func TestJournal_RacingAppendOfAnotherProcessIsSkippedNotMixed(t *testing.T) {
	l, doc := journaled(t, 10, 2, "One. ", "Two. ", "Three. ")
	// Another process made its change from the same version, checked the
	// files before this one appended, and appended after it.
	theirs := doc
	theirs.Fragments = []Fragment{{Text: "Theirs. "}}
	theirs.Revision = doc.Revision + 1
	theirs.Modified = doc.Modified.Add(time.Second)
	mine := doc
	mine.Fragments = append(append([]Fragment(nil), doc.Fragments...), Fragment{Text: "Mine. "})
	mine.Revision = doc.Revision + 1
	meta, err := l.SaveRevision(mine)
	if err != nil {
		t.Fatal(err)
	}
	mine.Modified = meta.Modified
	at, remove := spliceOf(doc.Fragments, theirs.Fragments)
	if err := appendFile(OSFS{}, journalPath(l.docPath(doc.ID)), record(doc.Revision, &theirs, at, remove, theirs.Fragments[at:])); err != nil {
		t.Fatal(err)
	}
	got, err := reader(t, l).Load(doc.ID)
	if err != nil {
		t.Fatalf("Load after the race: %v", err)
	}
	sameContent(t, "after the race", got, mine)
}
