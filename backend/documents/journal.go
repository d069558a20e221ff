package documents

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A novel's autosave appends what changed to a journal instead of
// rewriting the whole file: at 100,000 fragments the file is 8–9 MB, and
// rewriting it twice a second while the writer types costs the disk
// 17 MB/s and a tenth of a core. A journal record of one edited fragment
// is a few hundred bytes.
//
// <id>.journal lies beside <id>.json (the base) and holds the saves made
// after the base was written. Every line is "<CRC-32C of the JSON, 8 hex
// digits> <JSON>\n". The first line names the base, the rest are saves,
// oldest first:
//
//	{"journal":1,"revision":7,"size":8712094,"sum":"1c2b3a4d"}
//	{"base":8,"revision":9,"modified":"…","at":5120,"remove":1,
//	 "insert":[{"text":"…"}],"name":"","selection":5121,"draft":null}
//
// A save replaces fragments[at:at+remove] with insert and sets the rest
// (name, selection, draft, notes, modified, revision) of the version it
// was made from, base. A record whose base is not the version the lines
// before it give is skipped: two processes that appended the same moment
// (each checks the files first, but not atomically with the append) keep
// the first one's save, as two rewrites would keep one, and never mix
// them. Reading applies the
// journal to its base; a journal naming another base (its revision, size
// or checksum differ) is a leftover of a crash between a rewrite of the
// base and the journal's removal, and is ignored: the base already holds
// it. A last line that is incomplete or fails its checksum is a save a
// crash interrupted before it was acknowledged, and is ignored; a bad line
// with a good one after it is corruption (ErrCorrupt, the file is not
// written over).
//
// The first record comes with the header in an atomic write; the next ones
// are appended and fsynced. A save rewrites the base (and removes the
// journal) when the base is smaller than Options.JournalFrom, when the
// journal would pass maxJournalSize or maxJournalRecords,
// when the Library does not hold the version on disk (another process
// wrote it, or a read found a torn line), and when a snapshot is forced.
// Library.Compact folds the journals back into their bases (Session.Close,
// on quit), so a library at rest is one file per document.

// DefaultJournalFrom is the base file size from which saves go to a journal
// (about 30,000 words): smaller files are rewritten whole, as fast as an
// append would be.
const DefaultJournalFrom = 256 << 10

// maxJournalRecords bounds the records of a journal: reading applies them
// one by one, and a splice that changes the fragment count moves the rest
// of the list.
const maxJournalRecords = 256

// maxJournalSize bounds a journal's bytes: a quarter of its base, at least
// 64 KiB.
func maxJournalSize(base int64) int64 { return max(base/4, 64<<10) }

