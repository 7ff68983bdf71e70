package ingest

import (
	"bytes"
	"io"
)

// csvChunker cuts CSV or TSV text into chunks of whole records. A record ends at a newline
// outside quotes; for CSV it tracks the parity of quotes, which is exact for well-formed text
// (quotes only open, close or double inside quoted fields) and, for malformed text, still
// leaves the fault inside the first chunk it could affect, where the parser reports it. It
// also drops the records the hints say to skip, so that line numbers stay those of the text.
type csvChunker struct {
	chunkReader
	quoted   bool // CSV: quotes delimit fields
	pos      int  // next byte to scan
	inQuote  bool
	recStart int // start of the current record
	skip     int // records still to skip
	dropTo   int // end of the skipped records in buf
	pending  error
}

func newCSVChunker(r io.Reader, pool *bufPool, maxRow int, quoted bool, skip int) *csvChunker {
	c := &csvChunker{quoted: quoted, skip: skip}
	c.init(r, pool, maxRow)
	return c
}

func (c *csvChunker) next() (*chunk, error) {
	for {
		if c.pending != nil {
			return nil, c.pending
		}
		c.scan()
		if c.dropTo > 0 {
			c.emit(c.dropTo, false)
			c.dropTo = 0
		}
		if c.eof && c.pos == len(c.buf) {
			cut := len(c.buf)
			c.pending = io.EOF
			if c.err != nil {
				c.pending = c.err
				cut = c.recStart // not the record the read error cut short
			}
			if c.skip > 0 {
				cut = 0 // the text ended within the records to skip
			}
			if ch := c.emit(cut, cut > 0); ch != nil {
				ch.last = c.pending == io.EOF
				return ch, nil
			}
			continue
		}
		if len(c.buf) < cap(c.buf) {
			c.fill()
			continue
		}
		if c.recStart == 0 {
			if err := c.grow(0); err != nil {
				c.pending = err
			}
			continue
		}
		if ch := c.emit(c.recStart, c.skip == 0); ch != nil {
			return ch, nil
		}
	}
}

// emit hands out buf[:cut] and shifts the scanner's offsets.
func (c *csvChunker) emit(cut int, hasRows bool) *chunk {
	ch := c.take(cut, nil, hasRows)
	c.pos -= cut
	c.recStart -= cut
	return ch
}

// scan advances c.pos to the end of the buffer, noting where records end.
func (c *csvChunker) scan() {
	buf := c.buf
	i := c.pos
	for i < len(buf) {
		if c.inQuote {
			q := bytes.IndexByte(buf[i:], '"')
			if q < 0 {
				i = len(buf)
				break
			}
			i += q + 1
			c.inQuote = false
			continue
		}
		if c.skip == 0 && (!c.quoted || bytes.IndexByte(buf[i:], '"') < 0) {
			// no quote ahead: the last newline ends the last whole record
			if k := bytes.LastIndexByte(buf[i:], '\n'); k >= 0 {
				c.recStart = i + k + 1
			}
			i = len(buf)
			break
		}
		n := bytes.IndexByte(buf[i:], '\n')
		seg := buf[i:]
		if n >= 0 {
			seg = seg[:n]
		}
		if c.quoted {
			if q := bytes.IndexByte(seg, '"'); q >= 0 {
				i += q + 1
				c.inQuote = true
				continue
			}
		}
		if n < 0 {
			i = len(buf)
			break
		}
		end := i + n + 1
		if c.skip > 0 {
			if rec := buf[c.recStart:end]; !(len(rec) == 1 || len(rec) == 2 && rec[0] == '\r') {
				c.skip--
			}
			c.dropTo = end
		}
		c.recStart = end
		i = end
	}
	c.pos = i
}
