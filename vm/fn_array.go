package vm

// Functions of lists and structs.
//
//   - SIZE(x) is the number of elements of the list x or of fields of the struct x.
//   - ARRAY_SIZE(l) is the number of elements of the list l.
//   - ARRAY_CONTAINS(l, v) is TRUE when an element of the list l equals v (the '=' relation:
//     deep, numbers by value, NULL = NULL), else FALSE.
//   - ARRAY_POSITION(l, v) is the 1-based position of the first element of l that equals v,
//     MISSING when there is none.
//   - ARRAY_SUM(l) is the float64 sum of the numeric elements of l (0 for an empty list;
//     other elements are ignored).
//
// An argument of the wrong type (SIZE of a string, ARRAY_SIZE of a struct) or a MISSING v gives
// MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "SIZE", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			switch args[0].k {
			case KList:
				return Int(int64(len(args[0].List())))
			case KStruct:
				return Int(int64(len(args[0].Fields())))
			}
			return Missing()
		},
	})
	RegisterFunc(&Func{
		Name: "ARRAY_SIZE", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KList {
				return Missing()
			}
			return Int(int64(len(args[0].List())))
		},
	})
	RegisterFunc(&Func{
		Name: "ARRAY_CONTAINS", MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KList || args[1].k == KMissing {
				return Missing()
			}
			return Bool(arrayPosition(args[0].List(), args[1]) >= 0)
		},
	})
	RegisterFunc(&Func{
		Name: "ARRAY_POSITION", MinArgs: 2, MaxArgs: 2,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KList || args[1].k == KMissing {
				return Missing()
			}
			if i := arrayPosition(args[0].List(), args[1]); i >= 0 {
				return Int(int64(i) + 1)
			}
			return Missing()
		},
	})
	RegisterFunc(&Func{
		Name: "ARRAY_SUM", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KList {
				return Missing()
			}
			s := 0.0
			for _, x := range args[0].List() {
				if f, ok := x.AsFloat(); ok {
					s += f
				}
			}
			return Float(s)
		},
	})
}

func arrayPosition(l []Value, v Value) int {
	for i, x := range l {
		if Equal(x, v) {
			return i
		}
	}
	return -1
}
