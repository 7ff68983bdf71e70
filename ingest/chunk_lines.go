package ingest

import (
	"bytes"
	"errors"
	"io"
)

// errNeedExact says that cutting JSON text at newlines did not give chunks of whole rows (or
// that a fault was found while it was assumed they did): the input must be converted again
// with the exact chunker, which also gives the fault's exact position.
var errNeedExact = errors.New("ingest: the text is not newline-delimited rows")

// lineChunker cuts JSON text at the last newline of each buffer, without looking at the
// JSON: the fast path for ND-JSON. It is speculative: a chunk decodes to the rows the whole
// text has only if every chunk before it ended at the top level, between rows. The converter
// checks that (the decoder of a chunk that ends inside a row fails), and on any fault converts
// the input again with the exact jsonChunker.
type lineChunker struct {
	chunkReader
	pending error
}

func newLineChunker(r io.Reader, pool *bufPool, maxRow int) *lineChunker {
	c := &lineChunker{}
	c.init(r, pool, maxRow)
	c.noLines = true
	return c
}

var bom = []byte{0xef, 0xbb, 0xbf}

func (c *lineChunker) next() (*chunk, error) {
	for {
		if c.pending != nil {
			return nil, c.pending
		}
		if !c.eof && len(c.buf) < cap(c.buf) {
			c.fill()
			continue
		}
		var cut int
		if c.eof {
			cut = len(c.buf)
			c.pending = io.EOF
			if c.err != nil {
				c.pending = c.err
				cut = bytes.LastIndexByte(c.buf, '\n') + 1 // not the line the read error cut short
			}
		} else {
			cut = bytes.LastIndexByte(c.buf, '\n') + 1
			if cut == 0 {
				// a line longer than the buffer: a long row, or a top-level array on one line
				if len(c.buf) >= c.maxRow {
					c.pending = errNeedExact
					continue
				}
				c.grow(0)
				continue
			}
		}
		if c.offset > 0 && bytes.HasPrefix(c.buf, bom) {
			// ion.JSONDecoder skips a byte order mark at the start of its text only
			c.pending = errNeedExact
			continue
		}
		if ch := c.take(cut, nil, cut > 0 && hasNonSpace(c.buf[:cut])); ch != nil {
			ch.last = c.pending == io.EOF
			return ch, nil
		}
	}
}

// hasNonSpace reports whether b holds anything but JSON whitespace.
func hasNonSpace(b []byte) bool {
	for _, c := range b {
		if !jsonWS[c] {
			return true
		}
	}
	return false
}
