package vm

import (
	"context"
)

// Batch is a set of rows flowing between operators: N rows, the bound variables as columns
// (slots are assigned by the planner: the table row, unnested elements, projected columns...),
// and the selection of rows still alive. Sel is never nil: operators pass a full bitmap for
// "every row".
type Batch struct {
	N    int
	Vars []*Vec
	Sel  Bitmap
	// Base orders rows across batches: the input position of row 0 (a scan uses
	// block<<32), so that ties in a sort keep input order whatever the workers' schedule.
	Base int64
}

// Ctx is the per-worker evaluation context: scratch vectors reused across batches, the
// query's memory account and constants fixed at plan time. A Ctx is used by one goroutine.
type Ctx struct {
	Context context.Context
	Mem     *Memory
	// Now is UTCNOW() for the whole query, in Unix microseconds.
	Now int64
	// Params are the values of the outer row for a correlated subquery.
	Params []Value

	scratch []*Vec
	used    int
}

// NewCtx returns a context for one worker.
func NewCtx(ctx context.Context, mem *Memory, now int64) *Ctx {
	return &Ctx{Context: ctx, Mem: mem, Now: now}
}

// Vec returns a scratch vector of n rows, valid until Release.
func (c *Ctx) Vec(n int) *Vec {
	if c.used == len(c.scratch) {
		c.scratch = append(c.scratch, &Vec{})
	}
	v := c.scratch[c.used]
	c.used++
	v.Reset(n)
	return v
}

// Mark returns the current scratch position; Release(m) frees every vector taken since.
func (c *Ctx) Mark() int { return c.used }

// Release frees the scratch vectors taken since the mark m.
func (c *Ctx) Release(m int) { c.used = m }

// Err returns the cancellation error of the query, if any.
func (c *Ctx) Err() error {
	if c.Context == nil {
		return nil
	}
	return c.Context.Err()
}
