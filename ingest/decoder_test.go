package ingest

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/sneller-re/sneller/ion"
)

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	if _, err := z.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zstdBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	e, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	return e.EncodeAll(data, nil)
}

// compressed returns data compressed as the format's suffix says.
func compressed(t testing.TB, format string, data []byte) []byte {
	switch {
	case strings.HasSuffix(format, ".gz"):
		return gzipBytes(t, data)
	case strings.HasSuffix(format, ".zst"):
		return zstdBytes(t, data)
	}
	return data
}

// wantRows renders hand-written expected rows (JSON objects, one a line) like decodeRows.
func wantRows(t testing.TB, text string) []string {
	t.Helper()
	rows, err := referenceRows(t, []byte(text))
	if err != nil {
		t.Fatalf("expected rows: %v", err)
	}
	return rows
}

func checkRows(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d\ngot  %q\nwant %q", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s: row %d:\ngot  %s\nwant %s", what, i, got[i], want[i])
		}
	}
}

const sampleJSON = `{"id": 1, "s": "a", "t": "2024-03-01T10:00:00Z", "f": 1.5, "n": null, "b": true}
{"id": 2, "nested": {"x": [1, 2, {"y": "z"}]}, "big": 1e300, "neg": -7}

{"id": 3, "esc": "q\"uote\\\n\u00e9", "dup": 1, "dup": 2}
`

