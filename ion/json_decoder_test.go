package ion

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/big"
	"strings"
	"testing"
	"testing/iotest"
)

func mustTS(t *testing.T, s string) Datum {
	t.Helper()
	ts, ok := ParseRFC3339([]byte(s))
	if !ok {
		t.Fatalf("bad timestamp %s", s)
	}
	return TimestampValue(ts)
}

// fromJSON converts one JSON text and decodes the result.
func fromJSON(t *testing.T, text string) (Datum, error) {
	t.Helper()
	var b Buffer
	var st Symtab
	if err := FromJSON(&b, &st, []byte(text)); err != nil {
		return Datum{}, err
	}
	d, rest, err := DecodeDatum(b.Bytes(), &st)
	if err != nil || len(rest) != 0 {
		t.Fatalf("%s: converted Ion does not decode: %v", text, err)
	}
	return d, nil
}

func TestJSONValues(t *testing.T) {
	big19, _ := new(big.Int).SetString("9223372036854775807", 10)
	cases := []struct {
		in   string
		want Datum
	}{
		{`null`, Null()},
		{` true `, Bool(true)},
		{`false`, Bool(false)},
		{`0`, Int(0)},
		{`-0`, Int(0)},
		{`-0.0`, Float(math.Copysign(0, -1))},
		{`-0e0`, Float(math.Copysign(0, -1))},
		{`0.0`, Int(0)},
		{`3`, Int(3)},
		{`3.0`, Int(3)},
		{`3.000e0`, Int(3)},
		{`1e3`, Int(1000)},
		{`1E+3`, Int(1000)},
		{`30e-1`, Int(3)},
		{`-42`, Int(-42)},
		{`0.5`, Float(0.5)},
		{`117.228`, Float(117.228)},
		{`1.5e300`, Float(1.5e300)},
		{`1e-400`, Float(0)},
		{`1e400`, Float(math.Inf(1))},
		{`-1e400`, Float(math.Inf(-1))},
		{`9223372036854775807`, BigInt(big19)},
		{`-9223372036854775808`, Int(math.MinInt64)},
		{`9223372036854775808`, Float(9223372036854775808)},
		{`12345678901234567890`, Float(12345678901234567890)},
		{`-9223372036854775809`, Float(-9223372036854775809)},
		{`1234567890123456789e-1`, Float(123456789012345678.9)},
		{`100000000000000000000e-2`, Int(1000000000000000000)},
		{`0.1e1`, Int(1)},
		{`123456789012345678901234567890e-20`, Float(1234567890.1234567890123456789)},
		{`2.2250738585072011e-308`, Float(2.2250738585072011e-308)},
		{`"abc"`, String("abc")},
		{`""`, String("")},
		{`"a\"b\\c\/d\b\f\n\r\t"`, String("a\"b\\c/d\b\f\n\r\t")},
		{`"\u00e9\u20ac\ud83d\ude00"`, String("é€😀")},
		{`"\ud83d"`, String("\uFFFD")},
		{`"\ude00x"`, String("\uFFFDx")},
		{`"\ud83dx"`, String("\uFFFDx")},
		{`"é€😀"`, String("é€😀")},
		{`"2024-01-01T00:00:30Z"`, mustTS(t, "2024-01-01T00:00:30Z")},
		{`" 2024-01-01 00:00:30.123+01:00 "`, mustTS(t, "2024-01-01T00:00:30.123+01:00")},
		{`"2024-01-01T00:00:30.1234567890Z"`, String("2024-01-01T00:00:30.1234567890Z")},
		{`"2023-02-29T00:00:00Z"`, String("2023-02-29T00:00:00Z")},
		{`"2024-01-01"`, String("2024-01-01")},
		{`"float64:inf"`, String("float64:inf")},
		{`[]`, List()},
		{`[1, "a", [null]]`, List(Int(1), String("a"), List(Null()))},
		{`{}`, Struct()},
		{`{"a": 1, "b": {"c": [true]}}`, Struct(F("a", Int(1)), F("b", Struct(F("c", List(Bool(true))))))},
		{`{"a": 1, "a": 2, "b": 3, "a": {"x": 1}}`, Struct(F("a", Int(1)), F("b", Int(3)))},
		{`{"a": {"a": 1, "a": 2}, "a": 3}`, Struct(F("a", Struct(F("a", Int(1)))))},
		{`{"k\u0065y": 1, "key": 2}`, Struct(F("key", Int(1)))},
		{`{"": 1}`, Struct(F("", Int(1)))},
		{`{"name": "x", "symbols": 1}`, Struct(F("name", String("x")), F("symbols", Int(1)))},
	}
	for _, c := range cases {
		got, err := fromJSON(t, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%s = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestJSONSpecialFloats(t *testing.T) {
	in := `{"a": ["float64:inf", "float64:+inf", "float64:-inf", "float64:nan", "float64:NaN", "float64:-0", "float64:x"]} "float64:inf"`
	var st Symtab
	var b Buffer
	d := NewJSONDecoder(strings.NewReader(in), &st)
	d.SpecialFloats = true
	if err := d.Next(&b); err != nil {
		t.Fatal(err)
	}
	if err := d.Next(&b); err != nil {
		t.Fatal(err)
	}
	vals, err := DecodeAll(append(marshalSymtab(&st), b.Bytes()...))
	if err != nil {
		t.Fatal(err)
	}
	want := Struct(F("a", List(Float(math.Inf(1)), Float(math.Inf(1)), Float(math.Inf(-1)), Float(math.NaN()),
		Float(math.NaN()), Float(math.Copysign(0, -1)), String("float64:x"))))
	if len(vals) != 2 || !vals[0].Equal(want) || !vals[1].Equal(String("float64:inf")) {
		t.Fatalf("got %v", vals)
	}
}

func marshalSymtab(st *Symtab) []byte {
	var b Buffer
	st.Marshal(&b, true)
	return b.Bytes()
}

func TestJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxJSONDepth+1) + "1" + strings.Repeat("}", MaxJSONDepth+1)
	cases := []struct {
		in        string
		line, col int
		err       error
	}{
		{`{"a" 1}`, 1, 6, ErrSyntax},
		{`{"a": 1,}`, 1, 9, ErrSyntax},
		{`{"a": 1`, 1, 8, ErrSyntax},
		{"{\"a\":\n  tru}", 2, 3, ErrSyntax},
		{`[1, 2`, 1, 6, ErrSyntax},
		{`[1 2]`, 1, 4, ErrSyntax},
		{`01`, 1, 2, ErrSyntax},
		{`1.`, 1, 3, ErrSyntax},
		{`1.e5`, 1, 3, ErrSyntax},
		{`1e`, 1, 3, ErrSyntax},
		{`-`, 1, 2, ErrSyntax},
		{`+1`, 1, 1, ErrSyntax},
		{`NaN`, 1, 1, ErrSyntax},
		{`truex`, 1, 5, ErrSyntax},
		{`nul`, 1, 4, ErrSyntax},
		{`"abc`, 1, 5, ErrSyntax},
		{"\"a\x01\"", 1, 3, ErrSyntax},
		{`"\x"`, 1, 2, ErrSyntax},
		{`"\u12"`, 1, 2, ErrSyntax},
		{"\"a\xffb\"", 1, 3, ErrInvalid},
		{"{\"\xc3\x28\": 1}", 1, 3, ErrInvalid},
		{"\n\n   \"ok\" \"bad\xe2\x82\"", 3, 13, ErrInvalid},
		{deep, 1, 5*MaxJSONDepth + 1, ErrTooDeep},
		{`{"a": 1} }`, 1, 10, ErrSyntax},
		{`[{"a": 1} {"b": 2}]`, 1, 11, ErrSyntax},
		{`[1,]`, 1, 4, ErrSyntax},
	}
	for _, c := range cases {
		var st Symtab
		var b Buffer
		d := NewJSONDecoder(strings.NewReader(c.in), &st)
		var err error
		for err == nil {
			err = d.Next(&b)
		}
		var je *JSONError
		if !errors.As(err, &je) {
			t.Errorf("%q: error %v, want a *JSONError", c.in, err)
			continue
		}
		if !errors.Is(err, c.err) || je.Line != c.line || je.Column != c.col {
			t.Errorf("%q: %v (line %d col %d, %v); want line %d col %d, %v", c.in, err, je.Line, je.Column, je.Err, c.line, c.col, c.err)
		}
	}
	// a single JSON text
	var b Buffer
	var st Symtab
	for _, in := range []string{``, ` `, `1 2`, `{"a":1}x`} {
		if err := FromJSON(&b, &st, []byte(in)); !errors.Is(err, ErrSyntax) {
			t.Errorf("FromJSON(%q): %v", in, err)
		}
	}
}

func TestJSONDepthLimit(t *testing.T) {
	ok := strings.Repeat(`{"a":`, MaxJSONDepth-1) + `[1]` + strings.Repeat("}", MaxJSONDepth-1)
	if _, err := fromJSON(t, ok); err != nil {
		t.Fatalf("depth %d rejected: %v", MaxJSONDepth, err)
	}
	bad := strings.Repeat(`{"a":`, MaxJSONDepth) + `[1]` + strings.Repeat("}", MaxJSONDepth)
	if _, err := fromJSON(t, bad); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth %d: %v", MaxJSONDepth+1, err)
	}
}

func TestJSONScalarLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("4 MiB inputs")
	}
	okStr := `"` + strings.Repeat("x", MaxJSONScalar) + `"`
	if _, err := fromJSON(t, okStr); err != nil {
		t.Fatalf("string of exactly the limit: %v", err)
	}
	for _, in := range []string{
		`"` + strings.Repeat("x", MaxJSONScalar+1) + `"`,
		`"\n` + strings.Repeat("x", MaxJSONScalar) + `"`,
		`1` + strings.Repeat("0", MaxJSONScalar),
	} {
		var st Symtab
		var b Buffer
		d := NewJSONDecoder(strings.NewReader("\n"+in), &st)
		err := d.Next(&b)
		var je *JSONError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &je) || je.Line != 2 {
			t.Errorf("oversized scalar (%d bytes): %v", len(in), err)
		}
	}
}

// TestJSONStreaming checks that rows come out the same whatever the reads look like, with
// ND-JSON, top-level arrays and values spread over lines.
func TestJSONStreaming(t *testing.T) {
	sample := benchRows(t)
	in := string(sample) + "\n[{\"x\": 1},\n {\"x\": [2, 3]}] [] {\"y\":\n\"2024-01-01T00:00:00Z\"}\n[\n]\n  \"top\" 42 [[1]]"
	rows := func(r io.Reader) ([]byte, *Symtab, int) {
		var st Symtab
		var b Buffer
		d := NewJSONDecoder(r, &st)
		n := 0
		for {
			err := d.Next(&b)
			if err == io.EOF {
				return b.Bytes(), &st, n
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	want, wantSt, wantN := rows(strings.NewReader(in))
	if lines := bytes.Count(sample, []byte("\n")); wantN != lines+6 {
		t.Fatalf("%d rows, want %d", wantN, lines+6)
	}
	for name, r := range map[string]io.Reader{
		"one byte": iotest.OneByteReader(strings.NewReader(in)),
		"half":     iotest.HalfReader(strings.NewReader(in)),
		"data+EOF": iotest.DataErrReader(strings.NewReader(in)),
	} {
		got, gotSt, n := rows(r)
		if n != wantN || !bytes.Equal(got, want) || !gotSt.Equal(wantSt) {
			t.Errorf("%s: %d rows, equal bytes %v", name, n, bytes.Equal(got, want))
		}
	}
	// the rows decode to the values encoding/json-free reference expects for the tail
	vals, err := DecodeAll(append(marshalSymtab(wantSt), want...))
	if err != nil {
		t.Fatal(err)
	}
	tail := vals[len(vals)-6:]
	exp := []Datum{Struct(F("x", Int(1))), Struct(F("x", List(Int(2), Int(3)))),
		Struct(F("y", mustTS(t, "2024-01-01T00:00:00Z"))), String("top"), Int(42), List(Int(1))}
	for i := range exp {
		if !tail[i].Equal(exp[i]) {
			t.Errorf("row %d = %s, want %s", i, tail[i], exp[i])
		}
	}
}

func TestJSONErrorRollsBackRow(t *testing.T) {
	var st Symtab
	var b Buffer
	d := NewJSONDecoder(strings.NewReader(`{"a": 1}`+"\n"+`{"b": [1, 2, }`), &st)
	if err := d.Next(&b); err != nil {
		t.Fatal(err)
	}
	n := b.Size()
	if err := d.Next(&b); err == nil {
		t.Fatal("bad row accepted")
	}
	if b.Size() != n {
		t.Fatalf("failed row left %d bytes", b.Size()-n)
	}
}

func TestJSONManyKeys(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; i < 200; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`"k` + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `": ` + string(rune('0'+i%10)))
	}
	sb.WriteString(`, "kaa": 9, "kz": {"ka": 1, "ka": 2}}`)
	d, err := fromJSON(t, sb.String())
	if err != nil {
		t.Fatal(err)
	}
	if n := len(d.Fields()); n != 201 { // 200 keys + kz ("kaa" is a duplicate)
		t.Fatalf("%d fields", n)
	}
	if v, _ := d.Field("kaa"); !v.Equal(Int(0)) {
		t.Fatalf("kaa = %s, want the first value", v)
	}
	if v, _ := d.Field("kz"); !v.Equal(Struct(F("ka", Int(1)))) {
		t.Fatalf("kz = %s", v)
	}
}

func TestJSONNoAllocPerRow(t *testing.T) {
	data := benchRows(t)
	var st Symtab
	var b Buffer
	r := bytes.NewReader(data)
	d := NewJSONDecoder(r, &st)
	for d.Next(&b) == nil { // warm up: symbols, buffers
	}
	allocs := testing.AllocsPerRun(5, func() {
		r.Reset(data)
		*d = JSONDecoder{r: r, st: &st, buf: d.buf[:0], seen: d.seen, scratch: d.scratch}
		b.Reset()
		for d.Next(&b) == nil {
		}
	})
	if allocs > 0 {
		t.Fatalf("%v allocations converting %d rows", allocs, bytes.Count(data, []byte("\n")))
	}
}

// smallReads returns at most n bytes a read, like a network or decompressing reader.
type smallReads struct {
	r io.Reader
	n int
}

func (s *smallReads) Read(p []byte) (int, error) { return s.r.Read(p[:min(len(p), s.n)]) }

// TestJSONLongRowSmallReads: a row much longer than the window, arriving in small reads,
// converts in time linear in its size (a restart per read would take minutes here).
func TestJSONLongRowSmallReads(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"a": [`)
	n := 400000
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`"x"`)
	}
	sb.WriteString("]}\n{\"b\": 1}\n")
	var st Symtab
	var b Buffer
	d := NewJSONDecoder(&smallReads{r: strings.NewReader(sb.String()), n: 256}, &st)
	if err := d.Next(&b); err != nil {
		t.Fatal(err)
	}
	row, _, err := DecodeDatum(b.Bytes(), &st)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := row.Field("a"); len(v.Elems()) != n {
		t.Fatalf("%d elements", len(v.Elems()))
	}
	b.Reset()
	if err := d.Next(&b); err != nil {
		t.Fatal(err)
	}
	if err := d.Next(&b); err != io.EOF {
		t.Fatalf("after the last row: %v", err)
	}
}
