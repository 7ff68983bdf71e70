package dbtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/sneller-re/sneller/db"
)

// Sentinel errors of FaultFS.
var (
	// ErrInjected is the default error of a Fault that does not kill.
	ErrInjected = errors.New("injected fault")
	// ErrKilled is returned by the call at which a killing Fault fires and by every later
	// call: the "process" died, as with SIGKILL, and does nothing more.
	ErrKilled = errors.New("killed by fault injection")
)

// Op is a set of FS operations.
type Op uint8

// The operations of an FS.
const (
	OpList Op = 1 << iota
	OpStat
	OpOpen
	OpReadRange
	OpPut
	OpDelete

	// OpWrite is every operation that changes the FS.
	OpWrite = OpPut | OpDelete
	// OpRead is every operation that reads it.
	OpRead = OpList | OpStat | OpOpen | OpReadRange
	// OpAll is every operation.
	OpAll = OpRead | OpWrite
)

var opNames = []string{"list", "stat", "open", "read", "put", "delete"}

// String returns the names of the operations, joined by '|'.
func (o Op) String() string {
	var names []string
	for i, n := range opNames {
		if o&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "|")
}

// Fault is a rule of a FaultFS: it fires at the Nth call that is one of Ops on a path that
// matches Path.
type Fault struct {
	// Ops are the operations counted; zero means OpWrite.
	Ops Op
	// Path is a path.Match pattern the call's path must match ("" matches every path). For
	// List it is matched against the prefix.
	Path string
	// N is the 1-based number of the matching call that fires; zero means the first.
	N int
	// Kill makes the fault simulate SIGKILL: the call and every later call on the FaultFS
	// (and on the FSs it resolved) return ErrKilled.
	Kill bool
	// After performs the operation before failing: a Put or Delete takes effect on the
	// underlying FS but the caller sees the error, as when a process dies after its write
	// reached storage but before it learned so.
	After bool
	// Err is the error returned when not killing; nil means ErrInjected.
	Err error
}

// Call records one call made through a FaultFS.
type Call struct {
	Op   Op
	Path string
	Err  error // the error the caller received
}

// faultState is shared by a FaultFS and the FSs it resolves: one simulated process.
type faultState struct {
	mu     sync.Mutex
	faults []Fault
	counts []int
	killed bool
	calls  []Call
}

// FaultFS wraps an FS and fails or kills at chosen calls, so that tests of code above the FS
// (sync, index updates, gc) can prove that a crash at any step loses and duplicates nothing:
// run the operation with a kill at write 1, 2, 3, ... and check the state a fresh run recovers.
// It is safe for concurrent use.
type FaultFS struct {
	inner db.FS
	st    *faultState
}

// NewFaultFS wraps inner with the given faults.
func NewFaultFS(inner db.FS, faults ...Fault) *FaultFS {
	f := &FaultFS{inner: inner, st: &faultState{}}
	for _, ft := range faults {
		f.Add(ft)
	}
	return f
}

// Add adds a fault; its count starts now.
func (f *FaultFS) Add(ft Fault) {
	if ft.Ops == 0 {
		ft.Ops = OpWrite
	}
	if ft.N <= 0 {
		ft.N = 1
	}
	f.st.mu.Lock()
	f.st.faults = append(f.st.faults, ft)
	f.st.counts = append(f.st.counts, 0)
	f.st.mu.Unlock()
}

// Killed reports whether a killing fault fired.
func (f *FaultFS) Killed() bool {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	return f.st.killed
}

// Calls returns the calls made so far, in order.
func (f *FaultFS) Calls() []Call {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	return append([]Call(nil), f.st.calls...)
}

// Count returns the number of calls made of the operations in ops.
func (f *FaultFS) Count(ops Op) int {
	f.st.mu.Lock()
	defer f.st.mu.Unlock()
	n := 0
	for _, c := range f.st.calls {
		if c.Op&ops != 0 {
			n++
		}
	}
	return n
}

// Inner returns the wrapped FS.
func (f *FaultFS) Inner() db.FS { return f.inner }

// decision is what a call does: fail before, fail after, or proceed.
type decision struct {
	err   error
	after bool
}

