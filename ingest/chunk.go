package ingest

import (
	"bytes"
	"fmt"
	"io"
)

// Default sizes of the chunking of input text.
const (
	// DefaultChunkBytes is the target size of a chunk: the unit of work a converter worker
	// takes, and the read size of a Decoder.
	DefaultChunkBytes = 8 << 20
	// DefaultMaxRowBytes is the longest row (a JSON value or a CSV record, in bytes of text)
	// accepted. Memory use grows with it, never with the size of an input.
	DefaultMaxRowBytes = 64 << 20
)

// chunk is a run of complete rows of one input's decompressed text, which a row decoder turns
// into rows independently of the other chunks. JSON chunks hold a whitespace-separated
// sequence of objects: the chunker blanks the punctuation of top-level arrays and of the
// cloudtrail wrapper, keeping newlines, so that positions in a chunk are positions in the
// text.
type chunk struct {
	data   []byte
	rows   []int32 // offsets in data where each row starts (JSON); nil for CSV and TSV
	seq    int     // position among the input's chunks, from 0
	last   bool    // no chunk of the input follows
	line   int     // line of data[0], from 1
	col    int     // column of data[0], from 1
	offset int64   // offset of data[0] in the decompressed text
	pool   *bufPool
}

// release returns the chunk's memory to its pool; the chunk must not be used afterwards.
func (c *chunk) release() {
	if c.pool != nil {
		c.pool.put(c.data)
		c.data, c.pool = nil, nil
	}
}

// position returns the line, column and offset of data[i].
func (c *chunk) position(i int) (line, col int, off int64) {
	if i > len(c.data) {
		i = len(c.data)
	}
	before := c.data[:i]
	n := bytes.Count(before, nl)
	if n == 0 {
		return c.line, c.col + i, c.offset + int64(i)
	}
	return c.line + n, i - bytes.LastIndexByte(before, '\n'), c.offset + int64(i)
}

var nl = []byte{'\n'}

// bufPool recycles chunk buffers of one size. It keeps up to a fixed number of free buffers
// (unlike sync.Pool, whose contents each garbage collection drops): a conversion needs about as
// many as it has chunks in flight.
type bufPool struct {
	size int
	free chan []byte
}

func newBufPool(size, keep int) *bufPool { return &bufPool{size: size, free: make(chan []byte, keep)} }

func (p *bufPool) get() []byte {
	select {
	case b := <-p.free:
		return b[:0]
	default:
		return make([]byte, 0, p.size)
	}
}

func (p *bufPool) put(b []byte) {
	if cap(b) != p.size {
		return
	}
	select {
	case p.free <- b[:0]:
	default:
	}
}

// chunker cuts an input's text into chunks.
type chunker interface {
	// next returns the next chunk, or io.EOF after the last. A fault in the text is a
	// *RowError; it comes after the chunks holding the rows before it.
	next() (*chunk, error)
}

// chunkReader is the buffer management the chunkers share: it reads the text into a buffer of
// about the chunk size, lets the chunker scan it, hands out a scanned prefix of complete rows
// as a chunk and carries the rest over into the next buffer.
type chunkReader struct {
	r      io.Reader
	pool   *bufPool
	maxRow int

	buf []byte // the text from line/col/offset on; the chunker has scanned some prefix of it
	eof bool
	err error // read error, reported after the text before it

	seq    int
	line   int
	col    int
	offset int64
	// noLines skips counting lines: the speculative line chunker never reports positions
	// (a fault sends the input to the exact chunker).
	noLines bool
}

func (c *chunkReader) init(r io.Reader, pool *bufPool, maxRow int) {
	c.r, c.pool, c.maxRow = r, pool, maxRow
	c.buf = pool.get()
	c.line, c.col = 1, 1
}

// fill reads until the buffer is full or the text ends. It reports whether it read anything.
func (c *chunkReader) fill() bool {
	start := len(c.buf)
	for len(c.buf) < cap(c.buf) && !c.eof {
		n, err := c.r.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil {
			c.eof = true
			if err != io.EOF {
				c.err = err
			}
		}
	}
	return len(c.buf) > start
}

// grow makes room for more text when the row starting at buf[rowStart] fills the whole
// buffer; it fails when the row is already maxRow bytes long.
func (c *chunkReader) grow(rowStart int) error {
	if len(c.buf)-rowStart >= c.maxRow {
		line, col, off := c.position(rowStart)
		return &RowError{Line: line, Column: col, Offset: off,
			Err: fmt.Errorf("%w: a row longer than %d bytes", ErrRowTooLarge, c.maxRow)}
	}
	n := 2 * cap(c.buf)
	if n > c.maxRow+c.pool.size {
		n = c.maxRow + c.pool.size
	}
	nb := make([]byte, len(c.buf), n)
	copy(nb, c.buf)
	c.pool.put(c.buf)
	c.buf = nb
	return nil
}

// position returns the line, column and offset of buf[i].
func (c *chunkReader) position(i int) (int, int, int64) {
	ch := chunk{data: c.buf, line: c.line, col: c.col, offset: c.offset}
	return ch.position(i)
}

// errorAt builds a *RowError for a fault at buf[i].
func (c *chunkReader) errorAt(i int, err error) error {
	line, col, off := c.position(i)
	return &RowError{Line: line, Column: col, Offset: off, Err: err}
}

// take hands out buf[:cut] as a chunk (nil when it holds no row) and moves the rest into a
// fresh buffer. rows are the offsets of the rows in buf[:cut].
func (c *chunkReader) take(cut int, rows []int32, hasRows bool) *chunk {
	var ch *chunk
	if hasRows {
		ch = &chunk{data: c.buf[:cut], rows: rows, seq: c.seq, line: c.line, col: c.col, offset: c.offset, pool: c.pool}
		c.seq++
	}
	// advance the position past buf[:cut]
	if c.noLines {
		c.offset += int64(cut)
	} else {
		c.line, c.col, c.offset = c.position(cut)
	}
	rest := c.buf[cut:]
	if len(rest) == 0 && c.eof {
		// nothing more will come: do not take a buffer from the pool only to drop it
		if ch == nil {
			c.pool.put(c.buf)
		}
		c.buf = nil
		return ch
	}
	var nb []byte
	if len(rest) > c.pool.size/2 {
		nb = make([]byte, 0, 2*len(rest)+c.pool.size/2)
	} else {
		nb = c.pool.get()
	}
	nb = append(nb, rest...)
	if ch == nil {
		c.pool.put(c.buf)
	}
	c.buf = nb
	return ch
}
