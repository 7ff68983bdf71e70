package vm

import (
	"fmt"
	"strings"
	"sync"
)

// AggSpec is one aggregate of a GROUP BY (or of an aggregate query without GROUP BY).
type AggSpec struct {
	Func   *AggFunc
	Args   []Expr
	Filter Expr // FILTER (WHERE ...), or nil
	// NewAgg creates the state; when nil, Func.New(Opt) is used. The planner sets it for
	// DISTINCT aggregates.
	NewAgg func() Agg
	Opt    AggOptions
}

func (s *AggSpec) newAgg() Agg {
	if s.NewAgg != nil {
		return s.NewAgg()
	}
	return s.Func.New(s.Opt)
}

func (s *AggSpec) String() string {
	parts := make([]string, len(s.Args))
	for i, a := range s.Args {
		parts[i] = a.String()
	}
	inner := strings.Join(parts, ", ")
	if len(parts) == 0 {
		inner = "*"
	}
	str := s.Func.Name + "(" + inner + ")"
	if s.Filter != nil {
		str += " FILTER (WHERE " + s.Filter.String() + ")"
	}
	return str
}

// aggTable is the state of a hash aggregation: the distinct key tuples (groups) and one Agg
// per aggregate holding every group's state.
type aggTable struct {
	keys     [][]Value
	index    map[uint64][]int32
	aggs     []Agg
	ngroup   int
	mem      *Memory
	bytes    int64 // accounted in mem
	aggBytes int64 // the aggregates' part of it
}

func newAggTable(specs []AggSpec, mem *Memory, grouped bool) *aggTable {
	t := &aggTable{index: map[uint64][]int32{}, mem: mem}
	t.aggs = make([]Agg, len(specs))
	for i := range specs {
		t.aggs[i] = specs[i].newAgg()
	}
	if !grouped {
		t.ngroup = 1
		t.keys = [][]Value{nil}
		for _, a := range t.aggs {
			a.Resize(1)
		}
	}
	return t
}

// group returns the group of the key tuple with hash h, creating it if needed (key is cloned).
func (t *aggTable) group(h uint64, key []Value, fetch func() []Value) (int32, error) {
	for _, g := range t.index[h] {
		k := t.keys[g]
		same := true
		for j := range k {
			if !Equal(k[j], key[j]) {
				same = false
				break
			}
		}
		if same {
			return g, nil
		}
	}
	kv := fetch()
	var sz int64 = 64
	for _, v := range kv {
		sz += valueSize(v)
	}
	if err := t.mem.Grow(sz); err != nil {
		return 0, err
	}
	t.bytes += sz
	g := int32(len(t.keys))
	t.keys = append(t.keys, kv)
	t.index[h] = append(t.index[h], g)
	t.ngroup++
	return g, nil
}

func (t *aggTable) resize() error {
	for _, a := range t.aggs {
		a.Resize(t.ngroup)
	}
	return t.account()
}

// account records the growth of the aggregates' states in the memory account.
func (t *aggTable) account() error {
	var size int64
	for _, a := range t.aggs {
		size += a.Size()
	}
	if size > t.aggBytes {
		if err := t.mem.Grow(size - t.aggBytes); err != nil {
			return err
		}
		t.bytes += size - t.aggBytes
		t.aggBytes = size
	}
	return nil
}

func (t *aggTable) release() {
	t.mem.Shrink(t.bytes)
	t.bytes = 0
}

// HashAgg groups rows by Keys and folds them into Aggs. Workers each run their own HashAgg
// over a share of the input; when Shared is set, each merges its table into the shared one at
// Close, and the last to close emits. The output rows are the key values followed by the
// aggregate results.
type HashAgg struct {
	Keys   []Expr
	Aggs   []AggSpec
	Next   Op
	Shared *AggShared

	t      *aggTable
	groups []uint32
	hashes []uint64
	ints   intTable
}

// AggShared is the meeting point of the workers of one aggregation.
type AggShared struct {
	mu      sync.Mutex
	Workers int
	// EmitStates, when set, receives each group's key values (nil without GROUP BY) and its
	// aggregates' partial states (Agg.State) when the last worker closes, instead of the
	// results going to Next: a replica running its share of a distributed aggregation. The
	// values are valid during the call only.
	EmitStates func(key, states []Value) error
	closed     int
	t          *aggTable
}

func (h *HashAgg) table(c *Ctx) *aggTable {
	if h.t == nil {
		h.t = newAggTable(h.Aggs, c.Mem, len(h.Keys) > 0)
	}
	return h.t
}

