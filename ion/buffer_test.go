package ion

import (
	"bytes"
	"math"
	"math/big"
	"strings"
	"testing"
)

func hexBytes(t *testing.T, s string) []byte {
	t.Helper()
	s = strings.ReplaceAll(s, " ", "")
	out := make([]byte, len(s)/2)
	for i := range out {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			switch {
			case c >= '0' && c <= '9':
				v = v<<4 | byte(c-'0')
			case c >= 'a' && c <= 'f':
				v = v<<4 | byte(c-'a'+10)
			default:
				t.Fatalf("bad hex %q", s)
			}
		}
		out[i] = v
	}
	return out
}

// TestBufferScalars checks the writer against encodings worked out from the Ion binary spec.
func TestBufferScalars(t *testing.T) {
	bigPos, _ := new(big.Int).SetString("18446744073709551616", 10) // 2^64
	bigNeg := new(big.Int).Neg(bigPos)
	ts := Timestamp{Year: 2011, Month: 2, Day: 20, Hour: 19, Minute: 30, Second: 59,
		Precision: PrecisionFraction, FracDigits: 3, Frac: 100, Offset: -480, OffsetKnown: true}
	cases := []struct {
		name  string
		write func(b *Buffer)
		want  string
	}{
		{"null", func(b *Buffer) { b.WriteNull() }, "0f"},
		{"null.int", func(b *Buffer) { b.WriteTypedNull(IntType) }, "2f"},
		{"null.struct", func(b *Buffer) { b.WriteTypedNull(StructType) }, "df"},
		{"false", func(b *Buffer) { b.WriteBool(false) }, "10"},
		{"true", func(b *Buffer) { b.WriteBool(true) }, "11"},
		{"int 0", func(b *Buffer) { b.WriteInt(0) }, "20"},
		{"int 1", func(b *Buffer) { b.WriteInt(1) }, "21 01"},
		{"int 255", func(b *Buffer) { b.WriteInt(255) }, "21 ff"},
		{"int 256", func(b *Buffer) { b.WriteInt(256) }, "22 01 00"},
		{"int -1", func(b *Buffer) { b.WriteInt(-1) }, "31 01"},
		{"int -256", func(b *Buffer) { b.WriteInt(-256) }, "32 01 00"},
		{"int max", func(b *Buffer) { b.WriteInt(math.MaxInt64) }, "28 7f ff ff ff ff ff ff ff"},
		{"int min", func(b *Buffer) { b.WriteInt(math.MinInt64) }, "38 80 00 00 00 00 00 00 00"},
		{"uint max", func(b *Buffer) { b.WriteUint(math.MaxUint64) }, "28 ff ff ff ff ff ff ff ff"},
		{"bigint 2^64", func(b *Buffer) { b.WriteBigInt(bigPos) }, "29 01 00 00 00 00 00 00 00 00"},
		{"bigint -2^64", func(b *Buffer) { b.WriteBigInt(bigNeg) }, "39 01 00 00 00 00 00 00 00 00"},
		{"bigint small", func(b *Buffer) { b.WriteBigInt(big.NewInt(-5)) }, "31 05"},
		{"float +0", func(b *Buffer) { b.WriteFloat64(0) }, "40"},
		{"float -0", func(b *Buffer) { b.WriteFloat64(math.Copysign(0, -1)) }, "44 80 00 00 00"},
		{"float 1.5", func(b *Buffer) { b.WriteFloat64(1.5) }, "44 3f c0 00 00"},
		{"float 0.1", func(b *Buffer) { b.WriteFloat64(0.1) }, "48 3f b9 99 99 99 99 99 9a"},
		{"float +inf", func(b *Buffer) { b.WriteFloat64(math.Inf(1)) }, "44 7f 80 00 00"},
		{"decimal 0", func(b *Buffer) { b.WriteDecimal(Decimal{}) }, "50"},
		{"decimal -0", func(b *Buffer) { b.WriteDecimal(Decimal{NegZero: true}) }, "52 80 80"},
		{"decimal 1.0", func(b *Buffer) { b.WriteDecimal(NewDecimal(10, -1)) }, "52 c1 0a"},
		{"decimal -1.0", func(b *Buffer) { b.WriteDecimal(NewDecimal(-10, -1)) }, "52 c1 8a"},
		{"decimal 128d2", func(b *Buffer) { b.WriteDecimal(NewDecimal(128, 2)) }, "53 82 00 80"},
		{"timestamp year", func(b *Buffer) {
			b.WriteTimestamp(Timestamp{Year: 2011, Month: 1, Day: 1, Precision: PrecisionYear})
		}, "63 c0 0f db"},
		{"timestamp day", func(b *Buffer) {
			b.WriteTimestamp(Timestamp{Year: 2011, Month: 2, Day: 20, Precision: PrecisionDay})
		}, "65 c0 0f db 82 94"},
		{"timestamp fraction", func(b *Buffer) { b.WriteTimestamp(ts) }, "6b 43 e0 0f db 82 94 93 9e bb c3 64"},
		{"symbol 0", func(b *Buffer) { b.WriteSymbol(0) }, "70"},
		{"symbol 4", func(b *Buffer) { b.WriteSymbol(4) }, "71 04"},
		{"symbol 300", func(b *Buffer) { b.WriteSymbol(300) }, "72 01 2c"},
		{"string empty", func(b *Buffer) { b.WriteString("") }, "80"},
		{"string 13", func(b *Buffer) { b.WriteString("0123456789abc") }, "8d 30 31 32 33 34 35 36 37 38 39 61 62 63"},
		{"string 14", func(b *Buffer) { b.WriteStringBytes([]byte("0123456789abcd")) }, "8e 8e 30 31 32 33 34 35 36 37 38 39 61 62 63 64"},
		{"clob", func(b *Buffer) { b.WriteClob([]byte{0x7f}) }, "91 7f"},
		{"blob", func(b *Buffer) { b.WriteBlob([]byte{1, 2}) }, "a2 01 02"},
		{"empty list", func(b *Buffer) { b.BeginList(-1); b.EndList() }, "b0"},
		{"empty sexp", func(b *Buffer) { b.BeginSexp(-1); b.EndSexp() }, "c0"},
		{"empty struct", func(b *Buffer) { b.BeginStruct(-1); b.EndStruct() }, "d0"},
		{"struct", func(b *Buffer) {
			b.BeginStruct(-1)
			b.BeginField(10)
			b.WriteBool(true)
			b.BeginField(200)
			b.WriteInt(1)
			b.EndStruct()
		}, "d6 8a 11 01 c8 21 01"},
		{"annotation", func(b *Buffer) {
			b.BeginAnnotation(SymbolIonSymbolTable)
			b.BeginStruct(-1)
			b.EndStruct()
			b.EndAnnotation()
		}, "e3 81 83 d0"},
		{"two annotations", func(b *Buffer) {
			b.BeginAnnotation(10, 11)
			b.WriteInt(7)
			b.EndAnnotation()
		}, "e5 82 8a 8b 21 07"},
	}
	for _, c := range cases {
		var b Buffer
		c.write(&b)
		want := hexBytes(t, c.want)
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s: wrote % x, want % x", c.name, b.Bytes(), want)
		}
		if b.Size() != len(want) || b.Depth() != 0 {
			t.Errorf("%s: size %d depth %d", c.name, b.Size(), b.Depth())
		}
	}
}

