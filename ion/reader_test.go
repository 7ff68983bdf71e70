package ion

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
	"testing/iotest"
)

// buildStream writes a stream with two version markers, an appending symbol table, NOP pads and
// annotated values.
func buildStream(t *testing.T) ([]byte, []Datum) {
	var st Symtab
	var out Buffer
	want := []Datum{
		Struct(F("a", Int(1)), F("b", SymbolValue("c"))),
		Int(5).WithAnnotations("ann"),
		Struct(F("a", String("x")), F("late", Bool(true))),
		List(SymbolValue("d")),
		Struct(F("fresh", Null())),
	}
	var body Buffer
	want[0].Encode(&body, &st)
	want[1].Encode(&body, &st)
	st.Marshal(&out, true)
	out.WriteRaw([]byte{0x00, 0x03, 0xff, 0xff, 0xff}) // NOP pads
	out.WriteRaw(body.Bytes())
	since := st.Len()
	body.Reset()
	want[2].Encode(&body, &st)
	want[3].Encode(&body, &st)
	st.MarshalSince(&out, since)
	out.WriteRaw(body.Bytes())
	// a new version marker resets the table; a new one follows
	var st2 Symtab
	body.Reset()
	want[4].Encode(&body, &st2)
	st2.Marshal(&out, true)
	out.WriteRaw(body.Bytes())
	return out.Bytes(), want
}

func TestReaderStream(t *testing.T) {
	stream, want := buildStream(t)
	for name, r := range map[string]*Reader{
		"bytes":     NewBytesReader(stream),
		"reader":    NewReader(bytes.NewReader(stream)),
		"one byte":  NewReader(iotest.OneByteReader(bytes.NewReader(stream))),
		"data+EOF":  NewReader(iotest.DataErrReader(bytes.NewReader(stream))),
		"half read": NewReader(iotest.HalfReader(bytes.NewReader(stream))),
	} {
		var got []Datum
		for r.Next() {
			d, _, err := DecodeDatum(r.Value(), r.Symtab())
			if err != nil {
				t.Fatalf("%s: value at %d: %v", name, r.Offset(), err)
			}
			if r.Offset() < 0 || r.Offset() >= int64(len(stream)) || !bytes.Equal(stream[r.Offset():r.Offset()+int64(len(r.Value()))], r.Value()) {
				t.Fatalf("%s: offset %d does not locate the value", name, r.Offset())
			}
			got = append(got, d)
		}
		if r.Err() != nil {
			t.Fatalf("%s: %v", name, r.Err())
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
		}
		for i := range want {
			if !got[i].Equal(want[i]) {
				t.Errorf("%s: value %d = %s, want %s", name, i, got[i], want[i])
			}
		}
	}
}

func TestReaderErrors(t *testing.T) {
	cases := []struct {
		in  string
		err error
		off int64
	}{
		{"e0 01 00 ea 21", ErrTruncated, 4},
		{"e0 01 00 ea 21 01 e0 01 01 ea", ErrInvalid, 6},
		{"e0 01 00 ea 21 01 e0 01", ErrTruncated, 6},
		{"e0 01 00 ea f0", ErrInvalid, 4},
		{"e0 01 00 ea 8e 90 61", ErrTruncated, 4},
	}
	for _, c := range cases {
		for _, r := range []*Reader{NewBytesReader(hexBytes(t, c.in)), NewReader(iotest.OneByteReader(bytes.NewReader(hexBytes(t, c.in))))} {
			for r.Next() {
			}
			var se *SyntaxError
			if !errors.Is(r.Err(), c.err) || !errors.As(r.Err(), &se) || se.Offset != c.off {
				t.Errorf("%s: %v, want %v at %d", c.in, r.Err(), c.err, c.off)
			}
		}
	}
	// a read error is reported as such
	r := NewReader(iotest.TimeoutReader(bytes.NewReader(hexBytes(t, "e0 01 00 ea 8e 90 61"))))
	for r.Next() {
	}
	if !errors.Is(r.Err(), iotest.ErrTimeout) {
		t.Errorf("read error: %v", r.Err())
	}
}

// TestReaderHugeLength: a length field claiming far more than the input must not make the
// reader allocate it.
func TestReaderHugeLength(t *testing.T) {
	in := hexBytes(t, "e0 01 00 ea 8e 07 7f 7f 7f ff 61 62 63") // a string claiming ~2 GiB
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := NewReader(bytes.NewReader(in))
	for r.Next() {
	}
	runtime.ReadMemStats(&after)
	if !errors.Is(r.Err(), ErrTruncated) {
		t.Fatalf("err %v", r.Err())
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("allocated %d bytes for a %d-byte input", grew, len(in))
	}
	if _, err := DecodeAll(in); !errors.Is(err, ErrTruncated) {
		t.Fatalf("DecodeAll: %v", err)
	}
}

func TestReaderEmpty(t *testing.T) {
	for _, in := range [][]byte{nil, BVM(), {0x00}} {
		r := NewReader(bytes.NewReader(in))
		if r.Next() || r.Err() != nil {
			t.Errorf("% x: Next %v err %v", in, r.Value(), r.Err())
		}
	}
	r := NewReader(iotest.ErrReader(io.ErrUnexpectedEOF))
	if r.Next() || !errors.Is(r.Err(), io.ErrUnexpectedEOF) {
		t.Errorf("failing reader: %v", r.Err())
	}
}
