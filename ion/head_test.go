package ion

import (
	"errors"
	"testing"
)

func TestReadHead(t *testing.T) {
	cases := []struct {
		in       string
		typ      Type
		hdr, len int
		err      error
	}{
		{"0f", NullType, 1, 0, nil},
		{"00", NullType, 1, 0, nil},            // one-byte NOP pad
		{"0e 82 00 00", NullType, 2, 2, nil},   // NOP pad with a length field
		{"10", BoolType, 1, 0, nil},            // false
		{"11", BoolType, 1, 0, nil},            // true
		{"1f", BoolType, 1, 0, nil},            // null.bool
		{"12", BoolType, 0, 0, ErrInvalid},     // bool L=2
		{"21 05", UintType, 1, 1, nil},         // int
		{"30", IntType, 0, 0, ErrInvalid},      // negative zero
		{"41 00", FloatType, 0, 0, ErrInvalid}, // float L=1
		{"44 00 00 00 00", FloatType, 1, 4, nil},
		{"8e 81 61", StringType, 2, 1, nil},
		{"8e 00 81 61", StringType, 3, 1, nil}, // padded length field
		{"8e 01", StringType, 0, 0, ErrTruncated},
		{"8e 81", StringType, 0, 0, ErrTruncated},
		{"d1 82 84 20", StructType, 2, 2, nil}, // ordered struct
		{"d1 80", StructType, 0, 0, ErrInvalid},
		{"e0 01 00 ea", AnnotationType, 0, 0, ErrInvalid},
		{"e2 81 84", AnnotationType, 0, 0, ErrInvalid},
		{"ee 82 81 84", AnnotationType, 0, 0, ErrInvalid},
		{"e3 81 84 20", AnnotationType, 1, 3, nil},
		{"ef", AnnotationType, 0, 0, ErrInvalid},
		{"f0", ReservedType, 0, 0, ErrInvalid},
		{"", NullType, 0, 0, ErrTruncated},
		{"2e 7f 7f 7f 7f 7f 7f 7f 7f 7f 7f ff", UintType, 0, 0, ErrInvalid}, // length overflows
		{"8e 0f ff ff ff ff ff ff ff 7f", StringType, 0, 0, ErrTruncated},
	}
	for _, c := range cases {
		h, err := ReadHead(hexBytes(t, c.in))
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%s: err %v, want %v", c.in, err, c.err)
			}
			continue
		}
		if err != nil || h.Type != c.typ || h.Hdr != c.hdr || h.Len != c.len {
			t.Errorf("%s: %+v %v; want %s hdr %d len %d", c.in, h, err, c.typ, c.hdr, c.len)
		}
	}
	if h, _ := ReadHead([]byte{0x11}); h.L != 1 || h.IsNull() {
		t.Error("true: L != 1")
	}
	if h, _ := ReadHead([]byte{0x00}); !h.IsPad() {
		t.Error("00 is not a pad")
	}
	if h, _ := ReadHead([]byte{0x0f}); h.IsPad() || !h.IsNull() {
		t.Error("0f is not null")
	}
	if n, err := SizeOf(hexBytes(t, "8e 81 61 ff")); err != nil || n != 3 {
		t.Errorf("SizeOf = %d, %v", n, err)
	}
	if rest, err := Skip(hexBytes(t, "21 05 ff")); err != nil || len(rest) != 1 {
		t.Errorf("Skip: %v", err)
	}
}
