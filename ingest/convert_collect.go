package ingest

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/sneller-re/sneller/pack"
)

// collect receives the workers' and readers' messages: it writes blocks to blobs and settles
// inputs and blobs as they finish.
func (c *converter) collect(ctx context.Context) {
	for m := range c.msgs {
		if c.fatal == nil && ctx.Err() != nil {
			c.fail(ctx.Err())
		}
		switch m.kind {
		case mBlock:
			for _, st := range m.release {
				st.holds--
			}
			if m.err != nil {
				c.fail(m.err)
			} else if c.fatal == nil {
				c.block(ctx, m.inputs, m.blk)
			}
			for _, st := range m.inputs {
				c.check(ctx, st)
			}
		case mChunkDone:
			st := m.st
			st.done++
			st.holds += m.hold
			st.rows += m.rows
			if m.err != nil {
				st.noteErr(m.seq, m.err)
			}
			c.check(ctx, st)
		case mReadDone:
			st := m.st
			st.chunks = int(m.seq)
			st.src, st.text = m.src, m.text
			if m.err != nil {
				st.noteErr(m.seq, m.err)
			}
			c.check(ctx, st)
		}
	}
	// every input has finished: close the blobs still open
	if c.cur != nil {
		c.cur.sealed = true
		c.cur = nil
	}
	for _, b := range c.blobs {
		c.closeBlob(ctx, b)
	}
}

// block writes a finished block holding rows of inputs, unless it is the block of one input
// already known to be at fault (the rest of whose rows are skipped). A block shared by checked
// small inputs cannot hold rows of an input at fault.
func (c *converter) block(ctx context.Context, inputs []*inputState, blk *pack.EncodedBlock) {
	if len(inputs) == 1 && inputs[0].err != nil {
		return
	}
	for _, st := range inputs {
		if st.err != nil {
			c.fail(fmt.Errorf("ingest: internal error: a shared block holds rows of %s, which failed: %w", st.in.Name, st.err))
			return
		}
	}
	c.writeBlock(ctx, inputs, blk)
}

// check settles, finishes or drains an input after a message about it.
func (c *converter) check(ctx context.Context, st *inputState) {
	if st.finished || st.chunks < 0 || st.done != st.chunks {
		return
	}
	if st.err == nil && !st.settled {
		st.settled = true
		c.settle()
	}
	if st.holds == 0 {
		c.finish(ctx, st)
	} else if !st.drained.Load() {
		st.drained.Store(true)
		c.queue.poke()
	}
}

// settle counts a settled input; once all are, no input will be read again.
func (c *converter) settle() {
	c.settled++
	if c.settled == len(c.states) {
		close(c.todo)
	}
}

// noteErr records a fault of the chunk seq (or of reading, after the chunks): the first by
// position wins.
func (st *inputState) noteErr(seq int64, err error) {
	st.markBad(seq)
	if seq < st.errSeq {
		st.errSeq, st.err = seq, err
	}
}

// fail stops the conversion: later blocks are discarded and the readers stop.
func (c *converter) fail(err error) {
	if c.fatal == nil {
		c.fatal = err
		c.cancel()
	}
}

func (c *converter) progress() {
	if c.opt.Progress == nil {
		return
	}
	c.opt.Progress(Progress{Inputs: len(c.states), InputsDone: c.inputsDone, Bytes: c.srcBytes.Load(),
		Rows: c.rowsOut, BlobBytes: c.blobBytes})
}

// retryExact reports whether a fault found while cutting JSON at newlines calls for
// converting the input again with the exact chunker (anything but a failure to read or
// decompress it).
func (st *inputState) retryExact(fatal error) bool {
	if st.exact || st.err == nil || fatal != nil {
		return false
	}
	var se *sourceError
	return !errors.As(st.err, &se) && !errors.Is(st.err, ErrCorruptCompression) &&
		!errors.Is(st.err, context.Canceled) && !errors.Is(st.err, context.DeadlineExceeded)
}

// finish settles an input whose chunks are all done and whose rows are all in blocks.
func (c *converter) finish(ctx context.Context, st *inputState) {
	if st.retryExact(c.fatal) {
		// retract what the speculative pass wrote and read the input again
		for _, bb := range st.blobs {
			bb.b.pw.DropBlocks(bb.pos)
			bb.b.live -= len(bb.pos)
			bb.b.open--
			c.closeBlob(ctx, bb.b)
		}
		c.retried++
		st.exact = true
		st.chunks, st.done, st.holds, st.rows, st.src, st.text = -1, 0, 0, 0, 0, 0
		st.errSeq, st.err, st.blobs = math.MaxInt64, nil, nil
		st.firstBad.Store(math.MaxInt64) // workers may look at these two meanwhile
		st.drained.Store(false)
		c.todo <- st
		return
	}
	st.finished = true
	c.inputsDone++
	if !st.settled {
		st.settled = true
		c.settle()
	}
	r := InputResult{Name: st.in.Name, Bytes: st.src, TextBytes: st.text}
	switch {
	case st.err == nil && c.fatal == nil:
		r.Status = Accepted
		r.Rows = st.rows
	case st.err == nil:
		r.Status, r.Err = Failed, &InputError{Input: st.in.Name, Err: c.fatal}
	default:
		r.Status = Rejected
		var se *sourceError
		if errors.As(st.err, &se) || errors.Is(st.err, context.Canceled) || errors.Is(st.err, context.DeadlineExceeded) ||
			st.compileErr != nil {
			r.Status = Failed
			if se != nil {
				st.err = se.err
			}
		}
		r.Err = &InputError{Input: st.in.Name, Err: st.err}
	}
	for _, bb := range st.blobs {
		if r.Status == Accepted {
			r.Blobs = append(r.Blobs, bb.b.w.Name())
			bb.b.inputs = append(bb.b.inputs, st.idx)
		} else {
			bb.b.pw.DropBlocks(bb.pos)
			bb.b.live -= len(bb.pos)
		}
		bb.b.open--
		c.closeBlob(ctx, bb.b)
	}
	st.blobs = nil
	st.result = r
	c.progress()
}

// result assembles the outcome once everything has stopped.
func (c *converter) result(ctx context.Context) (*Result, error) {
	res := &Result{Inputs: make([]InputResult, len(c.states)), retried: c.retried}
	for i, st := range c.states {
		if !st.finished { // only after a fatal error
			st.result = InputResult{Name: st.in.Name, Status: Failed, Err: &InputError{Input: st.in.Name, Err: c.fatal}}
		}
		if c.fatal != nil && (st.result.Status == Accepted || errors.Is(st.result.Err, context.Canceled)) {
			st.result = InputResult{Name: st.in.Name, Status: Failed, Bytes: st.src, TextBytes: st.text,
				Err: &InputError{Input: st.in.Name, Err: c.fatal}}
		}
		res.Inputs[i] = st.result
	}
	for _, b := range c.blobs {
		if b.info != nil {
			res.Blobs = append(res.Blobs, BlobResult{Name: b.w.Name(), Info: b.info, Inputs: b.inputs})
		}
	}
	if c.fatal != nil {
		return res, c.fatal
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}
