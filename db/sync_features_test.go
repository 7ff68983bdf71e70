package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/sql"
)

func TestSyncPartitions(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "logs", "events", `{
		"input": [{"pattern": "file://src/{yyyy}/{mm}/{region}/*.json"}],
		"partitions": [{"field": "day", "type": "date", "value": "$yyyy-$mm-01"}, {"field": "region"},
			{"field": "year", "type": "int", "value": "$yyyy"}]}`)
	putObject(t, root, "src/2024/01/eu/a.json", `{"x": 1, "region": "data value is overridden"}`+"\n"+`{"x": 2}`)
	putObject(t, root, "src/2024/02/eu/b.json", `{"x": 3}`)
	putObject(t, root, "src/2024/02/us/c.json", `{"x": 4}`+"\n"+`{"x": 5}`+"\n"+`{"x": 6}`)
	r := mustSync(t, root, "logs", "events", SyncOptions{})
	if r.BlobsWritten != 3 || r.Rows != 6 {
		t.Fatalf("sync: %+v", r)
	}
	sameRows(t, tableRows(t, root, "logs", "events"), jsonRows(t,
		`{"x": 1, "day": "2024-01-01T00:00:00Z", "region": "eu", "year": 2024}`,
		`{"x": 2, "day": "2024-01-01T00:00:00Z", "region": "eu", "year": 2024}`,
		`{"x": 3, "day": "2024-02-01T00:00:00Z", "region": "eu", "year": 2024}`,
		`{"x": 4, "day": "2024-02-01T00:00:00Z", "region": "us", "year": 2024}`,
		`{"x": 5, "day": "2024-02-01T00:00:00Z", "region": "us", "year": 2024}`,
		`{"x": 6, "day": "2024-02-01T00:00:00Z", "region": "us", "year": 2024}`))
	tb, err := OpenTable(ctx, root, testIndexKey, "logs", "events")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range tb.Blobs() {
		if !strings.HasPrefix(b.Path, "db/logs/events/"+b.Partition+"/packed-") || len(b.Values) != 3 {
			t.Fatalf("blob %s of partition %q values %v", b.Path, b.Partition, b.Values)
		}
		// the summaries hold the partition values exactly
		if c := b.Column([]string{"region"}); c == nil || c.Stats.Strs != b.Rows || string(c.Stats.StrMin) != b.Values[1].Text ||
			string(c.Stats.StrMax) != b.Values[1].Text {
			t.Fatalf("blob %s region summary %+v", b.Path, c)
		}
		if lo, hi, ok := b.TimeRange([]string{"day"}); !ok || lo != hi || lo != b.Values[0].Time.UnixMicro() {
			t.Fatalf("blob %s day range %d %d %v", b.Path, lo, hi, ok)
		}
	}
	// the planner skips the blocks of other partitions
	st, err := sql.Parse("SELECT COUNT(*) AS n FROM logs.events WHERE region = 'us'")
	if err != nil {
		t.Fatal(err)
	}
	q, err := plan.Prepare(ctx, st, NewQueryEnv(ctx, root, testIndexKey, ""), plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out rowsOut
	if err := q.Run(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.rows) != 1 || !strings.Contains(out.rows[0], "3") {
		t.Fatalf("rows %v", out.rows)
	}
	if s := q.Stats(); s.BlocksSkipped.Load() != 2 || s.BlocksTotal.Load() != 3 {
		t.Fatalf("skipped %d of %d blocks, want 2 of 3", s.BlocksSkipped.Load(), s.BlocksTotal.Load())
	}
	if got := query(t, root, "logs", "SELECT COUNT(*) AS n FROM events WHERE day = `2024-01-01T00:00:00Z`"); !strings.Contains(got[0], "2") {
		t.Fatalf("day filter: %v", got)
	}
}

func TestSyncPartitionErrors(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "d", "ints", `{
		"input": [{"pattern": "file://src/{n}/*.json"}],
		"partitions": [{"field": "n", "type": "int"}]}`)
	createTable(t, root, "d", "strs", `{
		"input": [{"pattern": "file://src/{n}/*.json"}],
		"partitions": [{"field": "n"}]}`)
	putObject(t, root, "src/12/a.json", `{"x": 1}`)
	putObject(t, root, "src/twelve/b.json", `{"x": 2}`)
	putObject(t, root, "src/index/c.json", `{"x": 3}`) // would collide with the table's index
	for table, want := range map[string][]string{
		"ints": {"src/index/c.json", "src/twelve/b.json"},
		"strs": {"src/index/c.json"},
	} {
		r, err := Sync(context.Background(), root, testIndexKey, "d", table, SyncOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Accepted)+len(r.Rejected) != 3 || len(r.Rejected) != len(want) {
			t.Fatalf("%s: %+v", table, r)
		}
		for i, rej := range r.Rejected {
			if !errors.Is(rej.Err, ErrBadPartition) || !strings.Contains(rej.Err.Error(), want[i]) {
				t.Fatalf("%s: rejection %v, want one naming %s", table, rej.Err, want[i])
			}
		}
	}
}