func TestDecoderJSONFormats(t *testing.T) {
	want, err := referenceRows(t, []byte(sampleJSON))
	if err != nil || len(want) != 3 {
		t.Fatalf("reference: %d rows, %v", len(want), err)
	}
	for _, f := range []string{"json", "json.gz", "json.zst"} {
		got, err := decodeRows(t, f, compressed(t, f, []byte(sampleJSON)), "", DecoderOptions{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
		checkRows(t, f, got, want)
	}
	// the same rows as a top-level array, pretty-printed
	arr := "[\n  " + strings.Join(strings.Split(strings.TrimSpace(strings.ReplaceAll(sampleJSON, "\n\n", "\n")), "\n"), ",\n  ") + "\n]\n"
	got, err := decodeRows(t, "json", []byte(arr), "", DecoderOptions{})
	if err != nil {
		t.Errorf("array: %v", err)
	}
	checkRows(t, "array", got, want)
	// several arrays and objects in a row, empty arrays
	got, err = decodeRows(t, "json", []byte(`[] [{"a":1}] {"b":2} [ {"c":3} , {"d":4} ]`), "", DecoderOptions{})
	if err != nil {
		t.Errorf("mixed: %v", err)
	}
	checkRows(t, "mixed", got, wantRows(t, `{"a":1} {"b":2} {"c":3} {"d":4}`))
	// a byte order mark, CRLF line ends
	got, err = decodeRows(t, "json", []byte("\xef\xbb\xbf{\"a\":1}\r\n{\"a\":2}\r\n"), "", DecoderOptions{})
	if err != nil {
		t.Errorf("bom: %v", err)
	}
	checkRows(t, "bom", got, wantRows(t, `{"a":1} {"a":2}`))
	// empty inputs
	for _, f := range []string{"json", "json.gz", "json.zst"} {
		got, err := decodeRows(t, f, compressed(t, f, nil), "", DecoderOptions{})
		if err != nil || len(got) != 0 {
			t.Errorf("empty %s: %d rows, %v", f, len(got), err)
		}
	}
	if got, err := decodeRows(t, "json.gz", nil, "", DecoderOptions{}); err != nil || len(got) != 0 {
		t.Errorf("zero-byte json.gz: %d rows, %v", len(got), err)
	}
}

func TestDecoderCloudTrail(t *testing.T) {
	text := `{"Records": [
  {"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z", "userIdentity": {"type": "IAMUser", "arn": "a]r{n"}},
  {"eventVersion": "1.08", "eventName": "GetObject", "resources": [{"ARN": "x"}]}
], "Other": {"k": ["Records", {"Records": [1]}]}, "n": -1.5e3, "t": true, "s": "x\"y"}
{"Records":[]}
{"meta": null, "Records": [{"eventName": "PutObject"}]}`
	want := wantRows(t, `{"eventVersion": "1.08", "eventTime": "2024-01-02T03:04:05Z", "userIdentity": {"type": "IAMUser", "arn": "a]r{n"}}
{"eventVersion": "1.08", "eventName": "GetObject", "resources": [{"ARN": "x"}]}
{"eventName": "PutObject"}`)
	got, err := decodeRows(t, "cloudtrail.json.gz", gzipBytes(t, []byte(text)), "", DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "cloudtrail", got, want)

	bad := []struct {
		text      string
		line, col int
	}{
		{`{"NotRecords": []}`, 1, 18},
		{`[{"a": 1}]`, 1, 1},
		{`{"Records": {"a": 1}}`, 1, 13},
		{"{\"Records\": [{\"a\": 1},\n 5]}", 2, 2},
		{`{"Records": [{"a": 1}] "x": 1}`, 1, 24},
		{`{"Records": [{"a": 1}]`, 1, 23},
		{`{"Records" [{"a": 1}]}`, 1, 12},
		{"{\"Records\": [{\"a\": 1}\n{\"b\": 2}]}", 2, 1},
	}
	for _, c := range bad {
		got, err := decodeRows(t, "cloudtrail.json.gz", gzipBytes(t, []byte(c.text)), "", DecoderOptions{})
		var re *RowError
		if !errors.As(err, &re) || re.Line != c.line || re.Column != c.col {
			t.Errorf("%q: rows %q, error %v; want line %d column %d", c.text, got, err, c.line, c.col)
		}
	}
	if err := ValidateHints("cloudtrail.json.gz", []byte(`{"a": "int"}`)); !errors.Is(err, ErrBadHints) {
		t.Errorf("cloudtrail hints: %v", err)
	}
}

func TestDecoderJSONErrors(t *testing.T) {
	cases := []struct {
		text      string
		rows      int // good rows before the error
		line, col int
		is        error
	}{
		{"{\"a\":1}\n{\"a\":2,}\n", 1, 2, 8, ion.ErrSyntax},
		{"{\"a\":1}\n5\n", 1, 2, 1, ErrNotObject},
		{"{\"a\":1}\n\"s\"", 1, 2, 1, ErrNotObject},
		{"{\"a\":1}\n[[1]]", 1, 2, 2, ErrNotObject},
		{"[{\"a\":1}, 7]", 1, 1, 11, ErrNotObject},
		{"[{\"a\":1} {\"b\":2}]", 1, 1, 10, ErrSyntax},
		{"[{\"a\":1},]", 1, 1, 10, ErrSyntax},
		{"[{\"a\":1}", 1, 1, 9, ErrSyntax},
		{"{\"a\":1}]", 1, 1, 8, ErrSyntax},
		{"{\"a\":1}\n{\"b\":", 1, 2, 6, ion.ErrSyntax},
		{"{\"a\": \"x\ny\"}", 0, 1, 9, ion.ErrSyntax},
		{"  {\"a\": tru}", 0, 1, 9, ion.ErrSyntax},
		{"{\"a\":1}\n\n   {\"b\": \"\xff\"}", 1, 3, 11, ion.ErrInvalid},
		{strings.Repeat("[", 70) + "]", 0, 1, 2, ErrNotObject},
		{"{\"a\":" + strings.Repeat("[", 70) + strings.Repeat("]", 70) + "}", 0, 1, 69, ion.ErrTooDeep},
	}
	for _, c := range cases {
		for _, chunk := range []int{0, 4096} {
			got, err := decodeRows(t, "json", []byte(c.text), "", DecoderOptions{ChunkBytes: chunk})
			var re *RowError
			if len(got) != c.rows || !errors.As(err, &re) || re.Line != c.line || re.Column != c.col || !errors.Is(err, c.is) {
				t.Errorf("%q: %d rows, error %v; want %d rows, line %d column %d, %v", c.text, len(got), err, c.rows, c.line, c.col, c.is)
			}
		}
	}
}

func TestDecoderCorruptCompression(t *testing.T) {
	good := gzipBytes(t, []byte(sampleJSON))
	bad := bytes.Clone(good)
	bad[len(bad)-6] ^= 0xff // the CRC
	if _, err := decodeRows(t, "json.gz", bad, "", DecoderOptions{}); !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("bad gzip CRC: %v", err)
	}
	if _, err := decodeRows(t, "json.gz", good[:len(good)/2], "", DecoderOptions{}); !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("truncated gzip: %v", err)
	}
	if _, err := decodeRows(t, "json.gz", []byte("not gzip at all"), "", DecoderOptions{}); !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("not gzip: %v", err)
	}
	z := zstdBytes(t, []byte(sampleJSON))
	if _, err := decodeRows(t, "json.zst", z[:len(z)-3], "", DecoderOptions{}); !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("truncated zstd: %v", err)
	}
	if _, err := decodeRows(t, "json.zst", []byte("not zstd at all, not at all"), "", DecoderOptions{}); !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("not zstd: %v", err)
	}
	// a concatenation of gzip members is one stream
	two := append(gzipBytes(t, []byte(`{"a":1}`+"\n")), gzipBytes(t, []byte(`{"a":2}`))...)
	got, err := decodeRows(t, "json.gz", two, "", DecoderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, "multi-member gzip", got, wantRows(t, `{"a":1} {"a":2}`))
}

