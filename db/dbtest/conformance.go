package dbtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
)

// Options tunes the conformance suite to an implementation.
type Options struct {
	// ManyKeys is the number of keys of the paging test; it should exceed the
	// implementation's page size (S3: 1000). Zero means 1100 (250 under -short).
	ManyKeys int
	// LargeSize is the size of the large-object test; on S3 it should exceed the part size
	// so the put is a multipart upload. Zero means 11 MiB.
	LargeSize int
	// NoConditionalMultipart marks a server that ignores conditions on multipart uploads
	// (gofakes3): the suite then checks only that such a put succeeds.
	NoConditionalMultipart bool
}

// TestFS runs the FS conformance suite. newFS returns a fresh, empty FS for each subtest.
func TestFS(t *testing.T, newFS func(t *testing.T) db.FS, opt Options) {
	if opt.ManyKeys == 0 {
		opt.ManyKeys = 1100
		if testing.Short() {
			opt.ManyKeys = 250
		}
	}
	if opt.LargeSize == 0 {
		opt.LargeSize = 11 << 20
	}
	tests := []struct {
		name string
		fn   func(t *testing.T, f db.FS, opt Options)
	}{
		{"PutStatOpen", testPutStatOpen},
		{"ETagIsContent", testETagIsContent},
		{"Missing", testMissing},
		{"ListOrder", testListOrder},
		{"ListPrefixStartAfter", testListPrefixStartAfter},
		{"ListStop", testListStop},
		{"ListPaging", testListPaging},
		{"ReadRange", testReadRange},
		{"ETagPinning", testETagPinning},
		{"IfAbsent", testIfAbsent},
		{"IfAbsentConcurrent", testIfAbsentConcurrent},
		{"IfMatch", testIfMatch},
		{"IfMatchConcurrent", testIfMatchConcurrent},
		{"Delete", testDelete},
		{"BadPaths", testBadPaths},
		{"LargePut", testLargePut},
		{"Canceled", testCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newFS(t), opt) })
	}
}

func put(t *testing.T, f db.FS, p string, data []byte) string {
	t.Helper()
	etag, err := f.Put(context.Background(), p, bytes.NewReader(data), db.Always)
	if err != nil {
		t.Fatalf("put %s: %v", p, err)
	}
	return etag
}

// readAll reads the whole object through Open and checks the FileInfo it returns.
func readAll(t *testing.T, f db.FS, p string) ([]byte, db.FileInfo) {
	t.Helper()
	rc, info, err := f.Open(context.Background(), p)
	if err != nil {
		t.Fatalf("open %s: %v", p, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", p, err)
	}
	return data, info
}

func readRange(f db.FS, p, etag string, off, n int64) ([]byte, error) {
	rc, err := f.ReadRange(context.Background(), p, etag, off, n)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func listAll(t *testing.T, f db.FS, prefix, after string) []db.FileInfo {
	t.Helper()
	var out []db.FileInfo
	err := f.List(context.Background(), prefix, after, func(fi db.FileInfo) error {
		out = append(out, fi)
		return nil
	})
	if err != nil {
		t.Fatalf("list %q after %q: %v", prefix, after, err)
	}
	return out
}

func paths(infos []db.FileInfo) []string {
	out := make([]string, len(infos))
	for i := range infos {
		out[i] = infos[i].Path
	}
	return out
}

func testPutStatOpen(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	data := []byte("hello, object\n")
	before := time.Now().Add(-10 * time.Minute)
	etag := put(t, f, "a/b/c.json", data)
	if len(etag) < 3 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		t.Errorf("ETag %s is not quoted", etag)
	}
	info, err := f.Stat(ctx, "a/b/c.json")
	if err != nil {
		t.Fatal(err)
	}
	if info.Path != "a/b/c.json" || info.Size != int64(len(data)) || info.ETag != etag {
		t.Errorf("stat = %+v, want size %d etag %s", info, len(data), etag)
	}
	if info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(10*time.Minute)) {
		t.Errorf("ModTime %v is not about now", info.ModTime)
	}
	got, oinfo := readAll(t, f, "a/b/c.json")
	if !bytes.Equal(got, data) {
		t.Errorf("open read %q, want %q", got, data)
	}
	if oinfo.ETag != etag || oinfo.Size != int64(len(data)) {
		t.Errorf("open info = %+v, want etag %s", oinfo, etag)
	}
	// Overwrite: new content, new ETag.
	etag2 := put(t, f, "a/b/c.json", []byte("other"))
	if etag2 == etag {
		t.Errorf("overwrite kept ETag %s", etag)
	}
	if got, _ := readAll(t, f, "a/b/c.json"); string(got) != "other" {
		t.Errorf("after overwrite read %q", got)
	}
	// Empty object.
	put(t, f, "empty", nil)
	if got, info := readAll(t, f, "empty"); len(got) != 0 || info.Size != 0 {
		t.Errorf("empty object: %d bytes, size %d", len(got), info.Size)
	}
}

