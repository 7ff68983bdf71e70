package vm

import (
	"fmt"
	"sort"
	"strings"
)

// Agg is the state of one aggregate over many groups, stored column-wise (one slot per group)
// so that a batch updates it with a typed loop. Group numbers are dense from 0. An Agg is used
// by one worker; workers' states are combined with Merge, and replicas exchange State values.
type Agg interface {
	// Resize makes room for groups [0, n); new groups start empty.
	Resize(n int)
	// Update folds the rows of sel into their groups: row i belongs to group[i]. A nil group
	// slice means every row belongs to group 0 (an aggregate without GROUP BY). args are the
	// evaluated arguments (none for COUNT(*)).
	Update(c *Ctx, args []*Vec, sel Bitmap, group []uint32) error
	// Merge folds group h of other (the same aggregate, from another worker) into group g.
	Merge(g int, other Agg, h int)
	// Result is the final value of group g.
	Result(g int) Value
	// State is group g's partial state as a Value, to send to another replica; MergeState
	// folds such a state into group g.
	State(g int) Value
	MergeState(g int, s Value) error
	// Size estimates the bytes the state holds, for memory accounting.
	Size() int64
}

// AggOptions are the plan-time facts an aggregate may depend on.
type AggOptions struct {
	// Consts are the constant arguments after the first (a percentile, a precision...).
	Consts []Value
	// IntArg is set when the first argument is statically an integer (CAST(x AS INTEGER)):
	// SUM and AVG then use exact int64 arithmetic and AVG divides as integers.
	IntArg bool
}

// AggFunc describes an aggregate function. Each lives in its own agg_<name>.go file.
type AggFunc struct {
	Name    string
	Aliases []string
	// MinArgs and MaxArgs bound the argument count; Star aggregates accept `*` (COUNT(*)).
	MinArgs, MaxArgs int
	Star             bool
	// DefaultName is the output column name when the query gives none ("" = positional _N).
	DefaultName string
	// Check validates the constant arguments at plan time (isConst[i] for argument i >= 1).
	Check func(consts []Value, isConst []bool) error
	// New returns an empty state.
	New func(opt AggOptions) Agg
	// Window marks functions that only exist as window functions (ROW_NUMBER, RANK...).
	Window bool
}

var aggs = map[string]*AggFunc{}

// RegisterAgg adds an aggregate; it panics on a duplicate name.
func RegisterAgg(a *AggFunc) {
	for _, name := range append([]string{a.Name}, a.Aliases...) {
		name = strings.ToUpper(name)
		if _, dup := aggs[name]; dup {
			panic("vm: duplicate aggregate " + name)
		}
		aggs[name] = a
	}
}

// LookupAgg returns the aggregate named name (case-insensitive), or nil.
func LookupAgg(name string) *AggFunc { return aggs[strings.ToUpper(name)] }

// AggNames lists every registered aggregate name, sorted.
func AggNames() []string {
	out := make([]string, 0, len(aggs))
	for n := range aggs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CheckArity returns an error when n arguments do not fit a.
func (a *AggFunc) CheckArity(n int, star bool) error {
	if star {
		if !a.Star {
			return fmt.Errorf("%s(*) is not allowed", a.Name)
		}
		return nil
	}
	if n < a.MinArgs || (a.MaxArgs >= 0 && n > a.MaxArgs) {
		if a.MinArgs == a.MaxArgs {
			return fmt.Errorf("%s takes %d argument%s, not %d", a.Name, a.MinArgs, plural(a.MinArgs), n)
		}
		return fmt.Errorf("%s takes %d to %d arguments, not %d", a.Name, a.MinArgs, a.MaxArgs, n)
	}
	return nil
}

// genericUpdate folds rows one by one through step: the reference implementation aggregates
// use for lanes their typed loops do not cover.
func genericUpdate(args []*Vec, sel Bitmap, group []uint32, step func(g int, args []Value)) {
	vals := make([]Value, len(args))
	sel.ForEach(func(i int) {
		for j, a := range args {
			vals[j] = a.Get(i)
		}
		g := 0
		if group != nil {
			g = int(group[i])
		}
		step(g, vals)
	})
}

func growSlice[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}
