package vm

// GREATEST(a, b, ...) and LEAST(a, b, ...) return the largest and the smallest of their
// arguments, which must all be numbers (ints and floats compare by exact value and the winner
// keeps its type; a NaN is larger than every number) or all timestamps. A MISSING, NULL or
// other-typed argument, or a mix of numbers and timestamps, gives MISSING.
func init() {
	for _, f := range []struct {
		name string
		sign int
	}{{"GREATEST", 1}, {"LEAST", -1}} {
		sign := f.sign
		RegisterFunc(&Func{
			Name: f.name, MinArgs: 1, MaxArgs: -1,
			Eval: func(c *Ctx, args []Value) Value {
				best := args[0]
				if !best.IsNumber() && best.k != KTime {
					return Missing()
				}
				for _, a := range args[1:] {
					if a.k.class() != best.k.class() {
						return Missing()
					}
					if Compare(a, best)*sign > 0 {
						best = a
					}
				}
				return best
			},
		})
	}
}
