package plan

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// Options tune planning and execution.
type Options struct {
	// Workers is the number of goroutines scanning blocks (default GOMAXPROCS).
	Workers int
	// MemoryLimit bounds the bytes a query holds in hash tables, sort buffers and other state
	// (0: unlimited).
	MemoryLimit int64
	// Now fixes UTCNOW() (default: the time of planning).
	Now time.Time
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return defaultWorkers()
}

// Query is a planned statement, ready to run.
type Query struct {
	p       *planner
	pl      *planned
	explain bool
	stats   *Stats

	fragOnce sync.Once
	frag     *fragment
}

// Prepare plans a parsed statement. Uncorrelated subqueries run during planning (their
// results are constants of the plan), so Prepare may read data.
func Prepare(ctx context.Context, st *sql.Statement, env Env, opt Options) (*Query, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	stats := &Stats{}
	p := &planner{ctx: ctx, env: env, now: now.UnixMicro(), opt: opt, stats: stats, mem: vm.NewMemory(opt.MemoryLimit)}
	pl, err := p.query(st.Query, nil, nil)
	if err != nil {
		return nil, err
	}
	return &Query{p: p, pl: pl, explain: st.Explain != nil, stats: stats}, nil
}

// Columns returns the names of the output columns ("" for SELECT * columns, whose names come
// from the data).
func (q *Query) Columns() []string {
	out := make([]string, len(q.pl.cols))
	for i, c := range q.pl.cols {
		out[i] = c.name
	}
	return out
}

// Explain describes the plan, one step per line, the output first.
func (q *Query) Explain() string {
	e := &explainer{}
	q.pl.root.explain(e)
	return e.sb.String()
}

// Stats returns the counters of the execution so far.
func (q *Query) Stats() *Stats { return q.stats }

// Memory returns the query's memory account.
func (q *Query) Memory() *vm.Memory { return q.p.mem }

// RowWriter receives the output rows of a query, each a struct Value whose MISSING columns are
// already left out. The Value shares memory that is reused after Row returns.
type RowWriter interface {
	Row(v vm.Value) error
}

// Run executes the query, passing each output row to w. For EXPLAIN statements the rows are
// the lines of the plan, as {"plan": line}.
func (q *Query) Run(ctx context.Context, w RowWriter) error {
	if q.explain {
		for _, line := range strings.Split(strings.TrimRight(q.Explain(), "\n"), "\n") {
			if err := w.Row(vm.Struct([]vm.Field{{Name: "plan", Value: vm.String(line)}})); err != nil {
				return err
			}
		}
		return nil
	}
	ex := q.executor(ctx)
	out := &rowOut{cols: q.pl.cols, w: w, stats: q.stats}
	return q.pl.root.run(ex, func(n int) []vm.Op { return repeat(&vm.Locked{Next: out, Workers: n}, n) })
}

// rowOut turns output batches into rows.
type rowOut struct {
	cols  []outCol
	w     RowWriter
	stats *Stats
}

func (r *rowOut) Push(c *vm.Ctx, b *vm.Batch) error {
	var err error
	b.Sel.ForEach(func(i int) {
		if err == nil {
			err = r.w.Row(rowValue(r.cols, b.Vars, i))
			r.stats.RowsOut.Add(1)
		}
	})
	return err
}

func (r *rowOut) Close(c *vm.Ctx) error { return nil }
