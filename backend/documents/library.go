package documents

import (
	"cmp"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure a Library. The zero value is the real thing.
type Options struct {
	// FS is the file system. Nil means OSFS.
	FS FS
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
	// History bounds the snapshots kept per document. Zero means DefaultPolicy.
	History Policy
	// SnapshotEvery is the least time between two snapshots of a document.
	// Zero means one minute.
	SnapshotEvery time.Duration
	// Logger receives problems that do not fail an operation (a snapshot
	// that could not be written, leftovers that could not be removed).
	// Nil means discard.
	Logger *slog.Logger
	// JournalFrom is the document file size from which saves append what
	// changed to a journal instead of rewriting the file (journal.go).
	// Zero means DefaultJournalFrom; negative, never.
	JournalFrom int64
}

// Meta describes a document in a listing.
type Meta struct {
	ID string `json:"id"`
	// Name is the user-set name ("" when the title is derived).
	Name string `json:"name"`
	// Title is what to show: Name, or the first words of the text.
	Title     string    `json:"title"`
	Created   time.Time `json:"created"`
	Modified  time.Time `json:"modified"`
	Fragments int       `json:"fragments"`
	Words     int       `json:"words"`
	// Size is the file's size in bytes.
	Size int64 `json:"size"`
	// Revision is the document's revision in the file (see Document.Revision).
	Revision int64 `json:"revision"`
}

// Problem is a file a listing could not read; the rest are listed anyway.
type Problem struct {
	ID   string `json:"id"`
	Path string `json:"path"`
	// Message names the file and says what is wrong.
	Message string `json:"message"`
}

// Listing is the result of List and ListTrash: documents newest first, and
// the files that could not be read.
type Listing struct {
	Documents []Meta    `json:"documents"`
	Problems  []Problem `json:"problems"`
}

// Library is a directory of documents. Its methods are safe for concurrent
// use; use one Library per directory (the app is single-instance).
type Library struct {
	dir    string
	fs     FS
	now    func() time.Time
	policy Policy
	every  time.Duration
	log    *slog.Logger
	// journalFrom: see Options.JournalFrom.
	journalFrom int64

	mu sync.Mutex
	// Guarded by mu: what this process last wrote or read successfully per
	// document (so Save need not re-parse its own files) and the revision
	// those files hold, the version on disk of the documents last written
	// or opened (to append their next save to a journal), the time of each
	// document's newest snapshot, and the listing caches keyed by path.
	known     map[string]stamp
	revs      map[string]int64
	tails     map[string]*tail
	tailOrder []string
	lastSnap  map[string]time.Time
	metaCache map[string]cachedMeta
	snapCache map[string]snapStats
}

type cachedMeta struct {
	stamp stamp
	meta  Meta
	err   error
}

// Subdirectories and files of a library.
const (
	trashDir   = "trash"
	historyDir = "history"
	stateFile  = "state.json"
	docExt     = ".json"
)

// Open opens (creating if needed) the library in dir and removes
// temporary files a crash may have left behind.
func Open(dir string) (*Library, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with options (tests inject a file system and a clock).
func OpenWith(dir string, opts Options) (*Library, error) {
	l := &Library{
		dir: dir, fs: opts.FS, now: opts.Now, policy: opts.History,
		every: opts.SnapshotEvery, log: opts.Logger, journalFrom: opts.JournalFrom,
		known:     map[string]stamp{},
		revs:      map[string]int64{},
		tails:     map[string]*tail{},
		lastSnap:  map[string]time.Time{},
		metaCache: map[string]cachedMeta{},
		snapCache: map[string]snapStats{},
	}
	if l.fs == nil {
		l.fs = OSFS{}
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.policy == (Policy{}) {
		l.policy = DefaultPolicy
	}
	if l.every <= 0 {
		l.every = time.Minute
	}
	if l.journalFrom == 0 {
		l.journalFrom = DefaultJournalFrom
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	for _, d := range []string{dir, filepath.Join(dir, trashDir), filepath.Join(dir, historyDir)} {
		if err := l.fs.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("opening document library: %w", err)
		}
	}
	l.removeLeftovers()
	return l, nil
}

// Dir is the library's directory.
func (l *Library) Dir() string { return l.dir }

// removeLeftovers deletes temporary files of interrupted atomic writes.
func (l *Library) removeLeftovers() {
	dirs := []string{l.dir, filepath.Join(l.dir, trashDir)}
	if hist, err := l.fs.ReadDir(filepath.Join(l.dir, historyDir)); err == nil {
		for _, e := range hist {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(l.dir, historyDir, e.Name()))
			}
		}
	}
	for _, d := range dirs {
		entries, err := l.fs.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if isTempName(e.Name()) {
				p := filepath.Join(d, e.Name())
				if err := l.fs.Remove(p); err != nil {
					l.log.Warn("removing leftover temporary file", "path", p, "err", err)
				}
			}
		}
	}
}

