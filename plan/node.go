package plan

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sneller-re/sneller/vm"
)

// sinkFn makes the operators that a node's workers push into: it is called exactly once, with
// the number of workers (each pushes into its own operator, ops[w]).
type sinkFn func(workers int) []vm.Op

// node is one step of a plan. run pushes the node's output batches into the operators mk
// returns and closes each of them when its worker is done.
type node interface {
	run(ex *executor, mk sinkFn) error
	explain(e *explainer)
}

// executor holds what every node of one execution shares.
type executor struct {
	ctx     context.Context
	mem     *vm.Memory
	now     int64
	params  []vm.Value
	workers int
	stats   *Stats
	// only, when set, replaces the blocks a scan reads by a given list: the share of a
	// distributed query that runs here (summary skipping already done, not counted again).
	only map[*scanNode][]int
	// project presents the rows of scans with only the top-level fields the query reads
	// (when it does not read whole rows): a replica sends rows to another, and fields nobody
	// reads would only cost decompression and bandwidth.
	project bool
}

// Stats are the counters of one query execution.
type Stats struct {
	BlocksTotal   atomic.Int64
	BlocksSkipped atomic.Int64
	BytesScanned  atomic.Int64 // decompressed bytes of the columns read
	RowsOut       atomic.Int64
}

func (ex *executor) newCtx() *vm.Ctx {
	c := vm.NewCtx(ex.ctx, ex.mem, ex.now)
	c.Params = ex.params
	return c
}

func repeat(op vm.Op, n int) []vm.Op {
	out := make([]vm.Op, n)
	for i := range out {
		out[i] = op
	}
	return out
}

// wrap returns a sinkFn whose operators are f(next) for each of mk's.
func wrap(mk sinkFn, f func(next vm.Op) vm.Op) sinkFn {
	return func(n int) []vm.Op {
		next := mk(n)
		out := make([]vm.Op, n)
		for i := range out {
			out[i] = f(next[i])
		}
		return out
	}
}

// serial returns a sinkFn that funnels every worker into one operator f(next).
func serial(mk sinkFn, f func(next vm.Op) vm.Op) sinkFn {
	return func(n int) []vm.Op {
		op := f(mk(1)[0])
		return repeat(&vm.Locked{Next: op, Workers: n}, n)
	}
}

// scanNode reads a table's blocks in parallel; each block is one batch whose variable 0 is
// the row.
type scanNode struct {
	src   vm.Source
	name  string
	need  *vm.PathSet
	prune []pruneTerm
	// topk, when set, is the bound of a top-k sort over the column at topkPath: blocks are
	// read best first and skipped once they cannot beat it.
	topk     *vm.TopKBound
	topkPath []string
}

func (s *scanNode) explain(e *explainer) {
	line := "scan " + s.name
	if s.need != nil && !s.need.All {
		var cols []string
		for _, p := range s.need.Paths {
			cols = append(cols, strings.Join(p, "."))
		}
		line += " columns(" + strings.Join(cols, ", ") + ")"
	}
	if s.topk != nil {
		line += " best-first(" + strings.Join(s.topkPath, ".") + ")"
	}
	if len(s.prune) > 0 {
		var ps []string
		for _, p := range s.prune {
			ps = append(ps, p.String())
		}
		line += " skip-blocks-unless(" + strings.Join(ps, " AND ") + ")"
	}
	e.line(line)
}

// blocks returns the blocks the scan must read, after skipping by summaries.
func (s *scanNode) blocks(ex *executor) []int {
	var out []int
	if only, ok := ex.only[s]; ok {
		out = append(out, only...)
	} else {
		out = s.unskipped()
		nb := s.src.Blocks()
		ex.stats.BlocksSkipped.Add(int64(nb - len(out)))
		ex.stats.BlocksTotal.Add(int64(nb))
	}
	if s.topk != nil {
		// best blocks first: they fill the top-k heap, and the bound then skips the rest
		type keyed struct {
			i      int
			lo, hi vm.Value
			ok     bool
		}
		ks := make([]keyed, len(out))
		for j, i := range out {
			ks[j].i = i
			if sum := s.src.Summary(i); sum != nil {
				ks[j].lo, ks[j].hi, ks[j].ok = topkRange(sum, s.topkPath)
			}
		}
		desc := s.topk.Desc
		sort.SliceStable(ks, func(a, b int) bool {
			x, y := ks[a], ks[b]
			if x.ok != y.ok {
				return !x.ok // blocks without a usable range cannot be skipped: read them first
			}
			if !x.ok {
				return false
			}
			if desc {
				return vm.Compare(x.hi, y.hi) > 0
			}
			return vm.Compare(x.lo, y.lo) < 0
		})
		for j := range ks {
			out[j] = ks[j].i
		}
	}
	return out
}