const (
	journalExt     = ".journal"
	journalVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// journalPath is the journal of the document file at docPath.
func journalPath(docPath string) string {
	return strings.TrimSuffix(docPath, docExt) + journalExt
}

// stamp tells whether a document's files changed: its base and journal
// (nil when there is none) as this Library last read or wrote them.
type stamp struct {
	base, journal fs.FileInfo
}

func sameStamp(a, b stamp) bool {
	if !sameFile(a.base, b.base) || (a.journal == nil) != (b.journal == nil) {
		return false
	}
	return a.journal == nil || sameFile(a.journal, b.journal)
}

// stampOf stats a document's base and journal. A missing base is an error
// (wrapping fs.ErrNotExist); a missing journal is none.
func (l *Library) stampOf(path string) (stamp, error) {
	info, err := l.fs.Stat(path)
	if err != nil {
		return stamp{}, err
	}
	st := stamp{base: info}
	switch j, err := l.fs.Stat(journalPath(path)); {
	case err == nil:
		st.journal = j
	case !errors.Is(err, fs.ErrNotExist):
		return stamp{}, err
	}
	return st, nil
}

// tail is what a Library knows of a document on disk to append the next
// save to its journal: the version the files hold (base and journal
// applied, normalized), and the base and journal it came from.
type tail struct {
	doc Document
	// words is doc's word count (-1: not counted yet).
	words    int
	baseRev  int64
	baseSize int64
	baseSum  uint32
	// records and size (header included; 0 when there is no journal)
	// describe the journal's good lines.
	records int
	size    int64
}

// maxTails bounds the documents whose version on disk a Library keeps.
const maxTails = 4

// keepTail remembers t for id (the oldest other one is dropped past
// maxTails). Requires l.mu.
func (l *Library) keepTail(id string, t *tail) {
	l.dropTail(id)
	l.tails[id] = t
	l.tailOrder = append(l.tailOrder, id)
	if len(l.tailOrder) > maxTails {
		delete(l.tails, l.tailOrder[0])
		l.tailOrder = slices.Delete(l.tailOrder, 0, 1)
	}
}

// ownList is the tail's own copy of a fragment list that is handed out
// too (Load, Add, Duplicate): the caller may change the list; fragments
// themselves are replaced, never changed in place.
func ownList(f []Fragment) []Fragment { return slices.Clone(f) }

// dropTail forgets id's version on disk: its next save rewrites the base.
// Requires l.mu.
func (l *Library) dropTail(id string) {
	delete(l.tails, id)
	l.tailOrder = slices.DeleteFunc(l.tailOrder, func(t string) bool { return t == id })
}

// journalHeader is a journal's first line: the base it applies to.
type journalHeader struct {
	Journal  int    `json:"journal"`
	Revision int64  `json:"revision"`
	Size     int64  `json:"size"`
	Sum      string `json:"sum"`
}

func (t *tail) header() []byte {
	b := fmt.Appendf(nil, `{"journal":%d,"revision":%d,"size":%d,"sum":"%08x"}`,
		journalVersion, t.baseRev, t.baseSize, t.baseSum)
	return line(nil, b)
}

// journalRecord is one save in a journal: the change as a writer hands it
// over (the Patch, its ID left out) and the revision and time it was saved
// with.
type journalRecord struct {
	Patch
	Revision int64     `json:"revision"`
	Modified time.Time `json:"modified"`
}

// record encodes the save of doc, made from revision base, as a journal
// line: its fragments [at:at+remove] replaced with insert, and the rest.
func record(base int64, doc *Document, at, remove int, insert []Fragment) []byte {
	b := make([]byte, 0, 256)
	b = append(b, `{"base":`...)
	b = strconv.AppendInt(b, base, 10)
	b = append(b, `,"revision":`...)
	b = strconv.AppendInt(b, doc.Revision, 10)
	b = append(b, `,"modified":`...)
	b = appendTime(b, doc.Modified)
	b = append(b, `,"at":`...)
	b = strconv.AppendInt(b, int64(at), 10)
	b = append(b, `,"remove":`...)
	b = strconv.AppendInt(b, int64(remove), 10)
	b = append(b, `,"insert":[`...)
	for i := range insert {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFragment(b, &insert[i])
	}
	b = append(b, `],"name":`...)
	b = appendString(b, doc.Name)
	b = append(b, `,"selection":`...)
	b = strconv.AppendInt(b, int64(doc.Selection), 10)
	b = append(b, `,"draft":`...)
	b = appendDraft(b, doc.Draft)
	if doc.Notes != nil {
		b = append(b, `,"notes":`...)
		b = appendNotes(b, doc.Notes)
	}
	b = append(b, '}')
	return line(nil, b)
}

// line appends one journal line holding js.
func line(b, js []byte) []byte {
	b = fmt.Appendf(b, "%08x ", checksum(js))
	b = append(b, js...)
	return append(b, '\n')
}

// nextLine splits the first line off data: its JSON when complete and its
// checksum matches (ok), and the bytes after it.
func nextLine(data []byte) (js, rest []byte, ok bool) {
	end := bytes.IndexByte(data, '\n')
	if end < 0 {
		return nil, nil, false
	}
	l, rest := data[:end], data[end+1:]
	if len(l) < 10 || l[8] != ' ' {
		return nil, rest, false
	}
	sum, err := strconv.ParseUint(string(l[:8]), 16, 32)
	if err != nil || uint32(sum) != checksum(l[9:]) {
		return nil, rest, false
	}
	return l[9:], rest, true
}

// goodLineIn reports whether data holds a complete line with a matching
// checksum.
func goodLineIn(data []byte) bool {
	for len(data) > 0 {
		_, rest, ok := nextLine(data)
		if ok {
			return true
		}
		if rest == nil {
			return false
		}
		data = rest
	}
	return false
}

// journalState is what reading a journal found.
type journalState struct {
	// matches: the journal names this base (else it was ignored).
	matches bool
	records int
	// size is the bytes of its good lines; torn is set when bytes follow
	// them (a save a crash interrupted).
	size int64
	torn bool
}

// replay applies a journal (data) to doc, the document decoded from the
// base file (size bytes, checksum sum). Errors wrap ErrCorrupt and name
// the line.
func replay(doc *Document, size int64, sum uint32, data []byte) (journalState, error) {
	var st journalState
	if len(data) == 0 {
		return st, nil
	}
	js, rest, ok := nextLine(data)
	if !ok {
		if rest == nil || !goodLineIn(rest) {
			return st, nil // torn in its first write: never acknowledged
		}
		return st, fmt.Errorf("%w: line 1 of the journal is damaged", ErrCorrupt)
	}
	var h journalHeader
	if err := json.Unmarshal(js, &h); err != nil || h.Journal == 0 {
		return st, fmt.Errorf("%w: line 1 of the journal is not a journal header", ErrCorrupt)
	}
	if h.Journal > journalVersion {
		return st, newerError(h.Journal)
	}
	if h.Revision != doc.Revision || h.Size != size || h.Sum != fmt.Sprintf("%08x", sum) {
		return st, nil // another base's: ignored
	}
	st.matches = true
	st.size = int64(len(data) - len(rest))
	for n := 2; len(rest) > 0; n++ {
		js, next, ok := nextLine(rest)
		if !ok {
			if next == nil || !goodLineIn(next) {
				st.torn = true
				return st, nil
			}
			return st, fmt.Errorf("%w: line %d of the journal is damaged", ErrCorrupt, n)
		}
		var r journalRecord
		if err := json.Unmarshal(js, &r); err != nil {
			return st, fmt.Errorf("%w: line %d of the journal: %v", ErrCorrupt, n, err)
		}
		if r.Base == doc.Revision { // else another process's, made from another version
			if err := r.apply(doc); err != nil {
				return st, fmt.Errorf("%w: line %d of the journal: %v", ErrCorrupt, n, err)
			}
		}
		st.records++
		st.size += int64(len(rest) - len(next))
		rest = next
	}
	return st, nil
}

// apply applies one record to doc (whose fragments replay owns).
func (r *journalRecord) apply(doc *Document) error {
	n := len(doc.Fragments)
	switch {
	case r.Revision <= doc.Revision:
		return fmt.Errorf("revision %d after revision %d", r.Revision, doc.Revision)
	case r.At < 0 || r.At > n || r.Remove < 0 || r.Remove > n-r.At:
		return fmt.Errorf("replacing %d fragments at %d of %d", r.Remove, r.At, n)
	}
	doc.Fragments = slices.Replace(doc.Fragments, r.At, r.At+r.Remove, r.Insert...)
	doc.Revision, doc.Modified = r.Revision, r.Modified
	doc.Name, doc.Selection, doc.Draft, doc.Notes = r.Name, r.Selection, r.Draft, r.Notes
	return nil
}

// spliceOf finds the part of a that b replaces: a and b are equal before
// at and after at+remove (in a; b's replacement has the rest of b's
// length).
func spliceOf(a, b []Fragment) (at, remove int) {
	n := min(len(a), len(b))
	for at < n && sameFragment(&a[at], &b[at]) {
		at++
	}
	tail := 0
	for tail < n-at && sameFragment(&a[len(a)-1-tail], &b[len(b)-1-tail]) {
		tail++
	}
	return at, len(a) - at - tail
}

func sameFragment(a, b *Fragment) bool {
	return a.Text == b.Text && a.Source == b.Source && a.Edited == b.Edited && a.Alt == b.Alt &&
		slices.Equal(a.Alternatives, b.Alternatives) && sameTokens(a.Tokens, b.Tokens)
}

func sameTokens(a, b *Tokens) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil {
		return false
	}
	return slices.Equal(a.Len, b.Len) && slices.Equal(a.P, b.P) &&
		slices.EqualFunc(a.Alts, b.Alts, func(x, y TokenAlts) bool {
			return x.Index == y.Index && slices.Equal(x.Alts, y.Alts)
		})
}