// ValidID reports whether id can name a document: 1–64 characters from
// [A-Za-z0-9_-], not "state".
func ValidID(id string) bool {
	if id == "" || len(id) > 64 || id == strings.TrimSuffix(stateFile, docExt) {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}

func checkID(id string) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return nil
}

// NewID returns a fresh random document id.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}

func (l *Library) docPath(id string) string   { return filepath.Join(l.dir, id+docExt) }
func (l *Library) trashPath(id string) string { return filepath.Join(l.dir, trashDir, id+docExt) }

// List lists the documents, newest first. Files that cannot be read are
// reported in Problems, each naming its file; the error is only for a
// library directory that cannot be read at all.
func (l *Library) List() (Listing, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.listDir(l.dir)
}

// ListTrash lists the deleted documents, newest first.
func (l *Library) ListTrash() (Listing, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.listDir(filepath.Join(l.dir, trashDir))
}

func (l *Library) listDir(dir string) (Listing, error) {
	entries, err := l.fs.ReadDir(dir)
	if err != nil {
		return Listing{}, fmt.Errorf("listing documents: %w", err)
	}
	out := Listing{Documents: []Meta{}, Problems: []Problem{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, docExt) || name == stateFile {
			continue
		}
		id := strings.TrimSuffix(name, docExt)
		path := filepath.Join(dir, name)
		if !ValidID(id) {
			out.Problems = append(out.Problems, Problem{ID: id, Path: path,
				Message: path + ": the file name is not a document id (letters, digits, - and _); import it instead"})
			continue
		}
		meta, err := l.metaOf(path, id, e)
		if err != nil {
			out.Problems = append(out.Problems, Problem{ID: id, Path: path, Message: err.Error()})
			continue
		}
		out.Documents = append(out.Documents, meta)
	}
	slices.SortFunc(out.Documents, func(a, b Meta) int {
		if c := b.Modified.Compare(a.Modified); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// metaOf describes one file, from the cache when the file is unchanged.
func (l *Library) metaOf(path, id string, e fs.DirEntry) (Meta, error) {
	info, err := e.Info()
	if err != nil {
		return Meta{}, &FileError{Path: path, Err: err}
	}
	st := stamp{base: info}
	if j, err := l.fs.Stat(journalPath(path)); err == nil {
		st.journal = j
	}
	if c, ok := l.metaCache[path]; ok && sameStamp(c.stamp, st) {
		return c.meta, c.err
	}
	v, err := l.readDoc(path, id)
	size := v.size
	if err != nil {
		size = info.Size()
	}
	meta := metaOf(&v.doc, size)
	l.metaCache[path] = cachedMeta{stamp: st, meta: meta, err: err}
	return meta, err
}

func metaOf(doc *Document, size int64) Meta { return metaWith(doc, size, doc.Words()) }

// metaWith is metaOf with the words already counted.
func metaWith(doc *Document, size int64, words int) Meta {
	return Meta{
		ID: doc.ID, Name: doc.Name, Title: doc.Title(),
		Created: doc.Created, Modified: doc.Modified,
		Fragments: len(doc.Fragments), Words: words, Size: size,
		Revision: doc.Revision,
	}
}

// sameFile reports whether b is the file a was, unchanged.
func sameFile(a, b fs.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) &&
		a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// fileVersion is a document as read from its files.
type fileVersion struct {
	doc   Document
	stamp stamp
	// raw is the base file's bytes; size the bytes of base and journal.
	raw  []byte
	size int64
	// tail is set when the next save may append to the journal (the base
	// is in the current format, the journal, if any, is its own and whole).
	tail *tail
}

// readDoc reads and decodes a document file and applies its journal. The
// id is taken from the file name (a copied file keeps its inner id, which
// must not decide where it is saved); missing times are taken from the
// file.
func (l *Library) readDoc(path, id string) (fileVersion, error) {
	info, err := l.fs.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fileVersion{}, &FileError{Path: path, Err: ErrNotFound}
	}
	if err != nil {
		return fileVersion{}, &FileError{Path: path, Err: err}
	}
	data, err := l.fs.ReadFile(path)
	if err != nil {
		return fileVersion{}, &FileError{Path: path, Err: err}
	}
	doc, err := decode(data)
	if err != nil {
		return fileVersion{}, &FileError{Path: path, Err: err}
	}
	doc.ID = id
	if doc.Modified.IsZero() {
		doc.Modified = info.ModTime()
	}
	if doc.Created.IsZero() {
		doc.Created = doc.Modified
	}
	doc.Revision = max(doc.Revision, 1) // written before revisions
	v := fileVersion{doc: doc, stamp: stamp{base: info}, raw: data, size: int64(len(data))}
	jpath := journalPath(path)
	jinfo, err := l.fs.Stat(jpath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fileVersion{}, &FileError{Path: jpath, Err: err}
	}
	hasJournal := err == nil
	// A tail only for a base in the current format (a migrated one is
	// rewritten by its next save) that is long enough to journal.
	var t *tail
	if doc.Format == CurrentFormat && l.journalFrom > 0 && int64(len(data)) >= l.journalFrom {
		t = &tail{words: -1, baseRev: doc.Revision, baseSize: int64(len(data))}
	}
	var sum uint32
	if t != nil || hasJournal {
		sum = checksum(data)
	}
	if t != nil {
		t.baseSum = sum
	}
	if hasJournal {
		jdata, err := l.fs.ReadFile(jpath)
		if err != nil {
			return fileVersion{}, &FileError{Path: jpath, Err: err}
		}
		js, err := replay(&v.doc, int64(len(data)), sum, jdata)
		if err != nil {
			return fileVersion{}, &FileError{Path: jpath, Err: err}
		}
		v.stamp.journal = jinfo
		if js.matches {
			v.size += int64(len(jdata))
			v.doc.Normalize()
		}
		if t != nil && js.matches && !js.torn {
			t.records, t.size = js.records, js.size
		} else {
			t = nil // a leftover or a torn line: the next save rewrites the base
		}
	}
	if t != nil {
		t.doc = v.doc
		v.tail = t
	}
	return v, nil
}

// Load reads a document. Errors name the file and wrap ErrNotFound,
// ErrCorrupt or ErrNewerFormat.
func (l *Library) Load(id string) (Document, error) {
	v, err := l.load(id)
	return v.doc, err
}

// ReadDocument reads document id of the library in dir as Load does (its
// journal applied) without opening the library: nothing is removed or
// written, so it may look at a library another process is using (tests
// and tools do).
func ReadDocument(dir, id string) (Document, error) {
	if err := checkID(id); err != nil {
		return Document{}, err
	}
	l := &Library{dir: dir, fs: OSFS{}}
	v, err := l.readDoc(l.docPath(id), id)
	return v.doc, err
}

// load is Load that also returns the files' stamp as they were read.
func (l *Library) load(id string) (fileVersion, error) {
	if err := checkID(id); err != nil {
		return fileVersion{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	v, err := l.readDoc(l.docPath(id), id)
	if err != nil {
		return fileVersion{}, err
	}
	l.known[id], l.revs[id] = v.stamp, v.doc.Revision
	if v.tail != nil {
		v.tail.doc.Fragments = ownList(v.doc.Fragments)
		l.keepTail(id, v.tail)
	} else {
		l.dropTail(id)
	}
	return v, nil
}

// Create makes a new, empty document with the given name ("" = derive the
// title from the text) and saves it.
func (l *Library) Create(name string) (Document, error) {
	return l.Add(Document{Name: name})
}

// Add saves doc as a new document under a fresh id (import, save a copy).
// Created is kept when set; Modified becomes now.
func (l *Library) Add(doc Document) (Document, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	doc = doc.Clone()
	doc.ID = NewID()
	doc.Name = strings.TrimSpace(doc.Name)
	doc.Revision = 0 // a new document: revision 1
	if _, err := l.save(&doc, false); err != nil {
		return Document{}, err
	}
	if len(doc.Fragments) == 0 && doc.Draft == nil {
		l.lastSnap[doc.ID] = doc.Modified // an empty start needs no snapshot
	}
	return doc, nil
}

// Save writes the document to <id>.json atomically and sets its modified
// time; the returned Meta has the new time and revision (the one after
// the file's; doc.Revision is ignored). It refuses (with an error naming
// the file) to overwrite a file that does not parse or is from a newer
// version, and a document that is in the trash (ErrDeleted). Once a
// minute at most, the version being replaced is kept as a snapshot first.
func (l *Library) Save(doc Document) (Meta, error) {
	doc.Revision = 0
	return l.SaveRevision(doc)
}

// SaveRevision is Save writing doc.Revision, the revision a Session gave
// the change (0 means the one after the file's, as Save). It refuses with
// ErrStaleRevision when the file already holds that revision or a newer
// one, or when the file changed outside this Library (another process)
// since it last read or wrote it.
func (l *Library) SaveRevision(doc Document) (Meta, error) {
	if err := checkID(doc.ID); err != nil {
		return Meta{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	doc = doc.Clone()
	return l.save(&doc, false)
}

// save writes doc (which it may change: times, normalization). With
// forceSnapshot the current file goes to history whatever its age, and
// failing to do so fails the save. Requires l.mu.
func (l *Library) save(doc *Document, forceSnapshot bool) (Meta, error) {
	id, path := doc.ID, l.docPath(doc.ID)
	if _, err := l.fs.Stat(l.trashPath(id)); err == nil {
		return Meta{}, fmt.Errorf("saving %s: %w", path, ErrDeleted)
	}
	old, err := l.currentIfWritable(id, path)
	if err != nil {
		return Meta{}, err
	}
	if err := l.checkRevision(doc, old, path); err != nil {
		return Meta{}, err
	}
	now := l.now()
	doc.Format = CurrentFormat
	doc.Modified = now
	if doc.Created.IsZero() {
		doc.Created = now
	}
	doc.Normalize()

	if old != nil && (forceSnapshot || now.Sub(l.lastSnapshot(id)) >= l.every) {
		if err := l.snapshot(id, old.data(l, path, id), now); err != nil {
			if forceSnapshot {
				return Meta{}, err
			}
			l.log.Warn("keeping a history snapshot", "id", id, "err", err)
		}
	}
	if old != nil && old.tail != nil && !forceSnapshot {
		if meta, ok, err := l.appendSave(id, path, doc, old.tail); ok {
			return meta, err
		}
	}
	data := encode(doc)
	if err := WriteFileAtomic(l.fs, path, data); err != nil {
		delete(l.known, id)
		delete(l.revs, id)
		l.dropTail(id)
		return Meta{}, err
	}
	if old != nil && old.stamp.journal != nil {
		l.removeJournal(path)
	}
	return l.wrote(id, path, doc, data), nil
}

// currentFile is the version a save replaces. rev is its revision;
// outside is true when its files are not those this Library last read or
// wrote (another process, or a hand, changed them); tail is set when the
// save may append to its journal.
type currentFile struct {
	stamp   stamp
	rev     int64
	outside bool
	tail    *tail
	// read is the version read from disk (outside); bytes its encoding
	// for a snapshot, made lazily.
	read  *fileVersion
	bytes []byte
}

// data is the version being replaced as a file, for a snapshot: the base
// file's bytes when there is no journal, else the document encoded (nil
// when it cannot be read: no snapshot, the save goes on).
func (c *currentFile) data(l *Library, path, id string) []byte {
	if c.bytes != nil {
		return c.bytes
	}
	switch {
	case c.read != nil && c.stamp.journal == nil:
		c.bytes = c.read.raw
	case c.stamp.journal == nil:
		c.bytes, _ = l.fs.ReadFile(path)
	case c.tail != nil:
		c.bytes = encode(&c.tail.doc)
	default:
		if c.read == nil {
			v, err := l.readDoc(path, id)
			if err != nil {
				return nil
			}
			c.read = &v
		}
		c.bytes = encode(&c.read.doc)
	}
	return c.bytes
}

// currentIfWritable checks that path may be overwritten: it does not exist
// (nil, nil), or it is the file this process last wrote or read, or it
// parses (with its journal). Requires l.mu.
func (l *Library) currentIfWritable(id, path string) (*currentFile, error) {
	st, err := l.stampOf(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	if rev, ok := l.revs[id]; ok && sameStamp(l.known[id], st) {
		c := &currentFile{stamp: st, rev: rev}
		if t := l.tails[id]; t != nil && t.doc.Revision == rev {
			c.tail = t
		}
		return c, nil
	}
	v, err := l.readDoc(path, id)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) && (errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNewerFormat)) {
			return nil, &FileError{Path: fe.Path, Err: fmt.Errorf("refusing to overwrite: %w", fe.Err)}
		}
		if errors.As(err, &fe) {
			return nil, &FileError{Path: fe.Path, Err: fmt.Errorf("refusing to overwrite a file that cannot be read: %w", fe.Err)}
		}
		return nil, err
	}
	return &currentFile{stamp: v.stamp, rev: v.doc.Revision, outside: true, read: &v}, nil
}

// checkRevision decides the revision doc is written with (see Save) or
// refuses a stale save. old is the file being replaced (nil: none).
// Requires l.mu.
func (l *Library) checkRevision(doc *Document, old *currentFile, path string) error {
	var disk int64
	if old != nil {
		disk = old.rev
	}
	if doc.Revision == 0 {
		doc.Revision = disk + 1
		return nil
	}
	knew, known := l.revs[doc.ID]
	if doc.Revision <= disk || old != nil && old.outside && known && knew != disk {
		return StaleError(path, disk)
	}
	return nil
}

// StaleError is the error of a save refused because revision saved was
// written after the version the save is based on.
func StaleError(name string, saved int64) error {
	return &FileError{Path: name, Err: fmt.Errorf(
		"%w (revision %d was saved after this version was read): reload it, or save this version as a copy",
		ErrStaleRevision, saved)}
}

// Rename sets a document's user-set name ("" = derive it from the text).
// For the open document, change the name in the editor's copy instead (its
// next save would write the old name back).
func (l *Library) Rename(id, name string) (Meta, error) {
	if err := checkID(id); err != nil {
		return Meta{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	v, err := l.readDoc(l.docPath(id), id)
	if err != nil {
		return Meta{}, err
	}
	doc := v.doc
	doc.Name = strings.TrimSpace(name)
	doc.Revision = 0 // the next one
	return l.save(&doc, false)
}

// Duplicate copies a document under a new id, named "<title> (copy)". The
// history is not copied.
func (l *Library) Duplicate(id string) (Document, error) {
	if err := checkID(id); err != nil {
		return Document{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	v, err := l.readDoc(l.docPath(id), id)
	if err != nil {
		return Document{}, err
	}
	doc := v.doc
	doc.Name = doc.Title() + " (copy)"
	doc.ID = NewID()
	doc.Created = time.Time{}
	doc.Revision = 0
	if _, err := l.save(&doc, false); err != nil {
		return Document{}, err
	}
	return doc, nil
}

// Delete moves a document to the trash (trash/<id>.json); Restore brings
// it back. Its history stays. Unreadable files can be deleted too.
func (l *Library) Delete(id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	from, to := l.docPath(id), l.trashPath(id)
	if err := l.compact(id, from); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Unreadable: it goes to the trash as it is, journal and all.
		l.log.Warn("folding the journal in before deleting", "id", id, "err", err)
	}
	return l.move(id, from, to)
}

// Restore moves a document back from the trash. It fails with ErrExists
// when a document with that id exists (nothing is overwritten).
func (l *Library) Restore(id string) (Meta, error) {
	if err := checkID(id); err != nil {
		return Meta{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	from, to := l.trashPath(id), l.docPath(id)
	if _, err := l.fs.Stat(to); err == nil {
		return Meta{}, &FileError{Path: to, Err: ErrExists}
	}
	if err := l.move(id, from, to); err != nil {
		return Meta{}, err
	}
	v, err := l.readDoc(to, id)
	if err != nil {
		return Meta{}, err // restored, but unreadable: the listing shows it
	}
	l.known[id], l.revs[id] = v.stamp, v.doc.Revision
	return metaOf(&v.doc, v.size), nil
}

// move renames a document file (and its journal, if it has one) and
// makes both directories durable. Requires l.mu.
func (l *Library) move(id, from, to string) error {
	if _, err := l.fs.Stat(from); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = ErrNotFound
		}
		return &FileError{Path: from, Err: err}
	}
	if err := l.fs.Rename(from, to); err != nil {
		return fmt.Errorf("moving %s to %s: %w", from, to, err)
	}
	delete(l.known, id)
	delete(l.revs, id)
	delete(l.metaCache, from)
	l.dropTail(id)
	if _, err := l.fs.Stat(journalPath(from)); err == nil {
		if err := l.fs.Rename(journalPath(from), journalPath(to)); err != nil {
			return fmt.Errorf("moving %s to %s: %w", journalPath(from), journalPath(to), err)
		}
	}
	err := errors.Join(l.fs.SyncDir(filepath.Dir(from)), l.fs.SyncDir(filepath.Dir(to)))
	if err != nil {
		return fmt.Errorf("moving %s to %s: fsync directory: %w", from, to, err)
	}
	return nil
}
