package vm

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// UPPER(s) and LOWER(s) change the case of every character of the string s with Unicode's
// simple case mapping ('ą' ↔ 'Ą'; one code point maps to one code point). A non-string
// argument gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "UPPER", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString {
				return Missing()
			}
			return Bytes(appendUpper(nil, args[0].b))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			return mapStrings(c, args[0], sel, n, appendUpper)
		},
	})
	RegisterFunc(&Func{
		Name: "LOWER", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString {
				return Missing()
			}
			return Bytes(appendLower(nil, args[0].b))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			return mapStrings(c, args[0], sel, n, appendLower)
		},
	})
}

// appendUpper appends the upper-case form of s to dst; ASCII takes a byte loop.
func appendUpper(dst, s []byte) []byte {
	if isASCII(s) {
		n := len(dst)
		dst = slices.Grow(dst, len(s))[:n+len(s)]
		out := dst[n:]
		for i, c := range s {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out[i] = c
		}
		return dst
	}
	return append(dst, bytes.ToUpper(s)...)
}

// appendLower appends the lower-case form of s to dst.
func appendLower(dst, s []byte) []byte {
	if isASCII(s) {
		n := len(dst)
		dst = slices.Grow(dst, len(s))[:n+len(s)]
		out := dst[n:]
		for i, c := range s {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out[i] = c
		}
		return dst
	}
	return append(dst, bytes.ToLower(s)...)
}

func isASCII(s []byte) bool {
	for len(s) >= 8 {
		if (uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
			uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56)&0x8080808080808080 != 0 {
			return false
		}
		s = s[8:]
	}
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
