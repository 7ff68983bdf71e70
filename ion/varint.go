package ion

import "math/bits"

// The four primitive fields of Ion binary: VarUInt and VarInt (7 bits a byte, the last byte
// flagged by its high bit; VarInt has a sign bit in its first byte) and UInt and Int (fixed
// length, big-endian; Int is sign-magnitude). Readers return the number of bytes consumed, or
// 0 when the input ends first, or -1 when the value overflows 63 bits (leading zero groups
// are allowed).

// readVarUint decodes a VarUInt at the start of b.
func readVarUint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0]&0x80 != 0 {
		return uint64(b[0] & 0x7f), 1
	}
	var v uint64
	for i := 0; i < len(b); i++ {
		if v >= 1<<56 { // another 7 bits would pass 63
			return 0, -1
		}
		c := b[i]
		v = v<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// readVarInt decodes a VarInt at the start of b as a magnitude and a sign (which may be set
// for a zero magnitude: VarInt can spell -0).
func readVarInt(b []byte) (mag uint64, neg bool, n int) {
	if len(b) == 0 {
		return 0, false, 0
	}
	c := b[0]
	neg = c&0x40 != 0
	mag = uint64(c & 0x3f)
	if c&0x80 != 0 {
		return mag, neg, 1
	}
	for i := 1; i < len(b); i++ {
		if mag >= 1<<56 {
			return 0, false, -1
		}
		c = b[i]
		mag = mag<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			return mag, neg, i + 1
		}
	}
	return 0, false, 0
}

// readUint decodes a big-endian UInt of len(b) <= 8 bytes.
func readUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// varUintSize is the encoded size of v as a VarUInt.
func varUintSize(v uint64) int {
	return (bits.Len64(v|1) + 6) / 7
}

// appendVarUint appends v as a VarUInt.
func appendVarUint(dst []byte, v uint64) []byte {
	if v < 0x80 {
		return append(dst, byte(v)|0x80)
	}
	n := varUintSize(v)
	for i := n - 1; i > 0; i-- {
		dst = append(dst, byte(v>>(7*uint(i)))&0x7f)
	}
	return append(dst, byte(v&0x7f)|0x80)
}

// putVarUint writes v as a VarUInt of exactly len(dst) bytes (leading zero groups allowed).
func putVarUint(dst []byte, v uint64) {
	n := len(dst)
	for i := 0; i < n; i++ {
		dst[i] = byte(v>>(7*uint(n-1-i))) & 0x7f
	}
	dst[n-1] |= 0x80
}

// appendVarInt appends a VarInt of the given magnitude and sign.
func appendVarInt(dst []byte, mag uint64, neg bool) []byte {
	// the first byte carries 6 bits, the others 7
	n := 1
	for m := mag >> 6; m != 0; m >>= 7 {
		n++
	}
	first := byte(mag>>(7*uint(n-1))) & 0x3f
	if neg {
		first |= 0x40
	}
	if n == 1 {
		return append(dst, first|0x80)
	}
	dst = append(dst, first)
	for i := n - 2; i > 0; i-- {
		dst = append(dst, byte(mag>>(7*uint(i)))&0x7f)
	}
	return append(dst, byte(mag&0x7f)|0x80)
}

// uintSize is the number of bytes of v as a minimal UInt (0 for 0).
func uintSize(v uint64) int { return (bits.Len64(v) + 7) / 8 }

// appendUint appends v big-endian in exactly n bytes.
func appendUint(dst []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*uint(i))))
	}
	return dst
}

// intMagSize is the size of the sign-magnitude Int field holding mag (the top bit of the
// first byte is the sign, so a magnitude using it needs one more byte); 0 for 0.
func intMagSize(mag uint64) int {
	if mag == 0 {
		return 0
	}
	return bits.Len64(mag)/8 + 1
}
