package ion

import (
	"math"
	"math/big"
)

// SymbolToken is a symbol as the value tree holds it: its text, or Unknown for a symbol whose
// text is unknown ($0, a null slot of a local symbol table, or an import without a catalog;
// all of them compare equal to $0).
type SymbolToken struct {
	Text    string
	Unknown bool
}

// Field is one field of a struct Datum.
type Field struct {
	Name  SymbolToken
	Value Datum
}

// F returns the field name: value.
func F(name string, value Datum) Field { return Field{Name: SymbolToken{Text: name}, Value: value} }

// Datum is an Ion value as a tree, for tools and tests (the scan path uses the cursor). The
// zero Datum is null.null. Ints are one type (Type reports IntType for every int).
type Datum struct {
	typ     Type
	null    bool
	annots  []SymbolToken
	b       bool
	i       int64
	big     *big.Int // ints beyond int64
	f       float64
	dec     Decimal
	ts      Timestamp
	s       string // string, symbol text, clob or blob bytes
	unknown bool   // symbol with unknown text
	items   []Datum
	fields  []Field
}

// Null returns null.null.
func Null() Datum { return Datum{} }

// TypedNull returns the null of type t (null.int for either int type code; null.null for
// codes that are not value types).
func TypedNull(t Type) Datum {
	if t == UintType {
		t = IntType
	}
	if t > StructType {
		t = NullType // annotation and reserved codes have no null
	}
	return Datum{typ: t, null: t != NullType}
}

// Bool returns a bool.
func Bool(v bool) Datum { return Datum{typ: BoolType, b: v} }

// Int returns an int.
func Int(v int64) Datum { return Datum{typ: IntType, i: v} }

// Uint returns a non-negative int.
func Uint(v uint64) Datum {
	if v <= math.MaxInt64 {
		return Int(int64(v))
	}
	return Datum{typ: IntType, big: new(big.Int).SetUint64(v)}
}

// BigInt returns an int of any size (v is copied).
func BigInt(v *big.Int) Datum {
	if v.IsInt64() {
		return Int(v.Int64())
	}
	return Datum{typ: IntType, big: new(big.Int).Set(v)}
}

// Float returns a float.
func Float(v float64) Datum { return Datum{typ: FloatType, f: v} }

// DecimalValue returns a decimal.
func DecimalValue(d Decimal) Datum { return Datum{typ: DecimalType, dec: d} }

// TimestampValue returns a timestamp.
func TimestampValue(t Timestamp) Datum { return Datum{typ: TimestampType, ts: t} }

// String returns a string.
func String(s string) Datum { return Datum{typ: StringType, s: s} }

// SymbolValue returns a symbol with the given text.
func SymbolValue(text string) Datum { return Datum{typ: SymbolType, s: text} }

// UnknownSymbol returns the symbol $0, whose text is unknown.
func UnknownSymbol() Datum { return Datum{typ: SymbolType, unknown: true} }

// Blob returns a blob (v is copied).
func Blob(v []byte) Datum { return Datum{typ: BlobType, s: string(v)} }

// Clob returns a clob (v is copied).
func Clob(v []byte) Datum { return Datum{typ: ClobType, s: string(v)} }

// List returns a list of the given elements.
func List(items ...Datum) Datum { return Datum{typ: ListType, items: items} }

// Sexp returns an s-expression of the given elements.
func Sexp(items ...Datum) Datum { return Datum{typ: SexpType, items: items} }

// Struct returns a struct of the given fields.
func Struct(fields ...Field) Datum { return Datum{typ: StructType, fields: fields} }

// WithAnnotations returns d annotated with the given texts (replacing its annotations).
func (d Datum) WithAnnotations(texts ...string) Datum {
	d.annots = make([]SymbolToken, len(texts))
	for i, t := range texts {
		d.annots[i] = SymbolToken{Text: t}
	}
	return d
}

// Type returns the value's type (IntType for every int, NullType for null.null).
func (d Datum) Type() Type { return d.typ }

// IsNull reports whether d is a null of any type.
func (d Datum) IsNull() bool { return d.typ == NullType || d.null }

// Annotations returns the annotations of d.
func (d Datum) Annotations() []SymbolToken { return d.annots }

// BoolValue returns the value of a bool.
func (d Datum) BoolValue() bool { return d.b }

// Int returns the value of an int and whether it fits an int64.
func (d Datum) Int() (int64, bool) {
	if d.typ != IntType || d.null || d.big != nil {
		return 0, false
	}
	return d.i, true
}

// BigInt returns the value of an int as a new *big.Int (nil for other types).
func (d Datum) BigInt() *big.Int {
	if d.typ != IntType || d.null {
		return nil
	}
	if d.big != nil {
		return new(big.Int).Set(d.big)
	}
	return big.NewInt(d.i)
}

// Float returns the value of a float.
func (d Datum) Float() float64 { return d.f }

