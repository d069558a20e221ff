package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()

	t.Run("new file in new folders gets perm", func(t *testing.T) {
		path := filepath.Join(dir, "a", "b", "new.json")
		if err := Write(path, []byte("one"), 0o600); err != nil {
			t.Fatal(err)
		}
		assertFile(t, path, "one", 0o600)
	})

	t.Run("existing file keeps its mode", func(t *testing.T) {
		path := filepath.Join(dir, "shared.json")
		os.WriteFile(path, []byte("old"), 0o640)
		os.Chmod(path, 0o640)
		if err := Write(path, []byte("new"), 0o600); err != nil {
			t.Fatal(err)
		}
		assertFile(t, path, "new", 0o640)
	})

	t.Run("symlink target is replaced", func(t *testing.T) {
		target := filepath.Join(dir, "target.json")
		link := filepath.Join(dir, "link.json")
		os.WriteFile(target, []byte("old"), 0o600)
		if err := os.Symlink(target, link); err != nil {
			t.Skip("no symlinks here:", err)
		}
		if err := Write(link, []byte("through the link"), 0o600); err != nil {
			t.Fatal(err)
		}
		assertFile(t, target, "through the link", 0o600)
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Fatal("the symlink was replaced by a file")
		}
	})

	t.Run("failure leaves the old file and no temporary", func(t *testing.T) {
		path := filepath.Join(dir, "keep.json")
		os.WriteFile(path, []byte("old"), 0o600)
		// A folder where the file should go: the rename over it fails.
		busy := filepath.Join(dir, "busy")
		os.MkdirAll(filepath.Join(busy, "child"), 0o700)
		if err := Write(busy, []byte("x"), 0o600); err == nil {
			t.Fatal("writing over a non-empty folder succeeded")
		}
		assertFile(t, path, "old", 0o600)
		leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
		if len(leftovers) != 0 {
			t.Fatalf("temporary files left: %v", leftovers)
		}
	})
}

func assertFile(t *testing.T, path, content string, perm os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || string(data) != content {
		t.Fatalf("%s: %q, %v; want %q", path, data, err, content)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != perm {
		t.Fatalf("%s: mode %v, want %v", path, fi.Mode().Perm(), perm)
	}
}