// unskipped returns the blocks whose summaries do not rule out the scan's filter.
func (s *scanNode) unskipped() []int {
	nb := s.src.Blocks()
	out := make([]int, 0, nb)
	for i := 0; i < nb; i++ {
		if sum := s.src.Summary(i); sum != nil && len(s.prune) > 0 && !mayMatch(s.prune, sum) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// topkRange returns the value range of the column at path in a block when it holds values of
// one ordered class only (no NULL, no MISSING), which a top-k bound can be compared with.
func topkRange(sum vm.Summary, path []string) (lo, hi vm.Value, ok bool) {
	r, ok := sum.Range(path)
	if !ok || r.Missing > 0 || r.Null || r.Bool || r.Composite {
		return lo, hi, false
	}
	classes := 0
	if r.Num {
		classes++
		lo, hi = r.NumMin, r.NumMax
	}
	if r.Time {
		classes++
		lo, hi = vm.Time(r.TimeMin), vm.Time(r.TimeMax)
	}
	if r.Str {
		classes++
		if r.StrMaxUnbounded {
			return lo, hi, false
		}
		lo, hi = vm.Bytes(r.StrMin), vm.Bytes(r.StrMax)
	}
	return lo, hi, classes == 1
}

func (s *scanNode) run(ex *executor, mk sinkFn) error {
	blocks := s.blocks(ex)
	nw := max(1, min(ex.workers, len(blocks)))
	ops := mk(nw)
	var next atomic.Int64
	var stop atomic.Bool
	errs := make([]error, nw)
	var wg sync.WaitGroup
	for w := 0; w < nw; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := ex.newCtx()
			err := func() error {
				for !stop.Load() {
					k := int(next.Add(1) - 1)
					if k >= len(blocks) {
						return nil
					}
					if err := ex.ctx.Err(); err != nil {
						return err
					}
					i := blocks[k]
					if s.topk != nil {
						if sum := s.src.Summary(i); sum != nil {
							if lo, hi, ok := topkRange(sum, s.topkPath); ok && !s.topk.Beats(lo, hi) {
								ex.stats.BlocksSkipped.Add(1)
								continue
							}
						}
					}
					fields, n, release, err := s.src.Open(ex.ctx, i, s.need)
					if err != nil {
						return fmt.Errorf("%s: block %d: %w", s.name, i, err)
					}
					if sum := s.src.Summary(i); sum != nil {
						ex.stats.BytesScanned.Add(sum.Bytes(s.need))
					}
					if ex.project && s.need != nil && !s.need.All {
						fields = &neededFields{FieldSet: fields, need: s.need}
					}
					m := c.Mark()
					sel := vm.FullBitmap(nil, n)
					row := vm.StructOf(c, n, sel, fields)
					err = ops[w].Push(c, &vm.Batch{N: n, Vars: []*vm.Vec{row}, Sel: sel, Base: int64(i) << 32})
					c.Release(m)
					if release != nil {
						release()
					}
					if err == vm.ErrDone {
						stop.Store(true)
						return nil
					}
					if err != nil {
						return err
					}
				}
				return nil
			}()
			if err == nil {
				err = ops[w].Close(c)
			}
			errs[w] = err
		}(w)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != vm.ErrDone {
			return err
		}
	}
	return nil
}

// rowsNode emits materialised rows: each tuple's values are the batch's variables.
type rowsNode struct {
	rows  [][]vm.Value
	width int
	what  string
}

func (r *rowsNode) explain(e *explainer) { e.line(r.what) }

func (r *rowsNode) run(ex *executor, mk sinkFn) error {
	op := mk(1)[0]
	c := ex.newCtx()
	if err := vm.EmitRows(c, op, r.rows, 0, r.width); err != nil && err != vm.ErrDone {
		return err
	}
	return op.Close(c)
}

// streamNode applies a per-worker operator (filter, projection, unnesting...).
type streamNode struct {
	in   node
	what string
	make func() func(next vm.Op) vm.Op
}

func (s *streamNode) explain(e *explainer) {
	e.line(s.what)
	e.child(s.in)
}

func (s *streamNode) run(ex *executor, mk sinkFn) error {
	return s.in.run(ex, wrap(mk, s.make()))
}

