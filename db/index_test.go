package db

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sneller-re/sneller/pack"
)

func sampleIndex() *Index {
	at := time.Date(2024, 3, 1, 12, 30, 45, 123456000, time.UTC)
	return &Index{
		Version: IndexVersion, Database: "logs", Table: "events", Created: at, Sequence: 42,
		Definition: [32]byte{1, 2, 3},
		Blobs: []BlobInfo{{
			Path: "db/logs/events/2024-03-01/packed-ABC.pack", ETag: `"abc"`, Size: 1 << 20, Rows: 1000, Blocks: 3,
			Created: at, TrailerOffset: 1<<20 - 500, TrailerSize: 480, TrailerHash: [32]byte{9, 9},
			Partition: "2024-03-01/-7",
			Values: []PartitionValue{{Field: "day", Type: PartDate, Text: "2024-03-01", Time: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)},
				{Field: "n", Type: PartInt, Text: "-7", Int: -7}},
			Columns: []ColumnSummary{
				{Path: []string{"ts"}, Stats: pack.ColumnStats{Times: 1000, TimeMin: 1, TimeMax: 99}},
				{Path: []string{"a", "b"}, Stats: pack.ColumnStats{Nulls: 1, Ints: 5, IntMin: math.MinInt64, IntMax: 3,
					Floats: 4, NaNs: 1, FloatMin: -1.5, FloatMax: 2.25, Bools: 2, BoolMin: false, BoolMax: true,
					Strs: 3, StrMin: []byte("a"), StrMax: []byte("zz"), Ions: 1, Structs: 2}},
				{Path: []string{"s"}, Stats: pack.ColumnStats{Strs: 1, StrMin: []byte("x"), StrMaxUnbounded: true}},
			},
			BlockRows: []int64{400, 500, 100},
			TimeIndex: []TimeIndex{{Path: []string{"ts"}, Blocks: []BlockTimes{
				{Known: true, Present: 400, Nulls: 2, Min: -5, Max: 7}, {}, {Known: true, Present: 3, Nulls: 3}}}},
		}, {
			Path: "db/logs/events/packed-DEF.pack", ETag: `"def"`, Size: 100, Rows: 0, Blocks: 0, Created: at,
			TrailerOffset: 10, TrailerSize: 80, TrailerHash: [32]byte{7},
		}},
		Inputs:  []SegmentRef{{Path: "db/logs/events/inputs-00", SHA256: [32]byte{5}, Size: 77, RawSize: 300, Entries: 4}},
		Dropped: []Dropped{{Path: "db/logs/events/packed-OLD.pack", At: at}},
	}
}

func TestIndexRoundTrip(t *testing.T) {
	x := sampleIndex()
	data := x.Sign(testIndexKey)
	got, err := DecodeIndex("index", data, testIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	// byPath-like caches aside, the decoded index equals the original
	if !reflect.DeepEqual(got, x) {
		t.Fatalf("decoded:\n%+v\nwant:\n%+v", got, x)
	}
	if !bytes.Equal(got.Sign(testIndexKey), data) {
		t.Fatal("re-encoding changes the bytes")
	}
}

func TestIndexSignature(t *testing.T) {
	data := sampleIndex().Sign(testIndexKey)
	other := *testIndexKey
	other[0] ^= 1
	cases := map[string][]byte{
		"empty":     nil,
		"short":     data[:10],
		"truncated": data[:len(data)-1],
		"unsigned":  data[:len(data)-macSize],
		"appended":  append(append([]byte(nil), data...), 0),
	}
	// every byte flipped, a stride of them to keep the test short
	for i := 0; i < len(data); i += 1 + len(data)/200 {
		b := append([]byte(nil), data...)
		b[i] ^= 0x20
		cases["flip@"+strconv.Itoa(i)] = b
	}
	for name, b := range cases {
		_, err := DecodeIndex("db/logs/events/index", b, testIndexKey)
		if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "db/logs/events/index") {
			t.Errorf("%s: error %v, want ErrBadSignature naming the file", name, err)
		}
	}
	if _, err := DecodeIndex("idx", data, &other); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other key: %v", err)
	}
	if _, err := DecodeIndex("idx", data, nil); !errors.Is(err, ErrNoIndexKey) {
		t.Errorf("nil key: %v", err)
	}
}

