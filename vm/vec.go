package vm

import (
	"unsafe"

	"github.com/sneller-re/sneller/ion"
)

// Vec is one column of a batch: N rows, each holding at most one value. A schemaless column
// may mix types, so a Vec is a set of lanes, one per representation; each lane has a bitmap of
// the rows it holds and (for fixed-width types) a slice indexed by row. A row in no lane is
// MISSING. Kernels switch once per batch on which lanes are non-empty and run a typed loop over
// each; a Vec holding a single typed lane (the common case) costs exactly one such loop.
//
// Lanes:
//   - Nulls: rows holding NULL.
//   - Bools, with BoolV the rows that are true.
//   - Ints (I), Floats (F), Times (T, Unix microseconds).
//   - Strs (S): plain or dictionary-coded strings.
//   - Ions (X): encoded Ion values the engine keeps as bytes (lists, structs inside mixed
//     columns, decimals, blobs...), with their symbol table.
//   - Structs: rows holding a struct whose fields are themselves columns (Fields), as a
//     scanned block's rows or a shredded nested struct.
//   - Lists: rows holding a list whose elements are rows of another vector (L), as a
//     shredded list column of a block.
//   - Boxed (B): generic Values, the output of the generic implementation of a function.
//
// Lanes are disjoint. The slices of a lane are only meaningful at the rows of its bitmap.
// Invariant: NULL, bools, ints, floats and timestamps always live in their typed lanes, never
// in the Ion or boxed lanes, so kernels that test those types look at the typed lanes only.
type Vec struct {
	N int

	Nulls   Bitmap
	Bools   Bitmap
	BoolV   Bitmap
	Ints    Bitmap
	I       []int64
	Floats  Bitmap
	F       []float64
	Times   Bitmap
	T       []int64
	Strs    Bitmap
	S       Strings
	Ions    Bitmap
	X       IonLane
	Structs Bitmap
	Fields  FieldSet
	Lists   Bitmap
	L       ListLane
	Boxed   Bitmap
	B       []Value

	sbuf     []byte // storage of the strings stored with SetString
	sforeign bool   // S.Data is shared with someone else (never appended to)
}

// FieldSet gives the fields of the rows in a Vec's struct lane as columns.
type FieldSet interface {
	// Names lists the field names present in at least one row, in a stable order.
	Names() []string
	// Field returns the column of the named field (rows where the struct lacks it are
	// MISSING), or nil when no row has it. It may load and decode the column on first use.
	Field(name string) (*Vec, error)
}

// Lane identifies one lane of a Vec, as a bit in a LaneSet.
type Lane uint16

const (
	LNull Lane = 1 << iota
	LBool
	LInt
	LFloat
	LTime
	LStr
	LIon
	LStruct
	LBoxed
	LList
)

// LaneSet is a set of lanes.
type LaneSet = Lane

// allLanes lists every lane.
var allLanes = [...]Lane{LNull, LBool, LInt, LFloat, LTime, LStr, LIon, LStruct, LBoxed, LList}

// lane returns the bitmap of lane l.
func (v *Vec) lane(l Lane) Bitmap {
	switch l {
	case LNull:
		return v.Nulls
	case LBool:
		return v.Bools
	case LInt:
		return v.Ints
	case LFloat:
		return v.Floats
	case LTime:
		return v.Times
	case LStr:
		return v.Strs
	case LIon:
		return v.Ions
	case LStruct:
		return v.Structs
	case LBoxed:
		return v.Boxed
	case LList:
		return v.Lists
	}
	return nil
}

// Lanes returns the set of non-empty lanes.
func (v *Vec) Lanes() LaneSet {
	var s LaneSet
	for _, l := range allLanes {
		if v.lane(l).Any() {
			s |= l
		}
	}
	return s
}

// Reset empties v and sizes it for n rows, keeping its storage for reuse.
func (v *Vec) Reset(n int) {
	v.N = n
	v.Nulls = v.Nulls[:0]
	v.Bools = v.Bools[:0]
	v.BoolV = v.BoolV[:0]
	v.Ints = v.Ints[:0]
	v.Floats = v.Floats[:0]
	v.Times = v.Times[:0]
	v.Strs = v.Strs[:0]
	v.S.reset()
	v.S.Data = v.sbuf[:0]
	v.sforeign = false
	v.Ions = v.Ions[:0]
	v.X.reset()
	v.Structs = v.Structs[:0]
	v.Fields = nil
	v.Lists = v.Lists[:0]
	v.L = ListLane{}
	v.Boxed = v.Boxed[:0]
	for i := range v.B {
		v.B[i] = Value{}
	}
	v.B = v.B[:0]
}