// appendSave saves doc by appending it to the journal of the version on
// disk, t; ok is false when it should rewrite the base instead. Requires
// l.mu.
func (l *Library) appendSave(id, path string, doc *Document, t *tail) (meta Meta, ok bool, err error) {
	if t.records >= maxJournalRecords { // (a tail is only kept for a base long enough to journal)
		return Meta{}, false, nil
	}
	prev := &t.doc
	if prev.ID != doc.ID || !prev.Created.Equal(doc.Created) {
		return Meta{}, false, nil
	}
	at, remove := spliceOf(prev.Fragments, doc.Fragments)
	insert := doc.Fragments[at : len(doc.Fragments)-(len(prev.Fragments)-at-remove)]
	rec := record(prev.Revision, doc, at, remove, insert)
	next := *t
	next.doc, next.records = *doc, t.records+1
	if t.words < 0 {
		t.words = prev.Words()
	}
	next.words = splicedWords(t.words, prev.Fragments, at, remove, insert)
	jpath := journalPath(path)
	if t.records == 0 {
		data := append(t.header(), rec...)
		if int64(len(data)) > maxJournalSize(t.baseSize) {
			return Meta{}, false, nil
		}
		next.size = int64(len(data))
		err = WriteFileAtomic(l.fs, jpath, data)
	} else {
		if t.size+int64(len(rec)) > maxJournalSize(t.baseSize) {
			return Meta{}, false, nil
		}
		next.size = t.size + int64(len(rec))
		if err = appendFile(l.fs, jpath, rec); err != nil {
			// Take the line back: written but not synced, it would be read,
			// and the retry of this save refused as stale.
			if terr := l.fs.Truncate(jpath, t.size); terr != nil {
				err = errors.Join(err, fmt.Errorf("taking the record back: %w", terr))
			}
		}
	}
	if err != nil {
		// The next save reads the files again and rewrites the base.
		l.dropTail(id)
		delete(l.known, id)
		delete(l.revs, id)
		return Meta{}, true, err
	}
	l.keepTail(id, &next)
	l.revs[id] = doc.Revision
	meta = metaWith(doc, next.baseSize+next.size, next.words)
	if st, err := l.stampOf(path); err == nil {
		l.known[id] = st
		l.metaCache[path] = cachedMeta{stamp: st, meta: meta}
	} else {
		delete(l.known, id)
	}
	return meta, true, nil
}

