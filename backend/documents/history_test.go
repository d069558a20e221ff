package documents

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestThin(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	at := func(s string) time.Time {
		tm, err := time.Parse("01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.AddDate(2026, 0, 0)
	}
	snaps := func(times ...string) []SnapshotInfo {
		var out []SnapshotInfo
		for _, s := range times {
			out = append(out, SnapshotInfo{Name: s, Time: at(s), Size: 10})
		}
		return out
	}
	names := func(ss []SnapshotInfo) []string {
		out := []string{}
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	unbounded := DefaultPolicy
	unbounded.MaxCount, unbounded.MaxBytes = 0, 0
	tests := []struct {
		name   string
		policy Policy
		snaps  []SnapshotInfo
		keep   []string
	}{
		{"empty", unbounded, nil, []string{}},
		{"last hour: all kept",
			unbounded, snaps("03-31 11:59:50", "03-31 11:59:30", "03-31 11:58:59", "03-31 11:01:00", "03-31 11:00:30"),
			[]string{"03-31 11:59:50", "03-31 11:59:30", "03-31 11:58:59", "03-31 11:01:00", "03-31 11:00:30"}},
		{"an hour old: one per hour",
			unbounded, snaps("03-31 10:59:59", "03-31 10:30:00", "03-31 10:00:00", "03-31 09:59:00"),
			[]string{"03-31 10:59:59", "03-31 09:59:00"}},
		{"last day: one per hour",
			unbounded, snaps("03-31 09:55:00", "03-31 09:50:00", "03-31 09:10:00", "03-31 08:59:00", "03-30 13:30:00", "03-30 13:10:00"),
			[]string{"03-31 09:55:00", "03-31 08:59:00", "03-30 13:30:00"}},
		{"last 30 days: one per day",
			unbounded, snaps("03-28 18:00:00", "03-28 10:00:00", "03-27 23:59:59", "03-02 00:00:01", "03-01 12:00:00"),
			[]string{"03-28 18:00:00", "03-27 23:59:59", "03-02 00:00:01"}},
		{"tiers together, unsorted input",
			unbounded, snaps("03-01 12:00:00", "03-31 11:59:00", "03-30 10:00:00", "03-31 11:30:10", "03-31 11:30:20", "03-30 10:30:00"),
			[]string{"03-31 11:59:00", "03-31 11:30:20", "03-31 11:30:10", "03-30 10:30:00"}},
		{"the newest is kept however old",
			unbounded, snaps("01-01 00:00:00", "01-01 00:00:10"), []string{"01-01 00:00:10"}},
		{"future snapshots (clock went back) are kept",
			unbounded, snaps("04-01 00:00:00", "03-31 11:59:00"), []string{"04-01 00:00:00", "03-31 11:59:00"}},
		{"count bound drops the oldest",
			Policy{Minutely: time.Hour, Hourly: 24 * time.Hour, Daily: 720 * time.Hour, MaxCount: 3},
			snaps("03-31 11:59:00", "03-31 11:58:00", "03-31 11:57:00", "03-31 11:56:00", "03-31 08:00:00"),
			[]string{"03-31 11:59:00", "03-31 11:58:00", "03-31 11:57:00"}},
		{"byte bound drops the oldest",
			Policy{Minutely: time.Hour, Hourly: 24 * time.Hour, Daily: 720 * time.Hour, MaxBytes: 25},
			snaps("03-31 11:59:00", "03-31 11:58:00", "03-31 11:57:00"),
			[]string{"03-31 11:59:00", "03-31 11:58:00"}},
		{"the newest is kept even above the byte bound",
			Policy{Minutely: time.Hour, Hourly: 24 * time.Hour, Daily: 720 * time.Hour, MaxBytes: 5},
			snaps("03-31 11:59:00", "03-31 11:58:00"),
			[]string{"03-31 11:59:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep, drop := Thin(tt.snaps, now, tt.policy)
			if got := names(keep); !slices.Equal(got, tt.keep) {
				t.Errorf("keep\n got %q\nwant %q", got, tt.keep)
			}
			if len(keep)+len(drop) != len(tt.snaps) {
				t.Errorf("keep %d + drop %d != %d snapshots", len(keep), len(drop), len(tt.snaps))
			}
			for _, d := range drop {
				if slices.Contains(tt.keep, d.Name) {
					t.Errorf("%s both kept and dropped", d.Name)
				}
			}
		})
	}
}

func snapshotTexts(t *testing.T, l testLib, id string) []string {
	t.Helper()
	hist, err := l.ListHistory(id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range hist {
		doc, err := l.LoadSnapshot(id, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(texts(doc), ""))
	}
	return out
}

func TestLibrary_HistoryKeepsReplacedVersionsOncePerMinute(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "")
	for i := 1; i <= 12; i++ { // a save every 20 s for 4 minutes
		l.clock.Advance(20 * time.Second)
		if _, err := l.Save(withTexts(doc, "v", string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	// Snapshots at 60 s (v2 = "vc"), 120 s ("vf"), 180 s ("vi"), 240 s ("vl");
	// none of the empty new document.
	want := []string{"vl", "vi", "vf", "vc"}
	if got := snapshotTexts(t, l, doc.ID); !slices.Equal(got, want) {
		t.Errorf("history newest first = %q, want %q", got, want)
	}
	hist, _ := l.ListHistory(doc.ID)
	if hist[0].Fragments != 2 || hist[0].Words != 1 || hist[0].Size == 0 || hist[0].Error != "" {
		t.Errorf("newest snapshot = %+v", hist[0])
	}
	if !hist[0].Time.Equal(newClock().Now().Add(240 * time.Second)) {
		t.Errorf("newest snapshot time = %v", hist[0].Time)
	}
	// A new Library finds the last snapshot time on disk and keeps the rule.
	l2, err := OpenWith(l.dir, Options{Now: l.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	l.clock.Advance(10 * time.Second)
	if _, err := l2.Save(withTexts(doc, "after restart")); err != nil {
		t.Fatal(err)
	}
	if h, _ := l2.ListHistory(doc.ID); len(h) != 4 {
		t.Errorf("a save 50 s after the last snapshot made one: %d snapshots", len(h))
	}
}

func TestLibrary_RestoreSnapshot(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "The whole chapter. ")
	l.clock.Advance(time.Minute)
	if _, err := l.Save(withTexts(doc, "Oops, deleted.")); err != nil { // snapshot of the chapter
		t.Fatal(err)
	}
	hist, _ := l.ListHistory(doc.ID)
	if len(hist) != 1 {
		t.Fatalf("history = %+v", hist)
	}
	l.clock.Advance(time.Second) // well within the minute: restoring snapshots anyway
	restored, err := l.RestoreSnapshot(doc.ID, hist[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(restored); !slices.Equal(got, []string{"The whole chapter. "}) || restored.ID != doc.ID {
		t.Errorf("RestoreSnapshot = %s %q", restored.ID, got)
	}
	loaded, _ := l.Load(doc.ID)
	if !slices.Equal(texts(loaded), []string{"The whole chapter. "}) || !loaded.Modified.Equal(l.clock.Now()) {
		t.Errorf("Load after restore = %q, modified %v", texts(loaded), loaded.Modified)
	}
	if got, want := snapshotTexts(t, l, doc.ID), []string{"Oops, deleted.", "The whole chapter. "}; !slices.Equal(got, want) {
		t.Errorf("history after restore = %q, want %q (the replaced version is kept)", got, want)
	}
	for _, bad := range []string{"nope", "../../state", hist[0].ID + "/x", "20990101T000000.000000000Z"} {
		if _, err := l.RestoreSnapshot(doc.ID, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("RestoreSnapshot(%q) error = %v, want ErrNotFound", bad, err)
		}
	}
}

func TestLibrary_RestoreSnapshotFailsIfCurrentCannotBeKept(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "Old.")
	l.clock.Advance(time.Minute)
	if _, err := l.Save(withTexts(doc, "Current.")); err != nil {
		t.Fatal(err)
	}
	hist, _ := l.ListHistory(doc.ID)
	l.fs.set(func(f *faultFS) { f.writeErr, f.only = syscall.ENOSPC, historyDir })
	if _, err := l.RestoreSnapshot(doc.ID, hist[0].ID); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("RestoreSnapshot error = %v, want ENOSPC", err)
	}
	loaded, _ := l.Load(doc.ID)
	if !slices.Equal(texts(loaded), []string{"Current."}) {
		t.Errorf("current version = %q, want it untouched", texts(loaded))
	}
	noTempFiles(t, l.dir)
}

func TestLibrary_HistoryFailureDoesNotFailSave(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "One.")
	l.clock.Advance(time.Minute)
	l.fs.set(func(f *faultFS) { f.writeErr, f.only = syscall.ENOSPC, historyDir })
	if _, err := l.Save(withTexts(doc, "Two.")); err != nil {
		t.Fatalf("Save with a failing history: %v", err)
	}
	loaded, _ := l.Load(doc.ID)
	if !slices.Equal(texts(loaded), []string{"Two."}) {
		t.Errorf("Load = %q", texts(loaded))
	}
	noTempFiles(t, l.dir)
}

func TestLibrary_HistoryIsThinnedAndBounded(t *testing.T) {
	p := DefaultPolicy
	p.MaxCount = 5
	l := newTestLib(t, Options{History: p})
	doc := mustCreate(t, l, "")
	for i := range 30 {
		l.clock.Advance(time.Minute)
		if _, err := l.Save(withTexts(doc, strings.Repeat("x", i+1))); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := os.ReadDir(l.historyPath(doc.ID))
	if len(files) != 5 {
		t.Errorf("%d snapshot files, want 5", len(files))
	}
	got := snapshotTexts(t, l, doc.ID)
	if len(got) != 5 || got[0] != strings.Repeat("x", 29) {
		t.Errorf("kept snapshots = %q", got)
	}
	// Two days later the minute-level history collapses to one per hour.
	l.clock.Advance(48 * time.Hour)
	if _, err := l.Save(withTexts(doc, "later")); err != nil {
		t.Fatal(err)
	}
	if h, _ := l.ListHistory(doc.ID); len(h) != 2 {
		t.Errorf("after two days: %d snapshots, want 2 (today's and one from that day)", len(h))
	}
}

func TestLibrary_ListHistoryReportsUnreadableSnapshots(t *testing.T) {
	l := newTestLib(t, Options{})
	doc := mustCreate(t, l, "", "A.")
	l.clock.Advance(time.Minute)
	if _, err := l.Save(withTexts(doc, "B.")); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(l.historyPath(doc.ID), "20260101T000000.000000000Z.json")
	writeRaw(t, bad, "{")
	hist, err := l.ListHistory(doc.ID)
	if err != nil || len(hist) != 2 {
		t.Fatalf("ListHistory = %+v, %v", hist, err)
	}
	if hist[0].Error != "" || !strings.Contains(hist[1].Error, bad) {
		t.Errorf("errors: %q, %q (want the second to name %s)", hist[0].Error, hist[1].Error, bad)
	}
	if h, err := l.ListHistory("never-saved"); err != nil || len(h) != 0 {
		t.Errorf("ListHistory(unknown) = %+v, %v", h, err)
	}
}
