package vm

// TO_UNIX_EPOCH(ts) is the Unix time of ts in whole seconds (an int, rounded down), and
// TO_UNIX_MICRO(ts) in microseconds. A non-timestamp argument gives MISSING.
//
// UTCNOW() is the query's start time, the same for every row and every replica: the
// planner folds it to a constant once (it is marked Volatile so that generic constant
// folding does not evaluate it with another clock).
func init() {
	RegisterFunc(&Func{
		Name: "TO_UNIX_EPOCH", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KTime {
				return Missing()
			}
			return Int(floorDiv(args[0].Micros(), usPerSecond))
		},
	})
	RegisterFunc(&Func{
		Name: "TO_UNIX_MICRO", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KTime {
				return Missing()
			}
			return Int(args[0].Micros())
		},
	})
	RegisterFunc(&Func{
		Name: "UTCNOW", MinArgs: 0, MaxArgs: 0, Volatile: true,
		Eval: func(c *Ctx, args []Value) Value { return Time(c.Now) },
	})
}
