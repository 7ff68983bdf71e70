package plan

import (
	"errors"
	"fmt"

	"github.com/sneller-re/sneller/sql"
)

// ErrPlan is wrapped by every error about a query's meaning (unknown function, wrong
// arguments, an aggregate where none is allowed...): the client's mistake, reported as a bad
// request.
var ErrPlan = errors.New("invalid query")

// Error is a planning error at a position of the query text. Err, when set, is the cause
// (a catalog error: a missing table, a refused index), which errors.Is also finds.
type Error struct {
	Pos sql.Pos
	Msg string
	Err error
}

func (e *Error) Error() string {
	if e.Pos.IsValid() {
		return e.Pos.Describe() + ": " + e.Msg
	}
	return e.Msg
}

func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrPlan, e.Err}
	}
	return []error{ErrPlan}
}

// wrapf is errorf keeping err as the cause.
func wrapf(n sql.Node, err error, format string, args ...any) error {
	e := errorf(n, format, args...).(*Error)
	e.Err = err
	return e
}

func errorf(n sql.Node, format string, args ...any) error {
	var pos sql.Pos
	if n != nil {
		pos = n.Position()
	}
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
