package vm

import (
	"bytes"
	"cmp"
	"math"
	"strconv"
	"time"
)

// Kind is the type of a Value. The order of the constants is the order of the type classes in
// a mixed-type ORDER BY: null < bool < numbers < timestamps < strings < lists < structs.
type Kind uint8

const (
	KMissing Kind = iota // no value at all: an absent field, a failed cast, a type error
	KNull
	KBool
	KInt   // int64
	KFloat // float64
	KTime  // Unix microseconds, UTC
	KString
	KList
	KStruct
	KOther // an Ion value the engine does not compute on (decimal, big int, blob, clob, sexp...), kept as encoded bytes
)

var kindNames = [...]string{"missing", "null", "bool", "int", "float", "timestamp", "string", "list", "struct", "other"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Field is one field of a struct Value.
type Field struct {
	Name  string
	Value Value
}

// Value is one boxed value: the representation used off the vectorised path (constants,
// group keys, sorted rows, the generic implementation of every function). Strings share the
// bytes they were built from; call Clone before keeping a Value beyond the batch it came from.
type Value struct {
	k Kind
	n uint64 // bool (0/1), int64 bits, float64 bits, timestamp microseconds
	b []byte // string bytes; encoded Ion for KOther
	c *composite
}

type composite struct {
	list   []Value
	fields []Field
}

// Constructors.

func Missing() Value           { return Value{} }
func Null() Value              { return Value{k: KNull} }
func Int(i int64) Value        { return Value{k: KInt, n: uint64(i)} }
func Float(f float64) Value    { return Value{k: KFloat, n: math.Float64bits(f)} }
func Time(us int64) Value      { return Value{k: KTime, n: uint64(us)} }
func String(s string) Value    { return Value{k: KString, b: []byte(s)} }
func Bytes(b []byte) Value     { return Value{k: KString, b: b} }
func Other(ion []byte) Value   { return Value{k: KOther, b: ion} }
func List(items []Value) Value { return Value{k: KList, c: &composite{list: items}} }

// Struct builds a struct Value; fields whose value is MISSING are dropped.
func Struct(fields []Field) Value {
	out := fields[:0:0]
	for _, f := range fields {
		if f.Value.k != KMissing {
			out = append(out, f)
		}
	}
	return Value{k: KStruct, c: &composite{fields: out}}
}

func Bool(b bool) Value {
	if b {
		return Value{k: KBool, n: 1}
	}
	return Value{k: KBool}
}

// TimeOf converts a time.Time to a timestamp Value (truncated to microseconds).
func TimeOf(t time.Time) Value { return Time(t.UnixMicro()) }

// Accessors. Each is meaningful only for its kind.

func (v Value) Kind() Kind      { return v.k }
func (v Value) IsMissing() bool { return v.k == KMissing }
func (v Value) IsNull() bool    { return v.k == KNull }
func (v Value) Bool() bool      { return v.n != 0 }
func (v Value) Int() int64      { return int64(v.n) }
func (v Value) Float() float64  { return math.Float64frombits(v.n) }
func (v Value) Micros() int64   { return int64(v.n) }
func (v Value) Time() time.Time { return time.UnixMicro(int64(v.n)).UTC() }
func (v Value) Str() []byte     { return v.b }
func (v Value) String() string  { return string(v.b) }
func (v Value) Ion() []byte     { return v.b }
func (v Value) IsNumber() bool  { return v.k == KInt || v.k == KFloat }
func (v Value) IsTrue() bool    { return v.k == KBool && v.n != 0 }

// List returns the elements of a list value.
func (v Value) List() []Value {
	if v.k != KList || v.c == nil {
		return nil
	}
	return v.c.list
}

// Fields returns the fields of a struct value.
func (v Value) Fields() []Field {
	if v.k != KStruct || v.c == nil {
		return nil
	}
	return v.c.fields
}

// Field returns the named field of a struct value, or MISSING.
func (v Value) Field(name string) Value {
	for _, f := range v.Fields() {
		if f.Name == name {
			return f.Value
		}
	}
	return Value{}
}

// Index returns element i of a list, or MISSING.
func (v Value) Index(i int64) Value {
	l := v.List()
	if i < 0 || i >= int64(len(l)) {
		return Value{}
	}
	return l[i]
}

// AsFloat returns a number as float64; ok is false for non-numbers.
func (v Value) AsFloat() (float64, bool) {
	switch v.k {
	case KInt:
		return float64(int64(v.n)), true
	case KFloat:
		return math.Float64frombits(v.n), true
	}
	return 0, false
}

// Clone returns a deep copy that shares no bytes with v.
func (v Value) Clone() Value {
	switch v.k {
	case KString, KOther:
		v.b = bytes.Clone(v.b)
		if v.b == nil {
			v.b = []byte{}
		}
	case KList:
		l := make([]Value, len(v.c.list))
		for i := range l {
			l[i] = v.c.list[i].Clone()
		}
		v.c = &composite{list: l}
	case KStruct:
		f := make([]Field, len(v.c.fields))
		for i := range f {
			f[i] = Field{Name: v.c.fields[i].Name, Value: v.c.fields[i].Value.Clone()}
		}
		v.c = &composite{fields: f}
	}
	return v
}

// class groups kinds that compare with each other by value.
func (k Kind) class() int {
	switch k {
	case KInt, KFloat:
		return int(KInt)
	}
	return int(k)
}

// cmpNum compares two numbers exactly (an int64 and a float64 are compared without rounding
// the int). NaN sorts after every other number and equals itself.
func cmpNum(a, b Value) int {
	if a.k == KInt && b.k == KInt {
		x, y := int64(a.n), int64(b.n)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	if a.k == KFloat && b.k == KFloat {
		return cmpFloat(a.Float(), b.Float())
	}
	if a.k == KInt {
		return -cmpFloatInt(b.Float(), int64(a.n))
	}
	return cmpFloatInt(a.Float(), int64(b.n))
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	case x == y:
		return 0
	}
	// at least one NaN
	xn, yn := x != x, y != y
	switch {
	case xn && yn:
		return 0
	case xn:
		return 1
	}
	return -1
}

// cmpFloatInt compares f with i exactly.
func cmpFloatInt(f float64, i int64) int {
	if f != f {
		return 1
	}
	if f < -9.223372036854775808e18 {
		return -1
	}
	if f >= 9.223372036854775808e18 {
		return 1
	}
	t := math.Trunc(f)
	ti := int64(t)
	switch {
	case ti < i:
		return -1
	case ti > i:
		return 1
	}
	switch {
	case f > t:
		return 1
	case f < t:
		return -1
	}
	return 0
}

// Equal is the SQL '=' relation on two present values: deep for lists and structs (struct
// field order does not matter), numbers by exact value, NULL = NULL. Values of different type
// classes are not equal. Callers handle MISSING (it makes '=' MISSING).
func Equal(a, b Value) bool {
	if a.k.class() != b.k.class() {
		return false
	}
	switch a.k {
	case KMissing, KNull:
		return true
	case KBool, KTime:
		return a.n == b.n
	case KInt, KFloat:
		return cmpNum(a, b) == 0
	case KString, KOther:
		return bytes.Equal(a.b, b.b)
	case KList:
		la, lb := a.List(), b.List()
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !Equal(la[i], lb[i]) {
				return false
			}
		}
		return true
	case KStruct:
		fa, fb := a.Fields(), b.Fields()
		if len(fa) != len(fb) {
			return false
		}
	outer:
		for _, f := range fa {
			for _, g := range fb {
				if f.Name == g.Name {
					if !Equal(f.Value, g.Value) {
						return false
					}
					continue outer
				}
			}
			return false
		}
		return true
	}
	return false
}

