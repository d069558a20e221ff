package appsettings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStore_DefaultsPersistAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil || s.Get().KeepServing {
		t.Fatalf("fresh: %+v, %v; want defaults", s.Get(), err)
	}
	if err := s.Set(Settings{KeepServing: true}); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil || !again.Get().KeepServing {
		t.Fatalf("reopened: %+v, %v", again.Get(), err)
	}

	os.WriteFile(filepath.Join(dir, FileName), []byte("{nope"), 0o600)
	broken, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), FileName) {
		t.Fatalf("corrupt file: err %v, want one naming %s", err, FileName)
	}
	if broken.Get().KeepServing {
		t.Fatal("corrupt file: want defaults")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, FileName+".corrupt-*"))
	if len(matches) != 1 {
		t.Fatalf("corrupt file not kept aside: %v", matches)
	}
	if err := broken.Set(Settings{KeepServing: true}); err != nil {
		t.Fatal(err)
	}
}
