package pack

import (
	"context"
	"fmt"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

// rowColumn is a column of a block being reassembled into rows, with its children.
type rowColumn struct {
	name     string
	vec      *vm.Vec
	children []*rowColumn
	elem     *rowColumn // the element column of a list column
}

// Rows reassembles the rows of block i as Ion structs, in order, calling fn with each row
// (encoded with st, which the caller writes before the rows it returns). Values come back
// exactly as they were packed; only the order of a struct's fields may differ.
func (b *Blob) Rows(ctx context.Context, i int, st *ion.Symtab, fn func(row []byte) error) error {
	if i < 0 || i >= len(b.Trailer.Blocks) {
		return fmt.Errorf("%s: no block %d", b.Name, i)
	}
	m := &b.Trailer.Blocks[i]
	bst := b.symtab(i)
	// build the column tree
	root := &rowColumn{}
	nodes := map[string]*rowColumn{pathKey(nil): root}
	for c := range m.Columns {
		cm := &m.Columns[c]
		v, err := b.ReadColumn(ctx, i, c)
		if err != nil {
			return err
		}
		parent, ok := nodes[pathKey(cm.Path[:len(cm.Path)-1])]
		if !ok {
			return fmt.Errorf("%s: block %d: %w: column %s has no parent column", b.Name, i, ErrCorrupt, pathString(cm.Path))
		}
		name, isField := unescapeSeg(cm.Path[len(cm.Path)-1])
		rc := &rowColumn{name: name, vec: v}
		if isField {
			parent.children = append(parent.children, rc)
		} else {
			parent.elem = rc
		}
		nodes[pathKey(cm.Path)] = rc
	}
	var buf ion.Buffer
	for r := 0; r < m.Rows; r++ {
		buf.Reset()
		buf.BeginStruct(-1)
		for _, c := range root.children {
			if err := writeField(&buf, st, bst, c, r); err != nil {
				return fmt.Errorf("%s: block %d row %d: %w", b.Name, i, r, err)
			}
		}
		buf.EndStruct()
		if err := fn(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// writeField writes field c of row r (nothing when the row is MISSING there).
func writeField(buf *ion.Buffer, st, bst *ion.Symtab, c *rowColumn, r int) error {
	v := c.vec
	present := v.Nulls.Get(r) || v.Bools.Get(r) || v.Ints.Get(r) || v.Floats.Get(r) || v.Times.Get(r) ||
		v.Strs.Get(r) || v.Ions.Get(r) || v.Structs.Get(r) || v.Lists.Get(r)
	if !present {
		return nil
	}
	buf.BeginField(st.Intern(c.name))
	return writeValue(buf, st, bst, c, r)
}

func writeValue(buf *ion.Buffer, st, bst *ion.Symtab, c *rowColumn, r int) error {
	v := c.vec
	switch {
	case v.Nulls.Get(r):
		buf.WriteNull()
	case v.Bools.Get(r):
		buf.WriteBool(v.BoolV.Get(r))
	case v.Ints.Get(r):
		buf.WriteInt(v.I[r])
	case v.Floats.Get(r):
		buf.WriteFloat64(v.F[r])
	case v.Times.Get(r):
		buf.WriteTimestamp(vm.TimestampOf(v.T[r]))
	case v.Strs.Get(r):
		buf.WriteStringBytes(v.S.Get(r))
	case v.Ions.Get(r):
		d, _, err := ion.DecodeDatum(v.X.Get(r), bst)
		if err != nil {
			return err
		}
		d.Encode(buf, st)
	case v.Structs.Get(r):
		buf.BeginStruct(-1)
		for _, k := range c.children {
			if err := writeField(buf, st, bst, k, r); err != nil {
				return err
			}
		}
		buf.EndStruct()
	case v.Lists.Get(r):
		if c.elem == nil || int(v.L.End[r]) > c.elem.vec.N {
			return fmt.Errorf("%w: list without its elements", ErrCorrupt)
		}
		buf.BeginList(-1)
		for k := int(v.L.Start[r]); k < int(v.L.End[r]); k++ {
			if err := writeValue(buf, st, bst, c.elem, k); err != nil {
				return err
			}
		}
		buf.EndList()
	}
	return nil
}
