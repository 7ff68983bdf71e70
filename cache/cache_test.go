package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func key(i int) Key {
	return Key{Root: "file:///r", Path: "b", ETag: `"e"`, Off: int64(i) * 100, Len: 100}
}

func content(i int, n int) []byte {
	return bytes.Repeat([]byte{byte(i)}, n)
}

// filler counts fills per key.
type filler struct {
	mu    sync.Mutex
	calls map[Key]int
	size  int
}

func (f *filler) fill(k Key, i int) func(context.Context) ([]byte, error) {
	return func(context.Context) ([]byte, error) {
		f.mu.Lock()
		if f.calls == nil {
			f.calls = map[Key]int{}
		}
		f.calls[k]++
		f.mu.Unlock()
		return content(i, f.size), nil
	}
}

func (f *filler) count(k Key) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[k]
}

func get(t *testing.T, c *Cache, f *filler, i int) bool {
	t.Helper()
	b, hit, err := c.Get(context.Background(), key(i), f.fill(key(i), i))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, content(i, f.size)) {
		t.Fatalf("entry %d: wrong content", i)
	}
	return hit
}

func TestHitMiss(t *testing.T) {
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f := &filler{size: 1000}
	if get(t, c, f, 1) {
		t.Fatal("first get was a hit")
	}
	for i := 0; i < 3; i++ {
		if !get(t, c, f, 1) {
			t.Fatal("second get was a miss")
		}
	}
	if f.count(key(1)) != 1 {
		t.Fatalf("filled %d times", f.count(key(1)))
	}
	// keys differing in any field are different entries
	for _, k := range []Key{
		{Root: "file:///other", Path: "b", ETag: `"e"`, Off: 100, Len: 100},
		{Root: "file:///r", Path: "c", ETag: `"e"`, Off: 100, Len: 100},
		{Root: "file:///r", Path: "b", ETag: `"f"`, Off: 100, Len: 100},
		{Root: "file:///r", Path: "b", ETag: `"e"`, Off: 101, Len: 100},
		{Root: "file:///r", Path: "b", ETag: `"e"`, Off: 100, Len: 99},
	} {
		_, hit, err := c.Get(context.Background(), k, f.fill(k, 9))
		if err != nil || hit {
			t.Fatalf("%+v: hit %v err %v", k, hit, err)
		}
	}
	st := c.Stats()
	if st.Hits != 3 || st.Misses != 6 || st.Entries != 6 || st.Bytes != 6000 {
		t.Fatalf("stats %+v", st)
	}
	// the returned slice is the caller's: changing it does not change the entry
	b, _, _ := c.Get(context.Background(), key(1), f.fill(key(1), 1))
	b[0] = 0xff
	if !get(t, c, f, 1) {
		t.Fatal("miss")
	}
}

func TestLRUEviction(t *testing.T) {
	c, err := Open(t.TempDir(), 4000) // room for 4 entries of 1000 bytes; maxEntry 500 → raise
	if err != nil {
		t.Fatal(err)
	}
	c.maxEntry = 4000
	f := &filler{size: 1000}
	for i := 0; i < 4; i++ {
		get(t, c, f, i)
	}
	get(t, c, f, 0) // 0 is now the most recent; 1 the least
	get(t, c, f, 4) // evicts 1
	if st := c.Stats(); st.Entries != 4 || st.Bytes != 4000 || st.Evictions != 1 {
		t.Fatalf("stats %+v", st)
	}
	for _, i := range []int{0, 2, 3, 4} {
		if !get(t, c, f, i) {
			t.Errorf("entry %d was evicted", i)
		}
	}
	if get(t, c, f, 1) {
		t.Error("entry 1 (least recently used) was kept")
	}
	// the evicted entry's file is gone; exactly the live entries have files
	var files int
	filepath.WalkDir(c.Dir(), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files++
		}
		return nil
	})
	if files != 4 {
		t.Fatalf("%d files for 4 entries", files)
	}
}

func TestLargeEntryNotCached(t *testing.T) {
	c, err := Open(t.TempDir(), 8000)
	if err != nil {
		t.Fatal(err)
	}
	f := &filler{size: 1001} // more than limit/8
	get(t, c, f, 1)
	if get(t, c, f, 1) {
		t.Fatal("an entry above the per-entry bound was cached")
	}
	if c.Stats().Entries != 0 {
		t.Fatal(c.Stats())
	}
}

func TestConcurrentMissesShareOneFill(t *testing.T) {
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var fills atomic.Int64
	release := make(chan struct{})
	fill := func(context.Context) ([]byte, error) {
		fills.Add(1)
		<-release
		return []byte("shared"), nil
	}
	var wg sync.WaitGroup
	results := make([][]byte, 16)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b, _, err := c.Get(context.Background(), key(1), fill)
			if err != nil {
				t.Error(err)
			}
			results[i] = b
		}(i)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if fills.Load() != 1 {
		t.Fatalf("%d fills", fills.Load())
	}
	for _, r := range results {
		if string(r) != "shared" {
			t.Fatalf("result %q", r)
		}
	}
}

