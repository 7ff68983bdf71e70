package ingest

import (
	"context"
	"io"
	"math"
	"sync"
)

// feed starts a reader for each input to read, Readers at a time, then closes the task queue
// once the collector closes todo (every input has finished).
func (c *converter) feed(ctx context.Context) {
	var readers sync.WaitGroup
	sem := make(chan struct{}, c.opt.Readers)
	for st := range c.todo {
		if st.compileErr != nil {
			c.msgs <- msg{kind: mReadDone, st: st, err: st.compileErr}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			c.msgs <- msg{kind: mReadDone, st: st, err: ctx.Err()}
			continue
		}
		readers.Add(1)
		go func() {
			defer readers.Done()
			defer func() { <-sem }()
			c.read(ctx, st)
		}()
	}
	readers.Wait()
	c.queue.close()
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// read opens an input, cuts its text into chunks and queues them for the workers.
func (c *converter) read(ctx context.Context, st *inputState) {
	var n int64
	var src *sourceReader
	var text *countReader
	err := func() error {
		rc, err := st.in.Open(ctx)
		if err != nil {
			return &sourceError{err: err}
		}
		defer rc.Close()
		src = &sourceReader{r: rc, count: func(n int64) { c.srcBytes.Add(n) }}
		dr, err := decompress(st.spec.format.Compression, src)
		if err != nil {
			return err
		}
		defer dr.Close()
		text = &countReader{r: dr}
		var ck chunker
		if st.exact {
			ck = st.spec.newChunker(text, c.pool, c.maxRow)
		} else {
			ck = newLineChunker(text, c.pool, c.maxRow)
		}
		for {
			if st.firstBad.Load() != math.MaxInt64 {
				return nil // a worker found a fault: the rest does not matter
			}
			ch, err := ck.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := c.queue.put(ctx, st, ch); err != nil {
				ch.release()
				return err
			}
			n++
		}
	}()
	m := msg{kind: mReadDone, st: st, seq: n, err: err}
	if src != nil {
		m.src = src.n
	}
	if text != nil {
		m.text = text.n
	}
	c.msgs <- m
}
