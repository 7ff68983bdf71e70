package db

import (
	"context"
	"math/rand"
	"reflect"
	"testing"
)

// realIndex returns the content (unsigned) of an index written by a real sync with
// partitions, and the raw content of its input segment.
func realIndex(f *testing.F) (index, segment []byte) {
	ctx := context.Background()
	root := newLocalRoot(f)
	createTable(f, root, "logs", "events", `{"input": [{"pattern": "file://src/{day}/*.json"}],
		"partitions": [{"field": "day", "type": "date"}]}`)
	putObject(f, root, "src/2024-03-01/a.json", `{"ts": "2024-03-01T10:00:00Z", "n": 1, "s": "x", "f": 1.5, "b": true, "o": {"k": [1, "a"]}}`)
	putObject(f, root, "src/2024-03-02/b.json", `{"ts": "2024-03-02T10:00:00Z", "n": 2}`)
	putObject(f, root, "src/2024-03-02/c.json", `{"n": `)
	if _, err := Sync(ctx, root, testIndexKey, "logs", "events", SyncOptions{}); err != nil {
		f.Fatal(err)
	}
	data, _, err := ReadFile(ctx, root, "db/logs/events/index", MaxIndexSize)
	if err != nil {
		f.Fatal(err)
	}
	x, err := DecodeIndex("index", data, testIndexKey)
	if err != nil {
		f.Fatal(err)
	}
	seg, _, err := ReadFile(ctx, root, x.Inputs[0].Path, x.Inputs[0].Size)
	if err != nil {
		f.Fatal(err)
	}
	raw, err := segDecoder.DecodeAll(seg, nil)
	if err != nil {
		f.Fatal(err)
	}
	return data[:len(data)-macSize], raw
}

// FuzzDecodeIndex feeds arbitrary bytes to the index reader: they must be refused (almost
// always for their signature) without a panic.
func FuzzDecodeIndex(f *testing.F) {
	content, _ := realIndex(f)
	f.Add(appendMAC(content, testIndexKey))
	f.Add(sampleIndex().Sign(testIndexKey))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := DecodeIndex("index", data, testIndexKey)
		if err == nil && x == nil {
			t.Fatal("nil index without an error")
		}
	})
}

// FuzzParseIndex signs arbitrary content so that the parser behind the signature check is
// exercised: it must not panic, and whatever it accepts must encode and decode to the same
// index.
func FuzzParseIndex(f *testing.F) {
	content, _ := realIndex(f)
	f.Add(content)
	f.Add(sampleIndex().Encode())
	f.Fuzz(func(t *testing.T, content []byte) {
		x, err := DecodeIndex("index", appendMAC(content, testIndexKey), testIndexKey)
		if err != nil {
			return
		}
		y, err := DecodeIndex("index", x.Sign(testIndexKey), testIndexKey)
		if err != nil {
			t.Fatalf("re-encoded index refused: %v", err)
		}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("round trip changed the index:\n%+v\n%+v", x, y)
		}
	})
}

// FuzzDecodeSegment feeds arbitrary decompressed bytes to the input segment parser.
func FuzzDecodeSegment(f *testing.F) {
	_, raw := realIndex(f)
	f.Add(raw)
	f.Fuzz(func(t *testing.T, raw []byte) {
		entries, err := decodeSegment(raw)
		if err != nil {
			return
		}
		again, err := decodeSegment(encodeSegmentRaw(entries))
		if err != nil {
			t.Fatalf("re-encoded segment refused: %v", err)
		}
		if !reflect.DeepEqual(entries, again) {
			t.Fatalf("round trip changed the entries:\n%+v\n%+v", entries, again)
		}
	})
}

// TestIndexMutations runs the properties of the fuzz targets on random mutations of a real
// index and segment (deterministic, so that every run covers them without the fuzz engine).
func TestIndexMutations(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	content := sampleIndex().Encode()
	seg := encodeSegmentRaw([]InputInfo{
		{Path: "file://a.json", ETag: `"1"`, Size: 10, Rows: 3, Blobs: []string{"db/d/t/packed-A.pack"}, Blob: "db/d/t/packed-A.pack"},
		{Path: "file://b.json", ETag: `"2"`, Size: 11, Err: &RejectedError{Reason: "line 3: bad"}},
	})
	r := rand.New(rand.NewSource(1))
	mutate := func(src []byte) []byte {
		b := append([]byte(nil), src...)
		for k := 0; k < 1+r.Intn(4); k++ {
			b[r.Intn(len(b))] = byte(r.Intn(256))
		}
		if r.Intn(8) == 0 {
			b = b[:r.Intn(len(b))]
		}
		return b
	}
	for i := 0; i < n; i++ {
		b := mutate(content)
		if x, err := DecodeIndex("index", appendMAC(b, testIndexKey), testIndexKey); err == nil {
			y, err := DecodeIndex("index", x.Sign(testIndexKey), testIndexKey)
			if err != nil || !reflect.DeepEqual(x, y) {
				t.Fatalf("index round trip of %x: %v", b, err)
			}
		}
		s := mutate(seg)
		if entries, err := decodeSegment(s); err == nil {
			again, err := decodeSegment(encodeSegmentRaw(entries))
			if err != nil || !reflect.DeepEqual(entries, again) {
				t.Fatalf("segment round trip of %x: %v", s, err)
			}
		}
	}
}
