package documents

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// faultFS is the real file system with failures injected on demand.
type faultFS struct {
	OSFS
	mu sync.Mutex
	// Guarded by mu; nil means no failure. writeErr fails a write after
	// writing half of it, as a disk that fills up does.
	writeErr, syncErr, renameErr, syncDirErr, createErr error
	// only, when set, limits failures to paths containing it.
	only string
}

var _ FS = (*faultFS)(nil)

func (f *faultFS) fault(path string, err *error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.only != "" && !strings.Contains(path, f.only) {
		return nil
	}
	return *err
}

func (f *faultFS) set(fn func(*faultFS)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// clear removes every injected failure; call it through set.
func (f *faultFS) clear() {
	f.writeErr, f.syncErr, f.renameErr, f.syncDirErr, f.createErr, f.only = nil, nil, nil, nil, nil, ""
}

func (f *faultFS) CreateTemp(dir, pattern string) (File, error) {
	if err := f.fault(filepath.Join(dir, pattern), &f.createErr); err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	file, err := f.OSFS.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) OpenAppend(name string) (File, error) {
	if err := f.fault(name, &f.createErr); err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	file, err := f.OSFS.OpenAppend(name)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, fs: f}, nil
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if err := f.fault(newpath, &f.renameErr); err != nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: err}
	}
	return f.OSFS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	if err := f.fault(dir+string(filepath.Separator), &f.syncDirErr); err != nil {
		return err
	}
	return f.OSFS.SyncDir(dir)
}

type faultFile struct {
	File
	fs *faultFS
}

func (ff *faultFile) Write(p []byte) (int, error) {
	if err := ff.fs.fault(ff.Name(), &ff.fs.writeErr); err != nil {
		n, _ := ff.File.Write(p[:len(p)/2])
		return n, &fs.PathError{Op: "write", Path: ff.Name(), Err: err}
	}
	return ff.File.Write(p)
}

func (ff *faultFile) Sync() error {
	if err := ff.fs.fault(ff.Name(), &ff.fs.syncErr); err != nil {
		return &fs.PathError{Op: "sync", Path: ff.Name(), Err: err}
	}
	return ff.File.Sync()
}

// allFiles lists every file under dir, relative, sorted.
func allFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	for _, f := range allFiles(t, dir) {
		if strings.Contains(f, tempMarker) {
			t.Errorf("temporary file left behind: %s", f)
		}
	}
}

func TestWriteFileAtomic_FailuresLeaveOldFile(t *testing.T) {
	tests := []struct {
		name    string
		inject  func(*faultFS)
		wantErr error
	}{
		{"disk full on write", func(f *faultFS) { f.writeErr = syscall.ENOSPC }, syscall.ENOSPC},
		{"fsync fails", func(f *faultFS) { f.syncErr = syscall.EIO }, syscall.EIO},
		{"rename fails", func(f *faultFS) { f.renameErr = syscall.EACCES }, syscall.EACCES},
		{"cannot create temp file", func(f *faultFS) { f.createErr = syscall.ENOSPC }, syscall.ENOSPC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "doc.json")
			old := []byte(`{"old":true}`)
			if err := os.WriteFile(path, old, 0o600); err != nil {
				t.Fatal(err)
			}
			fsys := &faultFS{}
			tt.inject(fsys)
			err := WriteFileAtomic(fsys, path, bytes.Repeat([]byte("new "), 10000))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("WriteFileAtomic error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, old) {
				t.Errorf("old file changed to %.40q", got)
			}
			if files := allFiles(t, dir); !slices.Equal(files, []string{"doc.json"}) {
				t.Errorf("files after failure = %q", files)
			}
		})
	}
}

func TestWriteFileAtomic_DirSyncFailureIsReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.json")
	fsys := &faultFS{syncDirErr: syscall.EIO}
	err := WriteFileAtomic(fsys, path, []byte("new"))
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("error = %v, want EIO", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("content = %q; the rename happened, so the new version is in place", got)
	}
	noTempFiles(t, dir)
}

func TestWriteFileAtomic_ReplacesAndCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.json")
	for _, content := range []string{"first", "second, longer", ""} {
		if err := WriteFileAtomic(nil, path, []byte(content)); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("content = %q, want %q", got, content)
		}
	}
	if files := allFiles(t, dir); !slices.Equal(files, []string{"doc.json"}) {
		t.Errorf("files = %q", files)
	}
}