// TestBufferBackpatch checks container lengths around the 14-byte boundary, with good and bad
// size hints, and nested containers whose length fields grow.
func TestBufferBackpatch(t *testing.T) {
	for _, n := range []int{0, 1, 12, 13, 14, 15, 127, 128, 129, 16383, 16384, 70000} {
		for _, hint := range []int{-1, 0, n, n + 1000, 20} {
			var b Buffer
			b.BeginList(hint)
			b.BeginSexp(-1)
			b.WriteRaw(bytes.Repeat([]byte{0x20}, n)) // n ints 0
			b.EndSexp()
			b.EndList()
			inner := n
			innerHdr := headerSize(inner)
			outer := innerHdr + inner
			want := append([]byte{}, lengthHeader(ListType, outer)...)
			want = append(want, lengthHeader(SexpType, inner)...)
			want = append(want, bytes.Repeat([]byte{0x20}, n)...)
			if !bytes.Equal(b.Bytes(), want) {
				t.Fatalf("n=%d hint=%d: got % x..., want % x...", n, hint, b.Bytes()[:min(8, b.Size())], want[:min(8, len(want))])
			}
			it, err := Elements(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if !it.Next() || it.Head().Type != SexpType || it.Head().Len != n || it.Next() || it.Err() != nil {
				t.Fatalf("n=%d: cursor does not read back the nested sexp", n)
			}
		}
	}
}

// lengthHeader builds a descriptor and length field by the spec's rules.
func lengthHeader(typ Type, n int) []byte {
	if n < 14 {
		return []byte{byte(typ)<<4 | byte(n)}
	}
	var v []byte
	for x := n; ; x >>= 7 {
		v = append([]byte{byte(x & 0x7f)}, v...)
		if x < 0x80 {
			break
		}
	}
	v[len(v)-1] |= 0x80
	return append([]byte{byte(typ)<<4 | 14}, v...)
}

func TestBufferTruncateReset(t *testing.T) {
	var b Buffer
	b.BeginStruct(-1)
	b.BeginField(10)
	mark := b.Size()
	b.BeginList(-1)
	b.WriteInt(5)
	b.EndList()
	b.Truncate(mark)
	b.WriteBool(false)
	b.EndStruct()
	if want := hexBytes(t, "d2 8a 10"); !bytes.Equal(b.Bytes(), want) {
		t.Fatalf("after truncate: % x, want % x", b.Bytes(), want)
	}
	b.BeginList(-1)
	b.Reset()
	if b.Size() != 0 || b.Depth() != 0 {
		t.Fatal("Reset did not empty the buffer")
	}
}

func TestBufferMismatchedEndPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("EndList after BeginStruct did not panic")
		}
	}()
	var b Buffer
	b.BeginStruct(-1)
	b.EndList()
}

func TestWriteFloatShortest(t *testing.T) {
	for _, f := range []float64{1, -2.5, 3.4028234663852886e38, 1e-45, 0.1, 1e300, math.NaN(), math.Inf(-1), math.SmallestNonzeroFloat64} {
		var b Buffer
		b.WriteFloat64(f)
		got, rest, err := ReadFloat(b.Bytes())
		if err != nil || len(rest) != 0 {
			t.Fatalf("%v: %v", f, err)
		}
		if math.Float64bits(got) != math.Float64bits(f) && !(math.IsNaN(f) && math.IsNaN(got)) {
			t.Errorf("%v read back as %v", f, got)
		}
		wantLen := 9
		if float64(float32(f)) == f || math.IsInf(f, 0) {
			wantLen = 5
		}
		if math.IsNaN(f) {
			wantLen = b.Size() // NaN payloads decide; only check the value
		}
		if b.Size() != wantLen {
			t.Errorf("%v: %d bytes, want %d", f, b.Size(), wantLen)
		}
	}
}
