package vm

import "unicode/utf8"

// CHAR_LENGTH(s) (alias CHARACTER_LENGTH) is the number of Unicode code points of the string
// s (an invalid UTF-8 byte counts as one), and OCTET_LENGTH(s) its number of bytes. A
// non-string argument gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "CHAR_LENGTH", Aliases: []string{"CHARACTER_LENGTH"}, MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString {
				return Missing()
			}
			return Int(int64(utf8.RuneCount(args[0].b)))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			return mapStringsToInt(c, args[0], sel, n, func(s []byte) int64 { return int64(utf8.RuneCount(s)) })
		},
	})
	RegisterFunc(&Func{
		Name: "OCTET_LENGTH", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString {
				return Missing()
			}
			return Int(int64(len(args[0].b)))
		},
		Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
			return mapStringsToInt(c, args[0], sel, n, func(s []byte) int64 { return int64(len(s)) })
		},
	})
}
