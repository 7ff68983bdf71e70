package ion

import "strconv"

// JSONError describes malformed or unloadable JSON input: where it is and what is wrong.
type JSONError struct {
	Line   int   // 1-based line of the fault
	Column int   // 1-based column of the fault, in bytes
	Offset int64 // byte offset of the fault from the start of the input
	Msg    string
	Err    error // ErrSyntax, ErrTooDeep, ErrTooLarge or ErrInvalid (bad UTF-8)
}

func (e *JSONError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Msg
}

// Unwrap returns the sentinel error.
func (e *JSONError) Unwrap() error { return e.Err }