func (h *HashAgg) Push(c *Ctx, b *Batch) error {
	t := h.table(c)
	m := c.Mark()
	defer c.Release(m)
	sel := b.Sel
	var group []uint32
	if len(h.Keys) > 0 {
		keys, err := evalArgs(c, b, sel, h.Keys)
		if err != nil {
			return err
		}
		sel = keyedRows(keys, sel, b.N)
		h.groups = growSlice(h.groups[:0], Pad(b.N))
		group = h.groups
		if err := h.assign(c, t, keys, sel, group); err != nil {
			return err
		}
		if err := t.resize(); err != nil {
			return err
		}
	}
	for i := range h.Aggs {
		spec := &h.Aggs[i]
		asel := sel
		if spec.Filter != nil {
			f, err := spec.Filter.Eval(c, b, sel)
			if err != nil {
				return err
			}
			asel = trueRows(f, sel, b.N)
		}
		args, err := evalArgs(c, b, asel, spec.Args)
		if err != nil {
			return err
		}
		if err := t.aggs[i].Update(c, args, asel, group); err != nil {
			return err
		}
	}
	return t.account()
}

// assign computes the group of every selected row.
func (h *HashAgg) assign(c *Ctx, t *aggTable, keys []*Vec, sel Bitmap, group []uint32) error {
	n := len(group)
	// single dictionary-coded string key: resolve each dictionary entry once
	if len(keys) == 1 {
		k := keys[0]
		if l, ok := k.Single(sel); ok && l == LStr && k.S.Codes != nil {
			d := k.S.Dict
			code := make([]int32, d.Len())
			for i := range code {
				code[i] = -1
			}
			var err error
			sel.ForEach(func(i int) {
				if err != nil {
					return
				}
				cd := k.S.Codes[i]
				g := code[cd]
				if g < 0 {
					s := d.Get(int(cd))
					key := []Value{Bytes(s)}
					g, err = t.group(HashBytes(s), key, func() []Value { return []Value{String(string(s))} })
					code[cd] = g
				}
				group[i] = uint32(g)
			})
			return err
		}
	}
	// single int key: an open-addressing table from value to group in front of the generic one
	if len(keys) == 1 {
		k := keys[0]
		if l, ok := k.Single(sel); ok && l == LInt {
			return h.assignInts(t, k, sel, group)
		}
	}
	h.hashes = growSlice(h.hashes[:0], n)
	hashes := h.hashes
	hashKeys(keys, sel, hashes)
	key := make([]Value, len(keys))
	var err error
	sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		for j, k := range keys {
			key[j] = k.Get(i)
		}
		var g int32
		g, err = t.group(hashes[i], key, func() []Value { return cloneTuple(key) })
		group[i] = uint32(g)
	})
	return err
}

// assignInts computes the groups of rows whose single key is an int.
func (h *HashAgg) assignInts(t *aggTable, k *Vec, sel Bitmap, group []uint32) error {
	it := &h.ints
	var err error
	for w := range sel {
		for m := sel[w]; m != 0; m &= m - 1 {
			i := w*64 + trailing(m)
			x := k.I[i]
			g, ok := it.get(x)
			if !ok {
				var ng int32
				ng, err = t.group(HashInt(x), []Value{Int(x)}, func() []Value { return []Value{Int(x)} })
				if err != nil {
					return err
				}
				g = ng
				it.put(x, g)
			}
			group[i] = uint32(g)
		}
	}
	return nil
}

// intTable maps int keys to groups (open addressing, linear probing).
type intTable struct {
	keys  []int64
	vals  []int32 // group + 1; 0 is empty
	count int
}

func (t *intTable) get(x int64) (int32, bool) {
	if len(t.vals) == 0 {
		return 0, false
	}
	mask := uint64(len(t.vals) - 1)
	for j := HashInt(x) & mask; ; j = (j + 1) & mask {
		v := t.vals[j]
		if v == 0 {
			return 0, false
		}
		if t.keys[j] == x {
			return v - 1, true
		}
	}
}

func (t *intTable) put(x int64, g int32) {
	if 2*(t.count+1) > len(t.vals) {
		old, oldv := t.keys, t.vals
		n := max(256, 2*len(t.vals))
		t.keys, t.vals, t.count = make([]int64, n), make([]int32, n), 0
		for j, v := range oldv {
			if v != 0 {
				t.put(old[j], v-1)
			}
		}
	}
	mask := uint64(len(t.vals) - 1)
	j := HashInt(x) & mask
	for t.vals[j] != 0 {
		j = (j + 1) & mask
	}
	t.keys[j], t.vals[j] = x, g+1
	t.count++
}

