package vm

import (
	"strconv"
	"strings"
)

// PathStep is one step of a path: a field name, or a constant list index.
type PathStep struct {
	Field   string
	Index   int
	IsIndex bool
}

// Path reads a field or element of a value: `x.a.b`, `x[2]`, `x['a']`. A step that does not
// apply (a missing field, an index out of range, a step into a scalar) gives MISSING.
type Path struct {
	X     Expr
	Steps []PathStep
}

func (p *Path) String() string {
	var sb strings.Builder
	sb.WriteString(p.X.String())
	for _, s := range p.Steps {
		if s.IsIndex {
			sb.WriteString("[" + strconv.Itoa(s.Index) + "]")
		} else {
			sb.WriteString("." + quoteIdent(s.Field))
		}
	}
	return sb.String()
}

func quoteIdent(s string) string {
	ok := s != ""
	for i, r := range s {
		if !(r == '_' || r == '@' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			ok = false
		}
	}
	if ok {
		return s
	}
	return strconv.Quote(s)
}

func (p *Path) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	v, err := p.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	for _, s := range p.Steps {
		if s.IsIndex {
			v = IndexOf(c, v, s.Index, sel)
		} else {
			v, err = FieldOf(c, v, s.Field, sel)
			if err != nil {
				return nil, err
			}
		}
	}
	return v, nil
}

// FieldOf returns the named field of each selected row of v (MISSING where the row is not a
// struct or lacks the field). When every struct of v lives in its struct lane this returns
// the field's column itself, without copying.
func FieldOf(c *Ctx, v *Vec, name string, sel Bitmap) (*Vec, error) {
	var f *Vec
	if v.Fields != nil && Intersects(v.Structs, sel) {
		var err error
		f, err = v.Fields.Field(name)
		if err != nil {
			return nil, err
		}
	}
	other := Intersects(v.Ions, sel) || Intersects(v.Boxed, sel)
	if !other {
		if f == nil {
			return c.Vec(v.N), nil
		}
		return f, nil
	}
	out := c.Vec(v.N)
	if f != nil {
		CopyRows(out, f, AndBits(nil, v.Structs, sel, v.N))
	}
	if m := AndBits(nil, v.Ions, sel, v.N); m.Any() {
		ionFieldRows(v, name, m, out)
	}
	if m := AndBits(nil, v.Boxed, sel, v.N); m.Any() {
		m.ForEach(func(i int) { out.Put(i, v.B[i].Field(name)) })
	}
	return out, nil
}

// IndexOf returns element idx of each selected row that is a list.
func IndexOf(c *Ctx, v *Vec, idx int, sel Bitmap) *Vec {
	out := c.Vec(v.N)
	if m := AndBits(nil, v.Ions, sel, v.N); m.Any() {
		ionIndexRows(v, idx, m, out)
	}
	if m := AndBits(nil, v.Boxed, sel, v.N); m.Any() {
		m.ForEach(func(i int) { out.Put(i, v.B[i].Index(int64(idx))) })
	}
	if m := AndBits(nil, v.Lists, sel, v.N); m.Any() && idx >= 0 && v.L.Elems != nil {
		if elems, err := v.L.Elems.Elems(); err == nil && elems != nil {
			m.ForEach(func(i int) {
				if k := int(v.L.Start[i]) + idx; k < int(v.L.End[i]) && k < elems.N {
					out.Put(i, elems.Get(k))
				}
			})
		}
	}
	return out
}
