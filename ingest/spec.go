package ingest

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/sneller-re/sneller/ion"
)

// spec is a compiled format and its hints: what the chunkers and row decoders of an input
// need.
type spec struct {
	format Format
	json   *jsonHints
	csv    *csvHints
}

// compile parses and checks a format name and its hints.
func compile(format string, hints json.RawMessage) (*spec, error) {
	f, err := ParseFormat(format)
	if err != nil {
		return nil, err
	}
	s := &spec{format: f}
	switch f.Kind {
	case JSON:
		s.json, err = parseJSONHints(hints)
	case CloudTrail:
		if !isNullHints(hints) {
			err = hintsError("cloudtrail inputs take no hints")
		}
	case CSV, TSV:
		s.csv, err = parseCSVHints(hints, f.Kind == TSV)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// ValidateHints checks the hints of an input of the given format (one of [Formats]), as
// `sdb create` does before storing a definition: malformed JSON, unknown keys, types, formats
// or hint words, conflicting fields and defaults that do not parse as their type are errors
// wrapping [ErrBadHints]; an unknown format wraps [ErrUnknownFormat]. CSV and TSV inputs
// require hints; cloudtrail inputs take none.
func ValidateHints(format string, hints json.RawMessage) error {
	_, err := compile(format, hints)
	return err
}

// rowDecoder turns the text of one chunk into rows.
type rowDecoder interface {
	// reset starts decoding ch, interning field names in st.
	reset(ch *chunk, st *ion.Symtab)
	// next appends the next row (an Ion struct) to dst, or returns io.EOF after the last;
	// faults are *RowError. On error nothing is appended.
	next(dst *ion.Buffer) error
	// fault locates err at the row next returned last.
	fault(err error) error
}

func (s *spec) newChunker(r io.Reader, pool *bufPool, maxRow int) chunker {
	switch s.format.Kind {
	case CSV:
		return newCSVChunker(r, pool, maxRow, true, s.csv.skip)
	case TSV:
		return newCSVChunker(r, pool, maxRow, false, s.csv.skip)
	case CloudTrail:
		return newJSONChunker(r, pool, maxRow, true)
	}
	return newJSONChunker(r, pool, maxRow, false)
}

func (s *spec) newRows() rowDecoder {
	switch s.format.Kind {
	case CSV:
		return newCSVRows(s.csv, true)
	case TSV:
		return newCSVRows(s.csv, false)
	}
	return newJSONRows(s.json)
}

// sizes returns the chunk size and the row limit to use for the options given (0 for the
// defaults).
func sizes(chunkBytes, maxRow int) (int, int, error) {
	if chunkBytes <= 0 {
		chunkBytes = DefaultChunkBytes
	}
	if maxRow <= 0 {
		maxRow = DefaultMaxRowBytes
	}
	if chunkBytes < 4096 {
		chunkBytes = 4096
	}
	if maxRow > 1<<30 || chunkBytes > 1<<30 {
		return 0, 0, fmt.Errorf("ingest: chunk size %d or row limit %d above 1 GiB", chunkBytes, maxRow)
	}
	return chunkBytes, maxRow, nil
}
