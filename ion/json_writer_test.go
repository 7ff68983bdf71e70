package ion

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"math/rand"
	"strings"
	"testing"
)

func toJSON(t *testing.T, d Datum, w *JSONWriter) string {
	t.Helper()
	var b Buffer
	var st Symtab
	d.Encode(&b, &st)
	out, rest, err := w.Append(nil, b.Bytes(), &st)
	if err != nil || len(rest) != 0 {
		t.Fatalf("%s: %v", d, err)
	}
	return string(out)
}

func TestJSONWriter(t *testing.T) {
	b64, _ := new(big.Int).SetString("-18446744073709551616", 10)
	ts := Timestamp{Year: 2011, Month: 2, Day: 20, Hour: 19, Minute: 30, Second: 59,
		Precision: PrecisionFraction, FracDigits: 3, Frac: 100, Offset: -480, OffsetKnown: true}
	cases := []struct {
		d    Datum
		want string
	}{
		{Null(), `null`},
		{TypedNull(StringType), `null`},
		{Bool(true), `true`},
		{Int(-5), `-5`},
		{Uint(math.MaxUint64), `18446744073709551615`},
		{BigInt(b64), `-18446744073709551616`},
		{Float(1.5), `1.5`},
		{Float(100), `100`},
		{Float(1e21), `1e+21`},
		{Float(1e20), `100000000000000000000`},
		{Float(201424053888693248), `201424053888693248`},
		{Float(-3), `-3`},
		{Float(1e-7), `1e-7`},
		{Float(0.1), `0.1`},
		{Float(math.Copysign(0, -1)), `-0.0`},
		{Float(math.NaN()), `"float64:nan"`},
		{Float(math.Inf(1)), `"float64:+inf"`},
		{Float(math.Inf(-1)), `"float64:-inf"`},
		{DecimalValue(NewDecimal(150, -2)), `1.50`},
		{TimestampValue(ts), `"2011-02-20T11:30:59.100-08:00"`},
		{String("a\"b\\c\n\x01é"), `"a\"b\\c\n\u0001é"`},
		{SymbolValue("sym"), `"sym"`},
		{UnknownSymbol(), `"$0"`},
		{Blob([]byte("hello")), `"aGVsbG8="`},
		{Clob([]byte{0, 0xff}), `"AP8="`},
		{List(Int(1), Null()), `[1,null]`},
		{Sexp(), `[]`},
		{Struct(F("a", Int(1)), F("b\"", Struct()), F("a", String("x"))), `{"a":1,"b\"":{},"a":"x"}`},
		{Int(7).WithAnnotations("x"), `7`},
	}
	var w JSONWriter
	for _, c := range cases {
		if got := toJSON(t, c.d, &w); got != c.want {
			t.Errorf("%s: %s, want %s", c.d, got, c.want)
		}
	}
	w2 := JSONWriter{NonFinite: NonFiniteNull}
	if got := toJSON(t, List(Float(math.NaN()), Float(math.Inf(-1))), &w2); got != `[null,null]` {
		t.Errorf("NonFiniteNull: %s", got)
	}
}

// TestJSONWriterValid: random values always render as valid JSON that the loader accepts,
// and rendering what it loads is a fixed point.
func TestJSONWriterValid(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	n := 3000
	if testing.Short() {
		n = 500
	}
	var w JSONWriter
	for i := 0; i < n; i++ {
		d := randDatum(r, 0)
		out := toJSON(t, d, &w)
		if !json.Valid([]byte(out)) {
			t.Fatalf("%s renders as invalid JSON: %s", d, out)
		}
		var b1 Buffer
		var st Symtab
		if err := FromJSON(&b1, &st, []byte(out)); err != nil {
			t.Fatalf("%s: reloading %s: %v", d, out, err)
		}
		// a float with an integral value comes back as an int (the loading rule), so the
		// text is a fixed point from the second rendering on
		out2, _, err := w.Append(nil, b1.Bytes(), &st)
		if err != nil {
			t.Fatal(err)
		}
		var b2 Buffer
		if err := FromJSON(&b2, &st, out2); err != nil {
			t.Fatal(err)
		}
		out3, _, err := w.Append(nil, b2.Bytes(), &st)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out2, out3) {
			t.Fatalf("%s: JSON round trip not stable: %s then %s", d, out2, out3)
		}
	}
}

