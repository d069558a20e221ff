package documents

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Policy bounds the history kept per document.
type Policy struct {
	// Minutely: snapshots younger than this are all kept (saves make at
	// most one a minute; restores add one each, which must not push out
	// the version restored over).
	Minutely time.Duration
	// Hourly: snapshots younger than this are kept, one per hour.
	Hourly time.Duration
	// Daily: snapshots younger than this are kept, one per day; older ones
	// are dropped (except the newest snapshot, which is always kept).
	Daily time.Duration
	// MaxCount and MaxBytes bound what remains, dropping the oldest first.
	// Zero means no bound.
	MaxCount int
	MaxBytes int64
}

// DefaultPolicy keeps every snapshot of the last hour (about one a minute), every hour of the
// last day, every day of the last 30 days, at most 200 snapshots and
// 64 MiB per document (about 40 versions of a 200,000-word novel).
var DefaultPolicy = Policy{
	Minutely: time.Hour,
	Hourly:   24 * time.Hour,
	Daily:    30 * 24 * time.Hour,
	MaxCount: 200,
	MaxBytes: 64 << 20,
}

// SnapshotInfo is what thinning needs to know about a snapshot.
type SnapshotInfo struct {
	Name string
	Time time.Time
	Size int64
}

// Thin decides which snapshots to keep at time now: all younger than
// p.Minutely; the newest of each hour, then of each day (UTC) in the
// older tiers; nothing older than
// p.Daily; then the newest first within MaxCount and MaxBytes. The newest
// snapshot is always kept. Both results are newest first. Thin is pure.
func Thin(snaps []SnapshotInfo, now time.Time, p Policy) (keep, drop []SnapshotInfo) {
	sorted := slices.Clone(snaps)
	slices.SortFunc(sorted, func(a, b SnapshotInfo) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return cmp.Compare(b.Name, a.Name)
	})
	seen := map[time.Time]bool{}
	var count int
	var bytes int64
	full := false // once a snapshot exceeds a bound, all older ones go too
	for i, s := range sorted {
		bucket, inTier := thinBucket(now.Sub(s.Time), s.Time, p)
		if i > 0 {
			if !inTier || seen[bucket] || full {
				drop = append(drop, s)
				continue
			}
			if (p.MaxCount > 0 && count+1 > p.MaxCount) || (p.MaxBytes > 0 && bytes+s.Size > p.MaxBytes) {
				full = true
				drop = append(drop, s)
				continue
			}
		}
		if inTier {
			seen[bucket] = true
		}
		count++
		bytes += s.Size
		keep = append(keep, s)
	}
	return keep, drop
}

// thinBucket is the period a snapshot of the given age falls in; false
// when it is older than every tier.
func thinBucket(age time.Duration, t time.Time, p Policy) (time.Time, bool) {
	switch {
	case age < p.Minutely:
		return t, true // its own bucket: all are kept
	case age < p.Hourly:
		return t.Truncate(time.Hour), true
	case age < p.Daily:
		return t.Truncate(24 * time.Hour), true
	}
	return time.Time{}, false
}

// snapshotLayout names snapshot files: UTC, sortable, no colons (Windows).
const snapshotLayout = "20060102T150405.000000000Z"

// Snapshot describes one earlier version of a document.
type Snapshot struct {
	// ID names the snapshot for LoadSnapshot and RestoreSnapshot.
	ID        string    `json:"id"`
	Time      time.Time `json:"time"`
	Size      int64     `json:"size"`
	Fragments int       `json:"fragments"`
	Words     int       `json:"words"`
	// Error is set when the snapshot cannot be read (then the counts are 0).
	Error string `json:"error,omitempty"`
}

type snapStats struct {
	fragments, words int
	err              error
}

func (l *Library) historyPath(id string) string { return filepath.Join(l.dir, historyDir, id) }

// lastSnapshot is the time of a document's newest snapshot (zero when
// none). Requires l.mu.
func (l *Library) lastSnapshot(id string) time.Time {
	if t, ok := l.lastSnap[id]; ok {
		return t
	}
	var newest time.Time
	for _, s := range l.snapshotInfos(id) {
		if s.Time.After(newest) {
			newest = s.Time
		}
	}
	l.lastSnap[id] = newest
	return newest
}

// snapshotInfos lists a document's snapshot files (none on any error).
func (l *Library) snapshotInfos(id string) []SnapshotInfo {
	entries, err := l.fs.ReadDir(l.historyPath(id))
	if err != nil {
		return nil
	}
	var out []SnapshotInfo
	for _, e := range entries {
		t, ok := parseSnapshotName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, SnapshotInfo{Name: e.Name(), Time: t, Size: info.Size()})
	}
	return out
}