// enter decides the fate of a call.
func (f *FaultFS) enter(op Op, p string) decision {
	st := f.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.killed {
		return decision{err: fmt.Errorf("%s %s: %w", op, p, ErrKilled)}
	}
	for i := range st.faults {
		ft := &st.faults[i]
		if ft.Ops&op == 0 {
			continue
		}
		if ft.Path != "" {
			if ok, _ := path.Match(ft.Path, p); !ok {
				continue
			}
		}
		st.counts[i]++
		if st.counts[i] != ft.N {
			continue
		}
		var err error
		switch {
		case ft.Kill:
			st.killed = true
			err = fmt.Errorf("%s %s: %w", op, p, ErrKilled)
		case ft.Err != nil:
			err = fmt.Errorf("%s %s: %w", op, p, ft.Err)
		default:
			err = fmt.Errorf("%s %s: %w", op, p, ErrInjected)
		}
		return decision{err: err, after: ft.After}
	}
	return decision{}
}

func (f *FaultFS) record(op Op, p string, err error) {
	f.st.mu.Lock()
	f.st.calls = append(f.st.calls, Call{Op: op, Path: p, Err: err})
	f.st.mu.Unlock()
}

// run applies the decision around the operation do.
func (f *FaultFS) run(op Op, p string, do func() error) error {
	d := f.enter(op, p)
	var err error
	switch {
	case d.err == nil:
		err = do()
	case d.after:
		do()
		err = d.err
	default:
		err = d.err
	}
	f.record(op, p, err)
	return err
}

// URL returns the URL of the wrapped FS.
func (f *FaultFS) URL() string { return f.inner.URL() }

// List implements db.FS. A killing fault that fires during the listing (on a later call made
// by the callback) does not interrupt it; the next call fails.
func (f *FaultFS) List(ctx context.Context, prefix, startAfter string, fn func(db.FileInfo) error) error {
	return f.run(OpList, prefix, func() error { return f.inner.List(ctx, prefix, startAfter, fn) })
}

// Stat implements db.FS.
func (f *FaultFS) Stat(ctx context.Context, p string) (info db.FileInfo, err error) {
	err = f.run(OpStat, p, func() (err error) {
		info, err = f.inner.Stat(ctx, p)
		return err
	})
	if err != nil {
		return db.FileInfo{}, err
	}
	return info, nil
}

// Open implements db.FS.
func (f *FaultFS) Open(ctx context.Context, p string) (rc io.ReadCloser, info db.FileInfo, err error) {
	err = f.run(OpOpen, p, func() (err error) {
		rc, info, err = f.inner.Open(ctx, p)
		return err
	})
	if err != nil {
		if rc != nil {
			rc.Close()
		}
		return nil, db.FileInfo{}, err
	}
	return rc, info, nil
}

// ReadRange implements db.FS.
func (f *FaultFS) ReadRange(ctx context.Context, p, etag string, off, n int64) (rc io.ReadCloser, err error) {
	err = f.run(OpReadRange, p, func() (err error) {
		rc, err = f.inner.ReadRange(ctx, p, etag, off, n)
		return err
	})
	if err != nil {
		if rc != nil {
			rc.Close()
		}
		return nil, err
	}
	return rc, nil
}

// Put implements db.FS.
func (f *FaultFS) Put(ctx context.Context, p string, r io.Reader, cond db.Cond) (etag string, err error) {
	err = f.run(OpPut, p, func() (err error) {
		etag, err = f.inner.Put(ctx, p, r, cond)
		return err
	})
	if err != nil {
		return "", err
	}
	return etag, nil
}

// Delete implements db.FS.
func (f *FaultFS) Delete(ctx context.Context, p string) error {
	return f.run(OpDelete, p, func() error { return f.inner.Delete(ctx, p) })
}

// ResolvePattern implements db.Resolver: the FS a pattern resolves to is wrapped so that it
// shares this FaultFS's faults, counts and fate.
func (f *FaultFS) ResolvePattern(ctx context.Context, url string) (db.FS, *db.Pattern, error) {
	if f.Killed() {
		return nil, nil, fmt.Errorf("resolve %s: %w", url, ErrKilled)
	}
	fsys, pat, err := db.ResolvePattern(ctx, f.inner, url)
	if err != nil {
		return nil, nil, err
	}
	if fsys == f.inner {
		return f, pat, nil
	}
	return &FaultFS{inner: fsys, st: f.st}, pat, nil
}
