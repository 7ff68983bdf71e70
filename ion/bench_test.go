package ion

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// benchRows returns the checked-in sample of bench-generator rows (ND-JSON).
func benchRows(b testing.TB) []byte {
	data, err := os.ReadFile("testdata/events.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// benchIon converts the sample rows to Ion: the symbol table and one buffer of rows, plus the
// offsets of each row.
func benchIon(b testing.TB) (*Symtab, []byte, [][]byte) {
	data := benchRows(b)
	var st Symtab
	var buf Buffer
	d := NewJSONDecoder(bytes.NewReader(data), &st)
	var ends []int
	for {
		err := d.Next(&buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		ends = append(ends, buf.Size())
	}
	rows := make([][]byte, len(ends))
	start := 0
	for i, e := range ends {
		rows[i] = buf.Bytes()[start:e]
		start = e
	}
	return &st, buf.Bytes(), rows
}

func BenchmarkJSONToIon(b *testing.B) {
	data := benchRows(b)
	_, want, _ := benchIon(b)
	var st Symtab
	var buf Buffer
	r := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer() // the setup's allocations are not the benchmark's
	var err error
	for i := 0; i < b.N; i++ {
		r.Reset(data)
		buf.Reset()
		d := NewJSONDecoder(r, &st)
		for err = d.Next(&buf); err == nil; err = d.Next(&buf) {
		}
	}
	b.StopTimer()
	if err != io.EOF || !bytes.Equal(buf.Bytes(), want) {
		b.Fatalf("conversion ended with %v after %d bytes, want io.EOF after %d", err, buf.Size(), len(want))
	}
}

// walkStruct visits every field of a struct body, and recursively of nested values, with the
// cursor, the way a scan does: type from the descriptor, containers entered by their body.
// walkStruct and walkList repeat their type switch on purpose: a shared walkValue, being part of
// a recursive cycle, is not inlined, and the extra call per value costs the walk about 7%.
func walkStruct(body []byte) int {
	n := 0
	it := StructFields(body)
	for it.Next() {
		n += int(it.Symbol())
		switch TypeOf(it.Value()) {
		case StructType:
			n += walkStruct(it.Body())
		case ListType, SexpType:
			n += walkList(it.Body())
		default:
			n++
		}
	}
	return n
}

func walkList(body []byte) int {
	n := 0
	it := Sequence(body)
	for it.Next() {
		switch TypeOf(it.Value()) {
		case StructType:
			n += walkStruct(it.Body())
		case ListType, SexpType:
			n += walkList(it.Body())
		default:
			n++
		}
	}
	return n
}

func BenchmarkCursorWalk(b *testing.B) {
	_, all, rows := benchIon(b)
	want := 0
	for _, r := range rows {
		want += walkList(r)
	}
	b.SetBytes(int64(len(all)))
	b.ReportAllocs()
	b.ResetTimer() // the setup's allocations are not the benchmark's
	n := 0
	for i := 0; i < b.N; i++ {
		n = walkList(all)
	}
	b.StopTimer()
	if n != want {
		b.Fatalf("walk of all rows counted %d, want %d (the sum over rows)", n, want)
	}
}

func BenchmarkIonToJSON(b *testing.B) {
	st, all, rows := benchIon(b)
	// the expected text, row by row without the field name cache
	var want []byte
	for _, r := range rows {
		var err error
		if want, _, err = AppendJSON(want, r, st); err != nil {
			b.Fatal(err)
		}
		want = append(want, '\n')
	}
	var w JSONWriter
	var out []byte
	b.SetBytes(int64(len(all)))
	b.ReportAllocs()
	b.ResetTimer() // the setup's allocations are not the benchmark's
	for i := 0; i < b.N; i++ {
		out = out[:0]
		for _, r := range rows {
			var err error
			out, _, err = w.Append(out, r, st)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, '\n')
		}
	}
	b.StopTimer()
	if !bytes.Equal(out, want) {
		b.Fatalf("output of %d bytes differs from the uncached rendering (%d bytes)", len(out), len(want))
	}
}

func BenchmarkInternBytes(b *testing.B) {
	var st Symtab
	keys := [][]byte{[]byte("id"), []byte("type"), []byte("actor"), []byte("created_at"), []byte("payload"), []byte("user_agent")}
	ids := make([]Symbol, len(keys))
	for i, k := range keys {
		ids[i] = st.InternBytes(k)
	}
	b.ReportAllocs()
	b.ResetTimer() // the setup's allocations are not the benchmark's
	var sum, want Symbol
	for i := 0; i < b.N; i++ {
		sum += st.InternBytes(keys[i%len(keys)])
	}
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		want += ids[i%len(ids)]
	}
	if sum != want {
		b.Fatalf("interned IDs sum to %d, want %d", sum, want)
	}
}
