package ion

import (
	"errors"
	"math"
	"testing"
)

func TestReadScalars(t *testing.T) {
	b := func(s string) []byte { return hexBytes(t, s+" ee") } // a trailing byte: rest must be it
	checkRest := func(name string, rest []byte) {
		if len(rest) != 1 || rest[0] != 0xee {
			t.Errorf("%s: rest % x", name, rest)
		}
	}
	if v, rest, err := ReadBool(b("11")); err != nil || !v {
		t.Errorf("ReadBool: %v %v", v, err)
	} else {
		checkRest("bool", rest)
	}
	ints := []struct {
		enc string
		v   int64
	}{
		{"20", 0}, {"21 00", 0}, {"21 7f", 127}, {"31 80", -128}, {"22 00 05", 5},
		{"28 7f ff ff ff ff ff ff ff", math.MaxInt64}, {"38 80 00 00 00 00 00 00 00", math.MinInt64},
		{"2a 00 00 00 00 00 00 00 00 00 07", 7},
	}
	for _, c := range ints {
		v, rest, err := ReadInt(b(c.enc))
		if err != nil || v != c.v {
			t.Errorf("ReadInt(%s) = %d, %v; want %d", c.enc, v, err, c.v)
			continue
		}
		checkRest(c.enc, rest)
	}
	for _, c := range []struct {
		enc string
		err error
	}{
		{"28 80 00 00 00 00 00 00 00", ErrRange},
		{"38 80 00 00 00 00 00 00 01", ErrRange},
		{"29 01 00 00 00 00 00 00 00 00", ErrRange},
		{"31 00", ErrInvalid},
		{"30", ErrInvalid},
		{"2f", ErrNull},
		{"11", ErrType},
		{"22 01", ErrTruncated},
	} {
		if _, _, err := ReadInt(hexBytes(t, c.enc)); !errors.Is(err, c.err) {
			t.Errorf("ReadInt(%s): err %v, want %v", c.enc, err, c.err)
		}
	}
	if v, _, err := ReadUint(hexBytes(t, "28 ff ff ff ff ff ff ff ff")); err != nil || v != math.MaxUint64 {
		t.Errorf("ReadUint max: %d %v", v, err)
	}
	if _, _, err := ReadUint(hexBytes(t, "31 01")); !errors.Is(err, ErrRange) {
		t.Errorf("ReadUint(-1): %v", err)
	}
	if v, _, err := ReadBigInt(hexBytes(t, "39 01 00 00 00 00 00 00 00 00")); err != nil || v.String() != "-18446744073709551616" {
		t.Errorf("ReadBigInt: %v %v", v, err)
	}
	floats := []struct {
		enc string
		v   float64
	}{
		{"40", 0}, {"44 3f c0 00 00", 1.5}, {"48 3f b9 99 99 99 99 99 9a", 0.1}, {"44 ff 80 00 00", math.Inf(-1)},
	}
	for _, c := range floats {
		v, rest, err := ReadFloat(b(c.enc))
		if err != nil || v != c.v {
			t.Errorf("ReadFloat(%s) = %v, %v", c.enc, v, err)
			continue
		}
		checkRest(c.enc, rest)
	}
	if _, _, err := ReadFloat(hexBytes(t, "42 00 00")); !errors.Is(err, ErrInvalid) {
		t.Errorf("2-byte float: %v", err)
	}
	if s, rest, err := ReadStringBytes(b("83 61 62 63")); err != nil || string(s) != "abc" {
		t.Errorf("ReadStringBytes: %q %v", s, err)
	} else {
		checkRest("string", rest)
	}
	if s, _, err := ReadString(hexBytes(t, "8e 8e 30 31 32 33 34 35 36 37 38 39 61 62 63 64")); err != nil || s != "0123456789abcd" {
		t.Errorf("ReadString long: %q %v", s, err)
	}
	if s, _, err := ReadBytes(hexBytes(t, "a2 01 02")); err != nil || len(s) != 2 {
		t.Errorf("ReadBytes blob: % x %v", s, err)
	}
	if s, _, err := ReadBytes(hexBytes(t, "91 7f")); err != nil || s[0] != 0x7f {
		t.Errorf("ReadBytes clob: % x %v", s, err)
	}
	for _, c := range []struct {
		enc string
		sym Symbol
	}{{"70", 0}, {"71 0a", 10}, {"72 01 2c", 300}, {"75 00 00 00 00 0b", 11}} {
		s, _, err := ReadSymbol(hexBytes(t, c.enc))
		if err != nil || s != c.sym {
			t.Errorf("ReadSymbol(%s) = %d, %v", c.enc, s, err)
		}
	}
	if _, _, err := ReadSymbol(hexBytes(t, "75 01 00 00 00 00")); !errors.Is(err, ErrRange) {
		t.Errorf("5-byte symbol: %v", err)
	}
	d, _, err := ReadDecimal(hexBytes(t, "52 c1 8a"))
	if err != nil || d.String() != "-1.0" {
		t.Errorf("ReadDecimal: %v %v", d, err)
	}
	ts, _, err := ReadTimestamp(hexBytes(t, "6b 43 e0 0f db 82 94 93 9e bb c3 64"))
	if err != nil || ts.String() != "2011-02-20T11:30:59.100-08:00" {
		t.Errorf("ReadTimestamp: %v %v", ts, err)
	}
}

func TestUnannotate(t *testing.T) {
	annots, value, rest, err := Unannotate(hexBytes(t, "e5 82 8a 8b 21 07 0f"))
	if err != nil || len(annots) != 2 || len(value) != 2 || len(rest) != 1 {
		t.Fatalf("Unannotate: % x % x % x %v", annots, value, rest, err)
	}
	a, annots, _ := ReadLabel(annots)
	b, annots, _ := ReadLabel(annots)
	if a != 10 || b != 11 || len(annots) != 0 {
		t.Fatalf("labels %d %d", a, b)
	}
	if _, v, _, err := Unannotate(hexBytes(t, "21 07")); err != nil || len(v) != 2 {
		t.Fatalf("plain value: %v", err)
	}
	for _, bad := range []string{"e3 80 21 01", "e3 81 84 00", "e4 81 84 e3 81 84 20", "e4 81 84 20 20", "e3 82 84 85"} {
		if _, _, _, err := Unannotate(hexBytes(t, bad)); err == nil {
			t.Errorf("Unannotate(%s) accepted", bad)
		}
	}
}

func TestCursorNoAlloc(t *testing.T) {
	st, all, _ := benchIon(t)
	_ = st
	n := testing.AllocsPerRun(5, func() { walkList(all) })
	if n != 0 {
		t.Fatalf("walking rows allocates %v times", n)
	}
	n = testing.AllocsPerRun(5, func() {
		it := Sequence(all)
		for it.Next() {
			f := StructFields(it.Body())
			for f.Next() {
				switch f.Head().Type {
				case StringType:
					ReadStringBytes(f.Value())
				case UintType, IntType:
					ReadInt(f.Value())
				case TimestampType:
					ReadTimestamp(f.Value())
				case FloatType:
					ReadFloat(f.Value())
				}
			}
		}
	})
	if n != 0 {
		t.Fatalf("reading scalars allocates %v times", n)
	}
}
