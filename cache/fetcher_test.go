package cache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// blob packs ND-JSON rows into a blob.
func blob(t *testing.T, rows string) []byte {
	t.Helper()
	var out bytes.Buffer
	w := pack.NewWriter(&out)
	b := pack.NewBlockBuilder(pack.BuilderOptions{MaxRows: 2})
	d := ion.NewJSONDecoder(strings.NewReader(rows), b.Symtab())
	var buf ion.Buffer
	for {
		buf.Reset()
		if err := d.Next(&buf); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if err := b.Add(buf.Bytes(), b.Symtab()); err != nil {
			t.Fatal(err)
		}
		if b.Full() {
			blk, err := b.Finish()
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteBlock(blk); err != nil {
				t.Fatal(err)
			}
		}
	}
	if b.Rows() > 0 {
		blk, err := b.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteBlock(blk); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestFetcherThroughCache(t *testing.T) {
	ctx := context.Background()
	root, err := db.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := blob(t, `{"a":1}{"a":2}{"a":3}{"a":4}{"a":5}`)
	etag, err := root.Put(ctx, "db/x/t/blob", bytes.NewReader(data), db.Always)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Open(t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sum := func(counts *Counts) int64 {
		b, err := pack.Open(ctx, "blob", c.Fetcher(root, "db/x/t/blob", etag, int64(len(data)), counts), int64(len(data)), nil)
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for i := 0; i < b.Blocks(); i++ {
			fields, n, release, err := b.Open(ctx, i, nil)
			if err != nil {
				t.Fatal(err)
			}
			v, err := fields.Field("a")
			if err != nil {
				t.Fatal(err)
			}
			for r := 0; r < n; r++ {
				total += v.Get(r).Int()
			}
			release()
		}
		return total
	}
	var first, second Counts
	if s := sum(&first); s != 15 {
		t.Fatalf("sum %d", s)
	}
	if first.Misses.Load() == 0 || first.Hits.Load() != 0 {
		t.Fatalf("first pass: %d hits, %d misses", first.Hits.Load(), first.Misses.Load())
	}
	if s := sum(&second); s != 15 {
		t.Fatalf("sum %d", s)
	}
	if second.Misses.Load() != 0 || second.Hits.Load() != first.Misses.Load() {
		t.Fatalf("second pass: %d hits, %d misses (first pass %d misses)", second.Hits.Load(), second.Misses.Load(), first.Misses.Load())
	}

	// The blob is replaced: reads pinned to the old ETag that are not cached fail.
	if _, err := root.Put(ctx, "db/x/t/blob", bytes.NewReader(blob(t, `{"a":100}`)), db.Always); err != nil {
		t.Fatal(err)
	}
	f := c.Fetcher(root, "db/x/t/blob", etag, int64(len(data)), nil)
	_, err = f.Fetch(ctx, 1, 3) // a range never cached
	if !errors.Is(err, db.ErrETagChanged) {
		t.Fatalf("read of a replaced blob: %v", err)
	}
	// out-of-range requests are refused without I/O
	for _, r := range [][2]int64{{-1, 2}, {0, -1}, {int64(len(data)), 1}, {1, int64(len(data))}} {
		if _, err := f.Fetch(ctx, r[0], r[1]); !errors.Is(err, pack.ErrCorrupt) {
			t.Errorf("range %v: %v", r, err)
		}
	}
	// without a cache the fetcher reads storage directly
	var direct Counts
	nf := (*Cache)(nil).Fetcher(root, "db/x/t/blob", etag, int64(len(data)), &direct)
	if _, err := nf.Fetch(ctx, 0, 4); !errors.Is(err, db.ErrETagChanged) {
		t.Fatalf("direct read of a replaced blob: %v", err)
	}
}