// Present returns the rows that hold a value (not MISSING) in dst.
func (v *Vec) Present(dst Bitmap) Bitmap {
	dst = MakeBitmap(dst, v.N)
	for _, l := range allLanes {
		for i, w := range v.lane(l) {
			if i < len(dst) {
				dst[i] |= w
			}
		}
	}
	return dst
}

// lane setters: each makes sure the lane can hold row i, then stores it.

func (v *Vec) laneBits(l *Bitmap) Bitmap {
	if len(*l) < words(v.N) {
		*l = MakeBitmap(*l, v.N)
	}
	return *l
}

// SetNull stores NULL at row i.
func (v *Vec) SetNull(i int) { v.laneBits(&v.Nulls).Set(i) }

// SetBool stores a bool at row i.
func (v *Vec) SetBool(i int, b bool) {
	v.laneBits(&v.Bools).Set(i)
	if b {
		v.laneBits(&v.BoolV).Set(i)
	} else if len(v.BoolV) > 0 {
		v.BoolV.Clear(i)
	}
}

// SetInt stores an int64 at row i.
func (v *Vec) SetInt(i int, x int64) {
	v.laneBits(&v.Ints).Set(i)
	v.I = sized(v.I, v.N)
	v.I[i] = x
}

// SetFloat stores a float64 at row i.
func (v *Vec) SetFloat(i int, x float64) {
	v.laneBits(&v.Floats).Set(i)
	v.F = sized(v.F, v.N)
	v.F[i] = x
}

// SetTime stores a timestamp (Unix microseconds) at row i.
func (v *Vec) SetTime(i int, us int64) {
	v.laneBits(&v.Times).Set(i)
	v.T = sized(v.T, v.N)
	v.T[i] = us
}

// SetBoxed stores a generic Value at row i (MISSING stores nothing).
func (v *Vec) SetBoxed(i int, x Value) {
	if x.k == KMissing {
		return
	}
	v.laneBits(&v.Boxed).Set(i)
	v.B = sized(v.B, v.N)
	v.B[i] = x
}

// SetString stores a string at row i, copying its bytes. Only for vectors whose string lane is
// built by SetString (scratch vectors); a lane read from a blob or extracted from Ion shares
// bytes owned elsewhere and is never appended to.
func (v *Vec) SetString(i int, b []byte) {
	if v.sforeign || v.S.Codes != nil {
		v.ownStrings()
	}
	v.laneBits(&v.Strs).Set(i)
	v.S.Start = sized(v.S.Start, v.N)
	v.S.End = sized(v.S.End, v.N)
	v.S.Start[i] = uint32(len(v.S.Data))
	v.S.Data = append(v.S.Data, b...)
	v.S.End[i] = uint32(len(v.S.Data))
	v.sbuf = v.S.Data
}

// Put stores a Value at row i in the lane that suits its kind: scalars (strings too) in their
// typed lanes, composites and other Ion values boxed.
func (v *Vec) Put(i int, x Value) {
	switch x.k {
	case KMissing:
	case KNull:
		v.SetNull(i)
	case KBool:
		v.SetBool(i, x.n != 0)
	case KInt:
		v.SetInt(i, int64(x.n))
	case KFloat:
		v.SetFloat(i, x.Float())
	case KTime:
		v.SetTime(i, int64(x.n))
	case KString:
		v.SetString(i, x.b)
	default:
		v.SetBoxed(i, x)
	}
}

// sized returns s with length at least n rounded up to a multiple of 64, so kernels can work
// a whole bitmap word (64 rows) at a time without bounds checks on the last word.
func sized[T any](s []T, n int) []T {
	n = Pad(n)
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	out := make([]T, n)
	copy(out, s)
	return out
}

// Pad rounds n up to a multiple of 64: the length of every fixed-width lane slice.
func Pad(n int) int { return (n + 63) &^ 63 }

// Strings is the string lane of a Vec. In plain form row i is Data[Start[i]:End[i]]; a packed
// column's offsets serve as both (Start = off[:n], End = off[1:]) and an extracted lane points
// into the Ion bytes it came from, so neither copies. In dictionary form Codes[i] indexes Dict,
// whose entries are in plain form.
type Strings struct {
	Start []uint32
	End   []uint32
	Data  []byte
	Codes []uint16
	Dict  *Strings
}

func (s *Strings) reset() {
	s.Start = s.Start[:0]
	s.End = s.End[:0]
	s.Data = nil
	s.Codes = nil
	s.Dict = nil
}

