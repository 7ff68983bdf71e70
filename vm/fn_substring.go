package vm

import "unicode/utf8"

// SUBSTRING(s, start[, length]) returns the characters (code points) of the string s from the
// 1-based position start, at most length of them (all the rest without length). A start
// before 1 counts as 1 (so SUBSTRING(s, 0, 5) = SUBSTRING(s, 1, 5), as in the original); a
// start past the end or a negative length gives the empty string. start and length must be
// integers; any other argument type gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "SUBSTRING", MinArgs: 2, MaxArgs: 3,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString {
				return Missing()
			}
			start, ok := intArg(args[1])
			if !ok {
				return Missing()
			}
			length := int64(-1)
			if len(args) == 3 {
				if length, ok = intArg(args[2]); !ok {
					return Missing()
				}
				if length < 0 {
					length = 0
				}
			}
			return Bytes(substring(args[0].b, start, length))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			start, ok := constInt(args[1], sel)
			if !ok {
				return nil
			}
			length := int64(-1)
			if len(args) == 3 {
				if length, ok = constInt(args[2], sel); !ok {
					return nil
				}
				length = max(length, 0)
			}
			return mapStrings(c, args[0], sel, n, func(dst, s []byte) []byte {
				return append(dst, substring(s, start, length)...)
			})
		},
	})
}

// substring returns the code points [start-1, start-1+length) of s; length < 0 means to the end.
func substring(s []byte, start, length int64) []byte {
	skip := max(start, 1) - 1
	i := 0
	for ; skip > 0 && i < len(s); skip-- {
		if s[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(s[i:])
			i += size
		}
	}
	s = s[i:]
	if length < 0 {
		return s
	}
	j := 0
	for ; length > 0 && j < len(s); length-- {
		if s[j] < utf8.RuneSelf {
			j++
		} else {
			_, size := utf8.DecodeRune(s[j:])
			j += size
		}
	}
	return s[:j]
}
