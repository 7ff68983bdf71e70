package vm

import "math/bits"

// BIT_COUNT(i) is the number of one bits of the two's complement int64 i (BIT_COUNT(-1) is
// 64). A non-int argument gives MISSING.
func init() {
	RegisterFunc(&Func{
		Name: "BIT_COUNT", MinArgs: 1, MaxArgs: 1,
		Eval: func(c *Ctx, args []Value) Value {
			if args[0].k != KInt {
				return Missing()
			}
			return Int(int64(bits.OnesCount64(uint64(args[0].Int()))))
		},
	})
}
