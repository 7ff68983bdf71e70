package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sneller-re/sneller/vm"
)

// Distribution. A query is distributable when its plan holds one fragment of the form
//
//	scan(table) → streaming operators (filters, projections, unnesting) → [hash aggregation]
//
// on the path from the output down through operators with a single input (sorts, limits,
// distinct, windows, aggregations): no join or union on the way, and the table's blocks have
// an identity that replicas share (DistSource). The replica that receives the query (the
// coordinator) splits the fragment's blocks into shares: it scans its own share and feeds the
// partial results of the others (run on other replicas by RunFragment) into the operators
// above the fragment, so that the rest of the plan runs on it as it would on one node.
//
// Partial results are vm.Values, which the server carries as Ion:
//
//   - fragments ending in a hash aggregation send one value per group, the list
//     [[key...], [state...]]: the group's key values and each aggregate's partial state
//     (vm.Agg.State), which the coordinator folds in with MergeState;
//   - other fragments send their output rows, each the list [id, [v0], [v1], ...]: the row's
//     position in the scan (which breaks ties in sorts as on one node) and its variables, each
//     wrapped in a list of one element, or none for MISSING. When the operator above the
//     fragment is a top-k sort, a LIMIT or a DISTINCT, the replica applies its own version
//     first (its best k rows, its first n rows, its distinct rows), so it sends only what can
//     matter.

// DistSource is a table source whose blocks replicas can share: the table's version (the ETag
// of its index; replicas that read the same version see the same blocks), and for each block
// the ETag of the blob holding it and its position in the blob, which identify the block's
// bytes (a coordinator assigns blocks to replicas by hashing them, so that a block keeps
// hitting the same replica's cache). Only queries over such sources are distributed.
type DistSource interface {
	vm.Source
	Version() string
	BlockKey(i int) (etag string, block int)
}

// Fragment describes the distributable part of a query.
type Fragment struct {
	// Table is the scanned table as the query names it; Version its version (DistSource).
	Table, Version string
	// Blocks are the blocks the scan reads, after skipping by summaries, in table order.
	Blocks []FragmentBlock
	// Aggregate tells whether partial results are group states (else rows).
	Aggregate bool
	// Signature is a digest of the plan: a replica runs a fragment only for a query it
	// planned identically (same plan and constants, same UTCNOW, same versions of every
	// table the query reads, subqueries included).
	Signature string
}

// FragmentBlock is one block of a fragment.
type FragmentBlock struct {
	Index int    // the block's number in the table: what RunFragment and RunDistributed take
	ETag  string // the ETag of the blob holding it
	Block int    // its position in the blob
}

// fragment is the distributable part of a plan.
type fragment struct {
	// slot holds the node the fragment's consumer reads: the aggregation for an aggregating
	// fragment, the top of the fragment otherwise. RunDistributed replaces it while it runs.
	slot *node
	top  node      // the streaming operators over the scan (or the scan itself)
	scan *scanNode // the fragment's scan
	src  DistSource
	agg  *aggNode // the aggregation ending the fragment, if any
	// partial is the pre-reduction a replica applies to its rows (see serialNode.partial);
	// partialIDs tells that its output carries the rows' positions as a last variable.
	partial    func() func(next vm.Op) vm.Op
	partialIDs bool
	blocks     []int // the scan's blocks after summary skipping
	info       *Fragment
}

// Now returns the time the query was planned with: UTCNOW() (Options.Now, or the time of
// planning). A replica running a fragment of the query plans it with the same time.
func (q *Query) Now() time.Time { return time.UnixMicro(q.p.now).UTC() }

// Fragment returns the query's distributable fragment, and false when the query has none
// (EXPLAIN, joins or unions on the path from the output to the scan, a table whose source is
// not a DistSource). It reads the block summaries the scan needs for skipping blocks.
func (q *Query) Fragment() (*Fragment, bool) {
	f := q.fragment()
	if f == nil {
		return nil, false
	}
	return f.info, true
}

func (q *Query) fragment() *fragment {
	q.fragOnce.Do(func() {
		if q.explain {
			return
		}
		f := findFragment(&q.pl.root)
		if f == nil {
			return
		}
		src, ok := f.scan.src.(DistSource)
		if !ok || src.Version() == "" {
			return
		}
		f.src = src
		f.blocks = f.scan.unskipped()
		info := &Fragment{Table: f.scan.name, Version: src.Version(), Aggregate: f.agg != nil, Blocks: make([]FragmentBlock, len(f.blocks))}
		for j, i := range f.blocks {
			etag, k := src.BlockKey(i)
			if etag == "" {
				return
			}
			info.Blocks[j] = FragmentBlock{Index: i, ETag: etag, Block: k}
		}
		h := sha256.New()
		fmt.Fprintf(h, "sneller fragment v1\n%s\n%s\n%d\n%s", info.Table, info.Version, q.p.now, q.Explain())
		for _, s := range q.p.scans {
			// the other tables the query reads (subqueries): the same versions too
			if d, ok := s.src.(DistSource); ok {
				fmt.Fprintf(h, "%s@%s\n", s.name, d.Version())
			}
		}
		info.Signature = hex.EncodeToString(h.Sum(nil))
		f.info = info
		q.frag = f
	})
	return q.frag
}

