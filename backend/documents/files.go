package documents

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File formats for export and import, by file extension.
const (
	FormatText     = "txt"
	FormatMarkdown = "md"
	FormatJSON     = "json"
)

// FormatOf names the format of a file path from its extension ("" when
// it is none this package reads or writes).
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown":
		return FormatMarkdown
	case ".json":
		return FormatJSON
	}
	return ""
}

// ExportedFile is a document exported as a file to download.
type ExportedFile struct {
	// Name is the file name: the document's title and the extension.
	Name string `json:"name"`
	// MIME is the content's media type, with its charset.
	MIME    string `json:"mime"`
	Content string `json:"content"`
}

// mimeTypes are the media types of the export formats.
var mimeTypes = map[string]string{
	FormatText:     "text/plain; charset=utf-8",
	FormatMarkdown: "text/markdown; charset=utf-8",
	FormatJSON:     "application/json",
}

// ExportData exports doc in a format ("txt", "md" or "json"; a leading
// dot is accepted): the joined text exactly for txt and md, the document
// file for json.
func ExportData(doc Document, format string) (ExportedFile, error) {
	format = strings.ToLower(strings.TrimPrefix(format, "."))
	data, err := exportBytes(doc, format)
	if err != nil {
		return ExportedFile{}, err
	}
	return ExportedFile{Name: FileName(doc, format), MIME: mimeTypes[format], Content: string(data)}, nil
}

// FileName is the name a document is offered under when exported in a
// format: its title without trailing dots (a sentence's full stop) and
// without path separators, then the extension ("Hello there." → "Hello
// there.txt").
func FileName(doc Document, format string) string {
	base := strings.NewReplacer("/", "-", "\\", "-").Replace(strings.TrimRight(doc.Title(), ". "))
	if base == "" {
		base = "Untitled"
	}
	return base + "." + format
}

func exportBytes(doc Document, format string) ([]byte, error) {
	switch format {
	case FormatText, FormatMarkdown:
		return []byte(ExportText(doc)), nil
	case FormatJSON:
		return ExportJSON(doc), nil
	}
	return nil, fmt.Errorf("%w: cannot export to %q files; use .txt, .md or .json", ErrUnsupportedFormat, format)
}

// ExportFile writes doc to path atomically: the joined text exactly for
// .txt and .md, the document file for .json.
func ExportFile(path string, doc Document) error {
	format := FormatOf(path)
	if format == "" {
		return fmt.Errorf("%s: %w: cannot export to %q files; use .txt, .md or .json", path, ErrUnsupportedFormat, filepath.Ext(path))
	}
	data, err := exportBytes(doc, format)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return WriteFileAtomic(nil, path, data)
}

// ImportFile reads a .txt/.md file as sentence fragments (joining them
// gives the file's text back byte for byte) or a .json document. The
// result has no id yet: add it to a library.
func ImportFile(path string) (Document, error) {
	format := FormatOf(path)
	if format == "" {
		return Document{}, fmt.Errorf("%s: %w: cannot import %q files; use .txt, .md or .json", path, ErrUnsupportedFormat, filepath.Ext(path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Document{}, err
	}
	doc, err := ImportData(filepath.Base(path), data)
	if err != nil {
		return Document{}, &FileError{Path: path, Err: errors.Unwrap(err)}
	}
	return doc, nil
}

// MaxImportBytes bounds an imported file (a novel is a few MiB).
const MaxImportBytes = 64 << 20

// ImportData reads an uploaded file by its name's extension: .txt/.md as
// sentence fragments (joining them gives the content back byte for byte),
// .json as a document. The result has no id yet: add it to a library.
// Errors name the file.
func ImportData(name string, data []byte) (Document, error) {
	format := FormatOf(name)
	switch {
	case format == "":
		return Document{}, &FileError{Path: name, Err: fmt.Errorf("%w: cannot import %q files; use .txt, .md or .json", ErrUnsupportedFormat, filepath.Ext(name))}
	case len(data) > MaxImportBytes:
		return Document{}, &FileError{Path: name, Err: fmt.Errorf("too large to import (%d bytes; at most %d)", len(data), MaxImportBytes)}
	case format == FormatJSON:
		doc, err := ImportJSON(data)
		if err != nil {
			return Document{}, &FileError{Path: name, Err: err}
		}
		return doc, nil
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	return ImportText(base, string(data)), nil
}
