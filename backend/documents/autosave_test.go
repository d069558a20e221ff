package documents

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

// recordingSaver records what was saved when (on synctest's fake clock)
// and fails as told.
type recordingSaver struct {
	mu     sync.Mutex
	start  time.Time
	saves  []savedVersion
	failFn func(attempt int, doc Document) error
}

type savedVersion struct {
	id, text string
	at       time.Duration // since start
	err      error
}

func newRecorder() *recordingSaver { return &recordingSaver{start: time.Now()} }

func (r *recordingSaver) Save(doc Document) (Meta, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var err error
	if r.failFn != nil {
		err = r.failFn(len(r.saves), doc)
	}
	r.saves = append(r.saves, savedVersion{id: doc.ID, text: doc.Text(), at: time.Since(r.start), err: err})
	return Meta{ID: doc.ID}, err
}

func (r *recordingSaver) got() []savedVersion {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.saves)
}

func version(id, text string) Document {
	return Document{ID: id, Fragments: []Fragment{{Text: text}}}
}

const testDelay = 500 * time.Millisecond

func TestAutosaver_CoalescesAndSavesWithinDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		a := NewAutosaver(rec, testDelay, nil)
		a.Put(version("d", "v1"))
		time.Sleep(200 * time.Millisecond)
		a.Put(version("d", "v2"))
		time.Sleep(200 * time.Millisecond)
		a.Put(version("d", "v3"))
		synctest.Wait()
		if got := rec.got(); len(got) != 0 {
			t.Fatalf("saved before the delay: %+v", got)
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		want := []savedVersion{{id: "d", text: "v3", at: testDelay}}
		if got := rec.got(); !slices.Equal(got, want) {
			t.Fatalf("saves = %+v, want %+v", got, want)
		}
		time.Sleep(5 * time.Second)
		if got := rec.got(); len(got) != 1 {
			t.Errorf("saves after idling = %+v, want no more", got)
		}
		if a.Pending() != 0 {
			t.Errorf("Pending = %d", a.Pending())
		}
	})
}

// Typing without pause must not postpone saving forever: every change is
// saved at most the delay after it was made, with far fewer saves than changes.
func TestAutosaver_ContinuousTypingSavesEveryDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		a := NewAutosaver(rec, testDelay, nil)
		start := time.Now()
		var putAt []time.Duration
		for i := range 30 {
			putAt = append(putAt, time.Since(start))
			a.Put(version("d", fmt.Sprintf("%03d", i)))
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		saves := rec.got()
		if len(saves) > 8 {
			t.Errorf("%d saves for 30 changes in 3 s: not coalesced", len(saves))
		}
		for i, p := range putAt {
			v := fmt.Sprintf("%03d", i)
			idx := slices.IndexFunc(saves, func(s savedVersion) bool { return s.text >= v })
			if idx < 0 || saves[idx].at > p+testDelay {
				t.Errorf("change %s made at %v: first save containing it = %+v", v, p, saves[max(idx, 0)])
			}
		}
		if last := saves[len(saves)-1]; last.text != "029" {
			t.Errorf("last save = %+v, want the final version", last)
		}
	})
}

func TestAutosaver_FlushCloseAndSaveNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		a := NewAutosaver(rec, testDelay, nil)
		a.Put(version("a", "a1"))
		a.Put(version("b", "b1"))
		if err := a.Flush(); err != nil {
			t.Fatal(err)
		}
		want := []savedVersion{{id: "a", text: "a1"}, {id: "b", text: "b1"}}
		if got := rec.got(); !slices.Equal(got, want) {
			t.Fatalf("after Flush: %+v, want %+v (both at once)", got, want)
		}

		a.Put(version("a", "a2"))
		if _, err := a.SaveNow(version("a", "a3")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if got := rec.got(); len(got) != 3 || got[2].text != "a3" {
			t.Fatalf("after SaveNow: %+v; the superseded a2 must not be written later", got)
		}

		a.Put(version("a", "a4"))
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		a.Put(version("a", "a5")) // after Close: saved at once
		got := rec.got()
		if len(got) != 5 || got[3].text != "a4" || got[4].text != "a5" || got[4].at != got[2].at+2*time.Second {
			t.Errorf("after Close: %+v", got)
		}
	})
}

