package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"fragmenteditor/backend/atomicfile"
)

//go:embed default.json
var defaultJSON []byte

// Default returns the embedded default config file: port 3333 on
// 127.0.0.1, scanning localhost's usual LLM server ports (llama.cpp
// 8080–8090, vLLM 8000–8010, koboldcpp/tabbyAPI 5000–5001, LM Studio
// 1234, Ollama 11434). The slice is a fresh copy.
func Default() []byte { return bytes.Clone(defaultJSON) }

// utf8BOM is what some Windows editors put at the start of a text file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Parse decodes, checks and defaults a JSON config. Unknown fields, wrong
// types and invalid values are all reported at once in a
// *ValidationError, each problem naming its path ("endpoints[1].port_end:
// 70000 is not a port"); a syntax error is reported as
// "line L, column C: …". A leading UTF-8 byte order mark is ignored.
func Parse(data []byte) (*Config, error) {
	d := &decoder{}
	raw, ok := d.document(bytes.TrimPrefix(data, utf8BOM))
	if !ok {
		return nil, d.err()
	}
	if k := kind(raw); k != "object" {
		d.fail("", "the config must be a JSON object, not %s", describe(raw))
		return nil, d.err()
	}
	var c Config
	decodeObject(d, "", raw, configFields, &c)
	return finish(&c, d)
}

// Load reads and parses the config file at path. Every error starts with
// the path: "llproxy.json: port: required". A missing file gives an error
// matching fs.ErrNotExist.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return parseFile(path, data)
}

// ErrNotRegular is matched by the error for a config path that is not a
// regular file (a pipe, a FIFO, a device, a folder).
var ErrNotRegular = errors.New("not a regular file")

// readFile reads the config file once. Anything but a regular file is
// refused before it is opened: opening a FIFO would block until some
// writer came, and a pipe (--config <(…)) could be read only once,
// while the config is read again on every edit.
func readFile(path string) ([]byte, error) {
	data, err := readRegular(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is added below, once
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func readRegular(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil { // it may have been replaced meanwhile
		return nil, err
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// regular explains why fi is not a regular file, or returns nil.
func regular(fi fs.FileInfo) error {
	m := fi.Mode()
	if m.IsRegular() {
		return nil
	}
	what := "a special file"
	switch {
	case m.IsDir():
		what = "a folder"
	case m&fs.ModeNamedPipe != 0:
		what = "a pipe or FIFO"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("%w: it is %s; the config must be a file, since it is read again on every edit (save it to a file and pass that)", ErrNotRegular, what)
}

func parseFile(path string, data []byte) (*Config, error) {
	c, err := Parse(data)
	var ve *ValidationError
	if errors.As(err, &ve) {
		ve.File = path
	}
	return c, err
}

// EnsureFile writes the default config to path unless a file is already
// there, creating its directory (mode 0700) as needed. The file (mode
// 0600) appears whole or not at all: it is written to a temporary file in
// the same directory, synced, then renamed into place.
func EnsureFile(path string) (created bool, err error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err := atomicfile.Write(path, defaultJSON, 0o600); err != nil {
		return false, fmt.Errorf("creating default config: %w", err)
	}
	return true, nil
}