// appendFile appends data to an existing file and fsyncs it.
func appendFile(fsys FS, path string, data []byte) error {
	f, err := fsys.OpenAppend(path)
	if err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("saving %s: write: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("saving %s: fsync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving %s: close: %w", path, err)
	}
	return nil
}

// Compact rewrites each document whose saves this Library appended to a
// journal as one file again and removes the journal (on quit; nothing
// changes for a reader). It goes on past a failure and returns them all.
func (l *Library) Compact() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var errs []error
	for _, id := range slices.Clone(l.tailOrder) {
		if t := l.tails[id]; t != nil && t.records > 0 {
			errs = append(errs, l.compact(id, l.docPath(id)))
		}
	}
	return errors.Join(errs...)
}

// compact folds the journal of the document file at path, if it has one,
// into the file. Requires l.mu.
func (l *Library) compact(id, path string) error {
	st, err := l.stampOf(path)
	if err != nil {
		return &FileError{Path: path, Err: err}
	}
	if st.journal == nil {
		return nil
	}
	var doc Document
	if t := l.tails[id]; t != nil && sameStamp(l.known[id], st) && path == l.docPath(id) {
		doc = t.doc
	} else {
		v, err := l.readDoc(path, id)
		if err != nil {
			return err
		}
		doc = v.doc
	}
	doc.Format = CurrentFormat
	data := encode(&doc)
	if err := WriteFileAtomic(l.fs, path, data); err != nil {
		return err
	}
	l.removeJournal(path)
	if path == l.docPath(id) {
		l.wrote(id, path, &doc, data)
	}
	return nil
}

// removeJournal removes the journal of a base just rewritten. One left
// behind names the old base and is ignored. Requires l.mu.
func (l *Library) removeJournal(path string) {
	jpath := journalPath(path)
	if err := l.fs.Remove(jpath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		l.log.Warn("removing a journal folded into its document", "path", jpath, "err", err)
	}
}

// wrote records that path now holds doc, encoded as data, with no
// journal: the version the next save is checked against and appends to.
// Requires l.mu.
func (l *Library) wrote(id, path string, doc *Document, data []byte) Meta {
	meta := metaOf(doc, int64(len(data)))
	l.revs[id] = doc.Revision
	st, err := l.stampOf(path)
	if err != nil {
		delete(l.known, id)
		l.dropTail(id)
		return meta
	}
	l.known[id] = st
	l.metaCache[path] = cachedMeta{stamp: st, meta: meta}
	if st.journal == nil && l.journalFrom > 0 && int64(len(data)) >= l.journalFrom {
		t := &tail{doc: *doc, words: meta.Words, baseRev: doc.Revision, baseSize: int64(len(data)), baseSum: checksum(data)}
		t.doc.Fragments = ownList(doc.Fragments)
		l.keepTail(id, t)
	} else {
		l.dropTail(id)
	}
	return meta
}
