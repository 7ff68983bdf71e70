package db_test

import (
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/db/dbtest"
)

func newDirFS(t testing.TB) *db.DirFS {
	t.Helper()
	d, err := db.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestDirFSConformance(t *testing.T) {
	dbtest.TestFS(t, func(t *testing.T) db.FS { return newDirFS(t) }, dbtest.Options{})
}
