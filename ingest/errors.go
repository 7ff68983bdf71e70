package ingest

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors for conditions callers test with errors.Is.
var (
	// ErrUnknownFormat is returned for a format name that is not one of [Formats].
	ErrUnknownFormat = errors.New("unknown input format")
	// ErrBadHints is wrapped by every error about the hints of an input: malformed JSON,
	// unknown keys, types or words, conflicting fields.
	ErrBadHints = errors.New("invalid hints")
	// ErrNotObject is wrapped by the error for a row that is not a JSON object (packed blobs
	// hold structs only).
	ErrNotObject = errors.New("a row must be a JSON object")
	// ErrRowTooLarge is wrapped by the error for a row (a JSON value or a CSV record) longer
	// than the decoder's row limit. It bounds the memory a decoder needs whatever its input.
	ErrRowTooLarge = errors.New("row too large")
	// ErrBadValue is wrapped by the error for a value that does not convert to the type its
	// hint asks for (a CSV field "abc" of type int, a JSON string hinted unix_seconds).
	ErrBadValue = errors.New("value does not match its hinted type")
	// ErrSyntax is wrapped by errors about malformed CSV or TSV text and about the structure
	// around JSON rows (a top-level array, a cloudtrail wrapper). Malformed JSON inside a row
	// wraps the ion package's sentinels (ion.ErrSyntax and others) instead.
	ErrSyntax = errors.New("syntax error")
)

// RowError locates a fault in the decompressed text of one input: the line (1-based), the
// column (1-based, in bytes; 0 when unknown), the byte offset from the start of the text, and
// for CSV and TSV, and hinted JSON paths, the field at fault. Err says what is wrong; it wraps
// one of the sentinel errors above or of the ion package.
type RowError struct {
	Line   int
	Column int
	Offset int64
	Field  string
	Err    error
}

func (e *RowError) Error() string {
	var sb strings.Builder
	sb.WriteString("line ")
	sb.WriteString(strconv.Itoa(e.Line))
	if e.Column > 0 {
		sb.WriteString(", column ")
		sb.WriteString(strconv.Itoa(e.Column))
	}
	if e.Field != "" {
		sb.WriteString(", field ")
		sb.WriteString(strconv.Quote(e.Field))
	}
	sb.WriteString(": ")
	sb.WriteString(e.Err.Error())
	return sb.String()
}

// Unwrap returns the cause.
func (e *RowError) Unwrap() error { return e.Err }
