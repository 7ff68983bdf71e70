package vm

import "bytes"

// SPLIT_PART(s, sep, n) splits the string s at every occurrence of the non-empty string sep
// and returns field n (1-based). n past the last field, n < 1, an empty separator or a
// non-string argument give MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "SPLIT_PART", MinArgs: 3, MaxArgs: 3,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KString || args[1].k != KString {
				return Missing()
			}
			n, ok := intArg(args[2])
			if !ok {
				return Missing()
			}
			if part, ok := splitPart(args[0].b, args[1].b, n); ok {
				return Bytes(part)
			}
			return Missing()
		},
	})
}

func splitPart(s, sep []byte, n int64) ([]byte, bool) {
	if len(sep) == 0 || n < 1 {
		return nil, false
	}
	for ; n > 1; n-- {
		i := bytes.Index(s, sep)
		if i < 0 {
			return nil, false
		}
		s = s[i+len(sep):]
	}
	if i := bytes.Index(s, sep); i >= 0 {
		s = s[:i]
	}
	return s, true
}
