package db

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// barrierFS holds every Put of keys ending in "/index" until n of them arrived (or a
// timeout), so that concurrent syncs race for the index at the same moment.
type barrierFS struct {
	FS
	mu      sync.Mutex
	n       int
	arrived int
	release chan struct{}
}

func newBarrierFS(inner FS, n int) *barrierFS {
	return &barrierFS{FS: inner, n: n, release: make(chan struct{})}
}

func (b *barrierFS) Put(ctx context.Context, p string, r io.Reader, cond Cond) (string, error) {
	if strings.HasSuffix(p, "/index") {
		b.mu.Lock()
		b.arrived++
		if b.arrived == b.n {
			close(b.release)
		}
		b.mu.Unlock()
		select {
		case <-b.release:
		case <-time.After(5 * time.Second):
		}
	}
	return b.FS.Put(ctx, p, r, cond)
}

func (b *barrierFS) ResolvePattern(ctx context.Context, url string) (FS, *Pattern, error) {
	fsys, pat, err := ResolvePattern(ctx, b.FS, url)
	if fsys == b.FS {
		fsys = b
	}
	return fsys, pat, err
}

func (b *barrierFS) Inner() FS { return b.FS }

// TestSyncConcurrent runs syncs that race to publish the index: one wins, the others rebuild
// on the winner's index, and the table ends with every row exactly once.
func TestSyncConcurrent(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	var all []string
	for i := 0; i < 6; i++ {
		text := valueRows(3, i*10)
		putObject(t, root, fmt.Sprintf("sample_data/f%d.ndjson", i), text)
		all = append(all, text)
	}
	const n = 3
	bfs := newBarrierFS(root, n)
	var wg sync.WaitGroup
	results := make([]*SyncResult, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = Sync(ctx, bfs, testIndexKey, "d", "t", SyncOptions{Workers: 1})
		}()
		if i == 0 {
			// the later syncs see one more input than the first
			time.Sleep(50 * time.Millisecond)
			text := valueRows(2, 100)
			putObject(t, root, "sample_data/g.ndjson", text)
			all = append(all, text)
		}
	}
	wg.Wait()
	published, conflicts := 0, 0
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("sync %d: %v", i, errs[i])
		}
		if results[i].Published {
			published++
		}
		conflicts += results[i].Conflicts
	}
	if conflicts == 0 {
		t.Fatal("no sync lost the race: the test did not test it")
	}
	// whatever was left for later is picked up by one more sync
	mustSync(t, root, "d", "t", SyncOptions{})
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, all...))
	t.Logf("%d published, %d conflicts", published, conflicts)
}

// TestSyncConflictLimit gives up with ErrConflict when the index keeps changing.
func TestSyncConflictLimit(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	putObject(t, root, "sample_data/a.ndjson", valueRows(1, 0))
	mustSync(t, root, "d", "t", SyncOptions{})
	putObject(t, root, "sample_data/b.ndjson", valueRows(1, 5))
	cfs := &churnFS{FS: root, t: t}
	_, err := Sync(ctx, cfs, testIndexKey, "d", "t", SyncOptions{Retries: 2})
	if err == nil || !strings.Contains(err.Error(), ErrConflict.Error()) || !strings.Contains(err.Error(), "3 times") {
		t.Fatalf("err %v", err)
	}
	// the churned index still verifies and the next sync completes
	mustSync(t, root, "d", "t", SyncOptions{})
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, valueRows(1, 0), valueRows(1, 5)))
}

// churnFS republishes the current index (a new ETag, same content) right before each
// conditional index put, as a concurrent writer would.
type churnFS struct {
	FS
	t *testing.T
}

func (c *churnFS) Put(ctx context.Context, p string, r io.Reader, cond Cond) (string, error) {
	if strings.HasSuffix(p, "/index") {
		data, _, err := ReadFile(ctx, c.FS, p, MaxIndexSize)
		if err != nil {
			c.t.Fatal(err)
		}
		x, err := DecodeIndex(p, data, testIndexKey)
		if err != nil {
			c.t.Fatal(err)
		}
		x.Sequence += 100 // other content, other ETag
		if _, err := c.FS.Put(ctx, p, strings.NewReader(string(x.Sign(testIndexKey))), Always); err != nil {
			c.t.Fatal(err)
		}
	}
	return c.FS.Put(ctx, p, r, cond)
}

func (c *churnFS) ResolvePattern(ctx context.Context, url string) (FS, *Pattern, error) {
	fsys, pat, err := ResolvePattern(ctx, c.FS, url)
	if fsys == c.FS {
		fsys = c
	}
	return fsys, pat, err
}
