package ingest

import (
	"strconv"
	"strings"

	"github.com/sneller-re/sneller/ion"
)

// hintApplier rewrites loaded JSON rows by their hints. Where several hints match a value,
// the most specific wins: paths are compared step by step from the root, and a field name
// beats "?" or "[?]", which beat "*" or "[*]".
type hintApplier struct {
	h       *jsonHints
	st      *ion.Symtab
	out     ion.Buffer
	scratch ion.Buffer
	lists   [][]*hintNode // the nodes matching the current path, per depth
	path    []string      // the current path, for errors
}

// hintFieldError is a conversion failure at a path of a row.
type hintFieldError struct {
	path string
	err  error
}

func (e *hintFieldError) Error() string { return e.path + ": " + e.err.Error() }
func (e *hintFieldError) Unwrap() error { return e.err }

// apply rewrites row (an Ion struct, symbols in st) and returns the new encoding, which is
// valid until the next call.
func (a *hintApplier) apply(row []byte, st *ion.Symtab) ([]byte, error) {
	a.st = st
	a.out.Reset()
	a.path = a.path[:0]
	if len(a.lists) == 0 {
		a.lists = append(a.lists, []*hintNode{a.h.root})
	}
	if err := a.structValue(row, a.lists[0], 0); err != nil {
		return nil, err
	}
	return a.out.Bytes(), nil
}

// next returns the nodes matching one more step (a field name, or a list element when
// elem), in order of specificity, in the scratch list of depth.
func (a *hintApplier) next(active []*hintNode, elem bool, name string, depth int) []*hintNode {
	for len(a.lists) <= depth {
		a.lists = append(a.lists, nil)
	}
	out := a.lists[depth][:0]
	for _, n := range active {
		if n.deep {
			out = append(out, n)
			continue
		}
		if elem {
			if n.anyElem != nil {
				out = append(out, n.anyElem)
			}
			if n.deepElem != nil {
				out = append(out, n.deepElem)
			}
			continue
		}
		if c := n.byName[name]; c != nil {
			out = append(out, c)
		}
		if n.anyField != nil {
			out = append(out, n.anyField)
		}
		if n.deepField != nil {
			out = append(out, n.deepField)
		}
	}
	a.lists[depth] = out
	return out
}

func actionOf(nodes []*hintNode) hintAction {
	for _, n := range nodes {
		if n.hasAct {
			return n.act
		}
	}
	return hintAction{}
}

func (a *hintApplier) structValue(v []byte, active []*hintNode, depth int) error {
	it, err := ion.Fields(v)
	if err != nil {
		return err
	}
	a.out.BeginStruct(len(v))
	for it.Next() {
		sym := it.Symbol()
		name, _ := a.st.Get(sym)
		child := a.next(active, false, name, depth+1)
		if len(child) == 0 {
			a.out.BeginField(sym)
			a.out.WriteRaw(it.Value())
			continue
		}
		act := actionOf(child)
		if act.ignore {
			continue
		}
		a.out.BeginField(sym)
		a.path = append(a.path, name)
		if err := a.value(it.Value(), child, act, depth+1); err != nil {
			return err
		}
		a.path = a.path[:len(a.path)-1]
		active = a.lists[depth] // the slice may have moved
	}
	if err := it.Err(); err != nil {
		return err
	}
	a.out.EndStruct()
	return nil
}

func (a *hintApplier) value(v []byte, active []*hintNode, act hintAction, depth int) error {
	h, err := ion.ReadHead(v)
	if err != nil {
		return err
	}
	if !h.IsNull() && (h.Type == ion.StructType || h.Type == ion.ListType) && canDescend(active) {
		if h.Type == ion.StructType {
			return a.structValue(v, active, depth)
		}
		return a.listValue(v, active, depth)
	}
	if err := convertIon(&a.out, act.typ, v, a.st, &a.scratch); err != nil {
		return &hintFieldError{path: a.pathString(), err: err}
	}
	return nil
}

// canDescend reports whether any node can match below.
func canDescend(nodes []*hintNode) bool {
	for _, n := range nodes {
		if n.deep || n.byName != nil || n.anyField != nil || n.anyElem != nil || n.deepField != nil || n.deepElem != nil {
			return true
		}
	}
	return false
}

func (a *hintApplier) listValue(v []byte, active []*hintNode, depth int) error {
	it, err := ion.Elements(v)
	if err != nil {
		return err
	}
	a.out.BeginList(len(v))
	for i := 0; it.Next(); i++ {
		child := a.next(active, true, "", depth+1)
		if len(child) == 0 {
			a.out.WriteRaw(it.Value())
			continue
		}
		act := actionOf(child)
		if act.ignore {
			continue
		}
		a.path = append(a.path, "["+strconv.Itoa(i)+"]")
		if err := a.value(it.Value(), child, act, depth+1); err != nil {
			return err
		}
		a.path = a.path[:len(a.path)-1]
		active = a.lists[depth]
	}
	if err := it.Err(); err != nil {
		return err
	}
	a.out.EndList()
	return nil
}

func (a *hintApplier) pathString() string {
	var sb strings.Builder
	for i, p := range a.path {
		if i > 0 && p[0] != '[' {
			sb.WriteByte('.')
		}
		sb.WriteString(p)
	}
	return sb.String()
}
