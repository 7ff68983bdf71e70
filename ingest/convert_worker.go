package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// worker decodes chunks into rows and packs them into blocks. Its builder only ever holds
// rows of one input; it keeps an unfinished block across chunks of the same input (so that a
// large input makes full blocks) and finishes it when it turns to another input, when the
// collector says the input has no chunks left, or when the work ends.
type worker struct {
	c    *converter
	b    *pack.BlockBuilder
	cur  *inputState // the input whose rows are in b
	held bool        // the collector was told that b holds rows of cur
	buf  ion.Buffer
	fbuf ion.Buffer // a row with its input's constant fields set
	decs map[*spec]rowDecoder
}

func (c *converter) work(ctx context.Context) {
	w := &worker{c: c, b: pack.NewBlockBuilder(c.opt.Block), decs: map[*spec]rowDecoder{}}
	var pokes int64
	for {
		t, poked, ok := c.queue.get(w.cur, &pokes)
		if !ok {
			w.flush()
			return
		}
		if poked {
			// the collector waits for the rows of a drained input: finish the block if they
			// are the ones held here
			if w.cur != nil && w.cur.drained.Load() {
				w.flush()
			}
			continue
		}
		if t.st != w.cur {
			w.flush()
			w.cur = t.st
		}
		w.chunk(ctx, t)
	}
}

// flush finishes the unfinished block, if any, and sends it.
func (w *worker) flush() {
	if w.b.Rows() == 0 {
		return
	}
	w.send()
}

// send finishes the block and sends it to the collector.
func (w *worker) send() {
	m := msg{kind: mBlock, st: w.cur}
	blk, err := w.b.Finish()
	if err != nil {
		// not expected for rows Add accepted; reject the input rather than lose rows silently
		w.cur.markBad(-1)
		m.err = fmt.Errorf("finishing a block: %w", err)
	}
	m.blk = blk
	if w.held {
		m.hold = -1
		w.held = false
	}
	w.c.msgs <- m
}

// chunk decodes and packs the rows of one chunk.
func (w *worker) chunk(ctx context.Context, t task) {
	st, ch := t.st, t.ch
	defer ch.release()
	done := msg{kind: mChunkDone, st: st, seq: int64(ch.seq)}
	if int64(ch.seq) > st.firstBad.Load() || ctx.Err() != nil {
		w.c.msgs <- done // skipped: a fault before it decides the input's fate
		return
	}
	dec := w.decs[st.spec]
	if dec == nil {
		dec = st.spec.newRows()
		w.decs[st.spec] = dec
	}
	b := w.b
	dec.reset(ch, b.Symtab())
	var err error
	for {
		w.buf.Reset()
		if err = dec.next(&w.buf); err != nil {
			break
		}
		row := w.buf.Bytes()
		if st.fields != nil {
			if row, err = st.fields.apply(&w.fbuf, row, b.Symtab()); err != nil {
				err = dec.fault(err)
				break
			}
		}
		if err = b.Add(row, b.Symtab()); err != nil {
			err = dec.fault(err)
			break
		}
		done.rows++
		if b.Full() {
			w.send()
		}
	}
	if err != io.EOF {
		// the input is rejected: drop its rows from the builder
		st.markBad(int64(ch.seq))
		b.Reset()
		done.err = err
		done.rows = 0
		if w.held {
			done.hold = -1
			w.held = false
		}
	} else if b.Rows() > 0 && !w.held {
		done.hold = +1
		w.held = true
	}
	w.c.msgs <- done
}