func TestIndexMalformedButSigned(t *testing.T) {
	x := sampleIndex()
	x.Version = 2
	if _, err := DecodeIndex("idx", x.Sign(testIndexKey), testIndexKey); !errors.Is(err, ErrBadIndex) || !strings.Contains(err.Error(), "version 2") {
		t.Fatalf("version 2: %v", err)
	}
	for name, content := range map[string][]byte{
		"not ion":   []byte("hello"),
		"empty ion": {0xe0, 0x01, 0x00, 0xea},
		"no blobs":  (&ionWriterDoc{fields: map[string]any{"version": 1}}).bytes(),
		"bad trailer": func() []byte {
			y := sampleIndex()
			y.Blobs[1].TrailerOffset = 90 // 90+80 > 100
			return y.Encode()
		}(),
		"bad path": func() []byte {
			y := sampleIndex()
			y.Blobs[0].Path = "../x"
			return y.Encode()
		}(),
	} {
		_, err := DecodeIndex("idx", appendMAC(content, testIndexKey), testIndexKey)
		if !errors.Is(err, ErrBadIndex) {
			t.Errorf("%s: %v, want ErrBadIndex", name, err)
		}
	}
}

// ionWriterDoc writes a struct of ints, for malformed documents.
type ionWriterDoc struct{ fields map[string]any }

func (d *ionWriterDoc) bytes() []byte {
	var w ionWriter
	w.body.BeginStruct(-1)
	for k, v := range d.fields {
		w.int(k, int64(v.(int)))
	}
	w.body.EndStruct()
	return w.bytes()
}

func TestSegmentRoundTrip(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	entries := []InputInfo{
		{Path: "file://a.json", ETag: `"1"`, Size: 10, Rows: 3, Blobs: []string{"db/d/t/packed-A.pack", "db/d/t/packed-B.pack"}, Blob: "db/d/t/packed-A.pack", Added: at, Definition: [32]byte{1}},
		{Path: "file://b.json", ETag: `"2"`, Size: 11, Err: &RejectedError{Reason: "file://b.json: line 3, column 1: bad"}, Added: at, Definition: [32]byte{2}},
		{Path: "s3://bkt/c.json", ETag: `"3"`, Size: 12, Rows: 1, Blobs: []string{"db/d/t/packed-A.pack"}, Blob: "db/d/t/packed-A.pack", Added: at, ChangedETag: `"4"`},
	}
	data, ref := encodeSegment("db/d/t", entries)
	if ref.Entries != 3 || ref.Size != int64(len(data)) || !strings.HasPrefix(ref.Path, "db/d/t/inputs-") {
		t.Fatalf("ref %+v", ref)
	}
	root := newLocalRoot(t)
	putObject(t, root, ref.Path, string(data))
	got, err := readSegment(context.Background(), root, ref)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Fatalf("decoded %+v\nwant %+v", got, entries)
	}
	// a segment whose bytes differ from the hash the index pins is refused
	bad := ref
	bad.SHA256[0] ^= 1
	if _, err := readSegment(context.Background(), root, bad); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("tampered segment: %v", err)
	}
}

func TestIndexKeyEnv(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	t.Setenv(IndexKeyEnv, FormatIndexKey(testIndexKey))
	k, err := IndexKey(ctx, root)
	if err != nil || *k != *testIndexKey {
		t.Fatalf("key %v, %v", k, err)
	}
	for _, bad := range []string{"", "not base64!", "AAAA", FormatIndexKey(testIndexKey) + "AAAA"} {
		t.Setenv(IndexKeyEnv, bad)
		if _, err := IndexKey(ctx, root); !errors.Is(err, ErrBadIndexKey) || !strings.Contains(err.Error(), IndexKeyEnv) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestIndexKeyLocalFile(t *testing.T) {
	ctx := context.Background()
	t.Setenv(IndexKeyEnv, "")
	os.Unsetenv(IndexKeyEnv)
	root := newLocalRoot(t)
	var wg sync.WaitGroup
	keys := make([]*[32]byte, 8)
	errs := make([]error, 8)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = IndexKey(ctx, root)
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || *keys[i] != *keys[0] {
			t.Fatalf("concurrent creation: key %d differs or failed: %v", i, errs[i])
		}
	}
	if *keys[0] == ([32]byte{}) {
		t.Fatal("zero key")
	}
	name := filepath.Join(root.Dir(), indexKeyFile)
	fi, err := os.Stat(name)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v, %v", fi, err)
	}
	// another root gets another key
	other, err := IndexKey(ctx, newLocalRoot(t))
	if err != nil || *other == *keys[0] {
		t.Fatalf("second root: %v %v", other, err)
	}
	// the key file is not listed, and a reopened root reads the same key
	root.List(ctx, "", "", func(fi FileInfo) error {
		t.Fatalf("listed %s", fi.Path)
		return nil
	})
	again, _ := OpenDir(root.Dir())
	defer again.Close()
	if k, err := IndexKey(ctx, again); err != nil || *k != *keys[0] {
		t.Fatalf("reopened: %v %v", k, err)
	}
	os.Chmod(name, 0o644)
	if _, err := IndexKey(ctx, again); !errors.Is(err, ErrBadIndexKey) || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("readable key file: %v", err)
	}
}