func TestSyncRetention(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", `{
		"input": [{"pattern": "file://src/{day}/*.json"}],
		"partitions": [{"field": "day", "type": "date"}],
		"retention_policy": {"field": "ts", "valid_for": "10d"}}`)
	putObject(t, root, "src/2024-01-01/a.json", `{"ts": "2024-01-01T10:00:00Z"}`)
	putObject(t, root, "src/2024-01-05/b.json", `{"ts": "2024-01-05T10:00:00Z"}`+"\n"+`{"ts": "2024-01-20T10:00:00Z"}`)
	putObject(t, root, "src/2024-01-06/c.json", `{"no_ts": 1}`)
	at := func(day int) SyncOptions {
		return SyncOptions{Now: func() time.Time { return time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC) }}
	}
	r := mustSync(t, root, "d", "t", at(2))
	if r.Expired != 0 || r.Rows != 4 {
		t.Fatalf("first sync: %+v", r)
	}
	r = mustSync(t, root, "d", "t", at(12)) // a.json is older than 10 days
	if r.Expired != 1 || !r.Published {
		t.Fatalf("second sync: %+v", r)
	}
	if got := tableRows(t, root, "d", "t"); len(got) != 3 {
		t.Fatalf("rows %v", got)
	}
	r = mustSync(t, root, "d", "t", at(25)) // b.json has a row of the 20th: kept
	if r.Expired != 0 || r.Published {
		t.Fatalf("third sync: %+v", r)
	}
	r = mustSync(t, root, "d", "t", at(31))
	if r.Expired != 1 {
		t.Fatalf("fourth sync: %+v", r)
	}
	// the blob without the field is never expired; the expired inputs are not ingested again
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, `{"no_ts": 1, "day": "2024-01-06T00:00:00Z"}`))
	tb, err := OpenTable(context.Background(), root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	// the index remembers the blob dropped now, not the one dropped 19 days ago
	if len(tb.Inputs()) != 3 || len(tb.Index().Dropped) != 1 {
		t.Fatalf("inputs %v dropped %v", tb.Inputs(), tb.Index().Dropped)
	}
}

func TestSyncCompaction(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	var all []string
	for i := 0; i < 5; i++ {
		text := valueRows(i+1, i*100)
		putObject(t, root, fmt.Sprintf("sample_data/f%d.ndjson", i), text)
		all = append(all, text)
		r := mustSync(t, root, "d", "t", SyncOptions{CompactMin: 3})
		if i < 3 && r.Compacted != 0 {
			// fewer than 3 small blobs
			t.Fatalf("sync %d compacted %d", i, r.Compacted)
		}
		if i == 3 && r.Compacted != 3 {
			t.Fatalf("sync %d compacted %d, want 3", i, r.Compacted)
		}
	}
	tb, err := OpenTable(context.Background(), root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tb.Blobs()); n != 3 { // the merged one, and those of the last two syncs
		t.Fatalf("%d blobs after compaction, want 3", n)
	}
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, all...))
	// the inputs point at the blobs that hold their rows now
	live := map[string]bool{}
	for _, b := range tb.Blobs() {
		live[b.Path] = true
	}
	for _, in := range tb.Inputs() {
		if !live[in.Blob] {
			t.Fatalf("input %s points at %s, not in the index", in.Path, in.Blob)
		}
	}
}

func TestSyncMaxBytes(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	var all []string
	for i := 0; i < 5; i++ {
		text := valueRows(10, i*100) // 160 bytes each
		putObject(t, root, fmt.Sprintf("sample_data/f%d.ndjson", i), text)
		all = append(all, text)
	}
	var runs []int
	for {
		r := mustSync(t, root, "d", "t", SyncOptions{MaxBytes: 400})
		if len(r.Accepted) == 0 {
			break
		}
		runs = append(runs, len(r.Accepted))
		if r.Deferred != 5-sum(runs) {
			t.Fatalf("run %d deferred %d", len(runs), r.Deferred)
		}
	}
	if fmt.Sprint(runs) != "[2 2 1]" {
		t.Fatalf("inputs per run %v", runs)
	}
	// one input larger than the budget still goes through
	putObject(t, root, "sample_data/big.ndjson", valueRows(100, 1000))
	all = append(all, valueRows(100, 1000))
	if r := mustSync(t, root, "d", "t", SyncOptions{MaxBytes: 10}); len(r.Accepted) != 1 {
		t.Fatalf("large input: %+v", r)
	}
	sameRows(t, tableRows(t, root, "d", "t"), jsonRows(t, all...))
}

func sum(v []int) int {
	n := 0
	for _, x := range v {
		n += x
	}
	return n
}

// TestTableSourceTamper reads a table through fetchers that alter the bytes: a changed
// trailer or column chunk fails the query instead of being read.
func TestTableSourceTamper(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	putObject(t, root, "sample_data/a.ndjson", valueRows(50, 0))
	mustSync(t, root, "d", "t", SyncOptions{})
	tb, err := OpenTable(ctx, root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	b := tb.Blobs()[0]
	data, _, err := ReadFile(ctx, root, b.Path, b.Size)
	if err != nil {
		t.Fatal(err)
	}
	for name, pos := range map[string]int64{"trailer": b.TrailerOffset + b.TrailerSize/2, "chunk": 16} {
		bad := append([]byte(nil), data...)
		bad[pos] ^= 0x40
		fresh, _ := OpenTable(ctx, root, testIndexKey, "d", "t")
		trailerCache = newHashCache(256<<20, trailerCache.weight) // the good trailer is cached
		src := fresh.Source(func(path, etag string, size int64) pack.Fetcher { return pack.BytesFetcher(bad) })
		_, _, _, err := src.Open(ctx, 0, nil)
		if err == nil {
			fields, _, _, _ := src.Open(ctx, 0, nil)
			_, err = fields.Field("value")
		}
		if !errors.Is(err, pack.ErrCorrupt) || !strings.Contains(err.Error(), b.Path) {
			t.Errorf("%s tampered: %v", name, err)
		}
	}
	// a blob replaced in storage (another ETag) is refused
	putObject(t, root, b.Path, string(data[:len(data)-1])+"x")
	trailerCache = newHashCache(256<<20, trailerCache.weight)
	fresh, _ := OpenTable(ctx, root, testIndexKey, "d", "t")
	if _, _, _, err := fresh.Source(nil).Open(ctx, 0, nil); !errors.Is(err, ErrETagChanged) {
		t.Fatalf("replaced blob: %v", err)
	}
	if _, ok := fresh.Source(nil).Summary(0).Range([]string{"value"}); ok {
		t.Fatal("a range from an unreadable blob")
	}
}

// TestSyncSegments: one sync per input keeps O(log n) input segments, every input listed once.
func TestSyncSegments(t *testing.T) {
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", tutorialDef)
	const n = 33
	for i := 0; i < n; i++ {
		putObject(t, root, fmt.Sprintf("sample_data/f%03d.ndjson", i), valueRows(1, i))
		mustSync(t, root, "d", "t", SyncOptions{CompactMin: -1})
	}
	tb, err := OpenTable(context.Background(), root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	segs := tb.Index().Inputs
	total := 0
	for i, s := range segs {
		total += s.Entries
		if i > 0 && s.Entries*2 > segs[i-1].Entries {
			t.Fatalf("segments %+v not of decreasing size", segs)
		}
	}
	if len(segs) > 6 || total != n || len(tb.Inputs()) != n {
		t.Fatalf("%d segments holding %d entries, %d inputs", len(segs), total, len(tb.Inputs()))
	}
	for i, in := range tb.Inputs() {
		if in.Path != fmt.Sprintf("file://sample_data/f%03d.ndjson", i) || in.Err != nil {
			t.Fatalf("input %d: %+v", i, in)
		}
	}
}

// TestSummaryFromIndex: the ranges the index gives for partition fields and time-indexed
// columns are the trailers' ranges, and a query filtering on them reads only the trailers of
// the blobs it does not skip.
func TestSummaryFromIndex(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	createTable(t, root, "d", "t", `{"input": [{"pattern": "file://src/{region}/*.json"}],
		"partitions": [{"field": "region"}, {"field": "n", "type": "int", "value": "1"}]}`)
	for day := 1; day <= 9; day++ {
		var sb strings.Builder
		for h := 0; h < 24; h++ {
			ts := fmt.Sprintf("2024-03-%02dT%02d:00:00Z", day, h)
			switch {
			case h == 3:
				fmt.Fprintf(&sb, `{"ts": null, "mixed": %q}`+"\n", ts)
			case h == 4:
				fmt.Fprintf(&sb, `{"ts": %q, "mixed": "not a time"}`+"\n", ts)
			case h == 5 && day == 2:
				fmt.Fprintf(&sb, `{"other": 1, "mixed": 5}`+"\n")
			default:
				fmt.Fprintf(&sb, `{"ts": %q, "mixed": %q, "v": %d}`+"\n", ts, ts, h)
			}
		}
		putObject(t, root, fmt.Sprintf("src/r%d/day%d.json", day%3, day), sb.String())
		// one blob per sync, blocks of 5 rows
		mustSync(t, root, "d", "t", SyncOptions{CompactMin: -1, Block: pack.BuilderOptions{MaxRows: 5}})
	}
	tb, err := OpenTable(ctx, root, testIndexKey, "d", "t")
	if err != nil {
		t.Fatal(err)
	}
	// exactness against the trailers
	src := tb.Source(nil)
	unknownMixed := 0
	if src.Blocks() < 30 {
		t.Fatalf("%d blocks: the test wants several blocks per blob", src.Blocks())
	}
	for i := 0; i < src.Blocks(); i++ {
		sum := src.Summary(i).(*tableSummary)
		for _, p := range [][]string{{"ts"}, {"region"}, {"n"}, {"mixed"}} {
			fromIndex, ok := sum.b.info.blockRange(sum.j, p)
			if !ok {
				if p[0] != "mixed" {
					t.Fatalf("block %d: the index has no range for %v", i, p)
				}
				unknownMixed++
				continue
			}
			fromTrailer, ok := sum.trailer().Range(p)
			if !ok || fmt.Sprint(fromIndex) != fmt.Sprint(fromTrailer) {
				t.Fatalf("block %d %v: index %+v, trailer %+v", i, p, fromIndex, fromTrailer)
			}
		}
	}
	if unknownMixed != 10 { // the blocks holding a string or an int among the timestamps
		t.Fatalf("%d blocks without an index range for the mixed column, want 10", unknownMixed)
	}
	// a time filter reads the trailers of the blobs it keeps only
	var fetched sync.Map
	countFetch := func(path, etag string, size int64) pack.Fetcher {
		return &countingFetcher{f: &fsFetcher{fs: root, path: path, etag: etag, size: size}, seen: &fetched, path: path}
	}
	trailerCache = newHashCache(256<<20, trailerCache.weight)
	q := NewQueryEnv(ctx, root, testIndexKey, "d")
	q.Fetch = countFetch
	st, _ := sql.Parse("SELECT COUNT(*) AS n FROM t WHERE ts >= `2024-03-08T00:00:00Z` AND region = 'r2'")
	pq, err := plan.Prepare(ctx, st, q, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out rowsOut
	if err := pq.Run(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.rows) != 1 || !strings.Contains(out.rows[0], "23") { // day 8 is in r2, one row of it has a null ts
		t.Fatalf("rows %v", out.rows)
	}
	n := 0
	fetched.Range(func(k, v any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("%d blobs read, want 1 (of %d)", n, len(tb.Blobs()))
	}
	// a predicate on a column the index does not cover reads the trailers and skips by them
	st, _ = sql.Parse("SELECT COUNT(*) AS n FROM t WHERE v = 7")
	if pq, err = plan.Prepare(ctx, st, q, plan.Options{}); err != nil {
		t.Fatal(err)
	}
	out.rows = nil
	if err := pq.Run(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.rows) != 1 || !strings.Contains(out.rows[0], "9") || pq.Stats().BlocksSkipped.Load() != int64(src.Blocks()-9) {
		t.Fatalf("rows %v, %d of %d blocks skipped", out.rows, pq.Stats().BlocksSkipped.Load(), src.Blocks())
	}
}

type countingFetcher struct {
	f    pack.Fetcher
	seen *sync.Map
	path string
}

func (c *countingFetcher) Fetch(ctx context.Context, off, n int64) ([]byte, error) {
	c.seen.Store(c.path, true)
	return c.f.Fetch(ctx, off, n)
}