// serialNode applies one operator fed by every worker (sort, limit, distinct, window).
type serialNode struct {
	in   node
	what string
	make func() func(next vm.Op) vm.Op
	// partial, when set, makes an operator that a replica may apply to its share of the input
	// before sending it to the replica running this node (a top-k, a limit, a distinct): its
	// output, merged from every share, gives this node the same result.
	partial func() func(next vm.Op) vm.Op
	// partialIDs tells that partial's output carries each row's position in the input as a
	// last variable (vm.Sort.EmitIDs).
	partialIDs bool
}

func (s *serialNode) explain(e *explainer) {
	e.line(s.what)
	e.child(s.in)
}

func (s *serialNode) run(ex *executor, mk sinkFn) error {
	return s.in.run(ex, serial(mk, s.make()))
}

// aggNode runs a hash aggregation: each worker aggregates its share, and the partial states
// are merged before the results are emitted.
type aggNode struct {
	in   node
	keys []vm.Expr
	aggs []vm.AggSpec
}

func (a *aggNode) explain(e *explainer) {
	h := &vm.HashAgg{Keys: a.keys, Aggs: a.aggs}
	e.line(h.String())
	e.child(a.in)
}

func (a *aggNode) run(ex *executor, mk sinkFn) error { return a.in.run(ex, a.sink(mk)) }

// sink returns a sinkFn whose workers each aggregate into their own HashAgg, the last to close
// merging them all into mk's single operator.
func (a *aggNode) sink(mk sinkFn) sinkFn {
	return func(n int) []vm.Op {
		next := mk(1)[0]
		shared := &vm.AggShared{Workers: n}
		out := make([]vm.Op, n)
		for i := range out {
			out[i] = &vm.HashAgg{Keys: a.keys, Aggs: a.aggs, Next: next, Shared: shared}
		}
		return out
	}
}

// joinNode is a hash join (or, without keys, a cross join): the right side is materialised
// and indexed, then the left side streams through the probe.
type joinNode struct {
	left, right node
	leftKeys    []vm.Expr
	rightKeys   []vm.Expr // evaluated over the right side's variables
	rightWidth  int
}

func (j *joinNode) explain(e *explainer) {
	if len(j.leftKeys) == 0 {
		e.line("cross join")
	} else {
		var parts []string
		for i := range j.leftKeys {
			parts = append(parts, j.leftKeys[i].String()+" = "+j.rightKeys[i].String())
		}
		e.line("hash join on " + strings.Join(parts, " AND "))
	}
	e.child(j.left)
	e.child(j.right)
}

func (j *joinNode) run(ex *executor, mk sinkFn) error {
	rows, err := collect(ex, &streamNode{in: j.right, what: "join keys", make: func() func(vm.Op) vm.Op {
		return func(next vm.Op) vm.Op {
			keep := make([]int, j.rightWidth)
			for i := range keep {
				keep[i] = i
			}
			return &vm.Project{Exprs: j.rightKeys, Keep: keep, Next: next}
		}
	}})
	if err != nil {
		return err
	}
	table := vm.NewJoinTable(rows, len(j.rightKeys), j.rightWidth)
	return j.left.run(ex, wrap(mk, func(next vm.Op) vm.Op {
		return &vm.HashJoin{Keys: j.leftKeys, Table: table, Next: next}
	}))
}

// unionNode concatenates its inputs (UNION ALL).
type unionNode struct {
	inputs []node
	width  int
}

func (u *unionNode) explain(e *explainer) {
	e.line("union all")
	for _, in := range u.inputs {
		e.child(in)
	}
}

func (u *unionNode) run(ex *executor, mk sinkFn) error {
	var all [][]vm.Value
	for _, in := range u.inputs {
		rows, err := collect(ex, in)
		if err != nil {
			return err
		}
		all = append(all, rows...)
	}
	return (&rowsNode{rows: all, width: u.width}).run(ex, mk)
}

// collect runs a node and returns its rows (tuples of its variables).
func collect(ex *executor, n node) ([][]vm.Value, error) {
	out := &vm.Collect{}
	err := n.run(ex, func(w int) []vm.Op { return repeat(&lockedCollect{c: out}, w) })
	return out.Rows, err
}

type lockedCollect struct{ c *vm.Collect }

func (l *lockedCollect) Push(c *vm.Ctx, b *vm.Batch) error { return l.c.Push(c, b) }
func (l *lockedCollect) Close(c *vm.Ctx) error             { return nil }

// explainer renders a plan tree.
type explainer struct {
	sb    strings.Builder
	depth int
}

func (e *explainer) line(s string) {
	e.sb.WriteString(strings.Repeat("  ", e.depth))
	e.sb.WriteString(s)
	e.sb.WriteByte('\n')
}

func (e *explainer) child(n node) {
	e.depth++
	n.explain(e)
	e.depth--
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