// Get returns the bytes of row (or dictionary entry) i.
func (s *Strings) Get(i int) []byte {
	if s.Codes != nil {
		return s.Dict.Get(int(s.Codes[i]))
	}
	return s.Data[s.Start[i]:s.End[i]]
}

// Len returns the number of dictionary entries of a plain lane used as a dictionary.
func (s *Strings) Len() int { return len(s.Start) }

// NewDict builds a plain Strings holding the given entries (for dictionaries and constants).
func NewDict(entries [][]byte) *Strings {
	d := &Strings{Start: make([]uint32, len(entries)), End: make([]uint32, len(entries))}
	for i, e := range entries {
		d.Start[i] = uint32(len(d.Data))
		d.Data = append(d.Data, e...)
		d.End[i] = uint32(len(d.Data))
	}
	return d
}

// IonLane is the Ion lane of a Vec: row i is the encoded value Data[Start[i]:End[i]], whose
// symbols resolve in Symtab. Like Strings, it may point into bytes owned by someone else.
type IonLane struct {
	Start  []uint32
	End    []uint32
	Data   []byte
	Symtab *ion.Symtab
}

func (x *IonLane) reset() {
	x.Start = x.Start[:0]
	x.End = x.End[:0]
	x.Data = nil
	x.Symtab = nil
}

// Get returns the encoded value of row i.
func (x *IonLane) Get(i int) []byte { return x.Data[x.Start[i]:x.End[i]] }

// ownStrings copies a shared or dictionary string lane into the vector's own storage, so that
// more strings can be stored with SetString.
func (v *Vec) ownStrings() {
	rows := v.Strs
	var buf []byte
	start := make([]uint32, Pad(v.N))
	end := make([]uint32, Pad(v.N))
	rows.ForEach(func(i int) {
		s := v.S.Get(i)
		start[i] = uint32(len(buf))
		buf = append(buf, s...)
		end[i] = uint32(len(buf))
	})
	v.S = Strings{Start: start, End: end, Data: buf}
	v.sbuf = buf
	v.sforeign = false
}

// setStringShared stores at row i the string data[start:end] without copying when the lane
// already shares data (or is empty), and by copying otherwise.
func (v *Vec) setStringShared(i int, data []byte, start, end uint32) {
	if !v.Strs.Any() && v.S.Codes == nil {
		v.S.Data = data
		v.sforeign = true
	}
	if v.sforeign && sameBytes(v.S.Data, data) {
		v.laneBits(&v.Strs).Set(i)
		v.S.Start = sized(v.S.Start, v.N)
		v.S.End = sized(v.S.End, v.N)
		v.S.Start[i], v.S.End[i] = start, end
		return
	}
	v.SetString(i, data[start:end])
}

// setIonShared stores at row i the encoded value data[start:end] (symbols in st) in the Ion
// lane, sharing data when the lane does; otherwise it decodes the value into the boxed lane.
func (v *Vec) setIonShared(i int, data []byte, start, end uint32, st *ion.Symtab) {
	if !v.Ions.Any() {
		v.X.Data, v.X.Symtab = data, st
	}
	if sameBytes(v.X.Data, data) && v.X.Symtab == st {
		v.laneBits(&v.Ions).Set(i)
		v.X.Start = sized(v.X.Start, v.N)
		v.X.End = sized(v.X.End, v.N)
		v.X.Start[i], v.X.End[i] = start, end
		return
	}
	if x, err := DecodeIon(data[start:end], st); err == nil {
		v.Put(i, x)
	}
}

func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// SetStringLane installs a string lane whose bytes belong to someone else (a decoded blob
// chunk): rows is the lane's bitmap. Later SetString calls copy the lane first.
func (v *Vec) SetStringLane(rows Bitmap, s Strings) {
	v.Strs = rows
	v.S = s
	v.sforeign = true
}

// ListLane is the list lane of a Vec: row i's elements are rows Start[i]..End[i]-1 of the
// element vector, which Elems loads on first use (a block's element column is only read when
// a query looks inside the lists).
type ListLane struct {
	Start, End []uint32
	Elems      ElemSource
}

// ElemSource gives the element vector of a list lane.
type ElemSource interface {
	Elems() (*Vec, error)
}

// elemVec is an ElemSource over a vector already in memory.
type elemVec struct{ v *Vec }

func (e elemVec) Elems() (*Vec, error) { return e.v, nil }

// ElemsOf returns an ElemSource over v.
func ElemsOf(v *Vec) ElemSource { return elemVec{v} }
