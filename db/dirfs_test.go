package db_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

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
	// A directory has no pages: a few hundred keys exercise nested listing without
	// spending seconds in fsync.
	dbtest.TestFS(t, func(t *testing.T) db.FS { return newDirFS(t) }, dbtest.Options{ManyKeys: 300})
}

// TestDirFSTempFilesHidden: a writer killed mid-put leaves a temporary file that is never
// listed or addressable, and RemoveTemp cleans it up once old.
func TestDirFSTempFilesHidden(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	if _, err := d.Put(ctx, "t/a", strings.NewReader("a"), db.Always); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(d.Dir(), "t", ".sneller-tmp-deadbeef")
	if err := os.WriteFile(stale, []byte("half a blo"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	d.List(ctx, "", "", func(fi db.FileInfo) error { got = append(got, fi.Path); return nil })
	if !slices.Equal(got, []string{"t/a"}) {
		t.Errorf("listed %q", got)
	}
	if n, err := d.RemoveTemp(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("remove young temp files: %d %v", n, err)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stale, old, old)
	if n, err := d.RemoveTemp(ctx, time.Hour); err != nil || n != 1 {
		t.Errorf("remove old temp files: %d %v", n, err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale temp file still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(d.Dir(), "t", "a")); err != nil {
		t.Errorf("RemoveTemp removed an object: %v", err)
	}
}

// TestDirFSFailedPutLeavesNothing: a put whose reader fails leaves the old object and no
// temporary file.
func TestDirFSFailedPutLeavesNothing(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	etag, _ := d.Put(ctx, "x", strings.NewReader("old"), db.Always)
	boom := errors.New("reader broke")
	_, err := d.Put(ctx, "x", io.MultiReader(strings.NewReader("new content"), iotest.ErrReader(boom)), db.Always)
	if !errors.Is(err, boom) {
		t.Fatalf("put with a failing reader: %v", err)
	}
	if info, err := d.Stat(ctx, "x"); err != nil || info.ETag != etag {
		t.Errorf("old object changed: %+v %v", info, err)
	}
	ents, _ := os.ReadDir(d.Dir())
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".sneller-tmp-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestDirFSSymlinks: links inside the root are followed, links out of it never are.
func TestDirFSSymlinks(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	d.Put(ctx, "real/file", strings.NewReader("inside"), db.Always)
	os.Mkdir(filepath.Join(d.Dir(), "links"), 0o755)
	os.Symlink("../real/file", filepath.Join(d.Dir(), "links", "in"))
	os.Symlink(outside, filepath.Join(d.Dir(), "links", "out-abs"))
	os.Symlink("../../"+filepath.Base(filepath.Dir(outside))+"/secret", filepath.Join(d.Dir(), "links", "out-rel"))
	os.Symlink(filepath.Dir(outside), filepath.Join(d.Dir(), "links", "outdir"))
	var got []string
	err := d.List(ctx, "links/", "", func(fi db.FileInfo) error { got = append(got, fi.Path); return nil })
	if err != nil || !slices.Equal(got, []string{"links/in"}) {
		t.Errorf("listed %q, %v; want only the link inside the root", got, err)
	}
	if rc, _, err := d.Open(ctx, "links/in"); err != nil {
		t.Errorf("open a link inside: %v", err)
	} else {
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "inside" {
			t.Errorf("read %q", b)
		}
	}
	for _, p := range []string{"links/out-abs", "links/out-rel", "links/outdir/secret"} {
		if rc, _, err := d.Open(ctx, p); err == nil {
			b, _ := io.ReadAll(rc)
			rc.Close()
			t.Errorf("open %s escaped the root and read %q", p, b)
		}
	}
}

// TestDirFSExternalModification: a file rewritten in place by another program gets a new
// ETag although it keeps its size and inode.
func TestDirFSExternalModification(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	etag, _ := d.Put(ctx, "f", strings.NewReader("aaaa"), db.Always)
	f, err := os.OpenFile(filepath.Join(d.Dir(), "f"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("bbbb"), 0)
	f.Close()
	info, err := d.Stat(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	if info.ETag == etag {
		t.Errorf("ETag unchanged after an in-place rewrite")
	}
	if _, err := d.ReadRange(ctx, "f", etag, 0, 2); !errors.Is(err, db.ErrETagChanged) {
		t.Errorf("read with the old ETag: %v", err)
	}
}

// TestDirFSPutOverDirectory: a key that is a directory of other keys cannot be written.
func TestDirFSPutOverDirectory(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	d.Put(ctx, "a/b", strings.NewReader("x"), db.Always)
	if _, err := d.Put(ctx, "a", strings.NewReader("y"), db.Always); err == nil {
		t.Error("put over a directory succeeded")
	}
	if _, err := d.Put(ctx, "a/b/c", strings.NewReader("y"), db.Always); err == nil {
		t.Error("put below a file succeeded")
	}
}

// The helper process of TestDirFSCrossProcess: it increments a counter object n times with
// read-modify-write under IfMatch, and races IfAbsent puts on a set of keys.
const helperEnv = "SNELLER_DIRFS_HELPER"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		os.Exit(dirfsHelper(dir))
	}
	if spec := os.Getenv(rootHelperEnv); spec != "" {
		os.Exit(rootHelper(spec))
	}
	os.Exit(m.Run())
}

func dirfsHelper(dir string) int {
	ctx := context.Background()
	d, err := db.OpenDir(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	id := os.Getenv(helperEnv + "_ID")
	won := 0
	for k := range 20 {
		_, err := d.Put(ctx, fmt.Sprintf("claims/%d", k), strings.NewReader(id), db.IfAbsent)
		switch {
		case err == nil:
			won++
		case !errors.Is(err, db.ErrPrecondition):
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	for range 25 {
		for {
			data, info, err := db.ReadFile(ctx, d, "counter", 100)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			n, _ := strconv.Atoi(string(data))
			_, err = d.Put(ctx, "counter", strings.NewReader(strconv.Itoa(n+1)), db.IfMatch(info.ETag))
			if err == nil {
				break
			}
			if !errors.Is(err, db.ErrPrecondition) {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	}
	fmt.Println(won)
	return 0
}

// TestDirFSCrossProcess: conditional puts are atomic between processes: concurrent
// read-modify-write increments lose no update, and every if-absent key has one winner.
func TestDirFSCrossProcess(t *testing.T) {
	ctx := context.Background()
	d := newDirFS(t)
	if _, err := d.Put(ctx, "counter", strings.NewReader("0"), db.Always); err != nil {
		t.Fatal(err)
	}
	const procs = 4
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for i := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+d.Dir(), fmt.Sprintf("%s_ID=p%d", helperEnv, i))
		out := &strings.Builder{}
		cmd.Stdout = out
		cmd.Stderr = out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		outs = append(outs, out)
	}
	won := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v\n%s", i, err, outs[i])
		}
		n, err := strconv.Atoi(strings.TrimSpace(outs[i].String()))
		if err != nil {
			t.Fatalf("helper %d output %q", i, outs[i])
		}
		won += n
	}
	if won != 20 {
		t.Errorf("%d if-absent wins over 20 keys, want exactly 20", won)
	}
	data, _, err := db.ReadFile(ctx, d, "counter", 100)
	if err != nil || string(data) != strconv.Itoa(procs*25) {
		t.Errorf("counter %q, %v; want %d (lost updates)", data, err, procs*25)
	}
}

func BenchmarkDirFSList(b *testing.B) {
	ctx := context.Background()
	d := newDirFS(b)
	const files = 5000
	content := []byte(strings.Repeat("x", 512))
	for i := range files {
		if _, err := d.Put(ctx, fmt.Sprintf("db/d/t/p%d/packed-%05d", i%10, i), bytes.NewReader(content), db.Always); err != nil {
			b.Fatal(err)
		}
	}
	list := func(d *db.DirFS) {
		n := 0
		if err := d.List(ctx, "db/", "", func(db.FileInfo) error { n++; return nil }); err != nil || n != files {
			b.Fatalf("listed %d, %v", n, err)
		}
	}
	b.Run("cached", func(b *testing.B) {
		b.SetBytes(files * int64(len(content)))
		for b.Loop() {
			list(d)
		}
	})
	b.Run("cold", func(b *testing.B) {
		// A new process: every ETag is hashed.
		b.SetBytes(files * int64(len(content)))
		for b.Loop() {
			fresh, err := db.OpenDir(d.Dir())
			if err != nil {
				b.Fatal(err)
			}
			list(fresh)
			fresh.Close()
		}
	})
}

func benchReadRange(b *testing.B, f db.FS) {
	ctx := context.Background()
	blob := make([]byte, 8<<20)
	for i := range blob {
		blob[i] = byte(i * 7)
	}
	etag, err := f.Put(ctx, "blob", bytes.NewReader(blob), db.Always)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	for _, size := range []int{64 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			off := int64(0)
			for b.Loop() {
				rc, err := f.ReadRange(ctx, "blob", etag, off, int64(size))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(rc, buf[:size]); err != nil {
					b.Fatal(err)
				}
				rc.Close()
				off = (off + int64(size)) % int64(len(blob)-size)
			}
		})
	}
}

func BenchmarkDirFSReadRange(b *testing.B) { benchReadRange(b, newDirFS(b)) }
