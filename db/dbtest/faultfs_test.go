package dbtest_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/db/dbtest"
)

func newDir(t *testing.T) *db.DirFS {
	d, err := db.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestFaultFSConformance: with no faults, a FaultFS is an FS like any other.
func TestFaultFSConformance(t *testing.T) {
	dbtest.TestFS(t, func(t *testing.T) db.FS { return dbtest.NewFaultFS(newDir(t)) }, dbtest.Options{ManyKeys: 50})
}

func TestFaultFSFailAtNthWrite(t *testing.T) {
	ctx := context.Background()
	d := newDir(t)
	boom := errors.New("disk full")
	f := dbtest.NewFaultFS(d, dbtest.Fault{N: 3, Err: boom})
	for i, k := range []string{"a", "b", "c", "d"} {
		_, err := f.Put(ctx, k, strings.NewReader(k), db.Always)
		if i == 2 {
			if !errors.Is(err, boom) {
				t.Errorf("third put: %v, want the injected error", err)
			}
		} else if err != nil {
			t.Errorf("put %s: %v", k, err)
		}
	}
	if _, err := d.Stat(ctx, "c"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed put (before) took effect: %v", err)
	}
	if _, err := d.Stat(ctx, "d"); err != nil {
		t.Errorf("a put after a plain failure: %v", err)
	}
	if f.Killed() || f.Count(dbtest.OpPut) != 4 {
		t.Errorf("killed %v, %d puts", f.Killed(), f.Count(dbtest.OpPut))
	}
}

func TestFaultFSKill(t *testing.T) {
	ctx := context.Background()
	d := newDir(t)
	f := dbtest.NewFaultFS(d, dbtest.Fault{Ops: dbtest.OpPut, Path: "db/*/*/index", Kill: true, After: true})
	if _, err := f.Put(ctx, "db/x/t/packed-1", strings.NewReader("blob"), db.Always); err != nil {
		t.Fatal(err)
	}
	_, err := f.Put(ctx, "db/x/t/index", strings.NewReader("idx"), db.Always)
	if !errors.Is(err, dbtest.ErrKilled) || !f.Killed() {
		t.Fatalf("index put: %v, want ErrKilled", err)
	}
	// After: the write reached storage although the caller saw the kill.
	if _, err := d.Stat(ctx, "db/x/t/index"); err != nil {
		t.Errorf("the index put (after) did not take effect: %v", err)
	}
	// Every later call fails, reads included.
	if _, err := f.Stat(ctx, "db/x/t/packed-1"); !errors.Is(err, dbtest.ErrKilled) {
		t.Errorf("stat after kill: %v", err)
	}
	if err := f.Delete(ctx, "db/x/t/packed-1"); !errors.Is(err, dbtest.ErrKilled) {
		t.Errorf("delete after kill: %v", err)
	}
	if err := f.List(ctx, "", "", func(db.FileInfo) error { return nil }); !errors.Is(err, dbtest.ErrKilled) {
		t.Errorf("list after kill: %v", err)
	}
	if _, err := d.Stat(ctx, "db/x/t/packed-1"); err != nil {
		t.Errorf("a refused delete took effect: %v", err)
	}
	calls := f.Calls()
	if len(calls) != 5 || calls[1].Op != dbtest.OpPut || calls[1].Path != "db/x/t/index" || !errors.Is(calls[1].Err, dbtest.ErrKilled) {
		t.Errorf("calls %+v", calls)
	}
}

func TestFaultFSKillBefore(t *testing.T) {
	ctx := context.Background()
	d := newDir(t)
	f := dbtest.NewFaultFS(d, dbtest.Fault{Ops: dbtest.OpDelete, N: 2, Kill: true})
	for _, k := range []string{"a", "b"} {
		d.Put(ctx, k, strings.NewReader(k), db.Always)
	}
	if err := f.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := f.Delete(ctx, "b"); !errors.Is(err, dbtest.ErrKilled) {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := d.Stat(ctx, "b"); err != nil {
		t.Errorf("the killed delete (before) took effect: %v", err)
	}
}

func TestFaultFSResolveSharesFate(t *testing.T) {
	ctx := context.Background()
	root := newDir(t)
	other := newDir(t)
	f := dbtest.NewFaultFS(root, dbtest.Fault{Ops: dbtest.OpAll, N: 2, Kill: true})
	same, _, err := db.ResolvePattern(ctx, f, "file://in/*.json")
	if err != nil || same != db.FS(f) {
		t.Fatalf("resolve inside the root: %v %v", same, err)
	}
	src, _, err := db.ResolvePattern(ctx, f, "file://"+other.Dir()+"/x/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Stat(ctx, "x/a.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("first call: %v", err)
	}
	if _, err := f.Stat(ctx, "x"); !errors.Is(err, dbtest.ErrKilled) {
		t.Fatalf("second call (on the root): %v, want ErrKilled", err)
	}
	if _, err := src.Stat(ctx, "x/a.json"); !errors.Is(err, dbtest.ErrKilled) {
		t.Errorf("the resolved FS outlived the kill: %v", err)
	}
}

func TestOpString(t *testing.T) {
	if s := (dbtest.OpPut | dbtest.OpList).String(); s != "list|put" {
		t.Errorf("%q", s)
	}
}
