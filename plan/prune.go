package plan

import (
	"bytes"
	"strings"

	"github.com/sneller-re/sneller/vm"
)

// pruneTerm is a conjunct of a WHERE clause of the form `path op constant` on a scanned
// table's column, which block summaries can prove false for a whole block.
type pruneTerm struct {
	path []string
	op   vm.CmpOp
	k    vm.Value
}

func (p pruneTerm) String() string {
	return strings.Join(p.path, ".") + " " + p.op.String() + " " + vm.FormatValue(p.k)
}

// mayMatch reports whether some row of the block can satisfy every term.
func mayMatch(terms []pruneTerm, sum vm.Summary) bool {
	for _, t := range terms {
		r, ok := sum.Range(t.path)
		if ok && !rangeMay(r, t.op, t.k) {
			return false
		}
	}
	return true
}

// rangeMay reports whether a value in r can satisfy `value op k`. Values of another type
// class than k never satisfy an ordering comparison or an equality, so only k's class counts.
func rangeMay(r vm.Range, op vm.CmpOp, k vm.Value) bool {
	cmpOK := func(lo, hi int) bool { // lo = cmp(min, k), hi = cmp(max, k)
		switch op {
		case vm.OpEq:
			return lo <= 0 && hi >= 0
		case vm.OpLt:
			return lo < 0
		case vm.OpLe:
			return lo <= 0
		case vm.OpGt:
			return hi > 0
		case vm.OpGe:
			return hi >= 0
		}
		return true
	}
	switch k.Kind() {
	case vm.KInt, vm.KFloat:
		if !r.Num {
			return false
		}
		return cmpOK(vm.Compare(r.NumMin, k), vm.Compare(r.NumMax, k))
	case vm.KTime:
		if !r.Time {
			return false
		}
		return cmpOK(cmpI(r.TimeMin, k.Micros()), cmpI(r.TimeMax, k.Micros()))
	case vm.KString:
		if !r.Str {
			return false
		}
		hi := bytes.Compare(r.StrMax, k.Str())
		if r.StrMaxUnbounded {
			hi = 1
		}
		return cmpOK(bytes.Compare(r.StrMin, k.Str()), hi)
	case vm.KBool:
		if !r.Bool {
			return false
		}
		b2i := func(b bool) int64 {
			if b {
				return 1
			}
			return 0
		}
		kv := b2i(k.Bool())
		return cmpOK(cmpI(b2i(r.BoolMin), kv), cmpI(b2i(r.BoolMax), kv))
	case vm.KNull:
		if !r.Null {
			return false
		}
		return op == vm.OpEq || op == vm.OpLe || op == vm.OpGe
	}
	return true
}

func cmpI(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