func TestIndexKeyS3NeedsEnv(t *testing.T) {
	isolateEnv(t)
	root, err := OpenRoot(context.Background(), "s3://some-bucket")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := IndexKey(context.Background(), root); !errors.Is(err, ErrNoIndexKey) || !strings.Contains(err.Error(), IndexKeyEnv) {
		t.Fatalf("S3 root without the variable: %v", err)
	}
}

func TestOpenTableErrors(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	if _, err := OpenTable(ctx, root, testIndexKey, "nodb", "notable"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing table: %v", err)
	}
	createTable(t, root, "d", "t1", tutorialDef)
	createTable(t, root, "d", "t2", tutorialDef)
	putObject(t, root, "sample_data/a.ndjson", valueRows(2, 0))
	mustSync(t, root, "d", "t1", SyncOptions{})
	mustSync(t, root, "d", "t2", SyncOptions{})
	// an index copied over another table's is refused
	data, _, _ := ReadFile(ctx, root, "db/d/t1/index", MaxIndexSize)
	putObject(t, root, "db/d/t2/index", string(data))
	if _, err := OpenTable(ctx, root, testIndexKey, "d", "t2"); !errors.Is(err, ErrBadIndex) || !strings.Contains(err.Error(), "d.t1") {
		t.Fatalf("copied index: %v", err)
	}
	// a tampered index is refused by readers, sync and gc, naming the file
	tampered := append([]byte(nil), data...)
	tampered[len(tampered)/2] ^= 1
	putObject(t, root, "db/d/t1/index", string(tampered))
	for what, err := range map[string]error{
		"open": func() error { _, err := OpenTable(ctx, root, testIndexKey, "d", "t1"); return err }(),
		"sync": func() error { _, err := Sync(ctx, root, testIndexKey, "d", "t1", SyncOptions{}); return err }(),
		"gc":   func() error { _, err := GC(ctx, root, testIndexKey, "d", "t1", GCOptions{}); return err }(),
	} {
		if !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "db/d/t1/index") {
			t.Errorf("%s of a tampered index: %v", what, err)
		}
	}
	// the tampered index was left alone
	now, _, _ := ReadFile(ctx, root, "db/d/t1/index", MaxIndexSize)
	if !bytes.Equal(now, tampered) {
		t.Fatal("sync replaced a tampered index")
	}
}

func TestListTables(t *testing.T) {
	ctx := context.Background()
	root := newLocalRoot(t)
	putObject(t, root, "sample_data/a.ndjson", valueRows(2, 0))
	for _, dt := range [][2]string{{"b", "t2"}, {"b", "t1"}, {"a", "x"}, {"c", "synced-never"}} {
		createTable(t, root, dt[0], dt[1], tutorialDef)
		if dt[1] != "synced-never" {
			mustSync(t, root, dt[0], dt[1], SyncOptions{})
		}
	}
	putObject(t, root, "db/stray", "x")
	putObject(t, root, "db/b/stray", "x")
	dbs, err := ListDatabases(ctx, root)
	if err != nil || strings.Join(dbs, ",") != "a,b" {
		t.Fatalf("databases %v %v", dbs, err)
	}
	tables, err := ListTables(ctx, root, "b")
	if err != nil || strings.Join(tables, ",") != "t1,t2" {
		t.Fatalf("tables %v %v", tables, err)
	}
	defined, err := ListDefinedTables(ctx, root, "c")
	if err != nil || strings.Join(defined, ",") != "synced-never" {
		t.Fatalf("defined tables %v %v", defined, err)
	}
	if tables, err := ListTables(ctx, root, "none"); err != nil || len(tables) != 0 {
		t.Fatalf("tables of a missing database %v %v", tables, err)
	}
}
