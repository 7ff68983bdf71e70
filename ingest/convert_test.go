package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sneller-re/sneller/pack"
)

// eventRows returns n ND-JSON rows shaped like the benchmark's events (testdata/events.json),
// each tagged with "src": tag and a row number.
func eventRows(t testing.TB, tag string, n int) []byte {
	t.Helper()
	seed, err := os.ReadFile("testdata/events.json")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(seed), []byte("\n"))
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		line := lines[i%len(lines)]
		fmt.Fprintf(&b, `{"src": %q, "row": %d, `, tag, i)
		b.Write(line[1:])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// convert runs Convert into a memory sink and checks the invariants every result keeps.
func convert(t *testing.T, inputs []Input, opt Options) (*Result, *memSink, error) {
	t.Helper()
	sink := &memSink{}
	res, err := Convert(context.Background(), inputs, sink, opt)
	if res == nil {
		t.Fatalf("no result (error %v)", err)
	}
	if len(res.Inputs) != len(inputs) {
		t.Fatalf("%d results for %d inputs", len(res.Inputs), len(inputs))
	}
	if err != nil {
		return res, sink, err
	}
	// every committed blob is listed, with the rows of its trailer, and the inputs
	// accepted into it name it
	if len(res.Blobs) != len(sink.blobs) {
		t.Fatalf("%d blobs in the result, %d committed", len(res.Blobs), len(sink.blobs))
	}
	var accepted int64
	for _, r := range res.Inputs {
		if r.Status == Accepted {
			accepted += r.Rows
		} else if r.Rows != 0 || len(r.Blobs) != 0 || r.Err == nil {
			t.Fatalf("%s: %s with %d rows in %v, error %v", r.Name, r.Status, r.Rows, r.Blobs, r.Err)
		}
	}
	var inBlobs int64
	for _, b := range res.Blobs {
		data, ok := sink.blobs[b.Name]
		if !ok || int64(len(data)) != b.Info.Size {
			t.Fatalf("blob %s: not committed with its size", b.Name)
		}
		if n := int64(len(blobRows(t, data))); n != b.Info.Rows {
			t.Fatalf("blob %s: %d rows read back, info says %d", b.Name, n, b.Info.Rows)
		}
		inBlobs += b.Info.Rows
		for _, i := range b.Inputs {
			if !contains(res.Inputs[i].Blobs, b.Name) {
				t.Fatalf("blob %s lists input %d, which does not list it", b.Name, i)
			}
		}
	}
	if inBlobs != accepted {
		t.Fatalf("%d rows in blobs, %d rows accepted", inBlobs, accepted)
	}
	return res, sink, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestConvertFormats(t *testing.T) {
	csvHints := `{"skip_records": 1, "fields": [{"name": "src"}, {"name": "n", "type": "int"}, {"name": "t", "type": "datetime", "format": "unix_seconds"}]}`
	csvText := "src,n,t\ncsv,1,1700000000\ncsv,2,1700000001\n"
	tsvText := "src\tn\tt\ntsv\t1\t1700000000\n"
	ct := `{"Records": [{"src": "ct", "n": 1}, {"src": "ct", "n": 2}]}`
	js := eventRows(t, "json", 50)
	inputs := []Input{
		bytesInput("a.json", "", js, ""),
		bytesInput("b.json.gz", "", gzipBytes(t, eventRows(t, "gz", 30)), ""),
		bytesInput("c.json.zst", "", zstdBytes(t, eventRows(t, "zst", 20)), ""),
		bytesInput("d.cloudtrail.json.gz", "", gzipBytes(t, []byte(ct)), ""),
		bytesInput("e.csv.gz", "", gzipBytes(t, []byte(csvText)), csvHints),
		bytesInput("f.data", "tsv.zst", zstdBytes(t, []byte(tsvText)), csvHints),
		bytesInput("g.json", "json", []byte(`{"src": "hinted", "ts": 1700000000}`), `{"ts": "unix_seconds"}`),
	}
	res, sink, err := convert(t, inputs, Options{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i, in := range inputs {
		r := res.Inputs[i]
		if r.Status != Accepted {
			t.Fatalf("%s: %s: %v", in.Name, r.Status, r.Err)
		}
		format := in.Format
		if format == "" {
			format, _ = FormatOf(in.Name)
		}
		data, _ := io.ReadAll(must(in.Open(context.Background())))
		rows, err := decodeRows(t, format, data, string(in.Hints), DecoderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(rows)) != r.Rows || r.Bytes != int64(len(data)) || (format == "json" && r.TextBytes != r.Bytes) || r.TextBytes == 0 {
			t.Fatalf("%s: %d rows, %d bytes, %d text bytes; want %d rows, %d bytes", in.Name, r.Rows, r.Bytes, r.TextBytes, len(rows), len(data))
		}
		want = append(want, rows...)
	}
	if msg, ok := sameMultiset(allBlobRows(t, sink), want); !ok {
		t.Fatal(msg)
	}
}

func must(rc io.ReadCloser, err error) io.ReadCloser {
	if err != nil {
		panic(err)
	}
	return rc
}

// TestConvertRejectsMalformedInput puts a malformed row in the middle of a large input that is
// spread over several workers and blobs: that input alone is rejected, with the line of the
// fault, and none of its rows can be read from the blobs.
func TestConvertRejectsMalformedInput(t *testing.T) {
	n := 6000
	if testing.Short() {
		n = 2000
	}
	bad := eventRows(t, "bad", n)
	lines := bytes.SplitAfter(bad, []byte("\n"))
	badLine := n * 3 / 4
	lines[badLine-1] = []byte(`{"src": "bad", "oops": [1, 2}` + "\n")
	bad = bytes.Join(lines, nil)
	for _, format := range []string{"json", "json.gz", "json/exact"} {
		exact := strings.HasSuffix(format, "/exact")
		format = strings.TrimSuffix(format, "/exact")
		data := compressed(t, format, bad)
		inputs := []Input{
			bytesInput("good1.json", "json", eventRows(t, "good1", n/2), ""),
			bytesInput("bad", format, data, ""),
			bytesInput("good2.json", "json", eventRows(t, "good2", n/3), ""),
		}
		res, sink, err := convert(t, inputs, Options{Workers: 4, ChunkBytes: 16 << 10, BlobBytes: 64 << 10,
			Block: pack.BuilderOptions{MaxRows: 300}, exactJSON: exact})
		if err != nil {
			t.Fatal(err)
		}
		r := res.Inputs[1]
		var re *RowError
		if r.Status != Rejected || !errors.As(r.Err, &re) || re.Line != badLine || !strings.HasPrefix(r.Err.Error(), "bad: line ") {
			t.Fatalf("%s: %s, %v; want rejected at line %d", format, r.Status, r.Err, badLine)
		}
		for _, i := range []int{0, 2} {
			if res.Inputs[i].Status != Accepted {
				t.Fatalf("%s: %s", res.Inputs[i].Name, res.Inputs[i].Err)
			}
		}
		rows := allBlobRows(t, sink)
		for _, row := range rows {
			if strings.Contains(row, `"src":'bad'`) {
				t.Fatalf("%s: a row of the rejected input is readable: %s", format, row)
			}
		}
		if len(rows) != n/2+n/3 {
			t.Fatalf("%s: %d rows, want %d", format, len(rows), n/2+n/3)
		}
		if len(res.Blobs) < 2 {
			t.Fatalf("%s: %d blobs; the test wants the input spread over several", format, len(res.Blobs))
		}
		if want := map[bool]int{false: 1, true: 0}[exact]; res.retried != want {
			t.Fatalf("%s: %d inputs converted again, want %d", format, res.retried, want)
		}
	}
}

// TestConvertSplitMatchesOneWorker converts a large input cut into many chunks on several
// workers, and as one piece on one worker: the same rows come out.
func TestConvertSplitMatchesOneWorker(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 5000
	}
	data := eventRows(t, "x", n)
	// a top-level array of pretty-printed rows in the middle as well, longer than a chunk
	data = append(data, []byte("[\n")...)
	for i := 0; i < 200; i++ {
		data = append(data, []byte(`{"src": "arr", "a": {"b": [1, "}"]}},`+"\n"+`{"src": "arr",`+"\n  \"c\": 2},\n")...)
	}
	data = append(data, []byte(`{"src": "arr"}`+"\n]\n")...)
	data = append(data, eventRows(t, "y", n/4)...)
	one, sink1, err := convert(t, []Input{bytesInput("big.json", "", data, "")}, Options{Workers: 1, ChunkBytes: 1 << 30, exactJSON: true})
	if err != nil {
		t.Fatal(err)
	}
	if one.Inputs[0].Status != Accepted {
		t.Fatal(one.Inputs[0].Err)
	}
	a := allBlobRows(t, sink1)
	if len(a) != n+n/4+401 {
		t.Fatalf("%d rows, want %d", len(a), n+n/4+401)
	}
	ndjson := append(eventRows(t, "x", n), eventRows(t, "y", n/4)...)
	for _, c := range []struct {
		name    string
		data    []byte
		exact   bool
		retried int
	}{
		{"exact", data, true, 0},
		{"lines then exact", data, false, 1},
		{"lines", ndjson, false, 0},
	} {
		many, sinkN, err := convert(t, []Input{bytesInput("big.json", "", c.data, "")}, Options{Workers: 4, Readers: 1, ChunkBytes: 8 << 10, exactJSON: c.exact})
		if err != nil {
			t.Fatal(err)
		}
		if many.Inputs[0].Status != Accepted || many.retried != c.retried {
			t.Fatalf("%s: %v, %d inputs converted again", c.name, many.Inputs[0].Err, many.retried)
		}
		want := a
		if c.name == "lines" {
			want = nil
			for _, r := range a {
				if !strings.Contains(r, "'arr'") {
					want = append(want, r)
				}
			}
		}
		if msg, ok := sameMultiset(allBlobRows(t, sinkN), want); !ok {
			t.Fatalf("%s: %s", c.name, msg)
		}
	}
}

// TestConvertBlobSize checks that blobs stay near their target size.
func TestConvertBlobSize(t *testing.T) {
	var inputs []Input
	for i := 0; i < 6; i++ {
		inputs = append(inputs, bytesInput(fmt.Sprintf("in%d.json", i), "", eventRows(t, fmt.Sprint(i), 1500), ""))
	}
	const target = 100 << 10
	res, _, err := convert(t, inputs, Options{Workers: 2, BlobBytes: target, Block: pack.BuilderOptions{MaxRows: 200}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Blobs) < 3 {
		t.Fatalf("%d blobs", len(res.Blobs))
	}
	var maxBlock int64
	for _, b := range res.Blobs {
		for _, bm := range b.Info.Trailer.Blocks {
			maxBlock = max(maxBlock, bm.Size)
		}
	}
	for _, b := range res.Blobs {
		// the blob is closed after the block that reaches the target, and the trailer follows
		if b.Info.Size > target+maxBlock+b.Info.TrailerSize+16 {
			t.Errorf("blob %s: %d bytes for a target of %d (largest block %d)", b.Name, b.Info.Size, target, maxBlock)
		}
	}
}

// failingReader returns an error after n bytes.
type failingReader struct {
	r   io.Reader
	n   int
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= n
	return n, err
}

func TestConvertFailedInputs(t *testing.T) {
	errNet := errors.New("connection reset")
	good := eventRows(t, "good", 100)
	gz := gzipBytes(t, good)
	corrupt := bytes.Clone(gz)
	corrupt[len(corrupt)-5] ^= 1
	inputs := []Input{
		{Name: "noopen.json", Open: func(context.Context) (io.ReadCloser, error) { return nil, errNet }},
		{Name: "reset.json", Open: func(context.Context) (io.ReadCloser, error) {
			return io.NopCloser(&failingReader{r: bytes.NewReader(good), n: 5000, err: errNet}), nil
		}},
		bytesInput("hints.json", "", good, `{"a": "integer"}`),
		bytesInput("what.parquet", "", good, ""),
		bytesInput("corrupt.json.gz", "", corrupt, ""),
		bytesInput("notobject.json", "", []byte("{\"a\": 1}\n[1]\n"), ""),
		bytesInput("good.json.gz", "", gz, ""),
	}
	res, sink, err := convert(t, inputs, Options{Workers: 2, ChunkBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		s  Status
		is error
	}{{Failed, errNet}, {Failed, errNet}, {Failed, ErrBadHints}, {Failed, ErrUnknownFormat},
		{Rejected, ErrCorruptCompression}, {Rejected, ErrNotObject}, {Accepted, nil}}
	for i, w := range want {
		r := res.Inputs[i]
		var ie *InputError
		if r.Status != w.s || (w.is != nil && (!errors.Is(r.Err, w.is) || !errors.As(r.Err, &ie) || ie.Input != inputs[i].Name)) {
			t.Errorf("%s: %s, %v; want %s, %v", inputs[i].Name, r.Status, r.Err, w.s, w.is)
		}
	}
	if rows := allBlobRows(t, sink); len(rows) != 100 {
		t.Errorf("%d rows, want the 100 of the good input", len(rows))
	}
}

// TestConvertRetractsWholeBlob rejects the only input after its blocks were written: its blob
// is aborted, not committed.
func TestConvertRetractsWholeBlob(t *testing.T) {
	data := append(eventRows(t, "x", 3000), []byte("{\"bad\": }\n")...)
	res, sink, err := convert(t, []Input{bytesInput("x.json", "", data, "")}, Options{Workers: 2, ChunkBytes: 8 << 10,
		BlobBytes: 32 << 10, Block: pack.BuilderOptions{MaxRows: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Status != Rejected || len(res.Blobs) != 0 || len(sink.blobs) != 0 || sink.aborted == 0 {
		t.Fatalf("%s, %d blobs, %d committed, %d aborted", res.Inputs[0].Status, len(res.Blobs), len(sink.blobs), sink.aborted)
	}
}

func TestConvertSinkFailure(t *testing.T) {
	inputs := []Input{bytesInput("a.json", "", eventRows(t, "a", 2000), ""), bytesInput("b.json", "", eventRows(t, "b", 2000), "")}
	sink := &memSink{failAt: 2}
	res, err := Convert(context.Background(), inputs, sink, Options{Workers: 2, BlobBytes: 16 << 10, Block: pack.BuilderOptions{MaxRows: 100}})
	if !errors.Is(err, errSinkFull) {
		t.Fatalf("error %v", err)
	}
	for _, r := range res.Inputs {
		if r.Status != Failed || !errors.Is(r.Err, errSinkFull) {
			t.Errorf("%s: %s, %v", r.Name, r.Status, r.Err)
		}
	}
}

func TestConvertCancel(t *testing.T) {
	var inputs []Input
	for i := 0; i < 8; i++ {
		inputs = append(inputs, bytesInput(fmt.Sprintf("%d.json", i), "", eventRows(t, "c", 2000), ""))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	sink := &memSink{}
	_, err := Convert(ctx, inputs, sink, Options{Workers: 2, ChunkBytes: 8 << 10, Block: pack.BuilderOptions{MaxRows: 100},
		Progress: func(Progress) {
			if calls.Add(1) == 3 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if len(sink.blobs) != 0 {
		t.Fatalf("%d blobs committed after cancellation", len(sink.blobs))
	}
}

func TestConvertProgress(t *testing.T) {
	var inputs []Input
	var total int64
	for i := 0; i < 5; i++ {
		data := eventRows(t, "p", 500)
		total += int64(len(data))
		inputs = append(inputs, bytesInput(fmt.Sprintf("%d.json", i), "", data, ""))
	}
	var last Progress
	calls := 0
	_, _, err := convert(t, inputs, Options{Workers: 2, ChunkBytes: 8 << 10, Block: pack.BuilderOptions{MaxRows: 100},
		Progress: func(p Progress) {
			if p.Bytes < last.Bytes || p.Rows < last.Rows || p.InputsDone < last.InputsDone || p.BlobBytes < last.BlobBytes || p.Inputs != 5 {
				t.Errorf("progress went back: %+v after %+v", p, last)
			}
			last = p
			calls++
		}})
	if err != nil {
		t.Fatal(err)
	}
	if last.InputsDone != 5 || last.Bytes != total || last.Rows != 2500 || last.BlobBytes == 0 || calls < 10 {
		t.Fatalf("last progress %+v after %d calls", last, calls)
	}
}

func TestDirSink(t *testing.T) {
	dir := t.TempDir()
	inputs := []Input{bytesInput("a.json", "", eventRows(t, "a", 10000), "")}
	res, err := Convert(context.Background(), inputs, &DirSink{Dir: dir}, Options{Workers: 2, BlobBytes: 64 << 10,
		ChunkBytes: 64 << 10, Block: pack.BuilderOptions{MaxRows: 500}})
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(res.Blobs) || len(res.Blobs) < 2 {
		t.Fatalf("%d files for %d blobs", len(entries), len(res.Blobs))
	}
	rows := 0
	for _, b := range res.Blobs {
		if filepath.Dir(b.Name) != dir || !strings.HasPrefix(filepath.Base(b.Name), "packed-") || !strings.HasSuffix(b.Name, ".pack") {
			t.Errorf("blob name %s", b.Name)
		}
		f, err := os.Open(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		blob, err := pack.Open(context.Background(), b.Name, pack.FileFetcher{F: f}, b.Info.Size, &b.Info.TrailerHash)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < blob.Blocks(); i++ {
			rows += blob.Summary(i).Rows()
		}
		f.Close()
	}
	if rows != 10000 {
		t.Fatalf("%d rows in the files", rows)
	}
	// an aborted blob leaves nothing behind
	w, err := (&DirSink{Dir: dir}).Create(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("partial"))
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != len(res.Blobs) {
		t.Fatalf("%d files after an abort", len(entries))
	}
}

// TestConvertHintErrorLine checks that a fault found by the hints in a large JSON input names
// its exact line and field, whatever the cutting.
func TestConvertHintErrorLine(t *testing.T) {
	data := eventRows(t, "h", 3000)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[2499] = []byte(`{"src": "h", "status": "teapot"}` + "\n")
	data = bytes.Join(lines, nil)
	for _, exact := range []bool{false, true} {
		res, _, err := convert(t, []Input{bytesInput("h.json", "", data, `{"status": "int"}`)}, Options{Workers: 3, ChunkBytes: 8 << 10, exactJSON: exact})
		if err != nil {
			t.Fatal(err)
		}
		var re *RowError
		r := res.Inputs[0]
		if r.Status != Rejected || !errors.As(r.Err, &re) || re.Line != 2500 || re.Column != 1 || re.Field != "status" || !errors.Is(r.Err, ErrBadValue) {
			t.Fatalf("exact %v: %s, %v", exact, r.Status, r.Err)
		}
	}
}

// TestConvertSmallInputsShareBlocks checks that small inputs fill blocks together, that a
// faulty small input stays out of them, and that large inputs keep blocks of their own.
func TestConvertSmallInputsShareBlocks(t *testing.T) {
	var inputs []Input
	want := 0
	for i := 0; i < 60; i++ {
		name := fmt.Sprintf("small-%02d.json", i)
		data := eventRows(t, name, 20+i)
		switch i {
		case 13:
			data = append(data, []byte("{\"src\": \""+name+"\", \"x\": nope}\n")...)
		case 27:
			data = []byte("{\"src\": \"" + name + "\"}\n[1]\n")
		default:
			want += 20 + i
		}
		if i%3 == 0 {
			inputs = append(inputs, bytesInput(name+".gz", "", gzipBytes(t, data), ""))
		} else {
			inputs = append(inputs, bytesInput(name, "", data, ""))
		}
	}
	large := eventRows(t, "large", 4000)
	inputs = append(inputs, bytesInput("large.json", "", large, ""))
	want += 4000
	res, sink, err := convert(t, inputs, Options{Workers: 3, ChunkBytes: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res.Inputs {
		wantStatus := Accepted
		if i == 13 || i == 27 {
			wantStatus = Rejected
		}
		if r.Status != wantStatus {
			t.Errorf("%s: %s, %v", r.Name, r.Status, r.Err)
		}
	}
	rows := allBlobRows(t, sink)
	if len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	for _, row := range rows {
		if strings.Contains(row, "small-13") || strings.Contains(row, "small-27") {
			t.Fatalf("a row of a rejected input is readable: %s", row)
		}
	}
	// the small inputs fill a few blocks between them (each worker has one open at a time);
	// the large input's rows are alone in their blocks
	smallBlocks := 0
	for _, b := range res.Blobs {
		blob, err := pack.Open(context.Background(), b.Name, pack.BytesFetcher(sink.blobs[b.Name]), b.Info.Size, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < blob.Blocks(); i++ {
			r, ok := blob.Summary(i).Range([]string{"src"})
			if !ok || !r.Str {
				t.Fatalf("block %d has no src range", i)
			}
			if (string(r.StrMin) == "large") != (string(r.StrMax) == "large") {
				t.Fatalf("block %d mixes the large input with others: %q..%q", i, r.StrMin, r.StrMax)
			}
			if string(r.StrMin) != "large" {
				smallBlocks++
			}
		}
	}
	if smallBlocks > 2*3 {
		t.Fatalf("58 small inputs in %d blocks", smallBlocks)
	}
}
