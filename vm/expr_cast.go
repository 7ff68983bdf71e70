package vm

import (
	"math"
	"strconv"
)

// CastType is the target type of a CAST.
type CastType uint8

const (
	CastInt CastType = iota
	CastFloat
	CastBool
	CastString
	CastTimestamp
	CastStruct
	CastList
	CastDecimal
	CastSymbol
	CastNull
	CastMissing
)

var castNames = [...]string{"INTEGER", "FLOAT", "BOOLEAN", "STRING", "TIMESTAMP", "STRUCT", "LIST", "DECIMAL", "SYMBOL", "NULL", "MISSING"}

func (t CastType) String() string { return castNames[t] }

// Cast converts a value: int ↔ float (float → int truncates toward zero), int/float → bool
// (non-zero), bool → int/float (0/1), int and bool → string, and every identity cast. Any
// other conversion, NULL included, gives MISSING.
type Cast struct {
	X  Expr
	To CastType
	// Strict limits CAST(x AS STRING) to values that are already strings: the original
	// converts ints and bools to strings only when their type is known when the query is
	// planned (CAST(CAST(x AS INTEGER) AS STRING)), and gives MISSING for them otherwise.
	Strict bool
}

func (e *Cast) String() string { return "CAST(" + e.X.String() + " AS " + e.To.String() + ")" }

// CastValue is the generic implementation.
func CastValue(v Value, to CastType) Value {
	switch to {
	case CastInt:
		switch v.k {
		case KInt:
			return v
		case KFloat:
			f := v.Float()
			if f != f {
				return Missing()
			}
			if f >= 9.223372036854775807e18 {
				return Int(math.MaxInt64)
			}
			if f <= -9.223372036854775808e18 {
				return Int(math.MinInt64)
			}
			return Int(int64(f))
		case KBool:
			return Int(int64(v.n))
		}
	case CastFloat, CastDecimal:
		switch v.k {
		case KFloat:
			return v
		case KInt:
			return Float(float64(v.Int()))
		case KBool:
			return Float(float64(v.n))
		}
	case CastBool:
		switch v.k {
		case KBool:
			return v
		case KInt:
			return Bool(v.Int() != 0)
		case KFloat:
			return Bool(v.Float() != 0)
		}
	case CastString, CastSymbol:
		switch v.k {
		case KString:
			return v
		case KInt:
			return String(strconv.FormatInt(v.Int(), 10))
		case KBool:
			if v.Bool() {
				return String("true")
			}
			return String("false")
		}
	case CastTimestamp:
		if v.k == KTime {
			return v
		}
	case CastStruct:
		if v.k == KStruct {
			return v
		}
	case CastList:
		if v.k == KList {
			return v
		}
	case CastNull:
		if v.k == KNull {
			return v
		}
	}
	return Missing()
}

func (e *Cast) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	n := b.N
	if l, ok := x.Single(sel); ok {
		switch {
		case l == LInt && e.To == CastInt, l == LFloat && e.To == CastFloat,
			l == LTime && e.To == CastTimestamp, l == LStr && e.To == CastString,
			l == LBool && e.To == CastBool:
			return x, nil // identity
		case l == LInt && e.To == CastFloat:
			out := c.Vec(n)
			out.Floats = CopyBits(out.Floats, sel, n)
			out.F = sized(out.F, n)
			for w, m := range sel {
				if m != 0 {
					for j := w * 64; j < w*64+64; j++ {
						out.F[j] = float64(x.I[j])
					}
				}
			}
			return out, nil
		}
	}
	to, strict := e.To, e.Strict
	return generic(c, n, sel, []*Vec{x}, func(_ *Ctx, a []Value) Value {
		if strict && a[0].k != KString {
			return Missing()
		}
		return CastValue(a[0], to)
	}), nil
}
