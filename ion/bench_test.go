package ion

import (
	"bytes"
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
		if err != nil {
			break
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
	var st Symtab
	var buf Buffer
	r := bytes.NewReader(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.Reset(data)
		buf.Reset()
		d := NewJSONDecoder(r, &st)
		for {
			if err := d.Next(&buf); err != nil {
				break
			}
		}
	}
}

// walkStruct visits every field of a struct body, and recursively of nested values, with the
// cursor, the way a scan does: type from the descriptor, containers entered by their body.
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
	_, all, _ := benchIon(b)
	b.SetBytes(int64(len(all)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		walkList(all)
	}
}

func BenchmarkIonToJSON(b *testing.B) {
	st, all, rows := benchIon(b)
	var w JSONWriter
	var out []byte
	b.SetBytes(int64(len(all)))
	b.ReportAllocs()
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
}

func BenchmarkInternBytes(b *testing.B) {
	var st Symtab
	keys := [][]byte{[]byte("id"), []byte("type"), []byte("actor"), []byte("created_at"), []byte("payload"), []byte("user_agent")}
	for _, k := range keys {
		st.InternBytes(k)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		st.InternBytes(keys[i%len(keys)])
	}
}
