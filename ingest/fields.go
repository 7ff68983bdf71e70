package ingest

import (
	"errors"
	"fmt"

	"github.com/sneller-re/sneller/ion"
)

// ErrBadFields is wrapped by the error for an Input.Fields list that cannot be applied: a
// field without a name, or a name given twice.
var ErrBadFields = errors.New("invalid constant fields")

// constFields sets the same fields in every row of an input (sync uses it for the partition
// values computed from an object's key), replacing data fields of the same name.
type constFields struct {
	names []string
	vals  []ion.Datum
}

// compileFields checks an Input.Fields list.
func compileFields(fields []ion.Field) (*constFields, error) {
	if len(fields) == 0 {
		return nil, nil
	}
	c := &constFields{}
	seen := map[string]bool{}
	for i, f := range fields {
		if f.Name.Unknown || f.Name.Text == "" {
			return nil, fmt.Errorf("%w: field %d has no name", ErrBadFields, i)
		}
		if seen[f.Name.Text] {
			return nil, fmt.Errorf("%w: field %q given twice", ErrBadFields, f.Name.Text)
		}
		seen[f.Name.Text] = true
		c.names = append(c.names, f.Name.Text)
		c.vals = append(c.vals, f.Value)
	}
	return c, nil
}

// apply writes to dst (reset first) the struct row (symbols in st) with the constant fields
// set: every field of row whose name is not a constant's, then the constants. It returns the
// new row.
func (c *constFields) apply(dst *ion.Buffer, row []byte, st *ion.Symtab) ([]byte, error) {
	var tmp [8]ion.Symbol
	syms := tmp[:0]
	for _, n := range c.names {
		syms = append(syms, st.Intern(n))
	}
	it, err := ion.Fields(row)
	if err != nil {
		return nil, err
	}
	dst.Reset()
	dst.BeginStruct(-1)
outer:
	for it.Next() {
		s := it.Symbol()
		for _, k := range syms {
			if s == k {
				continue outer
			}
		}
		dst.BeginField(s)
		dst.WriteRaw(it.Value())
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	for i, k := range syms {
		dst.BeginField(k)
		c.vals[i].Encode(dst, st)
	}
	dst.EndStruct()
	return dst.Bytes(), nil
}
