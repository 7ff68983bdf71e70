package ingest

import (
	"context"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/pack"
)

// blobState is an output blob being written.
type blobState struct {
	w      BlobWriter
	cw     countWriter
	pw     *pack.Writer
	blocks int // blocks written
	live   int // blocks not retracted
	open   int // unfinished inputs with blocks here
	sealed bool
	closed bool
	info   *pack.Info // once committed
	inputs []int      // the accepted inputs with rows here
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeBlock appends a block holding rows of inputs to the current blob.
func (c *converter) writeBlock(ctx context.Context, inputs []*inputState, blk *pack.EncodedBlock) {
	b := c.cur
	if b == nil {
		w, err := c.sink.Create(ctx)
		if err != nil {
			c.fail(fmt.Errorf("creating a blob: %w", err))
			return
		}
		b = &blobState{w: w}
		b.cw.w = w
		b.pw = pack.NewWriter(&b.cw)
		c.cur = b
		c.blobs = append(c.blobs, b)
	}
	before := b.cw.n
	if err := b.pw.WriteBlock(blk); err != nil {
		c.fail(fmt.Errorf("writing blob %s: %w", b.w.Name(), err))
		return
	}
	c.blobBytes += b.cw.n - before
	c.rowsOut += int64(blk.Rows)
	for _, st := range inputs {
		k := len(st.blobs) - 1
		if k < 0 || st.blobs[k].b != b {
			st.blobs = append(st.blobs, blobBlocks{b: b})
			k++
			b.open++
		}
		st.blobs[k].pos = append(st.blobs[k].pos, b.blocks)
	}
	b.blocks++
	b.live++
	if b.cw.n >= c.opt.BlobBytes {
		b.sealed = true
		c.cur = nil
	}
	c.progress()
}

// closeBlob commits (or aborts) a sealed blob once no unfinished input has blocks in it.
func (c *converter) closeBlob(ctx context.Context, b *blobState) {
	if b.closed || !b.sealed || b.open > 0 {
		return
	}
	b.closed = true
	if c.fatal != nil || b.live == 0 {
		b.w.Abort()
		return
	}
	info, err := b.pw.Close()
	if err != nil {
		b.w.Abort()
		c.fail(fmt.Errorf("writing blob %s: %w", b.w.Name(), err))
		return
	}
	if err := b.w.Commit(ctx, info); err != nil {
		c.fail(fmt.Errorf("committing blob %s: %w", b.w.Name(), err))
		return
	}
	b.info = info
}