func TestAutosaver_RetriesTransientFailuresWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		rec.failFn = func(attempt int, _ Document) error {
			if attempt < 3 {
				return fmt.Errorf("saving: %w", syscall.ENOSPC)
			}
			return nil
		}
		var mu sync.Mutex
		var reports []error
		a := NewAutosaver(rec, testDelay, func(r SaveResult) {
			mu.Lock()
			defer mu.Unlock()
			reports = append(reports, r.Err)
		})
		a.Put(version("d", "v1"))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		var at []time.Duration
		for _, s := range rec.got() {
			at = append(at, s.at)
		}
		want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second}
		if !slices.Equal(at, want) {
			t.Errorf("attempts at %v, want %v", at, want)
		}
		mu.Lock()
		if len(reports) != 4 || !errors.Is(reports[0], syscall.ENOSPC) || reports[3] != nil {
			t.Errorf("reports = %v", reports)
		}
		mu.Unlock()
		if a.Pending() != 0 {
			t.Errorf("Pending = %d after success", a.Pending())
		}
	})
}

func TestAutosaver_NewChangeRetriesSoonerThanBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := newRecorder()
		rec.failFn = func(attempt int, _ Document) error {
			if attempt < 4 {
				return syscall.ENOSPC
			}
			return nil
		}
		a := NewAutosaver(rec, testDelay, nil)
		a.Put(version("d", "v1"))
		time.Sleep(4500 * time.Millisecond) // attempts at 0.5, 1, 2, 4 s failed; next backoff is 4 s
		a.Put(version("d", "v2"))
		time.Sleep(time.Second)
		synctest.Wait()
		got := rec.got()
		if len(got) != 5 || got[4].text != "v2" || got[4].at != 5*time.Second || got[4].err != nil {
			t.Errorf("saves = %+v, want v2 saved 0.5 s after it was put", got)
		}
	})
}

func TestAutosaver_PermanentFailureIsNotRetried(t *testing.T) {
	for _, perm := range []error{ErrCorrupt, ErrNewerFormat, ErrDeleted} {
		t.Run(perm.Error(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := newRecorder()
				rec.failFn = func(int, Document) error { return &FileError{Path: "x.json", Err: perm} }
				var reported error
				a := NewAutosaver(rec, testDelay, func(r SaveResult) { reported = r.Err })
				a.Put(version("d", "v1"))
				time.Sleep(time.Minute)
				synctest.Wait()
				if got := rec.got(); len(got) != 1 {
					t.Errorf("attempts = %+v, want 1", got)
				}
				if !errors.Is(reported, perm) || a.Pending() != 0 {
					t.Errorf("reported %v, pending %d", reported, a.Pending())
				}
			})
		})
	}
}

// The draft of an open textarea is saved with the document and comes back
// after a restart; Close on quit writes what is pending.
func TestAutosaver_DraftSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	lib, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := lib.Create("")
	if err != nil {
		t.Fatal(err)
	}
	a := NewAutosaver(lib, time.Hour, nil) // only Close will save
	doc = withTexts(doc, "Typed. ", "Suggested. ")
	doc.Fragments[1].Source = ModelSource("m")
	doc.Draft = &Draft{Index: 2, Mode: ModeInsert, Text: "Half a sen"}
	a.Put(doc)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := lib.SetLastOpened(doc.ID); err != nil {
		t.Fatal(err)
	}

	lib2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := lib2.LastOpened()
	got, err := lib2.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Draft == nil || *got.Draft != *doc.Draft || got.Fragments[1].Source != "model:m" || got.Text() != "Typed. Suggested. " {
		t.Errorf("after restart: %+v draft %+v", got, got.Draft)
	}
}
