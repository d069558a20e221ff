package documents

import (
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

// ExportFile writes doc to path atomically: the joined text exactly for
// .txt and .md, the document file for .json.
func ExportFile(path string, doc Document) error {
	var data []byte
	switch FormatOf(path) {
	case FormatText, FormatMarkdown:
		data = []byte(ExportText(doc))
	case FormatJSON:
		data = ExportJSON(doc)
	default:
		return fmt.Errorf("%s: cannot export to %q files; use .txt, .md or .json", path, filepath.Ext(path))
	}
	return WriteFileAtomic(nil, path, data)
}

// ImportFile reads a .txt/.md file as sentence fragments (joining them
// gives the file's text back byte for byte) or a .json document. The
// result has no id yet: add it to a library.
func ImportFile(path string) (Document, error) {
	format := FormatOf(path)
	if format == "" {
		return Document{}, fmt.Errorf("%s: cannot import %q files; use .txt, .md or .json", path, filepath.Ext(path))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Document{}, err
	}
	if format == FormatJSON {
		doc, err := ImportJSON(data)
		if err != nil {
			return Document{}, &FileError{Path: path, Err: err}
		}
		return doc, nil
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return ImportText(name, string(data)), nil
}
