package vm

import (
	"bytes"
	"slices"
)

// TRIM(s[, chars]), LTRIM(s[, chars]) and RTRIM(s[, chars]) remove the characters of chars
// (default: ASCII white space, " \t\n\v\f\r") from both ends, the start, or the end of the
// string s. chars is a set of Unicode code points. The planner lowers
// TRIM([LEADING|TRAILING|BOTH] [chars] FROM s) to these calls. A non-string argument gives
// MISSING.
func init() {
	for _, t := range []struct {
		name        string
		left, right bool
	}{{"TRIM", true, true}, {"LTRIM", true, false}, {"RTRIM", false, true}} {
		left, right := t.left, t.right
		RegisterFunc(&Func{
			Name: t.name, MinArgs: 1, MaxArgs: 2,
			Eval: func(c *Ctx, args []Value) Value {
				if args[0].k != KString {
					return Missing()
				}
				cut := asciiSpace
				if len(args) == 2 {
					if args[1].k != KString {
						return Missing()
					}
					cut = string(args[1].b)
				}
				return Bytes(trimBytes(args[0].b, cut, left, right))
			},
			Vector: func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
				cut := asciiSpace
				if len(args) == 2 {
					s, ok := constStr(args[1], sel)
					if !ok {
						return nil
					}
					cut = s
				}
				return mapStrings(c, args[0], sel, n, func(dst, s []byte) []byte {
					return append(dst, trimBytes(s, cut, left, right)...)
				})
			},
		})
	}
}

const asciiSpace = " \t\n\v\f\r"

// trimBytes cuts the code points of cut from the ends of s.
func trimBytes(s []byte, cut string, left, right bool) []byte {
	if cut == asciiSpace {
		if left {
			for len(s) > 0 && isASCIISpace(s[0]) {
				s = s[1:]
			}
		}
		if right {
			for len(s) > 0 && isASCIISpace(s[len(s)-1]) {
				s = s[:len(s)-1]
			}
		}
		return s
	}
	if left {
		s = bytes.TrimLeft(s, cut)
	}
	if right {
		s = bytes.TrimRight(s, cut)
	}
	return s
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// stringLanesOnly reports whether the string rows of v selected by sel are all in its string
// lane: strings produced by a generic implementation sit in the boxed lane (and symbols may
// sit in the Ion lane), and a typed implementation that reads only the string lane must then
// decline.
func stringLanesOnly(v *Vec, sel Bitmap) bool {
	return !Intersects(v.Boxed, sel) && !Intersects(v.Ions, sel)
}

// mapStrings applies fn to every selected string of v, building a string lane; other rows are
// MISSING (the string functions return MISSING for non-strings). It returns nil, so that the
// caller falls back to Eval, when some strings are not in the string lane.
func mapStrings(c *Ctx, v *Vec, sel Bitmap, n int, fn func(dst, s []byte) []byte) *Vec {
	if !stringLanesOnly(v, sel) {
		return nil
	}
	out := c.Vec(n)
	rows := AndBits(nil, sel, v.Strs, n)
	newStrBuilder(out, n)
	o := &out.S
	// most string functions keep or shrink their input: reserve its size once
	if v.S.Codes == nil {
		o.Data = slices.Grow(o.Data, len(v.S.Data))
	} else {
		o.Data = slices.Grow(o.Data, 16*n)
	}
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			start := len(o.Data)
			o.Data = fn(o.Data, v.S.Get(i))
			o.Start[i], o.End[i] = uint32(start), uint32(len(o.Data))
		}
	}
	out.Strs = CopyBits(out.Strs, rows, n)
	return out
}

// mapStringsToInt applies fn to every selected string of v, building an int lane.
func mapStringsToInt(c *Ctx, v *Vec, sel Bitmap, n int, fn func(s []byte) int64) *Vec {
	if !stringLanesOnly(v, sel) {
		return nil
	}
	out := c.Vec(n)
	rows := AndBits(nil, sel, v.Strs, n)
	dst := outInts(out, rows, n)
	if v.S.Codes != nil {
		// dictionary-coded: compute once per entry
		cache := make([]int64, v.S.Dict.Len())
		done := make([]bool, len(cache))
		for w, m := range rows {
			for ; m != 0; m &= m - 1 {
				i := w*64 + trailing(m)
				code := v.S.Codes[i]
				if !done[code] {
					cache[code], done[code] = fn(v.S.Dict.Get(int(code))), true
				}
				dst[i] = cache[code]
			}
		}
		return out
	}
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = fn(v.S.Data[v.S.Start[i]:v.S.End[i]])
		}
	}
	return out
}