// findFragment looks for the fragment under the node in slot, following nodes with a single
// input.
func findFragment(slot *node) *fragment {
	n := *slot
	if s, ok := pureScan(n); ok {
		return &fragment{slot: slot, top: n, scan: s}
	}
	switch n := n.(type) {
	case *aggNode:
		if s, ok := pureScan(n.in); ok {
			return &fragment{slot: slot, top: n.in, scan: s, agg: n}
		}
		return findFragment(&n.in)
	case *serialNode:
		if s, ok := pureScan(n.in); ok {
			return &fragment{slot: &n.in, top: n.in, scan: s, partial: n.partial, partialIDs: n.partialIDs}
		}
		return findFragment(&n.in)
	case *streamNode:
		return findFragment(&n.in)
	}
	return nil
}

// pureScan reports whether n is streaming operators over a scan, returning the scan.
func pureScan(n node) (*scanNode, bool) {
	for {
		switch x := n.(type) {
		case *streamNode:
			n = x.in
		case *scanNode:
			return x, true
		default:
			return nil, false
		}
	}
}

func (q *Query) executor(ctx context.Context) *executor {
	return &executor{ctx: ctx, mem: q.p.mem, now: q.p.now, workers: q.p.opt.workers(), stats: q.stats}
}

// checkBlocks verifies that blocks are distinct blocks of the fragment's table.
func (f *fragment) checkBlocks(blocks []int) error {
	nb := f.src.Blocks()
	seen := make(map[int]bool, len(blocks))
	for _, i := range blocks {
		if i < 0 || i >= nb {
			return fmt.Errorf("%s has no block %d (it has %d)", f.info.Table, i, nb)
		}
		if seen[i] {
			return fmt.Errorf("block %d of %s is listed twice", i, f.info.Table)
		}
		seen[i] = true
	}
	return nil
}

// ErrNoFragment is returned by RunFragment and RunDistributed for a query without a
// distributable fragment.
var ErrNoFragment = errors.New("the query has no distributable fragment")

// RunFragment runs only the query's fragment, over exactly the given blocks (numbers of the
// table's blocks, as Fragment lists them), passing each partial result to emit (see the
// package's distribution notes for their form). The Value passed to emit is valid during the
// call only. The query's Stats count the blocks read and the bytes scanned here.
func (q *Query) RunFragment(ctx context.Context, blocks []int, emit func(vm.Value) error) error {
	f := q.fragment()
	if f == nil {
		return ErrNoFragment
	}
	if err := f.checkBlocks(blocks); err != nil {
		return err
	}
	ex := q.executor(ctx)
	ex.only = map[*scanNode][]int{f.scan: blocks}
	ex.project = true
	if f.agg != nil {
		a := f.agg
		return f.top.run(ex, func(n int) []vm.Op {
			shared := &vm.AggShared{Workers: n, EmitStates: func(key, states []vm.Value) error {
				return emit(vm.List([]vm.Value{vm.List(key), vm.List(states)}))
			}}
			ops := make([]vm.Op, n)
			for i := range ops {
				ops[i] = &vm.HashAgg{Keys: a.keys, Aggs: a.aggs, Shared: shared}
			}
			return ops
		})
	}
	enc := &rowEncoder{emit: emit, ids: f.partialIDs}
	sink := func(n int) []vm.Op { return repeat(&vm.Locked{Next: enc, Workers: n}, n) }
	if f.partial != nil {
		sink = serial(func(int) []vm.Op { return []vm.Op{enc} }, f.partial())
	}
	return f.top.run(ex, sink)
}

// rowEncoder turns a fragment's output batches into partial result rows.
type rowEncoder struct {
	emit func(vm.Value) error
	ids  bool // the last variable holds the rows' positions
	row  []vm.Value
}

func (r *rowEncoder) Push(c *vm.Ctx, b *vm.Batch) error {
	vars := b.Vars
	var ids *vm.Vec
	if r.ids {
		if len(vars) == 0 {
			return fmt.Errorf("fragment output without row positions")
		}
		ids, vars = vars[len(vars)-1], vars[:len(vars)-1]
	}
	var err error
	b.Sel.ForEach(func(i int) {
		if err != nil {
			return
		}
		id := vm.Int(b.Base + int64(i))
		if ids != nil {
			id = ids.Get(i)
		}
		r.row = append(r.row[:0], id)
		for _, v := range vars {
			var x vm.Value
			if v != nil {
				x = v.Get(i)
			}
			if x.IsMissing() {
				r.row = append(r.row, vm.List([]vm.Value{}))
			} else {
				r.row = append(r.row, vm.List([]vm.Value{x}))
			}
		}
		err = r.emit(vm.List(r.row))
	})
	return err
}

