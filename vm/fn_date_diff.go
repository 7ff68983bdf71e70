package vm

// DATE_DIFF('PART', a, b) counts the whole units of PART from timestamp a to timestamp b,
// truncated towards zero (negative when b is before a). MONTH counts calendar months less one
// when b's day of month and time of day come before a's (Jan 31 to Feb 28 is 0 months);
// QUARTER and YEAR are that month count divided by 3 and 12. Non-timestamp arguments give
// MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "DATE_DIFF", MinArgs: 3, MaxArgs: 3,
		Eval:   evalDateDiff,
		Vector: vecDateDiff,
		Check: func(consts []Value, isConst []bool) error {
			return constPart("DATE_DIFF", consts, isConst, dateAddPart)
		},
	})
}

func evalDateDiff(c *Ctx, args []Value) Value {
	p, ok := partArg(args[0], dateAddPart)
	if !ok || args[1].k != KTime || args[2].k != KTime {
		return Missing()
	}
	return Int(dateDiff(p, args[1].Micros(), args[2].Micros()))
}

func dateDiff(p DatePart, a, b int64) int64 {
	switch p {
	case PartMonth:
		return monthsBetween(a, b)
	case PartQuarter:
		return monthsBetween(a, b) / 3
	case PartYear:
		return monthsBetween(a, b) / 12
	}
	// b - a can overflow only for timestamps ~292,000 years apart; compute in two halves
	d, ok := subCheck(b, a)
	if !ok {
		u := p.fixedMicros()
		return b/u - a/u
	}
	return d / p.fixedMicros()
}

func vecDateDiff(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	ps, ok := constStr(args[0], sel)
	if !ok {
		return nil
	}
	p, ok := partArg(String(ps), dateAddPart)
	if !ok {
		return nil
	}
	a, b := args[1], args[2]
	out := c.Vec(n)
	rows := AndBits(nil, sel, a.Times, n)
	rows = AndBits(rows, rows, b.Times, n)
	dst := outInts(out, rows, n)
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			dst[i] = dateDiff(p, a.T[i], b.T[i])
		}
	}
	return out
}
