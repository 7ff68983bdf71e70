package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/vm"
)

// canon renders a value with struct fields sorted by name, so that rows compare whatever the
// order a blob gives their fields back in.
func canon(v vm.Value) string {
	var sb strings.Builder
	canonTo(&sb, v)
	return sb.String()
}

func canonTo(sb *strings.Builder, v vm.Value) {
	switch v.Kind() {
	case vm.KStruct:
		fields := append([]vm.Field(nil), v.Fields()...)
		sort.Slice(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
		sb.WriteByte('{')
		for i, f := range fields {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(f.Name))
			sb.WriteByte(':')
			canonTo(sb, f.Value)
		}
		sb.WriteByte('}')
	case vm.KList:
		sb.WriteByte('[')
		for i, x := range v.List() {
			if i > 0 {
				sb.WriteByte(',')
			}
			canonTo(sb, x)
		}
		sb.WriteByte(']')
	case vm.KFloat:
		if math.IsNaN(v.Float()) {
			sb.WriteString("NaN")
			return
		}
		sb.WriteString(vm.FormatValue(v))
	case vm.KOther:
		sb.WriteString("ion:" + strconv.Quote(string(v.Ion())))
	default:
		sb.WriteString(vm.FormatValue(v))
	}
}

// canonIon renders an encoded Ion row (symbols in st) like canon.
func canonIon(t testing.TB, row []byte, st *ion.Symtab) string {
	t.Helper()
	v, err := vm.DecodeIon(row, st)
	if err != nil {
		t.Fatalf("decoding a row: %v", err)
	}
	return canon(v)
}

// readRows calls next until io.EOF and returns the rows it wrote rendered by canon (symbols
// in st), with the error that ended them (nil at a clean end).
func readRows(t testing.TB, next func(*ion.Buffer) error, st *ion.Symtab) ([]string, error) {
	t.Helper()
	var rows []string
	var buf ion.Buffer
	for {
		buf.Reset()
		err := next(&buf)
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, canonIon(t, buf.Bytes(), st))
	}
}

// decodeRows reads every row of an input with a Decoder and returns them rendered by canon,
// with the error that ended them (nil at a clean end).
func decodeRows(t testing.TB, format string, data []byte, hints string, opt DecoderOptions) ([]string, error) {
	t.Helper()
	var st ion.Symtab
	var h []byte
	if hints != "" {
		h = []byte(hints)
	}
	d, err := NewDecoderOptions(format, bytes.NewReader(data), h, &st, opt)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return readRows(t, d.Next, &st)
}

// referenceRows loads JSON text the simple way: one ion.JSONDecoder over the whole text, every
// row required to be a struct. It is the oracle of the chunked paths.
func referenceRows(t testing.TB, text []byte) ([]string, error) {
	t.Helper()
	var st ion.Symtab
	d := ion.NewJSONDecoder(bytes.NewReader(text), &st)
	return readRows(t, func(buf *ion.Buffer) error {
		if err := d.Next(buf); err != nil {
			return err
		}
		if ion.TypeOf(buf.Bytes()) != ion.StructType {
			return ErrNotObject
		}
		return nil
	}, &st)
}

// memSink keeps blobs in memory.
type memSink struct {
	mu      sync.Mutex
	blobs   map[string][]byte
	aborted int
	n       int
	failAt  int // fail the failAt-th Create (from 1); 0 never
}

type memBlob struct {
	s    *memSink
	name string
	buf  bytes.Buffer
}

var errSinkFull = errors.New("sink full")

func (m *memSink) Create(context.Context) (BlobWriter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	if m.failAt > 0 && m.n >= m.failAt {
		return nil, errSinkFull
	}
	if m.blobs == nil {
		m.blobs = map[string][]byte{}
	}
	return &memBlob{s: m, name: "blob-" + strconv.Itoa(m.n)}, nil
}

func (b *memBlob) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *memBlob) Name() string                { return b.name }
func (b *memBlob) Commit(_ context.Context, info *pack.Info) error {
	if info.Size != int64(b.buf.Len()) {
		return errors.New("info size does not match the bytes written")
	}
	b.s.mu.Lock()
	b.s.blobs[b.name] = b.buf.Bytes()
	b.s.mu.Unlock()
	return nil
}
func (b *memBlob) Abort() error {
	b.s.mu.Lock()
	b.s.aborted++
	b.s.mu.Unlock()
	return nil
}

// blobRows reads every row of a blob back (through the query engine's reader) rendered by
// canon.
func blobRows(t testing.TB, data []byte) []string {
	t.Helper()
	blob, err := pack.Open(context.Background(), "test", pack.BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := 0; i < blob.Blocks(); i++ {
		fields, n, release, err := blob.Open(context.Background(), i, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := vm.NewCtx(context.Background(), vm.NewMemory(0), 0)
		row := vm.StructOf(c, n, vm.FullBitmap(nil, n), fields)
		for r := 0; r < n; r++ {
			out = append(out, canon(row.Get(r)))
		}
		release()
	}
	return out
}

// allBlobRows reads the rows of every committed blob of a sink.
func allBlobRows(t testing.TB, s *memSink) []string {
	var rows []string
	for _, data := range s.blobs {
		rows = append(rows, blobRows(t, data)...)
	}
	return rows
}

// sameMultiset reports the first difference between two multisets of rows.
func sameMultiset(got, want []string) (string, bool) {
	g := append([]string(nil), got...)
	w := append([]string(nil), want...)
	sort.Strings(g)
	sort.Strings(w)
	if len(g) != len(w) {
		return "got " + strconv.Itoa(len(g)) + " rows, want " + strconv.Itoa(len(w)), false
	}
	for i := range g {
		if g[i] != w[i] {
			return "row differs: got " + g[i] + ", want " + w[i], false
		}
	}
	return "", true
}

// bytesInput is an Input over bytes in memory.
func bytesInput(name, format string, data []byte, hints string) Input {
	in := Input{Name: name, Format: format, Size: int64(len(data)), Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	if hints != "" {
		in.Hints = []byte(hints)
	}
	return in
}