// repeatReader yields n bytes: prefix, then fill repeated.
type repeatReader struct {
	prefix []byte
	fill   byte
	n      int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		if len(r.prefix) > 0 {
			c := copy(p[k:], r.prefix)
			r.prefix = r.prefix[c:]
			k += c
			r.n -= int64(c)
			continue
		}
		p[k] = r.fill
		k++
		r.n--
	}
	return k, nil
}

// compressStream compresses what r yields.
func compressStream(t testing.TB, format string, r io.Reader) []byte {
	t.Helper()
	var b bytes.Buffer
	var w io.WriteCloser
	if strings.HasSuffix(format, ".gz") {
		w = gzip.NewWriter(&b)
	} else {
		var err error
		w, err = zstd.NewWriter(&b)
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.Copy(w, r); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// allocDuring returns the bytes allocated while fn ran.
func allocDuring(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestDecompressionBombs feeds inputs that expand a thousandfold or more: a row that never
// ends is refused at the row limit, and whitespace streams through; memory stays bounded by
// the limit, not by the expanded size.
func TestDecompressionBombs(t *testing.T) {
	size := int64(256 << 20)
	if testing.Short() {
		size = 32 << 20
	}
	const maxRow = 1 << 20
	for _, f := range []string{"json.gz", "json.zst", "csv.gz", "tsv.zst"} {
		hints := ""
		if !strings.HasPrefix(f, "json") {
			hints = `{"fields": [{"name": "a"}]}`
		}
		// one endless row
		prefix := []byte(`{"a": "`)
		if hints != "" {
			prefix = nil
		}
		bomb := compressStream(t, f, &repeatReader{prefix: prefix, fill: 'a', n: size})
		if len(bomb) > int(size/100) {
			t.Fatalf("%s: the bomb is %d bytes", f, len(bomb))
		}
		var err error
		alloc := allocDuring(func() {
			_, err = decodeRows(t, f, bomb, hints, DecoderOptions{MaxRowBytes: maxRow})
		})
		if !errors.Is(err, ErrRowTooLarge) {
			t.Errorf("%s endless row: error %v, want ErrRowTooLarge", f, err)
		}
		if alloc > 16*maxRow {
			t.Errorf("%s endless row: allocated %d bytes for a row limit of %d", f, alloc, maxRow)
		}
		if !strings.HasPrefix(f, "json") {
			continue
		}
		// whitespace, then a row: streams in constant memory
		ws := compressStream(t, f, io.MultiReader(&repeatReader{fill: ' ', n: size}, strings.NewReader(`{"ok": true}`)))
		var rows []string
		alloc = allocDuring(func() {
			rows, err = decodeRows(t, f, ws, "", DecoderOptions{MaxRowBytes: maxRow})
		})
		if err != nil || len(rows) != 1 {
			t.Errorf("%s whitespace: %d rows, %v", f, len(rows), err)
		}
		if alloc > uint64(size/2) {
			t.Errorf("%s whitespace: allocated %d bytes for %d bytes of text", f, alloc, size)
		}
	}
}

// TestZstdWindowLimit checks that a frame asking for a window beyond MaxZstdWindow is refused
// rather than allocated.
func TestZstdWindowLimit(t *testing.T) {
	row := []byte(`{"a": 1}`)
	frame := func(windowLog int) []byte {
		// magic, a descriptor without content size or checksum, the window descriptor, and
		// one last raw block holding the row
		f := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, byte(windowLog-10) << 3}
		f = append(f, byte(1|len(row)<<3), 0, 0)
		return append(f, row...)
	}
	if got, err := decodeRows(t, "json.zst", frame(20), "", DecoderOptions{}); err != nil || len(got) != 1 {
		t.Fatalf("1 MiB window: %d rows, %v", len(got), err)
	}
	var err error
	alloc := allocDuring(func() { _, err = decodeRows(t, "json.zst", frame(30), "", DecoderOptions{}) })
	if !errors.Is(err, ErrCorruptCompression) {
		t.Errorf("1 GiB window: %v", err)
	}
	if alloc > 64<<20 {
		t.Errorf("1 GiB window: allocated %d bytes", alloc)
	}
}
