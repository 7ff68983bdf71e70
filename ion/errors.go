package ion

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors that callers test with errors.Is. Errors returned by this package wrap one of
// them inside a *SyntaxError (binary input) or a *JSONError (JSON input).
var (
	// ErrTruncated reports input that ends inside a value.
	ErrTruncated = errors.New("ion: truncated input")
	// ErrInvalid reports bytes that are not a valid Ion 1.0 binary encoding.
	ErrInvalid = errors.New("ion: invalid encoding")
	// ErrType reports a value of another type than the caller asked for.
	ErrType = errors.New("ion: unexpected type")
	// ErrNull reports a typed null where the caller asked for a value.
	ErrNull = errors.New("ion: null value")
	// ErrRange reports a value that does not fit the requested Go type (for example an int
	// beyond int64 read with ReadInt).
	ErrRange = errors.New("ion: value out of range")
	// ErrSymbol reports a symbol ID that the symbol table in force does not define.
	ErrSymbol = errors.New("ion: symbol not in symbol table")
	// ErrTooDeep reports nesting beyond the package's depth limit.
	ErrTooDeep = errors.New("ion: nesting too deep")
	// ErrTooLarge reports a scalar or row beyond a size limit.
	ErrTooLarge = errors.New("ion: value too large")
	// ErrSyntax reports malformed JSON text.
	ErrSyntax = errors.New("ion: invalid JSON")
)

// MaxDepth is the deepest container nesting (annotation wrappers included) the binary readers
// of this package accept; deeper values are rejected with ErrTooDeep. It bounds recursion on
// untrusted input.
const MaxDepth = 128

// MaxJSONDepth is the deepest nesting of arrays and objects the JSON reader accepts.
const MaxJSONDepth = 64

// SyntaxError describes malformed binary Ion: where it is, relative to the start of the bytes
// the failing function was given, and what is wrong.
type SyntaxError struct {
	Offset int64  // byte offset of the fault
	Msg    string // what is wrong
	Err    error  // the sentinel (ErrTruncated, ErrInvalid, ...)
}

func (e *SyntaxError) Error() string {
	return "offset " + strconv.FormatInt(e.Offset, 10) + ": " + e.Msg
}

// Unwrap returns the sentinel error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// AddOffset returns err with base added to its offset if it is (or wraps) a *SyntaxError, so a
// caller can express an error from a sub-slice relative to its own input. Other errors are
// returned unchanged.
func AddOffset(err error, base int64) error {
	var se *SyntaxError
	if base == 0 || !errors.As(err, &se) {
		return err
	}
	c := *se
	c.Offset += base
	return &c
}

// shift adds n to the offset of an error this package just created (and so owns).
func shift(err error, n int) error {
	if se, ok := err.(*SyntaxError); ok {
		se.Offset += int64(n)
	}
	return err
}

func errf(off int, kind error, format string, args ...any) error {
	return &SyntaxError{Offset: int64(off), Msg: fmt.Sprintf(format, args...), Err: kind}
}

func errTrunc(off int, what string) error {
	return &SyntaxError{Offset: int64(off), Msg: what + ": unexpected end of input", Err: ErrTruncated}
}
