package documents

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Session is the editor's way into a library: every page (the desktop
// window, each browser tab) goes through one Session per library. It owns
// the Library and the Autosaver and keeps two rules in one place:
//
//   - Flush first. Every operation that reads or moves documents (open,
//     new, import, list, trash, rename, history…) first saves what the
//     autosaver holds, so it sees the writer's last change, and fails
//     rather than act on an older version when that save fails.
//   - Revisions. Changed and Save accept a change only when it is based
//     on the document's newest revision (Document.Revision; 0 means the
//     writer knows none and is not checked). An accepted change gets the
//     next revision at once, before it is written, and the writer bases
//     its next change on it; a change based on an older revision (another
//     tab saved since) is refused with ErrStaleRevision and nothing is
//     written. The Library refuses too when another process wrote the
//     file since (see Library.SaveRevision).
//   - Patches. It holds a copy of the newest revision of the few documents
//     last opened or changed (maxHeld), so a writer can hand over only
//     what changed (ChangedPatch) instead of the whole document on every
//     edit. A patch based on an older revision is stale, as a whole
//     document would be; one whose base it no longer holds is refused
//     with ErrUnknownBase, and the writer sends the whole document.
//
// Its methods are safe for concurrent use.
type Session struct {
	lib  *Library
	auto *Autosaver

	// order serializes accepting a change and handing it to the
	// autosaver, so the autosaver receives changes in revision order. It
	// is taken before mu and never while a save report runs.
	order sync.Mutex

	mu sync.Mutex // guards revs and held
	// revs is the newest revision accepted per document id (written or
	// still pending in the autosaver). Missing: read it from the library.
	revs map[string]int64
	// held is the document at its newest revision, for patches: at most
	// maxHeld, the most recently used last in heldOrder. Never changed in
	// place (a patch makes a new Document sharing unchanged fragments).
	held      map[string]Document
	heldOrder []string
	// ahead is the start document read ahead (ReadAhead), until Start
	// takes it.
	ahead *readAhead
}

// readAhead is a read of the last-opened document started before the page
// asked for it.
type readAhead struct {
	done  chan struct{} // closed when the read ended
	doc   Document
	stamp stamp // the files as they were read
	err   error
}

// maxHeld bounds the documents a session holds for patches (a novel is
// some megabytes; a writer works on one at a time).
const maxHeld = 4

// OpenSession opens the library in dir (see Open) with an autosaver that
// saves each change within delay (≤ 0: DefaultAutosaveDelay); report (may
// be nil) is told the outcome of every save.
func OpenSession(dir string, delay time.Duration, report func(SaveResult)) (*Session, error) {
	lib, err := Open(dir)
	if err != nil {
		return nil, err
	}
	return NewSession(lib, delay, report), nil
}

// NewSession is OpenSession on a library already open.
func NewSession(lib *Library, delay time.Duration, report func(SaveResult)) *Session {
	s := &Session{lib: lib, revs: map[string]int64{}, held: map[string]Document{}}
	s.auto = NewAutosaver(revisionSaver{lib}, delay, func(r SaveResult) {
		if errors.Is(r.Err, ErrStaleRevision) {
			s.forget(r.ID) // the file moved on: read its revision again
		}
		if report != nil {
			report(r)
		}
	})
	return s
}

// revisionSaver saves with the revision the session gave the change.
type revisionSaver struct{ lib *Library }

func (r revisionSaver) Save(doc Document) (Meta, error) { return r.lib.SaveRevision(doc) }

// Library is the library the session works on.
func (s *Session) Library() *Library { return s.lib }

// Close saves everything pending (on quit) and folds the journals of the
// documents saved into their files (Library.Compact); later changes save
// at once.
func (s *Session) Close() error { return errors.Join(s.auto.Close(), s.lib.Compact()) }

// Pending reports how many documents wait to be saved.
func (s *Session) Pending() int { return s.auto.Pending() }

// Start is the document to show at start: the last one opened, else the
// newest, else a new one.
func (s *Session) Start() (Document, error) {
	if err := s.auto.Flush(); err != nil {
		return Document{}, err
	}
	if doc, ok := s.takeAhead(); ok {
		return s.opened(doc, nil)
	}
	return s.opened(s.lib.Reopen())
}