func (r *rowEncoder) Close(c *vm.Ctx) error { return nil }

// A Share is a part of a fragment's blocks that another replica runs.
type Share struct {
	// Blocks are the share's blocks (numbers of the table's blocks).
	Blocks []int
	// Run runs the share elsewhere, passing each partial result to emit in the order the
	// other replica sent them. When emit returns vm.ErrDone the query needs no more: Run
	// should stop and return it (or nil). The Value passed to emit must stay valid during
	// the call only.
	Run func(ctx context.Context, emit func(vm.Value) error) error
	// Fallback, when set, is called when Run failed before passing any partial result and
	// the query still runs: the share's blocks are then scanned here instead.
	Fallback func(err error)
}

// RunDistributed runs the query like Run, with the fragment's blocks split into the local
// ones, scanned here, and shares run elsewhere, whose partial results are merged into the
// operators above the fragment. Every block of Fragment().Blocks must be in exactly one of
// them. A share that fails before sending anything is scanned here instead (its Fallback is
// called); a share that fails after sending partial results fails the query with its error,
// since what it sent cannot be taken back.
func (q *Query) RunDistributed(ctx context.Context, w RowWriter, local []int, shares []Share) error {
	f := q.fragment()
	if f == nil {
		return ErrNoFragment
	}
	if err := f.checkBlocks(local); err != nil {
		return err
	}
	n := len(local)
	for _, s := range shares {
		if err := f.checkBlocks(s.Blocks); err != nil {
			return err
		}
		n += len(s.Blocks)
	}
	if n != len(f.blocks) {
		return fmt.Errorf("the shares hold %d blocks, the fragment %d", n, len(f.blocks))
	}
	ex := q.executor(ctx)
	nb := f.src.Blocks()
	ex.stats.BlocksTotal.Add(int64(nb))
	ex.stats.BlocksSkipped.Add(int64(nb - len(f.blocks)))
	ex.only = map[*scanNode][]int{f.scan: local}
	orig := *f.slot
	*f.slot = &distNode{f: f, shares: shares}
	defer func() { *f.slot = orig }()
	out := &rowOut{cols: q.pl.cols, w: w, stats: q.stats}
	return q.pl.root.run(ex, func(n int) []vm.Op { return repeat(&vm.Locked{Next: out, Workers: n}, n) })
}

// distNode stands in for a fragment (and its aggregation) during RunDistributed.
type distNode struct {
	f      *fragment
	shares []Share
}

func (d *distNode) explain(e *explainer) {
	e.line("distributed")
	if d.f.agg != nil {
		d.f.agg.explain(e)
	} else {
		d.f.top.explain(e)
	}
}