func testETagIsContent(t *testing.T, f db.FS, _ Options) {
	e1 := put(t, f, "x/one", []byte("same bytes"))
	e2 := put(t, f, "y/two", []byte("same bytes"))
	e3 := put(t, f, "x/three", []byte("other bytes"))
	if e1 != e2 {
		t.Errorf("same content, different ETags %s %s", e1, e2)
	}
	if e1 == e3 {
		t.Errorf("different content, same ETag %s", e1)
	}
	for _, fi := range listAll(t, f, "", "") {
		want := map[string]string{"x/one": e1, "y/two": e2, "x/three": e3}[fi.Path]
		if fi.ETag != want {
			t.Errorf("list %s: ETag %s, want %s", fi.Path, fi.ETag, want)
		}
	}
}

func testMissing(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	put(t, f, "dir/present", []byte("x"))
	for _, p := range []string{"absent", "dir/absent", "dir/present/below", "dir"} {
		if _, err := f.Stat(ctx, p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stat %s: %v, want ErrNotExist", p, err)
		}
		if _, _, err := f.Open(ctx, p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("open %s: %v, want ErrNotExist", p, err)
		}
		if _, err := readRange(f, p, `"x"`, 0, 1); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("read range %s: %v, want ErrNotExist", p, err)
		}
	}
	if _, err := f.Stat(ctx, "absent"); err == nil || !strings.Contains(err.Error(), "absent") {
		t.Errorf("error %v does not name the path", err)
	}
	if got := listAll(t, f, "nothing/", ""); len(got) != 0 {
		t.Errorf("list of an absent prefix: %v", paths(got))
	}
}

// orderKeys are keys whose lexical order differs from a naive directory walk: '-' and '.'
// sort before '/', and "a0" after "a/".
var orderKeys = []string{
	"a", "a-b", "a.txt", "a/b", "a/b-c", "a/b/c", "a/b0", "a0", "ab", "b/x/y/z", "b/x/y0", "ba",
	"c/é", "c/z", "c/~", "db/t/index", "db/t/packed-1", "db/t/packed-2", "db/t2/index",
}

