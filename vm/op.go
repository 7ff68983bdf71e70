package vm

import (
	"errors"
	"sync"
)

// Op is a push-based operator: batches flow in through Push, and Close marks the end of the
// input (operators that buffer, like sorts and aggregations, emit there). An Op instance is
// used by one goroutine at a time.
type Op interface {
	Push(c *Ctx, b *Batch) error
	Close(c *Ctx) error
}

// ErrDone is returned by an operator that needs no more input (a LIMIT that is satisfied);
// producers stop early and treat it as success.
var ErrDone = errors.New("no more input needed")

// Filter passes on the rows for which Pred is TRUE.
type Filter struct {
	Pred Expr
	Next Op
}

func (f *Filter) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	v, err := f.Pred.Eval(c, b, b.Sel)
	if err != nil {
		return err
	}
	sel := trueRows(v, b.Sel, b.N)
	c.Release(m)
	if !sel.Any() {
		return nil
	}
	return f.Next.Push(c, &Batch{N: b.N, Vars: b.Vars, Sel: sel, Base: b.Base})
}

func (f *Filter) Close(c *Ctx) error { return f.Next.Close(c) }

// Project evaluates expressions into the variables of a new batch: Vars[i] = Exprs[i]. Keep
// lists slots of the input batch to carry along unchanged after the computed ones.
type Project struct {
	Exprs []Expr
	Keep  []int
	Next  Op
}

func (p *Project) Push(c *Ctx, b *Batch) error {
	m := c.Mark()
	vars := make([]*Vec, 0, len(p.Exprs)+len(p.Keep))
	for _, e := range p.Exprs {
		v, err := e.Eval(c, b, b.Sel)
		if err != nil {
			return err
		}
		vars = append(vars, v)
	}
	for _, k := range p.Keep {
		vars = append(vars, b.Vars[k])
	}
	err := p.Next.Push(c, &Batch{N: b.N, Vars: vars, Sel: b.Sel, Base: b.Base})
	c.Release(m)
	return err
}

func (p *Project) Close(c *Ctx) error { return p.Next.Close(c) }

// Limit passes on at most N rows after skipping Offset rows, then reports ErrDone.
type Limit struct {
	N, Offset int64
	Next      Op
	seen      int64
}

func (l *Limit) Push(c *Ctx, b *Batch) error {
	if l.seen >= l.Offset+l.N {
		return ErrDone
	}
	sel := b.Sel.Clone()
	sel.ForEach(func(i int) {
		if l.seen < l.Offset || l.seen >= l.Offset+l.N {
			sel.Clear(i)
		}
		l.seen++
	})
	if l.seen > l.Offset+l.N {
		l.seen = l.Offset + l.N
	}
	if sel.Any() {
		if err := l.Next.Push(c, &Batch{N: b.N, Vars: b.Vars, Sel: sel, Base: b.Base}); err != nil {
			return err
		}
	}
	if l.seen >= l.Offset+l.N {
		return ErrDone
	}
	return nil
}

func (l *Limit) Close(c *Ctx) error { return l.Next.Close(c) }

// Locked serialises the pushes of several workers into one downstream operator and closes it
// once, after the last of them closes.
type Locked struct {
	mu      sync.Mutex
	Next    Op
	Workers int
	closed  int
	done    bool
}

func (l *Locked) Push(c *Ctx, b *Batch) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return ErrDone
	}
	err := l.Next.Push(c, b)
	if err == ErrDone {
		l.done = true
	}
	return err
}

func (l *Locked) Close(c *Ctx) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed++
	if l.closed == l.Workers {
		return l.Next.Close(c)
	}
	return nil
}