// Decimal returns the value of a decimal.
func (d Datum) Decimal() Decimal { return d.dec }

// Timestamp returns the value of a timestamp.
func (d Datum) Timestamp() Timestamp { return d.ts }

// Text returns the text of a string or symbol ("" for a symbol of unknown text).
func (d Datum) Text() string { return d.s }

// UnknownText reports whether d is a symbol whose text is unknown.
func (d Datum) UnknownText() bool { return d.unknown }

// Bytes returns the contents of a blob or clob.
func (d Datum) Bytes() []byte { return []byte(d.s) }

// Elems returns the elements of a list or sexp.
func (d Datum) Elems() []Datum { return d.items }

// Fields returns the fields of a struct.
func (d Datum) Fields() []Field { return d.fields }

// Field returns the value of the first field named name.
func (d Datum) Field(name string) (Datum, bool) {
	for i := range d.fields {
		if !d.fields[i].Name.Unknown && d.fields[i].Name.Text == name {
			return d.fields[i].Value, true
		}
	}
	return Datum{}, false
}

// Equal reports Ion data-model equivalence: the same type, annotations and value, where
// floats compare by value with NaN equal to NaN and -0 distinct from +0, decimals and
// timestamps keep their precision, and struct fields compare as a multiset (order ignored).
func (d Datum) Equal(e Datum) bool {
	if d.typ != e.typ || d.null != e.null || len(d.annots) != len(e.annots) {
		return false
	}
	for i := range d.annots {
		if d.annots[i] != e.annots[i] {
			return false
		}
	}
	if d.null {
		return true
	}
	switch d.typ {
	case NullType:
		return true
	case BoolType:
		return d.b == e.b
	case IntType:
		if d.big == nil && e.big == nil {
			return d.i == e.i
		}
		return d.BigInt().Cmp(e.BigInt()) == 0
	case FloatType:
		if math.IsNaN(d.f) || math.IsNaN(e.f) {
			return math.IsNaN(d.f) && math.IsNaN(e.f)
		}
		return d.f == e.f && math.Signbit(d.f) == math.Signbit(e.f)
	case DecimalType:
		return d.dec.Equal(e.dec)
	case TimestampType:
		return d.ts.Equal(e.ts)
	case SymbolType:
		return d.unknown == e.unknown && (d.unknown || d.s == e.s)
	case StringType, ClobType, BlobType:
		return d.s == e.s
	case ListType, SexpType:
		if len(d.items) != len(e.items) {
			return false
		}
		for i := range d.items {
			if !d.items[i].Equal(e.items[i]) {
				return false
			}
		}
		return true
	case StructType:
		return fieldsEqual(d.fields, e.fields)
	}
	return false
}

func fieldsEqual(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for i := range a {
		for j := range b {
			if !used[j] && a[i].Name == b[j].Name && a[i].Value.Equal(b[j].Value) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

func internToken(st *Symtab, t SymbolToken) Symbol {
	if t.Unknown {
		return SymbolZero
	}
	return st.Intern(t.Text)
}

// Encode writes d to dst, interning its symbol texts in st.
func (d Datum) Encode(dst *Buffer, st *Symtab) {
	if len(d.annots) > 0 {
		var tmp [4]Symbol
		syms := tmp[:0]
		for _, a := range d.annots {
			syms = append(syms, internToken(st, a))
		}
		dst.BeginAnnotation(syms...)
		defer dst.EndAnnotation()
	}
	if d.null {
		dst.WriteTypedNull(d.typ)
		return
	}
	switch d.typ {
	case NullType:
		dst.WriteNull()
	case BoolType:
		dst.WriteBool(d.b)
	case IntType:
		if d.big != nil {
			dst.WriteBigInt(d.big)
		} else {
			dst.WriteInt(d.i)
		}
	case FloatType:
		dst.WriteFloat64(d.f)
	case DecimalType:
		dst.WriteDecimal(d.dec)
	case TimestampType:
		dst.WriteTimestamp(d.ts)
	case SymbolType:
		dst.WriteSymbol(internToken(st, SymbolToken{Text: d.s, Unknown: d.unknown}))
	case StringType:
		dst.WriteString(d.s)
	case ClobType:
		dst.WriteClob([]byte(d.s))
	case BlobType:
		dst.WriteBlob([]byte(d.s))
	case ListType, SexpType:
		if d.typ == ListType {
			dst.BeginList(-1)
		} else {
			dst.BeginSexp(-1)
		}
		for i := range d.items {
			d.items[i].Encode(dst, st)
		}
		if d.typ == ListType {
			dst.EndList()
		} else {
			dst.EndSexp()
		}
	case StructType:
		dst.BeginStruct(-1)
		for i := range d.fields {
			dst.BeginField(internToken(st, d.fields[i].Name))
			d.fields[i].Value.Encode(dst, st)
		}
		dst.EndStruct()
	}
}