func putKeys(t *testing.T, f db.FS, keys []string) {
	t.Helper()
	for _, k := range keys {
		// A local directory cannot hold a file "a" beside "a/b": skip the keys that
		// collide with a directory on such an FS.
		if _, err := f.Put(context.Background(), k, strings.NewReader("v:"+k), db.Always); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
}

// nonColliding drops the keys that are also directories of other keys ("a" when "a/b"
// exists), which a local directory cannot hold.
func nonColliding(keys []string) []string {
	var out []string
	for _, k := range keys {
		dir := false
		for _, o := range keys {
			if strings.HasPrefix(o, k+"/") {
				dir = true
				break
			}
		}
		if !dir {
			out = append(out, k)
		}
	}
	return out
}

func testListOrder(t *testing.T, f db.FS, _ Options) {
	keys := slices.Sorted(slices.Values(nonColliding(orderKeys)))
	shuffled := slices.Clone(keys)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	putKeys(t, f, shuffled)
	got := listAll(t, f, "", "")
	if !slices.Equal(paths(got), keys) {
		t.Fatalf("list order\n got %q\nwant %q", paths(got), keys)
	}
	for _, fi := range got {
		if fi.Size != int64(len("v:"+fi.Path)) || fi.ETag == "" || fi.ModTime.IsZero() {
			t.Errorf("list entry %+v", fi)
		}
	}
}

func testListPrefixStartAfter(t *testing.T, f db.FS, _ Options) {
	keys := slices.Sorted(slices.Values(nonColliding(orderKeys)))
	putKeys(t, f, keys)
	filter := func(prefix, after string) []string {
		var out []string
		for _, k := range keys {
			if strings.HasPrefix(k, prefix) && k > after {
				out = append(out, k)
			}
		}
		return out
	}
	cases := []struct{ prefix, after string }{
		{"a", ""}, {"a/", ""}, {"a/b", ""}, {"a/b/", ""}, {"b/x/", ""}, {"db/t/", ""}, {"db/t", ""},
		{"db/t/p", ""}, {"zzz", ""}, {"c/", ""}, {"", "a/b"}, {"", "a/b/c"}, {"", "a/"}, {"", "a/b/"},
		{"", "a0"}, {"", "b"}, {"", "zzzz"}, {"a/", "a/b-c"}, {"db/", "db/t/index"},
		{"db/", "db/t/packed-1"}, {"db/t/", "a"}, {"db/t/", "db/t/zzz"}, {"", "c/é"}, {"b/", "b/x/y/"},
		{"", "\U0010FFFF"},
	}
	for _, c := range cases {
		got := paths(listAll(t, f, c.prefix, c.after))
		if want := filter(c.prefix, c.after); !slices.Equal(got, want) {
			t.Errorf("list prefix %q after %q\n got %q\nwant %q", c.prefix, c.after, got, want)
		}
	}
}

func testListStop(t *testing.T, f db.FS, _ Options) {
	putKeys(t, f, []string{"k/1", "k/2", "k/3"})
	stop := errors.New("stop here")
	n := 0
	err := f.List(context.Background(), "", "", func(db.FileInfo) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("list returned %v, want the callback's error unchanged", err)
	}
	if n != 2 {
		t.Errorf("callback ran %d times after stopping at 2", n)
	}
}

func testListPaging(t *testing.T, f db.FS, opt Options) {
	var keys []string
	for i := range opt.ManyKeys {
		// Spread over directories so both flat and nested listing page.
		keys = append(keys, fmt.Sprintf("many/d%d/k%05d", i%3, i))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Go(func() {
			for i := w; i < len(keys); i += 8 {
				if _, err := f.Put(context.Background(), keys[i], strings.NewReader(keys[i]), db.Always); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	slices.Sort(keys)
	if got := paths(listAll(t, f, "many/", "")); !slices.Equal(got, keys) {
		t.Fatalf("listed %d keys, want %d (first difference at %d)", len(got), len(keys), firstDiff(got, keys))
	}
	mid := keys[len(keys)/2]
	if got := paths(listAll(t, f, "many/", mid)); !slices.Equal(got, keys[len(keys)/2+1:]) {
		t.Errorf("list after %s: %d keys, want %d", mid, len(got), len(keys)-len(keys)/2-1)
	}
	if got := paths(listAll(t, f, "many/d1/", "")); len(got) != (opt.ManyKeys+1)/3 {
		t.Errorf("list many/d1/: %d keys, want %d", len(got), (opt.ManyKeys+1)/3)
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func testReadRange(t *testing.T, f db.FS, _ Options) {
	data := []byte("0123456789abcdefghij")
	etag := put(t, f, "r", data)
	size := int64(len(data))
	cases := []struct {
		off, n int64
		want   string
		err    error
	}{
		{0, 5, "01234", nil},
		{5, 5, "56789", nil},
		{0, -1, string(data), nil},
		{15, -1, "fghij", nil},
		{15, 100, "fghij", nil},
		{19, 1, "j", nil},
		{0, size, string(data), nil},
		{3, 0, "", nil},
		{size, 1, "", db.ErrBadRange},
		{size + 5, -1, "", db.ErrBadRange},
		{-1, 2, "", db.ErrBadRange},
	}
	for _, c := range cases {
		got, err := readRange(f, "r", etag, c.off, c.n)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("range (%d, %d): err %v, want %v", c.off, c.n, err, c.err)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("range (%d, %d) = %q, %v; want %q", c.off, c.n, got, err, c.want)
		}
	}
	eetag := put(t, f, "empty", nil)
	if _, err := readRange(f, "empty", eetag, 0, -1); !errors.Is(err, db.ErrBadRange) {
		t.Errorf("range of an empty object: %v, want ErrBadRange", err)
	}
}

func testETagPinning(t *testing.T, f db.FS, _ Options) {
	old := put(t, f, "blob", []byte("version one"))
	cur := put(t, f, "blob", []byte("version two!"))
	for _, n := range []int64{4, -1, 0} {
		if _, err := readRange(f, "blob", old, 0, n); !errors.Is(err, db.ErrETagChanged) {
			t.Errorf("read n=%d with the old ETag: %v, want ErrETagChanged", n, err)
		}
	}
	if got, err := readRange(f, "blob", cur, 8, -1); err != nil || string(got) != "two!" {
		t.Errorf("read with the current ETag = %q, %v", got, err)
	}
	// A reader opened before an overwrite keeps returning the pinned version's bytes, or
	// fails; it never mixes versions.
	rc, err := f.ReadRange(context.Background(), "blob", cur, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	first := make([]byte, 4)
	if _, err := io.ReadFull(rc, first); err != nil {
		t.Fatal(err)
	}
	put(t, f, "blob", []byte("VERSION THREE"))
	rest, err := io.ReadAll(rc)
	if err == nil && string(first)+string(rest) != "version two!" {
		t.Errorf("reader across an overwrite returned %q", string(first)+string(rest))
	}
}

func testIfAbsent(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	etag, err := f.Put(ctx, "idx", strings.NewReader("first"), db.IfAbsent)
	if err != nil {
		t.Fatalf("if-absent on a new key: %v", err)
	}
	_, err = f.Put(ctx, "idx", strings.NewReader("second"), db.IfAbsent)
	if !errors.Is(err, db.ErrPrecondition) {
		t.Fatalf("if-absent on an existing key: %v, want ErrPrecondition", err)
	}
	if got, info := readAll(t, f, "idx"); string(got) != "first" || info.ETag != etag {
		t.Errorf("after a failed if-absent: %q %s", got, info.ETag)
	}
}

// race runs n puts of distinct content to one key at once and returns which succeeded.
func race(t *testing.T, f db.FS, p string, n int, cond func(i int) db.Cond) []bool {
	t.Helper()
	won := make([]bool, n)
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = f.Put(context.Background(), p, strings.NewReader(fmt.Sprintf("writer %d", i)), cond(i))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		switch {
		case err == nil:
			won[i] = true
		case !errors.Is(err, db.ErrPrecondition):
			t.Errorf("writer %d: %v, want success or ErrPrecondition", i, err)
		}
	}
	return won
}

func winner(t *testing.T, won []bool) int {
	t.Helper()
	w := -1
	for i, ok := range won {
		if ok {
			if w >= 0 {
				t.Fatalf("writers %d and %d both succeeded", w, i)
			}
			w = i
		}
	}
	if w < 0 {
		t.Fatal("no writer succeeded")
	}
	return w
}

func testIfAbsentConcurrent(t *testing.T, f db.FS, _ Options) {
	for round := range 3 {
		p := fmt.Sprintf("race/%d", round)
		w := winner(t, race(t, f, p, 8, func(int) db.Cond { return db.IfAbsent }))
		if got, _ := readAll(t, f, p); string(got) != fmt.Sprintf("writer %d", w) {
			t.Errorf("object holds %q, winner was %d", got, w)
		}
	}
}

func testIfMatch(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	e1 := put(t, f, "m", []byte("one"))
	e2, err := f.Put(ctx, "m", strings.NewReader("two"), db.IfMatch(e1))
	if err != nil {
		t.Fatalf("if-match with the current ETag: %v", err)
	}
	if _, err := f.Put(ctx, "m", strings.NewReader("three"), db.IfMatch(e1)); !errors.Is(err, db.ErrPrecondition) {
		t.Errorf("if-match with a stale ETag: %v, want ErrPrecondition", err)
	}
	if got, info := readAll(t, f, "m"); string(got) != "two" || info.ETag != e2 {
		t.Errorf("after a failed if-match: %q %s, want two %s", got, info.ETag, e2)
	}
	if _, err := f.Put(ctx, "absent", strings.NewReader("x"), db.IfMatch(e2)); !errors.Is(err, db.ErrPrecondition) {
		t.Errorf("if-match on an absent object: %v, want ErrPrecondition", err)
	}
	if _, err := f.Stat(ctx, "absent"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed if-match created the object: %v", err)
	}
}

func testIfMatchConcurrent(t *testing.T, f db.FS, _ Options) {
	etag := put(t, f, "cas", []byte("base"))
	w := winner(t, race(t, f, "cas", 8, func(int) db.Cond { return db.IfMatch(etag) }))
	if got, _ := readAll(t, f, "cas"); string(got) != fmt.Sprintf("writer %d", w) {
		t.Errorf("object holds %q, winner was %d", got, w)
	}
}

func testDelete(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	put(t, f, "d/x", []byte("x"))
	put(t, f, "d/y", []byte("y"))
	if err := f.Delete(ctx, "d/x"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stat(ctx, "d/x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stat after delete: %v", err)
	}
	if got := paths(listAll(t, f, "", "")); !slices.Equal(got, []string{"d/y"}) {
		t.Errorf("list after delete: %q", got)
	}
	if err := f.Delete(ctx, "d/x"); err != nil {
		t.Errorf("delete of an absent object: %v", err)
	}
	if err := f.Delete(ctx, "never/was"); err != nil {
		t.Errorf("delete of an absent object: %v", err)
	}
	// Recreate after delete.
	if _, err := f.Put(ctx, "d/x", strings.NewReader("again"), db.IfAbsent); err != nil {
		t.Errorf("if-absent after delete: %v", err)
	}
}

// BadPaths are keys every FS refuses with ErrBadPath.
var BadPaths = []string{
	"", "/abs", "a//b", "a/", "../up", "a/../b", "a/./b", ".", "..", "a/..", "nul\x00byte",
	"bad\xffutf8", ".sneller-tmp-x", "a/.sneller-lock", strings.Repeat("k", db.MaxPathLen+1),
}

func testBadPaths(t *testing.T, f db.FS, _ Options) {
	ctx := context.Background()
	for _, p := range BadPaths {
		check := func(op string, err error) {
			t.Helper()
			if !errors.Is(err, db.ErrBadPath) {
				t.Errorf("%s %q: %v, want ErrBadPath", op, p, err)
			}
		}
		_, err := f.Stat(ctx, p)
		check("stat", err)
		_, _, err = f.Open(ctx, p)
		check("open", err)
		_, err = f.ReadRange(ctx, p, `"x"`, 0, 1)
		check("read range", err)
		_, err = f.Put(ctx, p, strings.NewReader("x"), db.Always)
		check("put", err)
		check("delete", f.Delete(ctx, p))
	}
	for _, prefix := range []string{"/abs", "a//", "../", "a/../", "x\x00"} {
		err := f.List(ctx, prefix, "", func(db.FileInfo) error { return nil })
		if !errors.Is(err, db.ErrBadPath) {
			t.Errorf("list %q: %v, want ErrBadPath", prefix, err)
		}
	}
	if got := listAll(t, f, "", ""); len(got) != 0 {
		t.Errorf("bad puts left objects: %q", paths(got))
	}
}

// patternReader produces n pseudo-random bytes without being an io.Seeker or having a Len, so
// the FS cannot learn the size in advance.
type patternReader struct {
	rng *rand.ChaCha8
	n   int
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.n == 0 {
		return 0, io.EOF
	}
	b = b[:min(len(b), p.n, 100_003)]
	p.rng.Read(b)
	p.n -= len(b)
	return len(b), nil
}

func testLargePut(t *testing.T, f db.FS, opt Options) {
	ctx := context.Background()
	seed := [32]byte{1, 2, 3}
	want := make([]byte, opt.LargeSize)
	rand.NewChaCha8(seed).Read(want)
	etag, err := f.Put(ctx, "big/blob", &patternReader{rng: rand.NewChaCha8(seed), n: opt.LargeSize}, db.Always)
	if err != nil {
		t.Fatal(err)
	}
	got, info := readAll(t, f, "big/blob")
	if info.Size != int64(opt.LargeSize) || info.ETag != etag {
		t.Errorf("large object info %+v, want size %d etag %s", info, opt.LargeSize, etag)
	}
	if sha256.Sum256(got) != sha256.Sum256(want) {
		t.Fatalf("large object content differs (%d bytes read)", len(got))
	}
	// Ranges across what are part boundaries on S3 (5 MiB multiples).
	for _, off := range []int64{0, 5<<20 - 3, int64(opt.LargeSize) - 10} {
		r, err := readRange(f, "big/blob", etag, off, 7)
		if err != nil || !bytes.Equal(r, want[off:min(off+7, int64(len(want)))]) {
			t.Errorf("range at %d: %v", off, err)
		}
	}
	// A conditional large put.
	_, err = f.Put(ctx, "big/blob", &patternReader{rng: rand.NewChaCha8(seed), n: opt.LargeSize}, db.IfAbsent)
	if opt.NoConditionalMultipart {
		if err != nil {
			t.Errorf("if-absent multipart put on a server without conditions: %v", err)
		}
	} else if !errors.Is(err, db.ErrPrecondition) {
		t.Errorf("if-absent large put over an existing object: %v, want ErrPrecondition", err)
	}
	_, err = f.Put(ctx, "big/new", &patternReader{rng: rand.NewChaCha8(seed), n: opt.LargeSize}, db.IfAbsent)
	if err != nil {
		t.Errorf("if-absent large put of a new object: %v", err)
	}
}

func testCanceled(t *testing.T, f db.FS, _ Options) {
	etag := put(t, f, "c", []byte("content"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: %v, want context.Canceled", op, err)
		}
	}
	_, err := f.Stat(ctx, "c")
	check("stat", err)
	_, _, err = f.Open(ctx, "c")
	check("open", err)
	_, err = f.ReadRange(ctx, "c", etag, 0, 2)
	check("read range", err)
	_, err = f.Put(ctx, "c2", strings.NewReader("x"), db.Always)
	check("put", err)
	check("list", f.List(ctx, "", "", func(db.FileInfo) error { return nil }))
	check("delete", f.Delete(ctx, "c"))
	if _, err := f.Stat(context.Background(), "c2"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a canceled put created the object: %v", err)
	}
}