// TestJSONRoundTripSample: the bench rows go JSON → Ion → JSON → Ion unchanged, and the JSON
// output parses to the same data as the input (modulo float spelling).
func TestJSONRoundTripSample(t *testing.T) {
	st, all, rows := benchIon(t)
	var w JSONWriter
	var out []byte
	for _, r := range rows {
		var err error
		out, _, err = w.Append(out, r, st)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, '\n')
	}
	in := benchRows(t)
	var a, b []any
	for _, line := range strings.Split(strings.TrimSpace(string(in)), "\n") {
		var v any
		json.Unmarshal([]byte(line), &v)
		a = append(a, v)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("invalid output %s: %v", line, err)
		}
		b = append(b, v)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Fatal("Ion → JSON output differs from the input data")
	}
	var st2 Symtab
	var buf Buffer
	d := NewJSONDecoder(bytes.NewReader(out), &st2)
	for d.Next(&buf) == nil {
	}
	if !bytes.Equal(buf.Bytes(), all) || !st2.Equal(st) {
		t.Fatal("JSON → Ion of the output differs")
	}
}

func TestJSONWriterErrors(t *testing.T) {
	var st Symtab
	cases := []struct {
		in  string
		err error
		off int64
	}{
		{"71 0a", ErrSymbol, 0},
		{"d3 8a 21 01", ErrSymbol, 1},
		{"b3 21 01 31", ErrTruncated, 3},
		{"b2 31 00", ErrInvalid, 1},
		{"83 61 ff 62", ErrInvalid, 0},
		{"b4 65 c0 0f df 89", ErrTruncated, 1},
		{"b6 65 c0 0f df 89 9f", ErrInvalid, 2},
		{"00", ErrInvalid, 0},
	}
	for _, c := range cases {
		out, _, err := AppendJSON([]byte("x"), hexBytes(t, c.in), &st)
		var se *SyntaxError
		if !errors.Is(err, c.err) || !errors.As(err, &se) || se.Offset != c.off {
			t.Errorf("%s: %v, want %v at %d", c.in, err, c.err, c.off)
		}
		if string(out) != "x" {
			t.Errorf("%s: partial output %q left", c.in, out)
		}
	}
}

// TestAppendJSONString checks the word-at-a-time escaping against a byte-at-a-time reference,
// for every length around the word sizes, every position of a special byte, and slices whose
// capacity ends at their length or runs past it.
func TestAppendJSONString(t *testing.T) {
	ref := func(s []byte) string {
		var sb strings.Builder
		sb.WriteByte('"')
		for _, c := range string(s) {
			switch {
			case c == '"' || c == '\\':
				sb.WriteByte('\\')
				sb.WriteRune(c)
			case c == '\n':
				sb.WriteString(`\n`)
			case c == '\r':
				sb.WriteString(`\r`)
			case c == '\t':
				sb.WriteString(`\t`)
			case c < 0x20:
				sb.WriteString(`\u00`)
				sb.WriteByte(hexDigits[c>>4])
				sb.WriteByte(hexDigits[c&0xf])
			default:
				sb.WriteRune(c)
			}
		}
		sb.WriteByte('"')
		return sb.String()
	}
	specials := []string{`"`, `\`, "\x00", "\x1f", "\n", "é", "😀", "\x7f", " "}
	for n := 0; n <= 40; n++ {
		for pos := -1; pos < n; pos++ {
			for _, sp := range specials {
				s := []byte(strings.Repeat("a", n))
				if pos >= 0 {
					s = append(s[:pos], append([]byte(sp), s[pos:]...)...)
				}
				for _, extra := range []int{0, 3, 20} {
					backing := append(append([]byte{}, s...), bytes.Repeat([]byte{'"'}, extra)...)
					in := backing[:len(s):len(backing)]
					for _, dcap := range []int{0, 64} {
						dst := make([]byte, 1, 1+dcap)
						dst[0] = 'x'
						out, ok := appendJSONString(dst, in)
						if !ok || string(out) != "x"+ref(s) {
							t.Fatalf("%q (cap+%d, dst cap %d): %s, %v; want x%s", s, extra, dcap, out, ok, ref(s))
						}
					}
				}
			}
		}
	}
	for _, bad := range []string{"\xff", "a\xc3", "abcdefgh\xe2\x82", "\xed\xa0\x80"} {
		if _, ok := appendJSONString(nil, []byte(bad)); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
