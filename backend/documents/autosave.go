package documents

import (
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// Saver saves a document; *Library is one.
type Saver interface {
	Save(doc Document) (Meta, error)
}

var _ Saver = (*Library)(nil)

// DefaultAutosaveDelay is the longest a change waits to be saved, leaving
// room for the save itself within the one second the app promises.
const DefaultAutosaveDelay = 500 * time.Millisecond

// maxRetryDelay bounds the wait between retries of a failing save (a full
// disk) while the writer makes no new change.
const maxRetryDelay = 30 * time.Second

// SaveResult is what the autosaver reports after each save attempt.
type SaveResult struct {
	ID   string
	Meta Meta
	Err  error
}

// Autosaver coalesces frequent changes into few saves: a change is saved
// at most delay after it was Put, however often newer changes arrive (the
// timer starts at the first unsaved change and is not pushed back). Saves
// are serialized, so an older version never overwrites a newer one. Route
// every save of an open document through it (Put, SaveNow), not around it.
//
// A save that fails for a reason that may pass (a full disk) is retried
// with growing delays, or sooner on the next Put; one that cannot succeed
// (ErrCorrupt, ErrNewerFormat, ErrDeleted, ErrInvalidID, ErrStaleRevision)
// is dropped and reported: the editor still holds the document and can
// save a copy.
type Autosaver struct {
	saver  Saver
	delay  time.Duration
	report func(SaveResult)

	// saveMu serializes saves; it is taken before mu.
	saveMu sync.Mutex

	mu sync.Mutex
	// Guarded by mu: the newest unsaved version per document id, the timer
	// that will save them (nil when none is scheduled), the current retry
	// delay (0 when the last save went well), and whether Close was called.
	pending  map[string]Document
	timer    *time.Timer
	retrying bool
	backoff  time.Duration
	closed   bool
}

// NewAutosaver returns an autosaver writing through s. delay ≤ 0 means
// DefaultAutosaveDelay; report (may be nil) is called after every save
// attempt, on the saving goroutine.
func NewAutosaver(s Saver, delay time.Duration, report func(SaveResult)) *Autosaver {
	if delay <= 0 {
		delay = DefaultAutosaveDelay
	}
	if report == nil {
		report = func(SaveResult) {}
	}
	return &Autosaver{saver: s, delay: delay, report: report, pending: map[string]Document{}}
}

// Put schedules doc to be saved; it replaces an unsaved older version of
// the same document. Put takes ownership of doc (do not change it after).
// After Close, Put saves at once.
func (a *Autosaver) Put(doc Document) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		_, _ = a.SaveNow(doc) // reported through report
		return
	}
	a.pending[doc.ID] = doc
	if a.timer != nil && a.retrying {
		a.timer.Stop() // a new change is worth trying sooner than the backoff
		a.timer = nil
	}
	if a.timer == nil {
		a.timer = time.AfterFunc(a.delay, a.fire)
		a.retrying = false
	}
	a.mu.Unlock()
}

func (a *Autosaver) fire() { _ = a.Flush() }

// SaveNow saves doc at once (Ctrl+S), superseding its pending version.
func (a *Autosaver) SaveNow(doc Document) (Meta, error) {
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	a.mu.Lock()
	delete(a.pending, doc.ID)
	a.mu.Unlock()
	meta, err := a.saveOne(doc)
	a.scheduleRetry()
	return meta, err
}

// Flush saves every pending document now and returns their errors joined.
func (a *Autosaver) Flush() error {
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	a.mu.Lock()
	docs := a.pending
	a.pending = map[string]Document{}
	if a.timer != nil {
		a.timer.Stop()
		a.timer = nil
	}
	a.mu.Unlock()
	var errs []error
	for _, id := range slices.Sorted(maps.Keys(docs)) {
		if _, err := a.saveOne(docs[id]); err != nil {
			errs = append(errs, err)
		}
	}
	a.scheduleRetry()
	return errors.Join(errs...)
}

// saveOne saves and reports; a retryable failure goes back to pending
// unless a newer version arrived meanwhile. Requires saveMu.
func (a *Autosaver) saveOne(doc Document) (Meta, error) {
	meta, err := a.saver.Save(doc)
	a.report(SaveResult{ID: doc.ID, Meta: meta, Err: err})
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case err == nil:
		a.backoff = 0
	case retryable(err):
		if _, newer := a.pending[doc.ID]; !newer {
			a.pending[doc.ID] = doc
		}
	}
	return meta, err
}

// scheduleRetry arms a backoff timer when failed saves are pending and
// no timer runs. Requires saveMu.
func (a *Autosaver) scheduleRetry() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.pending) == 0 || a.timer != nil || a.closed {
		return
	}
	a.backoff = min(max(2*a.backoff, a.delay), maxRetryDelay)
	a.timer = time.AfterFunc(a.backoff, a.fire)
	a.retrying = true
}

func retryable(err error) bool {
	for _, permanent := range []error{ErrCorrupt, ErrNewerFormat, ErrDeleted, ErrInvalidID, ErrStaleRevision} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	return true
}

// Pending reports how many documents wait to be saved.
func (a *Autosaver) Pending() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.pending)
}

// Close saves everything pending (call it on quit) and stops the timer;
// later Puts save at once. Documents whose save fails stay unsaved and
// are in the returned error.
func (a *Autosaver) Close() error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	return a.Flush()
}
