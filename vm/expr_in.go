package vm

// In tests membership in a constant set: TRUE when x equals (in the sense of '=') one of the
// values, FALSE otherwise, MISSING when x is MISSING. The planner turns IN lists with
// non-constant members into OR chains, and uncorrelated IN subqueries into a constant set.
type In struct {
	X   Expr
	Set *ValueSet
}

func (e *In) String() string {
	s := "(" + e.X.String() + " IN ("
	for i, v := range e.Set.vals {
		if i > 0 {
			s += ", "
		}
		s += FormatValue(v)
	}
	return s + "))"
}

// ValueSet is a hash set of Values with '=' semantics.
type ValueSet struct {
	vals   []Value
	table  map[uint64][]int
	strs   map[string]struct{}
	ints   map[int64]struct{}
	others bool // holds values other than strings and ints
}

// NewValueSet builds a set; MISSING members are ignored.
func NewValueSet(vals []Value) *ValueSet {
	s := &ValueSet{table: map[uint64][]int{}, strs: map[string]struct{}{}, ints: map[int64]struct{}{}}
	for _, v := range vals {
		s.Add(v)
	}
	return s
}

// Add inserts v (a copy) unless an equal value is present.
func (s *ValueSet) Add(v Value) {
	if v.k == KMissing || s.Contains(v) {
		return
	}
	v = v.Clone()
	h := HashValue(v)
	s.table[h] = append(s.table[h], len(s.vals))
	s.vals = append(s.vals, v)
	switch v.k {
	case KString:
		s.strs[string(v.b)] = struct{}{}
	case KInt:
		s.ints[v.Int()] = struct{}{}
	default:
		s.others = true
	}
}

// Contains reports whether an equal value is in the set.
func (s *ValueSet) Contains(v Value) bool {
	for _, i := range s.table[HashValue(v)] {
		if Equal(s.vals[i], v) {
			return true
		}
	}
	return false
}

// Len returns the number of members.
func (s *ValueSet) Len() int { return len(s.vals) }

// Values returns the members in insertion order.
func (s *ValueSet) Values() []Value { return s.vals }

func (e *In) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	x, err := e.X.Eval(c, b, sel)
	if err != nil {
		return nil, err
	}
	n := b.N
	out := c.Vec(n)
	present := x.Present(nil)
	out.Bools = AndBits(out.Bools, present, sel, n)
	out.BoolV = MakeBitmap(out.BoolV, n)
	set := e.Set
	// strings: a map lookup without boxing (once per dictionary entry for coded lanes)
	if m := AndBits(nil, x.Strs, sel, n); m.Any() {
		if x.S.Codes != nil {
			d := x.S.Dict
			hit := make([]bool, d.Len())
			for i := range hit {
				_, hit[i] = set.strs[string(d.Get(i))]
			}
			m.ForEach(func(i int) {
				if hit[x.S.Codes[i]] {
					out.BoolV.Set(i)
				}
			})
		} else {
			m.ForEach(func(i int) {
				if _, ok := set.strs[string(x.S.Get(i))]; ok {
					out.BoolV.Set(i)
				}
			})
		}
	}
	if m := AndBits(nil, x.Ints, sel, n); m.Any() && !set.others {
		m.ForEach(func(i int) {
			if _, ok := set.ints[x.I[i]]; ok {
				out.BoolV.Set(i)
			}
		})
		present = AndNotBits(present, present, m, n)
	}
	rest := AndNotBits(nil, present, x.Strs, n)
	rest = AndBits(rest, rest, sel, n)
	rest.ForEach(func(i int) {
		if set.Contains(x.Get(i)) {
			out.BoolV.Set(i)
		}
	})
	return out, nil
}
