package ingest

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/sneller-re/sneller/ion"
)

var errClosed = errors.New("ingest: Next after Close")

// DecoderOptions tune a Decoder; the zero value gives the defaults.
type DecoderOptions struct {
	// ChunkBytes is how much text the decoder reads at a time (default 1 MiB).
	ChunkBytes int
	// MaxRowBytes bounds the text of one row (default DefaultMaxRowBytes); a longer row is
	// an error wrapping ErrRowTooLarge. The decoder's memory is about ChunkBytes plus twice
	// the longest row.
	MaxRowBytes int
}

// Decoder reads the rows of one input: it decompresses the input by its format, cuts the text
// into rows and converts each to an Ion struct by the format's rules and the hints.
type Decoder struct {
	rc   io.ReadCloser // the decompressed text
	ck   chunker
	rows rowDecoder
	st   *ion.Symtab
	ch   *chunk
	err  error
}

// NewDecoder returns a decoder of the input r in the given format (one of [Formats]) with its
// hints (raw JSON from definition.json; nil or null for none), interning field names in st.
// It fails for an unknown format or invalid hints, and for a compressed input whose header is
// malformed.
func NewDecoder(format string, r io.Reader, hints json.RawMessage, st *ion.Symtab) (*Decoder, error) {
	return NewDecoderOptions(format, r, hints, st, DecoderOptions{})
}

// NewDecoderOptions is NewDecoder with options.
func NewDecoderOptions(format string, r io.Reader, hints json.RawMessage, st *ion.Symtab, opt DecoderOptions) (*Decoder, error) {
	if opt.ChunkBytes <= 0 {
		opt.ChunkBytes = 1 << 20
	}
	chunkBytes, maxRow, err := sizes(opt.ChunkBytes, opt.MaxRowBytes)
	if err != nil {
		return nil, err
	}
	s, err := compile(format, hints)
	if err != nil {
		return nil, err
	}
	return newDecoder(s, r, st, chunkBytes, maxRow)
}

func newDecoder(s *spec, r io.Reader, st *ion.Symtab, chunkBytes, maxRow int) (*Decoder, error) {
	rc, err := decompress(s.format.Compression, r)
	if err != nil {
		return nil, err
	}
	return &Decoder{rc: rc, ck: s.newChunker(rc, newBufPool(chunkBytes, 2), maxRow), rows: s.newRows(), st: st}, nil
}

// Next appends the next row, an Ion struct whose symbols are in the decoder's symbol table,
// to dst. It returns io.EOF after the last row. A fault in the input is a *RowError naming
// its line (and column, and field where that applies); errors of the underlying reader and of
// decompression are returned as they are (ErrCorruptCompression for malformed compressed data).
// After an error, Next keeps returning it.
func (d *Decoder) Next(dst *ion.Buffer) error {
	if d.err != nil {
		return d.err
	}
	for {
		if d.ch != nil {
			err := d.rows.next(dst)
			if err == nil {
				return nil
			}
			d.ch.release()
			d.ch = nil
			if err != io.EOF {
				d.err = err
				return err
			}
		}
		ch, err := d.ck.next()
		if err != nil {
			d.err = err
			return err
		}
		d.ch = ch
		d.rows.reset(ch, d.st)
	}
}

// Close releases the decoder's resources (it does not close the reader it was given).
func (d *Decoder) Close() error {
	if d.ch != nil {
		d.ch.release()
		d.ch = nil
	}
	if d.err == nil {
		d.err = errClosed
	}
	return d.rc.Close()
}
