package vm

import "fmt"

// NewDistinctAgg returns the DISTINCT form of an aggregate (COUNT(DISTINCT e),
// SUM(DISTINCT e), AVG(DISTINCT e)...): per group it keeps the set of distinct values of its
// argument (by HashValue and the '=' relation, so 1 and 1.0 are one value and NULL is a value
// like any other, as in the original, which counted NULL once) and feeds each value to the
// inner aggregate the first time it is seen. MISSING is ignored. The set is exact, so its
// memory grows with the number of distinct values: Size reports it for the query's memory
// account. The partial state sent to another replica is the set itself; the receiver feeds
// the values it has not seen yet.
func NewDistinctAgg(inner *AggFunc, opt AggOptions) Agg {
	return &distinctAgg{name: inner.Name, inner: inner.New(opt)}
}

type distinctSet struct {
	byHash map[uint64][]int32 // hash → indexes into vals
	vals   []Value
}

type distinctAgg struct {
	name  string
	inner Agg
	sets  []distinctSet // values other than strings
	strs  strSet        // strings, by group
	mem   int64
	// values first seen in the current call, with their groups
	newVals   []Value
	newGroups []uint32
}

func (a *distinctAgg) Resize(n int) {
	a.sets = growSlice(a.sets, n)
	a.inner.Resize(n)
}

// offer adds x to group g's set; it reports whether x was new (and queues it for the inner
// aggregate).
func (a *distinctAgg) offer(g int, x Value) {
	s := &a.sets[g]
	h := HashValue(x)
	for _, i := range s.byHash[h] {
		if Equal(s.vals[i], x) {
			return
		}
	}
	if s.byHash == nil {
		s.byHash = map[uint64][]int32{}
	}
	if x.k == KString {
		if a.strs.add(uint32(g), x.b, h) {
			a.newVals = append(a.newVals, x)
			a.newGroups = append(a.newGroups, uint32(g))
		}
		return
	}
	x = x.Clone()
	s.byHash[h] = append(s.byHash[h], int32(len(s.vals)))
	s.vals = append(s.vals, x)
	a.mem += valueSize(x) + 16
	a.newVals = append(a.newVals, x)
	a.newGroups = append(a.newGroups, uint32(g))
}

// flush feeds the queued new values to the inner aggregate in one batch.
func (a *distinctAgg) flush(c *Ctx, grouped bool) error {
	n := len(a.newVals)
	if n == 0 {
		return nil
	}
	v := &Vec{}
	v.Reset(n)
	for i, x := range a.newVals {
		v.Put(i, x)
	}
	var groups []uint32
	if grouped {
		groups = a.newGroups
	}
	err := a.inner.Update(c, []*Vec{v}, FullBitmap(nil, n), groups)
	clear(a.newVals)
	a.newVals = a.newVals[:0]
	a.newGroups = a.newGroups[:0]
	return err
}

func (a *distinctAgg) Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error {
	if len(args) == 0 {
		return fmt.Errorf("%s(DISTINCT ...) needs an argument", a.name)
	}
	v := args[0]
	// strings go through the string set without boxing (a dictionary lane hashes each entry
	// once)
	if strs := AndBits(nil, v.Strs, sel, v.N); strs.Any() {
		var dh []uint64
		if v.S.Codes != nil {
			d := v.S.Dict
			dh = make([]uint64, d.Len())
			for e := range dh {
				dh[e] = HashBytes(d.Get(e))
			}
		}
		strs.ForEach(func(r int) {
			b := v.S.Get(r)
			var h uint64
			if dh != nil {
				h = dh[v.S.Codes[r]]
			} else {
				h = HashBytes(b)
			}
			g := uint32(0)
			if group != nil {
				g = group[r]
			}
			if a.strs.add(g, b, h) {
				a.newVals = append(a.newVals, Bytes(b))
				a.newGroups = append(a.newGroups, g)
			}
		})
		sel = AndNotBits(nil, sel, strs, v.N)
	}
	sel.ForEach(func(r int) {
		x := v.Get(r)
		if x.k == KMissing {
			return
		}
		g := 0
		if group != nil {
			g = int(group[r])
		}
		a.offer(g, x)
	})
	return a.flush(c, group != nil)
}

func (a *distinctAgg) Merge(g int, other Agg, h int) {
	o := other.(*distinctAgg)
	for _, x := range o.sets[h].vals {
		a.offer(g, x)
	}
	o.strs.group(h, func(b []byte) { a.offer(g, Bytes(b)) })
	// Merge has no error path: the inner aggregates' Update only fails on a bad plan
	_ = a.flush(nil, true)
}

func (a *distinctAgg) Result(g int) Value { return a.inner.Result(g) }

func (a *distinctAgg) State(g int) Value {
	vals := append([]Value(nil), a.sets[g].vals...)
	a.strs.group(g, func(b []byte) { vals = append(vals, String(string(b))) })
	return List(vals)
}

func (a *distinctAgg) MergeState(g int, s Value) error {
	if s.k != KList {
		return fmt.Errorf("%s(DISTINCT): bad partial state %s", a.name, FormatValue(s))
	}
	for _, x := range s.List() {
		if x.k != KMissing {
			a.offer(g, x)
		}
	}
	return a.flush(nil, true)
}

func (a *distinctAgg) Size() int64 {
	return int64(cap(a.sets))*40 + a.mem + a.strs.size() + a.inner.Size()
}
