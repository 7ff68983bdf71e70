package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/pack"
)

// worker decodes chunks into rows and packs them into blocks, in one of two ways:
//
//   - A chunk of a large input (one cut into several chunks) goes into a block holding rows of
//     that input only, so that a fault found later can retract the input's blocks without
//     touching other inputs. The worker keeps the unfinished block across chunks of the same
//     input (the queue gives it those first) and finishes it when it turns to another input,
//     when the collector says the input has no chunks left, or when the work ends.
//   - A small input (the whole of it in one chunk) is decoded once to check it, and only if it
//     has no fault decoded again into a block shared with other checked small inputs: many
//     small inputs still make full blocks, and none of them can be retracted later.
type worker struct {
	c      *converter
	b      *pack.BlockBuilder
	cur    *inputState   // the large input the worker is on (the queue prefers its chunks)
	excl   bool          // b holds rows of cur only
	held   bool          // (excl) the collector was told that b holds rows of cur
	shared []*inputState // (!excl) checked small inputs with rows in b, told to the collector
	adding *inputState   // (!excl) the small input being added
	inB    bool          // (!excl) b holds rows of adding
	buf    ion.Buffer
	fbuf   ion.Buffer // a row with its input's constant fields set
	check  ion.Symtab // the symbol table of the checking pass
	decs   map[*spec]rowDecoder
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
			if w.excl && w.cur.drained.Load() {
				w.flush()
			}
			continue
		}
		if t.ch.seq == 0 && t.ch.last {
			w.small(ctx, t)
			continue
		}
		if !w.excl || t.st != w.cur {
			w.flush()
			w.cur, w.excl = t.st, true
		}
		w.chunk(ctx, t)
	}
}

func (w *worker) decoder(s *spec) rowDecoder {
	dec := w.decs[s]
	if dec == nil {
		dec = s.newRows()
		w.decs[s] = dec
	}
	return dec
}

// flush finishes the unfinished block, if any, and sends it.
func (w *worker) flush() {
	if w.b.Rows() > 0 {
		w.send()
	}
}

// send finishes the block and sends it to the collector with the inputs whose rows it holds.
func (w *worker) send() {
	m := msg{kind: mBlock}
	if w.excl {
		m.inputs = []*inputState{w.cur}
		if w.held {
			m.release = m.inputs
			w.held = false
		}
	} else {
		m.release = append([]*inputState(nil), w.shared...)
		m.inputs = m.release
		if w.inB {
			m.inputs = append(m.release[:len(m.release):len(m.release)], w.adding)
			w.inB = false
		}
		w.shared = w.shared[:0]
	}
	blk, err := w.b.Finish()
	if err != nil {
		// not expected for rows Add accepted: stop the conversion rather than lose rows
		m.err = fmt.Errorf("ingest: internal error: finishing a block: %w", err)
	}
	m.blk = blk
	w.c.msgs <- m
}

// row returns the row just decoded into w.buf, with the input's constant fields set if it has
// any (a row is a struct once decoded, so setting them cannot fail; if it did, pack would
// refuse the row).
func (w *worker) row(st *inputState) []byte {
	if st.fields == nil {
		return w.buf.Bytes()
	}
	row, err := st.fields.apply(&w.fbuf, w.buf.Bytes(), w.b.Symtab())
	if err != nil {
		return nil
	}
	return row
}

// pack adds the rows dec decodes (it was reset to a chunk of st, with the builder's symbol
// table) to the block, sending the block whenever it is full, and counts them in rows. It
// returns the error that ended the rows: io.EOF at the end of the chunk.
func (w *worker) pack(dec rowDecoder, st *inputState, rows *int64) error {
	b := w.b
	for {
		w.buf.Reset()
		if err := dec.next(&w.buf); err != nil {
			return err
		}
		if err := b.Add(w.row(st), b.Symtab()); err != nil {
			return dec.fault(err)
		}
		w.inB = !w.excl // (shared block) it holds rows of w.adding
		*rows++
		if b.Full() {
			w.send()
		}
	}
}

// chunk decodes and packs the rows of one chunk of a large input into the exclusive block.
func (w *worker) chunk(ctx context.Context, t task) {
	st, ch := t.st, t.ch
	defer ch.release()
	done := msg{kind: mChunkDone, st: st, seq: int64(ch.seq)}
	if int64(ch.seq) > st.firstBad.Load() || ctx.Err() != nil {
		w.c.msgs <- done // skipped: a fault before it decides the input's fate
		return
	}
	dec := w.decoder(st.spec)
	b := w.b
	dec.reset(ch, b.Symtab())
	if err := w.pack(dec, st, &done.rows); err != io.EOF {
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

// small checks a small input (all of it in one chunk) and packs its rows into the shared
// block.
func (w *worker) small(ctx context.Context, t task) {
	st, ch := t.st, t.ch
	defer ch.release()
	done := msg{kind: mChunkDone, st: st, seq: 0}
	if st.firstBad.Load() < 0 || ctx.Err() != nil {
		w.c.msgs <- done
		return
	}
	if w.excl {
		w.flush()
		w.excl = false
	}
	w.cur = nil
	dec := w.decoder(st.spec)
	// the checking pass
	w.check.Reset()
	dec.reset(ch, &w.check)
	var err error
	for {
		w.buf.Reset()
		if err = dec.next(&w.buf); err != nil {
			break
		}
	}
	if err != io.EOF {
		st.markBad(0)
		done.err = err
		w.c.msgs <- done
		return
	}
	// the packing pass
	b := w.b
	dec.reset(ch, b.Symtab())
	w.adding, w.inB = st, false
	if err := w.pack(dec, st, &done.rows); err != io.EOF {
		// not expected after the checking pass (pack refuses only malformed Ion): the shared
		// block mixes rows of st with rows of other inputs, so stop the conversion
		b.Reset()
		w.c.msgs <- msg{kind: mBlock, release: append([]*inputState(nil), w.shared...),
			err: fmt.Errorf("ingest: internal error: %s: packing a checked row: %w", st.in.Name, err)}
		w.shared = w.shared[:0]
		w.adding, w.inB = nil, false
		w.c.msgs <- done
		return
	}
	if w.inB {
		done.hold = +1
		w.shared = append(w.shared, st)
	}
	w.adding, w.inB = nil, false
	w.c.msgs <- done
}
