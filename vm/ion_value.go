package vm

import (
	"fmt"
	"math/big"

	"github.com/sneller-re/sneller/ion"
)

// DecodeIon converts one encoded Ion value to a Value. Symbols become strings, sexps lists,
// decimals and ints beyond int64 floats; annotations are dropped; blobs and clobs are kept as
// encoded Ion (KOther).
func DecodeIon(b []byte, st *ion.Symtab) (Value, error) {
	h, err := ion.ReadHead(b)
	if err != nil {
		return Missing(), err
	}
	if h.Type == ion.AnnotationType {
		_, v, _, err := ion.Unannotate(b)
		if err != nil {
			return Missing(), err
		}
		return DecodeIon(v, st)
	}
	if h.IsNull() {
		return Null(), nil
	}
	switch h.Type {
	case ion.BoolType:
		return Bool(h.L == 1), nil
	case ion.UintType, ion.IntType:
		i, _, err := ion.ReadInt(b)
		if err == nil {
			return Int(i), nil
		}
		bi, _, err := ion.ReadBigInt(b)
		if err != nil {
			return Missing(), err
		}
		f, _ := new(big.Float).SetInt(bi).Float64()
		return Float(f), nil
	case ion.FloatType:
		f, _, err := ion.ReadFloat(b)
		return Float(f), err
	case ion.DecimalType:
		d, _, err := ion.ReadDecimal(b)
		return Float(d.Float64()), err
	case ion.TimestampType:
		t, _, err := ion.ReadTimestamp(b)
		return Time(t.UnixMicro()), err
	case ion.SymbolType:
		sym, _, err := ion.ReadSymbol(b)
		if err != nil {
			return Missing(), err
		}
		text, ok := st.Get(sym)
		if !ok {
			return Missing(), fmt.Errorf("symbol $%d is not in the symbol table", sym)
		}
		return String(text), nil
	case ion.StringType:
		s, _, err := ion.ReadStringBytes(b)
		return Bytes(s), err
	case ion.ClobType, ion.BlobType:
		return Other(b[:h.Size()]), nil
	case ion.ListType, ion.SexpType:
		it, err := ion.Elements(b)
		if err != nil {
			return Missing(), err
		}
		var items []Value
		for it.Next() {
			x, err := DecodeIon(it.Value(), st)
			if err != nil {
				return Missing(), err
			}
			items = append(items, x)
		}
		if it.Err() != nil {
			return Missing(), it.Err()
		}
		if items == nil {
			items = []Value{}
		}
		return List(items), nil
	case ion.StructType:
		it, err := ion.Fields(b)
		if err != nil {
			return Missing(), err
		}
		var fields []Field
		for it.Next() {
			name, ok := st.Get(it.Symbol())
			if !ok {
				return Missing(), fmt.Errorf("field name symbol $%d is not in the symbol table", it.Symbol())
			}
			x, err := DecodeIon(it.Value(), st)
			if err != nil {
				return Missing(), err
			}
			fields = append(fields, Field{Name: name, Value: x})
		}
		if it.Err() != nil {
			return Missing(), it.Err()
		}
		return Value{k: KStruct, c: &composite{fields: fields}}, nil
	}
	return Missing(), fmt.Errorf("unsupported Ion type %s", h.Type)
}

// putIon stores the encoded value data[start:end] at row i of out: scalars in their typed
// lanes (strings sharing data), composites in the Ion lane (sharing data).
func putIon(out *Vec, i int, data []byte, start, end uint32, st *ion.Symtab) {
	b := data[start:end]
	h, err := ion.ReadHead(b)
	if err != nil {
		return
	}
	if h.IsNull() {
		out.SetNull(i)
		return
	}
	switch h.Type {
	case ion.StringType:
		out.setStringShared(i, data, start+uint32(h.Hdr), start+uint32(h.Size()))
	case ion.ListType, ion.SexpType, ion.StructType:
		out.setIonShared(i, data, start, end, st)
	default:
		if x, err := DecodeIon(b, st); err == nil {
			out.Put(i, x)
		}
	}
}

// ionFieldRows stores field name of the Ion structs of v at rows m into out.
func ionFieldRows(v *Vec, name string, m Bitmap, out *Vec) {
	st := v.X.Symtab
	sym, ok := st.Lookup(name)
	if !ok {
		return
	}
	data := v.X.Data
	m.ForEach(func(i int) {
		start := v.X.Start[i]
		b := data[start:v.X.End[i]]
		if ion.TypeOf(b) != ion.StructType {
			return
		}
		it, err := ion.Fields(b)
		if err != nil {
			return
		}
		for it.Next() {
			if it.Symbol() == sym {
				off := start + uint32(it.Offset())
				putIon(out, i, data, off, off+uint32(len(it.Value())), st)
				return
			}
		}
	})
}

// ionIndexRows stores element idx of the Ion lists of v at rows m into out.
func ionIndexRows(v *Vec, idx int, m Bitmap, out *Vec) {
	if idx < 0 {
		return
	}
	data := v.X.Data
	m.ForEach(func(i int) {
		start := v.X.Start[i]
		b := data[start:v.X.End[i]]
		t := ion.TypeOf(b)
		if t != ion.ListType && t != ion.SexpType {
			return
		}
		it, err := ion.Elements(b)
		if err != nil {
			return
		}
		for k := 0; it.Next(); k++ {
			if k == idx {
				off := start + uint32(it.Offset())
				putIon(out, i, data, off, off+uint32(len(it.Value())), v.X.Symtab)
				return
			}
		}
	})
}

// countIonElems returns the number of elements of the Ion list at row i of v (0 when it is not
// a list).
func countIonElems(v *Vec, i int) int {
	b := v.X.Get(i)
	t := ion.TypeOf(b)
	if t != ion.ListType && t != ion.SexpType {
		return 0
	}
	it, err := ion.Elements(b)
	if err != nil {
		return 0
	}
	n := 0
	for it.Next() {
		n++
	}
	return n
}

// putIonElems stores the elements of the Ion list at row i of v into out from row k on,
// returning the next free row.
func putIonElems(v *Vec, i int, out *Vec, k int) int {
	start := v.X.Start[i]
	b := v.X.Data[start:v.X.End[i]]
	t := ion.TypeOf(b)
	if t != ion.ListType && t != ion.SexpType {
		return k
	}
	it, err := ion.Elements(b)
	if err != nil {
		return k
	}
	for it.Next() {
		off := start + uint32(it.Offset())
		putIon(out, k, v.X.Data, off, off+uint32(len(it.Value())), v.X.Symtab)
		k++
	}
	return k
}

// NormalizeIon moves the scalars of the Ion lane (timestamps with an offset or an unusual
// precision, big ints, decimals, symbols, annotated scalars: what a blob keeps as Ion to
// round-trip it exactly) into the typed lanes, so that the vector keeps the invariant kernels
// rely on: NULL, bools, numbers, timestamps and strings live in their typed lanes. Lists,
// structs, sexps, blobs and clobs stay.
func (v *Vec) NormalizeIon() {
	if !v.Ions.Any() {
		return
	}
	v.Ions.ForEach(func(i int) {
		b := v.X.Get(i)
		switch ion.TypeOf(b) {
		case ion.ListType, ion.StructType, ion.SexpType, ion.BlobType, ion.ClobType:
			return
		}
		x, err := DecodeIon(b, v.X.Symtab)
		if err != nil {
			return
		}
		switch x.k {
		case KList, KStruct, KOther, KMissing:
			return
		}
		v.Ions.Clear(i)
		v.Put(i, x)
	})
}
