package server

import (
	"strings"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/vm"
)

// The result_set of the final status record: for each output column, the set of types its
// values had in the rows written. A set is a bitmask: bit n is Ion binary type code n (0 null,
// 1 bool, 2 non-negative int, 3 negative int, 4 float, 5 decimal, 6 timestamp, 7 symbol,
// 8 string, 9 clob, 10 blob, 11 list, 12 sexp, 13 struct), and bit 15 is MISSING (a row
// without the column).
type typeSet uint16

const typeMissing = 15

// typeSetNames are the names of the bits in the JSON renderings.
var typeSetNames = [16]string{
	"null", "bool", "int", "int", "float", "decimal", "timestamp", "symbol",
	"string", "clob", "blob", "list", "sexp", "struct", "", "missing",
}

// String returns the names of the set's types joined with '|' ("int|float|missing"), each
// once (both int bits are "int"), in bit order.
func (s typeSet) String() string {
	var sb strings.Builder
	last := ""
	for b := 0; b < 16; b++ {
		if s&(1<<b) == 0 || typeSetNames[b] == "" || typeSetNames[b] == last {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('|')
		}
		last = typeSetNames[b]
		sb.WriteString(last)
	}
	return sb.String()
}

// typeBit returns the bit of v's type (0 for an encoded value it cannot classify).
func typeBit(v vm.Value) typeSet {
	switch v.Kind() {
	case vm.KMissing:
		return 1 << typeMissing
	case vm.KNull:
		return 1 << ion.NullType
	case vm.KBool:
		return 1 << ion.BoolType
	case vm.KInt:
		if v.Int() < 0 {
			return 1 << ion.IntType
		}
		return 1 << ion.UintType
	case vm.KFloat:
		return 1 << ion.FloatType
	case vm.KTime:
		return 1 << ion.TimestampType
	case vm.KString:
		return 1 << ion.StringType
	case vm.KList:
		return 1 << ion.ListType
	case vm.KStruct:
		return 1 << ion.StructType
	case vm.KOther:
		if t, ok := encodedType(v.Ion()); ok {
			return 1 << t
		}
	}
	return 0
}

// encodedType returns the Ion type code of the encoded value at the start of b, looking
// through annotation wrappers and NOP pads. ok is false for bytes that are not a value.
func encodedType(b []byte) (t ion.Type, ok bool) {
	for i := 0; i < 8 && len(b) > 0; i++ { // a few wrappers and pads at most
		switch d := b[0]; {
		case ion.Type(d>>4) == ion.AnnotationType:
			_, v, _, err := ion.Unannotate(b)
			if err != nil {
				return 0, false
			}
			b = v
		case ion.Type(d>>4) == ion.NullType && d&0xf != 0xf: // NOP pad
			n, err := ion.SizeOf(b)
			if err != nil {
				return 0, false
			}
			b = b[n:]
		case ion.Type(d>>4) == ion.ReservedType:
			return 0, false
		default:
			return ion.Type(d >> 4), true
		}
	}
	return 0, false
}

// resultColumn is one column of the result set.
type resultColumn struct {
	name string
	set  typeSet
	seen int64 // the last row (counted from 1) that had the column
}

// resultSetWriter passes rows to an output.Writer and records the types of their columns.
// Columns are listed in the order of the query's SELECT list, then in the order they first
// appear (SELECT *). Rows are written one at a time (the planner serializes them).
type resultSetWriter struct {
	output.Writer
	cols  []resultColumn
	index map[string]int
	rows  int64
}

// newResultSetWriter wraps w; columns are the query's output column names ("" for the
// columns of SELECT *, which are known from the rows).
func newResultSetWriter(w output.Writer, columns []string) *resultSetWriter {
	t := &resultSetWriter{Writer: w, index: make(map[string]int, len(columns))}
	for _, c := range columns {
		if _, dup := t.index[c]; c != "" && !dup {
			t.add(c)
		}
	}
	return t
}

func (t *resultSetWriter) add(name string) int {
	name = strings.Clone(name) // the row's memory is reused
	t.index[name] = len(t.cols)
	t.cols = append(t.cols, resultColumn{name: name})
	return len(t.cols) - 1
}

// Row implements output.Writer.
func (t *resultSetWriter) Row(v vm.Value) error {
	t.rows++
	fields := v.Fields()
	seen := 0
	for i := range fields {
		f := &fields[i]
		var k int
		if i < len(t.cols) && t.cols[i].name == f.Name {
			k = i // the usual case: the columns in their usual order
		} else if j, ok := t.index[f.Name]; ok {
			k = j
		} else {
			k = t.add(f.Name)
			if t.rows > 1 {
				t.cols[k].set |= 1 << typeMissing // the earlier rows did not have it
			}
		}
		c := &t.cols[k]
		c.set |= typeBit(f.Value)
		if c.seen != t.rows {
			c.seen = t.rows
			seen++
		}
	}
	if seen < len(t.cols) {
		for i := range t.cols {
			if t.cols[i].seen != t.rows {
				t.cols[i].set |= 1 << typeMissing
			}
		}
	}
	return t.Writer.Row(v)
}

// columns returns the result set: nothing when no row was written.
func (t *resultSetWriter) columns() []resultColumn {
	if t.rows == 0 {
		return nil
	}
	return append([]resultColumn(nil), t.cols...)
}