// ReadAhead starts reading the document Start will return, the last one
// opened, in the background: the window calls it at start-up, so a novel
// is read and decoded (about 150 ms for 100,000 fragments) while the page
// loads instead of after the page asked for it. It only reads; with no
// last-opened document Start does its usual work. Start uses what was read
// once, when the document is still the last opened and its files (base
// and journal) are as they were when read; otherwise it reads again.
func (s *Session) ReadAhead() {
	ra := &readAhead{done: make(chan struct{})}
	s.mu.Lock()
	s.ahead = ra
	s.mu.Unlock()
	go func() {
		defer close(ra.done)
		id, err := s.lib.LastOpened()
		if err == nil && id == "" {
			err = ErrNotFound
		}
		if err != nil {
			ra.err = err
			return
		}
		v, err := s.lib.load(id)
		ra.doc, ra.stamp, ra.err = v.doc, v.stamp, err
	}()
}

// takeAhead waits for the read ahead, if one was started, and returns its
// document when it is still the one Start would read.
func (s *Session) takeAhead() (Document, bool) {
	s.mu.Lock()
	ra := s.ahead
	s.ahead = nil
	s.mu.Unlock()
	if ra == nil {
		return Document{}, false
	}
	<-ra.done
	if ra.err != nil {
		return Document{}, false
	}
	if id, err := s.lib.LastOpened(); err != nil || id != ra.doc.ID {
		return Document{}, false
	}
	st, err := s.lib.stampOf(s.lib.docPath(ra.doc.ID))
	if err != nil || !sameStamp(st, ra.stamp) {
		return Document{}, false
	}
	return ra.doc, true
}

// Changed accepts a change (every edit, drafts included) and schedules
// its save; it returns the change's revision, to base the next change on.
func (s *Session) Changed(doc Document) (int64, error) {
	s.order.Lock()
	defer s.order.Unlock()
	doc, err := s.accept(doc)
	if err != nil {
		return 0, err
	}
	s.auto.Put(doc)
	return doc.Revision, nil
}

// ChangedPatch is Changed for a change handed over as a patch of the
// revision the writer last got. Errors: ErrStaleRevision when the document
// changed elsewhere since p.Base (as Changed); ErrUnknownBase when the
// session holds no copy of p.Base (send the whole document); ErrBadPatch
// when the splice does not fit. Nothing is changed on an error.
func (s *Session) ChangedPatch(p Patch) (int64, error) {
	s.order.Lock()
	defer s.order.Unlock()
	if err := checkID(p.ID); err != nil {
		return 0, err
	}
	if p.Base <= 0 {
		return 0, fmt.Errorf("%w: document %s: a change without the revision it is based on (base %d)", ErrBadPatch, p.ID, p.Base)
	}
	cur, err := s.revision(p.ID)
	if err != nil {
		return 0, err
	}
	if p.Base != cur {
		return 0, StaleError(s.lib.docPath(p.ID), cur)
	}
	s.mu.Lock()
	base, ok := s.held[p.ID]
	s.mu.Unlock()
	if !ok || base.Revision != cur {
		return 0, fmt.Errorf("%w (document %s, revision %d)", ErrUnknownBase, p.ID, p.Base)
	}
	doc, err := p.apply(base)
	if err != nil {
		return 0, err
	}
	doc.Revision = cur + 1
	s.mu.Lock()
	s.revs[doc.ID] = doc.Revision
	s.hold(doc)
	s.mu.Unlock()
	s.auto.Put(doc)
	return doc.Revision, nil
}

// hold keeps doc as the copy patches apply to. Requires mu.
func (s *Session) hold(doc Document) {
	s.heldOrder = slices.DeleteFunc(s.heldOrder, func(id string) bool { return id == doc.ID })
	s.heldOrder = append(s.heldOrder, doc.ID)
	s.held[doc.ID] = doc
	if len(s.heldOrder) > maxHeld {
		delete(s.held, s.heldOrder[0])
		s.heldOrder = slices.Delete(s.heldOrder, 0, 1)
	}
}

// Save accepts a change and saves it now (Ctrl+S); the Meta has the
// revision written.
func (s *Session) Save(doc Document) (Meta, error) {
	s.order.Lock()
	defer s.order.Unlock()
	doc, err := s.accept(doc)
	if err != nil {
		return Meta{}, err
	}
	return s.auto.SaveNow(doc)
}