func (d *distNode) run(ex *executor, mk sinkFn) error {
	consumer := mk
	if d.f.agg != nil {
		consumer = d.f.agg.sink(mk)
	}
	ctx, cancel := context.WithCancelCause(ex.ctx)
	defer cancel(nil)
	lex := *ex
	lex.ctx = ctx
	errs := make([]error, len(d.shares))
	var wg sync.WaitGroup
	started := false
	start := func(n int) []vm.Op {
		started = true
		ops := consumer(n + len(d.shares))
		for k := range d.shares {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				if err := d.feed(&lex, &d.shares[k], ops[n+k]); err != nil {
					errs[k] = err
					cancel(err)
				}
			}(k)
		}
		return ops[:n]
	}
	err := d.f.top.run(&lex, start)
	if !started && err == nil {
		start(0)
	}
	if err != nil {
		cancel(err)
	}
	wg.Wait()
	if ex.ctx.Err() == nil {
		if c := context.Cause(ctx); c != nil {
			return c // the first failure, local or remote
		}
	}
	if err != nil {
		return err
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// feed runs a share, pushing its partial results into op (one of the consumer's operators),
// or, when it fails before sending any, scans its blocks here. It closes op.
func (d *distNode) feed(ex *executor, s *Share, op vm.Op) error {
	c := ex.newCtx()
	var in partialSink
	if d.f.agg != nil {
		h, ok := op.(*vm.HashAgg)
		if !ok {
			return fmt.Errorf("distributed aggregation: unexpected operator %T", op)
		}
		in = &stateMerger{c: c, h: h}
	} else {
		in = &rowDecoder{c: c, next: op}
	}
	got := 0
	done := false
	err := s.Run(ex.ctx, func(v vm.Value) error {
		if done {
			return vm.ErrDone
		}
		got++
		err := in.add(v)
		if err == vm.ErrDone {
			done = true
		}
		return err
	})
	if err == nil || errors.Is(err, vm.ErrDone) {
		if !done {
			if err := in.flush(); err != nil && err != vm.ErrDone {
				return err
			}
		}
		return op.Close(c)
	}
	if got > 0 || ex.ctx.Err() != nil {
		return err
	}
	// nothing arrived: scan the share here
	if s.Fallback != nil {
		s.Fallback(err)
	}
	fex := *ex
	fex.only = map[*scanNode][]int{d.f.scan: s.Blocks}
	return d.f.top.run(&fex, func(n int) []vm.Op { return repeat(&vm.Locked{Next: op, Workers: n}, n) })
}

// partialSink receives a share's partial results.
type partialSink interface {
	add(v vm.Value) error
	flush() error
}

// stateMerger folds partial group states into a HashAgg.
type stateMerger struct {
	c *vm.Ctx
	h *vm.HashAgg
}

func (m *stateMerger) add(v vm.Value) error {
	l := v.List()
	if v.Kind() != vm.KList || len(l) != 2 || l[0].Kind() != vm.KList || l[1].Kind() != vm.KList {
		return fmt.Errorf("bad partial group %s", vm.FormatValue(v))
	}
	return m.h.MergeStates(m.c, l[0].List(), l[1].List())
}

func (m *stateMerger) flush() error { return nil }

// rowDecoder turns partial result rows back into batches: rows whose positions increase
// within a small span become one batch with those positions, so that ties in a sort break as
// they would on one node.
type rowDecoder struct {
	c     *vm.Ctx
	next  vm.Op
	width int // variables per row (-1: not known yet)
	ids   []int64
	rows  [][]vm.Value
	init  bool
}

const (
	decodeBatch = 1024 // rows per batch
	decodeSpan  = 4096 // largest span of positions in a batch
)

func (r *rowDecoder) add(v vm.Value) error {
	l := v.List()
	if v.Kind() != vm.KList || len(l) == 0 || l[0].Kind() != vm.KInt {
		return fmt.Errorf("bad partial row %s", vm.FormatValue(v))
	}
	if !r.init {
		r.width, r.init = len(l)-1, true
	}
	if len(l)-1 != r.width {
		return fmt.Errorf("partial rows of %d and %d variables", r.width, len(l)-1)
	}
	id := l[0].Int()
	if n := len(r.ids); n > 0 && (n == decodeBatch || id <= r.ids[n-1] || id-r.ids[0] >= decodeSpan) {
		if err := r.flush(); err != nil {
			return err
		}
	}
	row := make([]vm.Value, r.width)
	for j := range row {
		x := l[j+1]
		if x.Kind() != vm.KList || len(x.List()) > 1 {
			return fmt.Errorf("bad partial row %s", vm.FormatValue(v))
		}
		if len(x.List()) == 1 {
			row[j] = x.List()[0].Clone()
		}
	}
	r.ids = append(r.ids, id)
	r.rows = append(r.rows, row)
	return nil
}

func (r *rowDecoder) flush() error {
	if len(r.ids) == 0 {
		return nil
	}
	base := r.ids[0]
	n := int(r.ids[len(r.ids)-1]-base) + 1
	m := r.c.Mark()
	defer r.c.Release(m)
	vars := make([]*vm.Vec, r.width)
	for j := range vars {
		vars[j] = r.c.Vec(n)
	}
	sel := vm.MakeBitmap(nil, n)
	for k, id := range r.ids {
		i := int(id - base)
		sel.Set(i)
		for j, x := range r.rows[k] {
			vars[j].Put(i, x)
		}
	}
	r.ids, r.rows = r.ids[:0], r.rows[:0]
	return r.next.Push(r.c, &vm.Batch{N: n, Vars: vars, Sel: sel, Base: base})
}

// neededFields presents only the top-level fields of a row that a query reads.
type neededFields struct {
	vm.FieldSet
	need  *vm.PathSet
	names []string
	done  bool
}

func (f *neededFields) Names() []string {
	if !f.done {
		f.done = true
		for _, n := range f.FieldSet.Names() {
			if f.need.Wants([]string{n}) {
				f.names = append(f.names, n)
			}
		}
	}
	return f.names
}

func (f *neededFields) Field(name string) (*vm.Vec, error) {
	if !f.need.Wants([]string{name}) {
		return nil, nil
	}
	return f.FieldSet.Field(name)
}

// satAdd adds two non-negative counts, saturating.
func satAdd(a, b int64) int64 {
	if a > 1<<63-1-b {
		return 1<<63 - 1
	}
	return a + b
}
