package vm

// DATE_ADD('PART', n, ts) adds n units of PART to the timestamp ts. The planner lowers the
// keyword form DATE_ADD(DAY, n, ts) to this call. MONTH, QUARTER and YEAR keep the day of
// month and let an overflow roll into the next month (Jan 31 + 1 MONTH = Mar 3, or Mar 2 in a
// leap year), as the original does. n must be an integer (an integral float is accepted);
// anything else, a non-timestamp ts, or a result outside the int64 microsecond range gives
// MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "DATE_ADD", MinArgs: 3, MaxArgs: 3,
		Eval:   evalDateAdd,
		Vector: vecDateAdd,
		Check: func(consts []Value, isConst []bool) error {
			return constPart("DATE_ADD", consts, isConst, dateAddPart)
		},
	})
}

func dateAddPart(p DatePart) bool { return p != PartDOW && p != PartDOY }

func evalDateAdd(c *Ctx, args []Value) Value {
	p, ok := partArg(args[0], dateAddPart)
	if !ok || args[2].k != KTime {
		return Missing()
	}
	n, ok := intArg(args[1])
	if !ok {
		return Missing()
	}
	if r, ok := dateAdd(p, n, args[2].Micros()); ok {
		return Time(r)
	}
	return Missing()
}

// dateAdd is the shared kernel.
func dateAdd(p DatePart, n, us int64) (int64, bool) {
	switch p {
	case PartMonth:
		return addMonths(us, n)
	case PartQuarter:
		m, ok := mulCheck(n, 3)
		if !ok {
			return 0, false
		}
		return addMonths(us, m)
	case PartYear:
		m, ok := mulCheck(n, 12)
		if !ok {
			return 0, false
		}
		return addMonths(us, m)
	}
	return mulAdd(n, p.fixedMicros(), us)
}

func vecDateAdd(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec {
	ps, ok := constStr(args[0], sel)
	if !ok {
		return nil
	}
	p, ok := partArg(String(ps), dateAddPart)
	if !ok || !onlyLanes(args[1], sel, LInt) {
		return nil
	}
	ts, cnt := args[2], args[1]
	out := c.Vec(n)
	rows := AndBits(nil, sel, ts.Times, n)
	rows = AndBits(rows, rows, cnt.Ints, n)
	dst := outTimes(out, rows, n)
	for w, m := range rows {
		for ; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			r, ok := dateAdd(p, cnt.I[i], ts.T[i])
			if !ok {
				out.Times.Clear(i)
				continue
			}
			dst[i] = r
		}
	}
	return out
}
