package vm

// EXTRACT('PART', ts) returns a field of the timestamp ts as an int: MICROSECOND and
// MILLISECOND (including the seconds: 26.089019 s gives 26089019), SECOND, MINUTE, HOUR, DAY
// (of month), DOW (day of week, Sunday = 0), DOY (day of year, from 1), MONTH, QUARTER, YEAR.
// WEEK is not a field. The planner lowers EXTRACT(PART FROM ts) to this call. A non-timestamp
// ts gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "EXTRACT", MinArgs: 2, MaxArgs: 2,
		Eval:   evalExtract,
		Vector: vecExtract,
		Check: func(consts []Value, isConst []bool) error {
			return constPart("EXTRACT", consts, isConst, extractPartOK)
		},
	})
}

func extractPartOK(p DatePart) bool { return p != PartWeek }

func evalExtract(c *Ctx, args []Value) Value {
	p, ok := partArg(args[0], extractPartOK)
	if !ok || args[1].k != KTime {
		return Missing()
	}
	return Int(extractPart(args[1].Micros(), p))
}

func vecExtract(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	ps, ok := constStr(args[0], sel)
	if !ok {
		return nil
	}
	p, ok := partArg(String(ps), extractPartOK)
	if !ok {
		return nil
	}
	ts := args[1]
	out := c.Vec(n)
	rows := AndBits(nil, sel, ts.Times, n)
	dst := outInts(out, rows, n)
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = extractPart(ts.T[i], p)
		}
	}
	return out
}
