package vm

import (
	"fmt"
	"sort"
	"strings"
)

// Func describes a scalar function callable from SQL. Each function lives in its own
// fn_<name>.go file and registers itself in init.
type Func struct {
	// Name is the SQL name, upper case. Aliases register the same Func under other names.
	Name    string
	Aliases []string
	// MinArgs and MaxArgs bound the number of arguments; MaxArgs < 0 means any number.
	MinArgs, MaxArgs int
	// Eval is the generic implementation over boxed arguments; it is required, and it defines
	// the semantics every typed implementation must match. MISSING arguments are passed
	// through: most functions return MISSING for them.
	Eval func(c *Ctx, args []Value) Value
	// Vector is an optional typed implementation over whole vectors, used when it applies; it
	// returns nil to fall back to Eval.
	Vector func(c *Ctx, args []*Vec, sel Bitmap, n int) *Vec
	// Check validates the arguments at plan time: isConst[i] tells whether argument i is a
	// constant, and consts[i] is its value when it is. It returns an error that names the
	// problem (a date part that is not a keyword, a percentile that is not a float literal...).
	Check func(consts []Value, isConst []bool) error
	// Volatile functions are never constant-folded.
	Volatile bool
}

var funcs = map[string]*Func{}

// RegisterFunc adds f to the function table; it panics on a duplicate name (a programming
// error caught by any test).
func RegisterFunc(f *Func) {
	for _, name := range append([]string{f.Name}, f.Aliases...) {
		name = strings.ToUpper(name)
		if _, dup := funcs[name]; dup {
			panic("vm: duplicate function " + name)
		}
		funcs[name] = f
	}
}

// LookupFunc returns the function named name (case-insensitive), or nil.
func LookupFunc(name string) *Func { return funcs[strings.ToUpper(name)] }

// FuncNames lists every registered function name, sorted.
func FuncNames() []string {
	out := make([]string, 0, len(funcs))
	for n := range funcs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CheckArity returns an error when n arguments do not fit f.
func (f *Func) CheckArity(n int) error {
	if n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		switch {
		case f.MinArgs == f.MaxArgs:
			return fmt.Errorf("%s takes %d argument%s, not %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
		case f.MaxArgs < 0:
			return fmt.Errorf("%s takes at least %d argument%s, not %d", f.Name, f.MinArgs, plural(f.MinArgs), n)
		}
		return fmt.Errorf("%s takes %d to %d arguments, not %d", f.Name, f.MinArgs, f.MaxArgs, n)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Call applies a scalar function.
type Call struct {
	Fn   *Func
	Args []Expr
}

func (e *Call) String() string {
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	return e.Fn.Name + "(" + strings.Join(parts, ", ") + ")"
}

func (e *Call) Eval(c *Ctx, b *Batch, sel Bitmap) (*Vec, error) {
	args, err := evalArgs(c, b, sel, e.Args)
	if err != nil {
		return nil, err
	}
	if e.Fn.Vector != nil {
		if out := e.Fn.Vector(c, args, sel, b.N); out != nil {
			return out, nil
		}
	}
	return generic(c, b.N, sel, args, e.Fn.Eval), nil
}
