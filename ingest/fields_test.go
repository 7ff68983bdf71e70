package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// memSink keeps committed blobs in memory.
type memSink struct {
	mu    sync.Mutex
	blobs map[string][]byte
	n     int
}

type memBlob struct {
	s    *memSink
	name string
	buf  bytes.Buffer
}

func (s *memSink) Create(context.Context) (BlobWriter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return &memBlob{s: s, name: "blob" + string(rune('a'+s.n))}, nil
}

func (b *memBlob) Write(p []byte) (int, error) { return b.buf.Write(p) }
func (b *memBlob) Name() string                { return b.name }
func (b *memBlob) Abort() error                { return nil }
func (b *memBlob) Commit(context.Context, *pack.Info) error {
	b.s.mu.Lock()
	defer b.s.mu.Unlock()
	if b.s.blobs == nil {
		b.s.blobs = map[string][]byte{}
	}
	b.s.blobs[b.name] = b.buf.Bytes()
	return nil
}

// canon renders a datum as text with struct fields sorted, so that rows compare whatever the
// order of their fields.
func canon(d ion.Datum) string {
	switch d.Type() {
	case ion.StructType:
		fs := d.Fields()
		parts := make([]string, len(fs))
		for i, f := range fs {
			parts[i] = f.Name.Text + ":" + canon(f.Value)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ",") + "}"
	case ion.ListType:
		var parts []string
		for _, e := range d.Elems() {
			parts = append(parts, canon(e))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	return d.String()
}

func (s *memSink) rows(t *testing.T) []string {
	t.Helper()
	var out []string
	for name, data := range s.blobs {
		b, err := pack.Open(context.Background(), name, pack.BytesFetcher(data), int64(len(data)), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < b.Blocks(); i++ {
			var st ion.Symtab
			err := b.Rows(context.Background(), i, &st, func(row []byte) error {
				d, _, err := ion.DecodeDatum(row, &st)
				if err != nil {
					return err
				}
				out = append(out, canon(d))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	sort.Strings(out)
	return out
}

func textInput(name, text string, fields ...ion.Field) Input {
	return Input{Name: name, Fields: fields, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(text)), nil
	}}
}

func TestConvertFields(t *testing.T) {
	ts, ok := ion.ParseRFC3339([]byte("2024-03-01T00:00:00Z"))
	if !ok {
		t.Fatal("bad timestamp")
	}
	inputs := []Input{
		textInput("a.json", `{"x":1,"day":"overridden"}`+"\n"+`{"x":2}`,
			ion.F("day", ion.TimestampValue(ts)), ion.F("region", ion.String("eu"))),
		textInput("b.json", `{"x":3}`),
		textInput("c.csv", "1,2\n", ion.F("k", ion.Int(7))), // CSV without hints: fails
	}
	var sink memSink
	res, err := Convert(context.Background(), inputs, &sink, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Inputs[0].Status != Accepted || res.Inputs[1].Status != Accepted || res.Inputs[2].Status == Accepted {
		t.Fatalf("statuses %v %v %v", res.Inputs[0].Status, res.Inputs[1].Status, res.Inputs[2].Status)
	}
	got := sink.rows(t)
	want := []string{
		`{day:2024-03-01T00:00:00Z,region:"eu",x:1}`,
		`{day:2024-03-01T00:00:00Z,region:"eu",x:2}`,
		`{x:3}`,
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestConvertFieldsInvalid(t *testing.T) {
	for _, fields := range [][]ion.Field{
		{ion.F("", ion.Int(1))},
		{ion.F("a", ion.Int(1)), ion.F("a", ion.Int(2))},
	} {
		var sink memSink
		res, err := Convert(context.Background(), []Input{textInput("a.json", `{"x":1}`, fields...)}, &sink, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Inputs[0]; r.Status != Failed || !errors.Is(r.Err, ErrBadFields) {
			t.Fatalf("fields %v: status %v err %v", fields, r.Status, r.Err)
		}
		if len(sink.blobs) != 0 {
			t.Fatal("a blob was committed")
		}
	}
}