func parseSnapshotName(name string) (time.Time, bool) {
	base, ok := strings.CutSuffix(name, docExt)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(snapshotLayout, base)
	return t, err == nil
}

// snapshot keeps data as a version of document id taken at time at, then
// thins the document's history. Requires l.mu.
func (l *Library) snapshot(id string, data []byte, at time.Time) error {
	if len(data) == 0 {
		return fmt.Errorf("snapshot of %s: the current version could not be read", id)
	}
	dir := l.historyPath(id)
	if err := l.fs.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("snapshot of %s: %w", id, err)
	}
	at = at.UTC()
	path := filepath.Join(dir, at.Format(snapshotLayout)+docExt)
	for {
		if _, err := l.fs.Stat(path); errors.Is(err, fs.ErrNotExist) {
			break
		}
		at = at.Add(time.Nanosecond)
		path = filepath.Join(dir, at.Format(snapshotLayout)+docExt)
	}
	if err := WriteFileAtomic(l.fs, path, data); err != nil {
		return fmt.Errorf("snapshot of %s: %w", id, err)
	}
	l.lastSnap[id] = at
	_, drop := Thin(l.snapshotInfos(id), l.now(), l.policy)
	for _, s := range drop {
		p := filepath.Join(dir, s.Name)
		if err := l.fs.Remove(p); err != nil {
			l.log.Warn("thinning history", "path", p, "err", err)
		}
		delete(l.snapCache, p)
	}
	return nil
}

// ListHistory lists a document's snapshots, newest first. It works for
// documents in the trash and for unreadable ones too.
func (l *Library) ListHistory(id string) ([]Snapshot, error) {
	if err := checkID(id); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	infos := l.snapshotInfos(id)
	slices.SortFunc(infos, func(a, b SnapshotInfo) int { return b.Time.Compare(a.Time) })
	out := make([]Snapshot, 0, len(infos))
	for _, s := range infos {
		path := filepath.Join(l.historyPath(id), s.Name)
		st, ok := l.snapCache[path] // snapshot files never change
		if !ok {
			doc, err := l.readSnapshot(id, path)
			st = snapStats{fragments: len(doc.Fragments), words: doc.Words(), err: err}
			l.snapCache[path] = st
		}
		snap := Snapshot{ID: strings.TrimSuffix(s.Name, docExt), Time: s.Time, Size: s.Size,
			Fragments: st.fragments, Words: st.words}
		if st.err != nil {
			snap.Error = st.err.Error()
		}
		out = append(out, snap)
	}
	return out, nil
}

func (l *Library) readSnapshot(id, path string) (Document, error) {
	data, err := l.fs.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		err = ErrNotFound
	}
	if err != nil {
		return Document{}, &FileError{Path: path, Err: err}
	}
	doc, err := decode(data)
	if err != nil {
		return Document{}, &FileError{Path: path, Err: err}
	}
	doc.ID = id
	return doc, nil
}

func (l *Library) snapshotPath(id, snapID string) (string, error) {
	if err := checkID(id); err != nil {
		return "", err
	}
	if _, ok := parseSnapshotName(snapID + docExt); !ok {
		return "", fmt.Errorf("%w: snapshot %q", ErrNotFound, snapID)
	}
	return filepath.Join(l.historyPath(id), snapID+docExt), nil
}

// LoadSnapshot reads one snapshot of a document (to preview it, or to Add
// it as a new document when the current file is unreadable).
func (l *Library) LoadSnapshot(id, snapID string) (Document, error) {
	path, err := l.snapshotPath(id, snapID)
	if err != nil {
		return Document{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.readSnapshot(id, path)
}

// RestoreSnapshot makes a snapshot the document's current version. The
// current version becomes a snapshot first, so nothing is lost; the
// restore fails if it cannot. Like Save, it refuses to overwrite an
// unreadable file and a document in the trash.
func (l *Library) RestoreSnapshot(id, snapID string) (Document, error) {
	path, err := l.snapshotPath(id, snapID)
	if err != nil {
		return Document{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	doc, err := l.readSnapshot(id, path)
	if err != nil {
		return Document{}, err
	}
	doc.Revision = 0 // the next after the current one
	if _, err := l.save(&doc, true); err != nil {
		return Document{}, err
	}
	return doc, nil
}
