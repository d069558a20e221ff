package documents

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReopen_LastThenNewestThenNew(t *testing.T) {
	dir := t.TempDir()
	lib, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}

	first, err := lib.Reopen()
	if err != nil || first.ID == "" || len(first.Fragments) != 0 {
		t.Fatalf("empty library: got %+v, %v; want a new empty document", first, err)
	}
	again, err := lib.Reopen()
	if err != nil || again.ID != first.ID {
		t.Fatalf("second start: got %q, %v; want the same document %q", again.ID, err, first.ID)
	}

	other, err := lib.Create("other")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.OpenDocument(other.ID); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := reopened.Reopen()
	if err != nil || got.ID != other.ID {
		t.Fatalf("after opening %q and restarting: got %q, %v", other.ID, got.ID, err)
	}

	// The last opened file is corrupt: fall back to another document.
	if err := os.WriteFile(filepath.Join(dir, other.ID+".json"), []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err = reopened.Reopen()
	if err != nil || got.ID != first.ID {
		t.Fatalf("last opened corrupt: got %q, %v; want %q", got.ID, err, first.ID)
	}
}