// hashColumn sets (first) or combines into hashes[i] the hash of row i of v for the rows of sel.
func hashColumn(v *Vec, sel Bitmap, hashes []uint64, first bool) {
	put := func(i int, x uint64) {
		if first {
			hashes[i] = x
		} else {
			hashes[i] = HashCombine(hashes[i], x)
		}
	}
	lanes := v.Lanes()
	if lanes&LInt != 0 {
		for w := range sel {
			for m := sel[w] & v.Ints.wordAt(w); m != 0; m &= m - 1 {
				i := w*64 + trailing(m)
				put(i, HashInt(v.I[i]))
			}
		}
	}
	if lanes&LStr != 0 {
		if v.S.Codes != nil {
			d := v.S.Dict
			dh := make([]uint64, d.Len())
			for e := range dh {
				dh[e] = HashBytes(d.Get(e))
			}
			for w := range sel {
				for m := sel[w] & v.Strs.wordAt(w); m != 0; m &= m - 1 {
					i := w*64 + trailing(m)
					put(i, dh[v.S.Codes[i]])
				}
			}
		} else {
			for w := range sel {
				for m := sel[w] & v.Strs.wordAt(w); m != 0; m &= m - 1 {
					i := w*64 + trailing(m)
					put(i, HashBytes(v.S.Get(i)))
				}
			}
		}
	}
	rest := AndNotBits(nil, sel, v.Ints, len(sel)*64)
	rest = AndNotBits(rest, rest, v.Strs, len(sel)*64)
	rest.ForEach(func(i int) { put(i, HashValue(v.Get(i))) })
}

func (h *HashAgg) Close(c *Ctx) error {
	t := h.table(c)
	if h.Shared == nil {
		return h.emit(c, t)
	}
	s := h.Shared
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.t == nil {
		s.t = t
	} else if err := mergeTables(s.t, t); err != nil {
		return err
	}
	s.closed++
	if s.closed < s.Workers {
		return nil
	}
	if s.EmitStates != nil {
		return h.emitStates(s.t, s.EmitStates)
	}
	return h.emit(c, s.t)
}

// MergeStates folds one group's partial states, computed elsewhere (another replica's
// EmitStates), into h's table: key holds the group's key values (nil for an aggregation
// without GROUP BY) and states one Agg.State value per aggregate. A HashAgg may receive both
// batches (Push) and partial states; Close merges everything as usual.
func (h *HashAgg) MergeStates(c *Ctx, key, states []Value) error {
	t := h.table(c)
	if len(key) != len(h.Keys) || len(states) != len(t.aggs) {
		return fmt.Errorf("partial aggregation state: %d keys and %d states, want %d and %d", len(key), len(states), len(h.Keys), len(t.aggs))
	}
	g := int32(0)
	if len(h.Keys) > 0 {
		for j, k := range key {
			if k.IsMissing() {
				return fmt.Errorf("partial aggregation state: key %d is MISSING", j)
			}
		}
		var err error
		g, err = t.group(keyHash(key), key, func() []Value { return cloneTuple(key) })
		if err != nil {
			return err
		}
		if err := t.resize(); err != nil {
			return err
		}
	}
	for i, a := range t.aggs {
		if err := a.MergeState(int(g), states[i]); err != nil {
			return err
		}
	}
	return t.account()
}

// emitStates passes every group's key and partial states to f, then releases the table.
func (h *HashAgg) emitStates(t *aggTable, f func(key, states []Value) error) error {
	defer t.release()
	states := make([]Value, len(t.aggs))
	for g := 0; g < t.ngroup; g++ {
		for i, a := range t.aggs {
			states[i] = a.State(g)
		}
		if err := f(t.keys[g], states); err != nil {
			return err
		}
	}
	return nil
}

// keyHash is the hash of a group's key tuple, as the grouping of rows computes it.
func keyHash(key []Value) uint64 {
	h := uint64(0)
	for j, v := range key {
		if j == 0 {
			h = HashValue(v)
		} else {
			h = HashCombine(h, HashValue(v))
		}
	}
	return h
}

// mergeTables folds src's groups into dst.
func mergeTables(dst, src *aggTable) error {
	grouped := len(src.keys) == 0 || src.keys[0] != nil
	for g := 0; g < src.ngroup; g++ {
		d := int32(0)
		if grouped {
			key := src.keys[g]
			h := keyHash(key)
			var err error
			d, err = dst.group(h, key, func() []Value { return key })
			if err != nil {
				return err
			}
			if err := dst.resize(); err != nil {
				return err
			}
		}
		for i, a := range dst.aggs {
			a.Merge(int(d), src.aggs[i], g)
		}
	}
	src.release()
	return nil
}

func (h *HashAgg) emit(c *Ctx, t *aggTable) error {
	rows := make([][]Value, t.ngroup)
	nk := len(h.Keys)
	for g := range rows {
		r := make([]Value, nk+len(t.aggs))
		copy(r, t.keys[g])
		for i, a := range t.aggs {
			r[nk+i] = a.Result(g)
		}
		rows[g] = r
	}
	err := EmitRows(c, h.Next, rows, 0, nk+len(t.aggs))
	t.release()
	if err != nil && err != ErrDone {
		return err
	}
	return h.Next.Close(c)
}

// String describes the aggregation for EXPLAIN.
func (h *HashAgg) String() string {
	var parts []string
	for i := range h.Aggs {
		parts = append(parts, h.Aggs[i].String())
	}
	s := "aggregate " + strings.Join(parts, ", ")
	if len(h.Keys) > 0 {
		s += " by " + joinExprs(h.Keys)
	}
	return s
}