// accept checks doc's base revision and gives it the next one. The
// caller holds order.
func (s *Session) accept(doc Document) (Document, error) {
	if err := checkID(doc.ID); err != nil {
		return Document{}, err
	}
	cur, err := s.revision(doc.ID)
	if err != nil {
		return Document{}, err
	}
	if doc.Revision != 0 && doc.Revision != cur {
		return Document{}, StaleError(s.lib.docPath(doc.ID), cur)
	}
	doc = doc.Clone()
	doc.Revision = cur + 1
	s.mu.Lock()
	s.revs[doc.ID] = doc.Revision
	s.hold(doc)
	s.mu.Unlock()
	return doc, nil
}

// revision is the newest revision of a document: accepted here, else the
// file's (0 for a document not yet written).
func (s *Session) revision(id string) (int64, error) {
	s.mu.Lock()
	rev, ok := s.revs[id]
	s.mu.Unlock()
	if ok {
		return rev, nil
	}
	doc, err := s.lib.Load(id)
	switch {
	case errors.Is(err, ErrNotFound):
		return 0, nil
	case err != nil:
		return 0, err
	}
	return doc.Revision, nil
}

func (s *Session) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.revs, id)
	delete(s.held, id)
	s.heldOrder = slices.DeleteFunc(s.heldOrder, func(h string) bool { return h == id })
}

// opened records the revision of a document handed to a writer.
func (s *Session) opened(doc Document, err error) (Document, error) {
	if err != nil {
		return Document{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revs[doc.ID] = doc.Revision
	s.hold(doc.Clone())
	return doc, nil
}

// Open saves what is pending, then opens a document (and remembers it as
// the last opened).
func (s *Session) Open(id string) (Document, error) {
	if err := s.auto.Flush(); err != nil {
		return Document{}, err
	}
	return s.opened(s.lib.OpenDocument(id))
}

// New saves what is pending, then creates and opens an empty document.
func (s *Session) New() (Document, error) {
	return s.add(Document{})
}

// Add saves what is pending, then adds doc to the library as a new
// document (import, or a writer's version saved as a copy after a stale
// save) and opens it.
func (s *Session) Add(doc Document) (Document, error) {
	return s.add(doc)
}

func (s *Session) add(doc Document) (Document, error) {
	if err := s.auto.Flush(); err != nil {
		return Document{}, err
	}
	doc, err := s.lib.Add(doc)
	if err != nil {
		return Document{}, err
	}
	return s.opened(s.lib.OpenDocument(doc.ID))
}

// List lists the library, newest first, with per-file problems.
func (s *Session) List() (Listing, error) {
	if err := s.auto.Flush(); err != nil {
		return Listing{}, err
	}
	return s.lib.List()
}

// ListTrash lists deleted documents.
func (s *Session) ListTrash() (Listing, error) {
	if err := s.auto.Flush(); err != nil {
		return Listing{}, err
	}
	return s.lib.ListTrash()
}

// Rename renames a document; a writer that has it open must reload it
// (its next save is stale).
func (s *Session) Rename(id, name string) (Meta, error) {
	if err := s.auto.Flush(); err != nil {
		return Meta{}, err
	}
	meta, err := s.lib.Rename(id, name)
	s.forget(id)
	return meta, err
}

// Duplicate copies a document under a new id.
func (s *Session) Duplicate(id string) (Document, error) {
	if err := s.auto.Flush(); err != nil {
		return Document{}, err
	}
	return s.lib.Duplicate(id)
}

// Delete moves a document to the trash.
func (s *Session) Delete(id string) error {
	if err := s.auto.Flush(); err != nil {
		return err
	}
	err := s.lib.Delete(id)
	s.forget(id)
	return err
}

// Restore brings a document back from the trash.
func (s *Session) Restore(id string) (Meta, error) {
	if err := s.auto.Flush(); err != nil {
		return Meta{}, err
	}
	meta, err := s.lib.Restore(id)
	s.forget(id)
	return meta, err
}

// History lists a document's earlier versions.
func (s *Session) History(id string) ([]Snapshot, error) {
	if err := s.auto.Flush(); err != nil {
		return nil, err
	}
	return s.lib.ListHistory(id)
}

// RestoreVersion makes an earlier version current (the current one is
// kept in the history) and returns it, with its new revision.
func (s *Session) RestoreVersion(id, snapshotID string) (Document, error) {
	if err := s.auto.Flush(); err != nil {
		return Document{}, err
	}
	s.forget(id)
	return s.opened(s.lib.RestoreSnapshot(id, snapshotID))
}
