package documents

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// novel generates a deterministic document of about 200,000 words in
// 12,000 fragments, one in ten from a model with alternatives.
func novel() Document {
	const fragments, words = 12000, 200000
	vocab := strings.Fields("the rain had stopped and nobody came to the door of her small house " +
		"near river where light fell across wet stones while an old dog slept under table " +
		"morning évening naïve café – “quoted” words")
	rng := rand.New(rand.NewPCG(1, 2))
	doc := Document{ID: "novel", Name: "A long novel", Fragments: make([]Fragment, 0, fragments)}
	for i := range fragments {
		n := words / fragments
		if i < words%fragments {
			n++
		}
		var b strings.Builder
		for w := range n {
			word := vocab[rng.IntN(len(vocab))]
			if w == 0 && word[0] < 0x80 {
				word = strings.ToUpper(word[:1]) + word[1:]
			}
			b.WriteString(word)
			if w < n-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(". ")
		if i%40 == 39 {
			b.WriteString("\n\n")
		}
		f := Fragment{Text: b.String()}
		if i%10 == 0 {
			f.Source = ModelSource("qwen3-8b")
			f.Alternatives = []string{f.Text, "Another way to say it. ", "A third way. "}
		}
		doc.Fragments = append(doc.Fragments, f)
	}
	doc.Selection = fragments / 2
	doc.Draft = &Draft{Index: fragments / 2, Mode: ModeEdit, Text: "A sentence being rewritten"}
	return doc
}

func TestNovel_IsTheBenchmarkedSize(t *testing.T) {
	doc := novel()
	if len(doc.Fragments) != 12000 || doc.Words() < 199000 || doc.Words() > 201000 {
		t.Errorf("novel: %d fragments, %d words", len(doc.Fragments), doc.Words())
	}
	got, err := ImportJSON(ExportJSON(doc))
	if err != nil || got.Text() != doc.Text() || len(got.Fragments) != 12000 {
		t.Errorf("novel round trip: %d fragments, %v", len(got.Fragments), err)
	}
}

func benchLibrary(b *testing.B) (*Library, Document) {
	lib, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	doc := novel()
	if _, err := lib.Save(doc); err != nil {
		b.Fatal(err)
	}
	return lib, doc
}

// BenchmarkSave12k is the whole autosave path: encode, temp file, write,
// fsync, rename, directory fsync (and a history snapshot once a minute).
func BenchmarkSave12k(b *testing.B) {
	lib, doc := benchLibrary(b)
	b.SetBytes(int64(len(ExportJSON(doc))))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		doc.Selection = i % len(doc.Fragments)
		if _, err := lib.Save(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad12k reads and decodes the novel from disk.
func BenchmarkLoad12k(b *testing.B) {
	lib, doc := benchLibrary(b)
	b.SetBytes(int64(len(ExportJSON(doc))))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lib.Load(doc.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode12k and BenchmarkDecode12k are the CPU parts of save and load.
func BenchmarkEncode12k(b *testing.B) {
	doc := novel()
	b.SetBytes(int64(len(ExportJSON(doc))))
	b.ReportAllocs()
	for b.Loop() {
		_ = ExportJSON(doc)
	}
}

// BenchmarkMarshalStdlib12k is encoding/json on the same document, for comparison.
func BenchmarkMarshalStdlib12k(b *testing.B) {
	doc := novel()
	b.SetBytes(int64(len(ExportJSON(doc))))
	for b.Loop() {
		if _, err := json.Marshal(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode12k(b *testing.B) {
	data := ExportJSON(novel())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ImportJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportText12k splits the novel's text into sentence fragments.
func BenchmarkImportText12k(b *testing.B) {
	text := novel().Text()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = ImportText("novel", text)
	}
}

// BenchmarkHandOver12k is what the Go side pays for one autosave hand-over
// of the 12,000-fragment novel (one fragment edited): the whole document
// (decode the JSON the page sends, accept it: a deep copy) against a patch
// (decode it, apply it to the session's copy: a copy of the fragment list).
// Nothing is written (the autosaver waits an hour).
func BenchmarkHandOver12k(b *testing.B) {
	dir := b.TempDir()
	s, err := OpenSession(dir, time.Hour, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	doc := novel()
	doc.ID = "novel0000000001"
	doc.Revision = 0
	rev, err := s.Changed(doc)
	if err != nil {
		b.Fatal(err)
	}
	edited := Fragment{Text: "An edited sentence. "}
	b.Run("whole", func(b *testing.B) {
		d := doc
		d.Fragments = append([]Fragment(nil), doc.Fragments...)
		d.Fragments[6000] = edited
		data, _ := json.Marshal(d)
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var in Document
			if err := json.Unmarshal(data, &in); err != nil {
				b.Fatal(err)
			}
			in.Revision = rev
			if rev, err = s.Changed(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("patch", func(b *testing.B) {
		data, _ := json.Marshal(Patch{ID: doc.ID, At: 6000, Remove: 1, Insert: []Fragment{edited}, Name: doc.Name, Selection: doc.Selection, Draft: doc.Draft})
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var in Patch
			if err := json.Unmarshal(data, &in); err != nil {
				b.Fatal(err)
			}
			in.Base = rev
			if rev, err = s.ChangedPatch(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// longNovel is novel() eight times over: 96,000 fragments, about 12 MB.
func longNovel() Document {
	one := novel()
	doc := one
	doc.Fragments = make([]Fragment, 0, 8*len(one.Fragments))
	for range 8 {
		doc.Fragments = append(doc.Fragments, one.Fragments...)
	}
	return doc
}

// countingFS counts the bytes written to files.
type countingFS struct {
	OSFS
	written *atomic.Int64
}

type countingFile struct {
	File
	written *atomic.Int64
}

func (c countingFile) Write(p []byte) (int, error) {
	n, err := c.File.Write(p)
	c.written.Add(int64(n))
	return n, err
}

func (c countingFS) CreateTemp(dir, pattern string) (File, error) {
	f, err := c.OSFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return countingFile{f, c.written}, nil
}

func (c countingFS) OpenAppend(name string) (File, error) {
	f, err := c.OSFS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return countingFile{f, c.written}, nil
}

// BenchmarkAutosave96k is one autosave of a 96,000-fragment novel after
// one fragment was typed into (what the writer's every pause costs), as
// the session hands it to the library, with the journal (the default) and
// rewriting the whole file each time. It reports the bytes written per
// save, the journal's compactions included.
func BenchmarkAutosave96k(b *testing.B) {
	for _, mode := range []struct {
		name string
		from int64
	}{{"journal", 0}, {"rewrite", -1}} {
		b.Run(mode.name, func(b *testing.B) {
			var written atomic.Int64
			lib, err := OpenWith(b.TempDir(), Options{FS: countingFS{written: &written}, JournalFrom: mode.from})
			if err != nil {
				b.Fatal(err)
			}
			doc, err := lib.Add(longNovel())
			if err != nil {
				b.Fatal(err)
			}
			if doc, err = lib.Load(doc.ID); err != nil {
				b.Fatal(err)
			}
			written.Store(0)
			k := len(doc.Fragments) / 2
			for b.Loop() {
				doc.Fragments = slices.Clone(doc.Fragments) // as Patch.apply does
				doc.Fragments[k].Text += "x"
				doc.Draft = &Draft{Index: k, Mode: ModeEdit, Text: doc.Fragments[k].Text}
				doc.Revision++
				if _, err := lib.SaveRevision(doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(written.Load())/float64(b.N), "written-B/op")
		})
	}
}

// BenchmarkLoadWithJournal96k reads the novel back with a full journal
// (maxJournalRecords saves of one fragment each): what opening it after a
// crash costs, against BenchmarkLoad96k without one.
func BenchmarkLoadWithJournal96k(b *testing.B) {
	lib, err := OpenWith(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	doc, err := lib.Add(longNovel())
	if err != nil {
		b.Fatal(err)
	}
	b.Run("no journal", func(b *testing.B) {
		for b.Loop() {
			if _, err := lib.Load(doc.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	doc, _ = lib.Load(doc.ID)
	for i := range maxJournalRecords - 1 {
		doc.Fragments = slices.Clone(doc.Fragments)
		if i%2 == 0 { // every other save inserts a fragment: the rest of the list moves
			doc.Fragments = slices.Insert(doc.Fragments, 1000+i, Fragment{Text: "New. "})
		} else {
			doc.Fragments[1000+i].Text += "x"
		}
		doc.Revision++
		if _, err := lib.SaveRevision(doc); err != nil {
			b.Fatal(err)
		}
	}
	j, err := os.Stat(journalPath(lib.docPath(doc.ID)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("journal of %d records", maxJournalRecords-1), func(b *testing.B) {
		b.ReportMetric(float64(j.Size()), "journal-B")
		for b.Loop() {
			if _, err := lib.Load(doc.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
