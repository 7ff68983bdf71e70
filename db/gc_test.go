package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// listKeys returns the keys under prefix.
func listKeys(t *testing.T, fsys FS, prefix string) []string {
	t.Helper()
	var out []string
	err := fsys.List(context.Background(), prefix, "", func(fi FileInfo) error {
		out = append(out, fi.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGC(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	var all []string
	clock := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	for i := 0; i < 4; i++ {
		text := valueRows(2, i*10)
		putObject(t, root, fmt.Sprintf("sample_data/f%d.ndjson", i), text)
		all = append(all, text)
		mustSync(t, root, "d", "t", SyncOptions{CompactMin: 3, Now: now})
		clock = clock.Add(time.Minute)
	}
	// an orphan: a blob no index references (a crashed sync)
	orphan := "db/d/t/packed-ORPHAN.pack"
	putObject(t, root, orphan, "not even a blob")
	// not ours: other objects in the table directory are never touched
	putObject(t, root, "db/d/t/notes.txt", "keep")
	tb, err := OpenTable(ctx, root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Index().Dropped) == 0 {
		t.Fatal("compaction dropped nothing: the test needs dropped blobs")
	}
	live := map[string]bool{}
	for _, b := range tb.Blobs() {
		live[b.Path] = true
	}
	for _, s := range tb.Index().Inputs {
		live[s.Path] = true
	}
	before := listKeys(t, root, "db/d/t/")

	// within the grace period (dropped a minute ago, orphan just written) nothing goes
	r, err := GC(ctx, root, testIndexKey, "d", "t", GCOptions{Grace: time.Hour, Now: func() time.Time { return clock }})
	if err != nil || len(r.Deleted) != 0 || r.Waiting == 0 {
		t.Fatalf("gc in grace: %+v %v", r, err)
	}
	// far later: the dropped blobs, merged segments and the orphan go; live objects stay
	later := time.Now().Add(2 * time.Hour)
	r, err = GC(ctx, root, testIndexKey, "d", "t", GCOptions{Grace: time.Hour, Now: func() time.Time { return later }, DryRun: true})
	if err != nil || len(r.Deleted) == 0 {
		t.Fatalf("dry run: %+v %v", r, err)
	}
	if got := listKeys(t, root, "db/d/t/"); len(got) != len(before) {
		t.Fatal("a dry run deleted objects")
	}
	r, err = GC(ctx, root, testIndexKey, "d", "t", GCOptions{Grace: time.Hour, Now: func() time.Time { return later }})
	if err != nil {
		t.Fatal(err)
	}
	after := listKeys(t, root, "db/d/t/")
	for _, k := range after {
		if !live[k] && k != "db/d/t/index" && k != "db/d/t/definition.json" && k != "db/d/t/notes.txt" {
			t.Errorf("gc left %s", k)
		}
	}
	for k := range live {
		if _, err := root.Stat(ctx, k); err != nil {
			t.Errorf("gc deleted live %s: %v", k, err)
		}
	}
	if _, err := root.Stat(ctx, orphan); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("orphan kept: %v", err)
	}
	sort.Strings(r.Deleted)
	if len(r.Deleted) != len(before)-len(after) || r.Bytes <= 0 {
		t.Fatalf("deleted %v (%d bytes); %d -> %d objects", r.Deleted, r.Bytes, len(before), len(after))
	}
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, all...))
}

// TestGCRecentDrop keeps a blob the index dropped recently even though it was written long
// ago: readers of the previous index may still read it.
func TestGCRecentDrop(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	for i := 0; i < 2; i++ {
		putObject(t, root, fmt.Sprintf("sample_data/f%d.ndjson", i), valueRows(1, i))
		mustSync(t, root, "d", "t", SyncOptions{CompactMin: -1})
	}
	// age the blobs' files: written "two days ago"
	old := time.Now().Add(-48 * time.Hour)
	filepath.Walk(root.Dir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
	r := mustSync(t, root, "d", "t", SyncOptions{CompactMin: 2})
	if r.Compacted != 2 {
		t.Fatalf("compacted %d", r.Compacted)
	}
	g, err := GC(ctx, root, testIndexKey, "d", "t", GCOptions{})
	if err != nil || len(g.Deleted) != 0 {
		t.Fatalf("gc deleted recently dropped objects: %+v %v", g, err)
	}
}

// TestGCNoIndex: without an index nothing is referenced; a recent orphan (perhaps a blob a
// running sync is writing) waits for the grace period.
func TestGCNoIndex(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	putObject(t, root, "db/d/t/packed-X.pack", "x")
	rs, err := GCTables(ctx, root, testIndexKey, "d", "*", GCOptions{})
	if err != nil || len(rs) != 1 || len(rs[0].Deleted) != 0 || rs[0].Waiting != 1 {
		t.Fatalf("gc of a fresh orphan: %+v %v", rs, err)
	}
	rs, err = GCTables(ctx, root, testIndexKey, "d", "*", GCOptions{Now: func() time.Time { return time.Now().Add(time.Hour) }})
	if err != nil || len(rs) != 1 || len(rs[0].Deleted) != 1 {
		t.Fatalf("gc of an old orphan: %+v %v", rs[0], err)
	}
}

// TestSyncRefusesVanishedBlob: a sync whose new blob vanished before it published refuses to
// publish an index referencing it.
func TestSyncRefusesVanishedBlob(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	putObject(t, root, "sample_data/a.ndjson", valueRows(1, 0))
	vfs := &vanishFS{FS: root}
	_, err := Sync(ctx, vfs, testIndexKey, "d", "t", SyncOptions{})
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("sync published over a vanished blob: %v", err)
	}
	if _, err := root.Stat(ctx, "db/d/t/index"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("an index was published")
	}
}

// vanishFS deletes each new blob right after it is written, as a gc with too short a grace
// period would.
type vanishFS struct{ FS }

func (v *vanishFS) Put(ctx context.Context, p string, r io.Reader, cond Cond) (string, error) {
	etag, err := v.FS.Put(ctx, p, r, cond)
	if err == nil && filepath.Ext(p) == ".pack" {
		v.FS.Delete(ctx, p)
	}
	return etag, err
}

func (v *vanishFS) ResolvePattern(ctx context.Context, url string) (FS, *Pattern, error) {
	fsys, pat, err := ResolvePattern(ctx, v.FS, url)
	if fsys == v.FS {
		fsys = v
	}
	return fsys, pat, err
}