func TestFillErrorNotCached(t *testing.T) {
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	_, _, err = c.Get(context.Background(), key(1), func(context.Context) ([]byte, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	f := &filler{size: 10}
	if get(t, c, f, 1) {
		t.Fatal("a failed fill was cached")
	}
}

func TestWaiterRetriesWhenFetcherCancelled(t *testing.T) {
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	ctx1, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go func() {
		c.Get(ctx1, key(1), func(ctx context.Context) ([]byte, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		})
	}()
	<-started
	done := make(chan error)
	go func() {
		b, _, err := c.Get(context.Background(), key(1), func(context.Context) ([]byte, error) { return []byte("mine"), nil })
		if err == nil && string(b) != "mine" {
			err = fmt.Errorf("got %q", b)
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("waiter: %v", err)
	}
}

func TestDamagedEntryRefetched(t *testing.T) {
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	f := &filler{size: 100}
	get(t, c, f, 1)
	p := c.path(key(1).name())
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if get(t, c, f, 1) {
		t.Fatal("a damaged entry was served")
	}
	if f.count(key(1)) != 2 {
		t.Fatalf("%d fills", f.count(key(1)))
	}
	if !get(t, c, f, 1) {
		t.Fatal("not re-cached")
	}
	// a file deleted behind the cache's back is a miss, not an error
	os.Remove(c.path(key(1).name()))
	if get(t, c, f, 1) {
		t.Fatal("hit on a deleted file")
	}
}

func TestAdoptAndOnlyOwnFilesDeleted(t *testing.T) {
	dir := t.TempDir()
	// Files the cache did not create: beside it, in a shard-like directory, with near-miss
	// names. None may be deleted.
	foreign := []string{
		"README",
		"ab/notes.txt",
		"ab/" + string(bytes.Repeat([]byte("A"), 64)) + ".blk", // upper case: not ours
		"ab/" + string(bytes.Repeat([]byte("a"), 63)) + ".blk",
		"zz/" + string(bytes.Repeat([]byte("a"), 64)) + ".blk",
		"ab/.tmp-short",
		"other/dir/file",
	}
	for _, f := range foreign {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte("not the cache's"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// a stale temporary file of ours, left by a crash
	stale := filepath.Join(dir, "ab", tmpPrefix+"0123456789abcdef")
	os.WriteFile(stale, []byte("partial"), 0o600)

	c, err := Open(dir, 3000)
	if err != nil {
		t.Fatal(err)
	}
	c.maxEntry = 3000
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatal("stale temporary file kept")
	}
	f := &filler{size: 1000}
	for i := 0; i < 3; i++ {
		get(t, c, f, i)
		// distinct modification times, so that a reopen knows the order
		old := time.Now().Add(time.Duration(i-10) * time.Second)
		os.Chtimes(c.path(key(i).name()), old, old)
	}
	for i := 3; i < 10; i++ { // evictions
		get(t, c, f, i)
		old := time.Now().Add(time.Duration(i-10) * time.Second)
		os.Chtimes(c.path(key(i).name()), old, old)
	}
	// Reopen with a smaller limit: the entries are adopted, the oldest evicted.
	c2, err := Open(dir, 2000)
	if err != nil {
		t.Fatal(err)
	}
	c2.maxEntry = 2000
	st := c2.Stats()
	if st.Entries != 2 || st.Bytes != 2000 {
		t.Fatalf("adopted %+v", st)
	}
	hits := 0
	for i := 9; i >= 7; i-- { // newest first: a miss evicts the least recent
		if get(t, c2, &filler{size: 1000}, i) {
			hits++
		}
	}
	if hits != 2 {
		t.Fatalf("%d of the last 3 entries served after reopen, want the newest 2", hits)
	}
	for _, f := range foreign {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || string(b) != "not the cache's" {
			t.Errorf("foreign file %s: %v", f, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	if _, err := Open(t.TempDir(), 0); err == nil {
		t.Fatal("zero limit accepted")
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(filepath.Join(file, "sub"), 100); err == nil {
		t.Fatal("a directory under a file accepted")
	}
}

func TestDefaultDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if d := DefaultDir(env(map[string]string{EnvDir: "/var/cache/sneller"})); d != "/var/cache/sneller/blocks" {
		t.Fatal(d)
	}
	d := DefaultDir(env(nil))
	if filepath.Base(d) != "blocks" || !filepath.IsAbs(d) {
		t.Fatal(d)
	}
}

func TestConcurrentUse(t *testing.T) {
	c, err := Open(t.TempDir(), 20000)
	if err != nil {
		t.Fatal(err)
	}
	c.maxEntry = 1000
	f := &filler{size: 500}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				i := (j*7 + g) % 60
				b, _, err := c.Get(context.Background(), key(i), f.fill(key(i), i))
				if err != nil || !bytes.Equal(b, content(i, 500)) {
					t.Errorf("entry %d: %v", i, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	st := c.Stats()
	if st.Bytes > st.Limit || st.Bytes != st.Entries*500 {
		t.Fatalf("stats %+v", st)
	}
	// the on-disk entries are exactly the recorded ones
	var names []string
	filepath.WalkDir(c.Dir(), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			names = append(names, d.Name())
		}
		return nil
	})
	sort.Strings(names)
	if int64(len(names)) != st.Entries {
		t.Fatalf("%d files, %d entries", len(names), st.Entries)
	}
}

func BenchmarkGetHit(b *testing.B) {
	c, err := Open(b.TempDir(), 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), 256<<10)
	fill := func(context.Context) ([]byte, error) { return data, nil }
	c.Get(context.Background(), key(1), fill)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, hit, err := c.Get(context.Background(), key(1), fill); err != nil || !hit {
			b.Fatal(hit, err)
		}
	}
}
