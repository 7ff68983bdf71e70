package sql

import "errors"

// ErrSyntax is the sentinel every parse error wraps: errors.Is(err, ErrSyntax) tells a caller
// that the SQL text itself is at fault (an HTTP server answers 400).
var ErrSyntax = errors.New("sql syntax error")

// Error is a lexical or syntax error at a position of the SQL text.
type Error struct {
	Pos Pos    // where the offending token starts
	Msg string // what is wrong, naming the token and, where useful, what was expected
}

// Error formats the error as `line 3, column 14: unexpected ")" (expected expression)`.
func (e *Error) Error() string {
	return e.Pos.Describe() + ": " + e.Msg
}

// Unwrap returns ErrSyntax so that errors.Is(err, ErrSyntax) holds for every *Error.
func (e *Error) Unwrap() error { return ErrSyntax }
