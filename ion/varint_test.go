package ion

import (
	"bytes"
	"math"
	"testing"
)

func TestVarUint(t *testing.T) {
	cases := []struct {
		v   uint64
		enc []byte
	}{
		{0, []byte{0x80}},
		{1, []byte{0x81}},
		{127, []byte{0xff}},
		{128, []byte{0x01, 0x80}},
		{300, []byte{0x02, 0xac}},
		{16383, []byte{0x7f, 0xff}},
		{16384, []byte{0x01, 0x00, 0x80}},
		{math.MaxInt64, []byte{0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0xff}},
	}
	for _, c := range cases {
		got := appendVarUint(nil, c.v)
		if !bytes.Equal(got, c.enc) {
			t.Errorf("appendVarUint(%d) = % x, want % x", c.v, got, c.enc)
		}
		if n := varUintSize(c.v); n != len(c.enc) {
			t.Errorf("varUintSize(%d) = %d, want %d", c.v, n, len(c.enc))
		}
		v, n := readVarUint(append(c.enc, 0x42))
		if v != c.v || n != len(c.enc) {
			t.Errorf("readVarUint(% x) = %d, %d", c.enc, v, n)
		}
		fixed := make([]byte, len(c.enc)+2)
		putVarUint(fixed, c.v)
		if v, n := readVarUint(fixed); v != c.v || n != len(fixed) {
			t.Errorf("putVarUint padded %d reads back as %d, %d", c.v, v, n)
		}
	}
	if _, n := readVarUint([]byte{0x01, 0x02}); n != 0 {
		t.Errorf("unterminated VarUInt: n = %d, want 0", n)
	}
	if _, n := readVarUint(bytes.Repeat([]byte{0x7f}, 10)); n != -1 {
		t.Errorf("overlong VarUInt: n = %d, want -1", n)
	}
	if _, n := readVarUint(nil); n != 0 {
		t.Errorf("empty VarUInt: n = %d, want 0", n)
	}
}

func TestVarInt(t *testing.T) {
	cases := []struct {
		mag uint64
		neg bool
		enc []byte
	}{
		{0, false, []byte{0x80}},
		{0, true, []byte{0xc0}},
		{1, true, []byte{0xc1}},
		{63, false, []byte{0xbf}},
		{64, false, []byte{0x00, 0xc0}},
		{480, true, []byte{0x43, 0xe0}},
		{8191, false, []byte{0x3f, 0xff}},
		{8192, true, []byte{0x40, 0x40, 0x80}},
	}
	for _, c := range cases {
		got := appendVarInt(nil, c.mag, c.neg)
		if !bytes.Equal(got, c.enc) {
			t.Errorf("appendVarInt(%d, %v) = % x, want % x", c.mag, c.neg, got, c.enc)
		}
		mag, neg, n := readVarInt(c.enc)
		if mag != c.mag || neg != c.neg || n != len(c.enc) {
			t.Errorf("readVarInt(% x) = %d, %v, %d", c.enc, mag, neg, n)
		}
	}
	if _, _, n := readVarInt([]byte{0x40}); n != 0 {
		t.Errorf("unterminated VarInt: n = %d", n)
	}
}

func TestUintSizes(t *testing.T) {
	cases := []struct {
		v             uint64
		uint, intMagn int
	}{
		{0, 0, 0}, {1, 1, 1}, {0x7f, 1, 1}, {0x80, 1, 2}, {0xff, 1, 2}, {0x100, 2, 2},
		{math.MaxUint32, 4, 5}, {1 << 63, 8, 9}, {math.MaxUint64, 8, 9},
	}
	for _, c := range cases {
		if n := uintSize(c.v); n != c.uint {
			t.Errorf("uintSize(%#x) = %d, want %d", c.v, n, c.uint)
		}
		if n := intMagSize(c.v); n != c.intMagn {
			t.Errorf("intMagSize(%#x) = %d, want %d", c.v, n, c.intMagn)
		}
		b := appendUint(nil, c.v, c.uint)
		if readUint(b) != c.v {
			t.Errorf("appendUint/readUint(%#x) = %#x", c.v, readUint(b))
		}
	}
}
