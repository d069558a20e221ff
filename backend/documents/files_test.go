package documents

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportImportFile_RoundTrip(t *testing.T) {
	dir := t.TempDir()
	text := "First sentence. Second one!\n\nA new paragraph? Yes."
	doc := ImportText("story", text)
	for _, ext := range []string{".txt", ".md", ".json"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(dir, "story"+ext)
			if err := ExportFile(path, doc); err != nil {
				t.Fatal(err)
			}
			if ext != ".json" {
				data, _ := os.ReadFile(path)
				if string(data) != text {
					t.Fatalf("exported %q, want exactly %q", data, text)
				}
			}
			back, err := ImportFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if back.Text() != text || len(back.Fragments) != len(doc.Fragments) {
				t.Fatalf("imported %q in %d fragments, want %q in %d", back.Text(), len(back.Fragments), text, len(doc.Fragments))
			}
		})
	}
}

func TestImportFile_Errors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"format": 1, "fragments": [`), 0o600)
	if _, err := ImportFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt JSON: got %v, want an error naming %s", err, bad)
	}
	if _, err := ImportFile(filepath.Join(dir, "x.docx")); err == nil || !strings.Contains(err.Error(), ".docx") {
		t.Errorf("unknown extension: got %v", err)
	}
	if _, err := ImportFile(filepath.Join(dir, "missing.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
	if err := ExportFile(filepath.Join(dir, "x.pdf"), Document{}); err == nil {
		t.Error("export to .pdf: want an error")
	}
}

func TestFileName(t *testing.T) {
	for _, c := range []struct{ name, text, format, want string }{
		{"", "Hello there.", "txt", "Hello there.txt"},
		{"Notes...", "", "md", "Notes.md"},
		{"a/b\\c", "", "json", "a-b-c.json"},
		{"...", "", "txt", "Untitled.txt"},
		{"v1.2 draft", "", "txt", "v1.2 draft.txt"},
	} {
		doc := Document{Name: c.name, Fragments: []Fragment{{Text: c.text}}}
		if got := FileName(doc, c.format); got != c.want {
			t.Errorf("FileName(name %q, text %q, %s) = %q, want %q", c.name, c.text, c.format, got, c.want)
		}
	}
}