// Compare orders two values for ORDER BY and MIN/MAX: by type class first (missing < null <
// bool < numbers < timestamps < strings < lists < structs < other), then by value within the
// class (false < true; numbers by exact value; strings bytewise; lists element by element).
func Compare(a, b Value) int {
	ca, cb := a.k.class(), b.k.class()
	if ca != cb {
		if ca < cb {
			return -1
		}
		return 1
	}
	switch a.k {
	case KMissing, KNull:
		return 0
	case KBool, KTime:
		x, y := int64(a.n), int64(b.n)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case KInt, KFloat:
		return cmpNum(a, b)
	case KString, KOther:
		return bytes.Compare(a.b, b.b)
	case KList:
		la, lb := a.List(), b.List()
		for i := 0; i < len(la) && i < len(lb); i++ {
			if c := Compare(la[i], lb[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(la), len(lb))
	case KStruct:
		fa, fb := a.Fields(), b.Fields()
		for i := 0; i < len(fa) && i < len(fb); i++ {
			if c := cmp.Compare(fa[i].Name, fb[i].Name); c != 0 {
				return c
			}
			if c := Compare(fa[i].Value, fb[i].Value); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(fa), len(fb))
	}
	return 0
}

func compareBytes(a, b []byte) int { return bytes.Compare(a, b) }
