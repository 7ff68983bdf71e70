package vm

import "sync"

// TopKBound lets a top-k sort tell the scans feeding it how good a row must now be to make the
// cut, so that whole blocks whose summaries prove them worse are skipped. The sort publishes
// the first sort key of its worst kept row once it holds k rows.
type TopKBound struct {
	Desc bool
	// Ties is set when rows whose first key equals the bound may still make the cut (the
	// sort has more keys, which decide between them): blocks that reach the bound are read.
	Ties bool

	mu  sync.Mutex
	val Value
	set bool
}

// Update records the first key of the current k-th row.
func (t *TopKBound) Update(v Value) {
	t.mu.Lock()
	t.val, t.set = v.Clone(), true
	t.mu.Unlock()
}

// Get returns the current bound, if any.
func (t *TopKBound) Get() (Value, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.val, t.set
}

// Beats reports whether some row of a block whose column holds only values of one class in
// [lo, hi] (no NULL, no MISSING) could sort strictly before the bound (or tie with it, when
// Ties is set).
func (t *TopKBound) Beats(lo, hi Value) bool {
	b, ok := t.Get()
	if !ok {
		return true
	}
	if t.Desc {
		c := Compare(hi, b)
		return c > 0 || (t.Ties && c == 0)
	}
	c := Compare(lo, b)
	return c < 0 || (t.Ties && c == 0)
}
