package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"
)

// DefaultGCGrace is how long gc keeps an unreferenced blob or input segment: long enough for
// queries that read the previous index to finish, and for a sync to publish the blobs it is
// writing.
const DefaultGCGrace = 15 * time.Minute

// GCOptions tune a garbage collection; the zero value gives the defaults.
type GCOptions struct {
	// Grace is the minimum time an object must have been unreferenced before it is deleted
	// (default DefaultGCGrace): since the index dropped it, or, for an object no index ever
	// referenced (left by a sync that crashed or lost a race), since it was written.
	Grace time.Duration
	// DryRun reports what would be deleted without deleting it.
	DryRun bool
	// Now returns the current time (default time.Now).
	Now func() time.Time
}

// GCResult describes the garbage collection of one table.
type GCResult struct {
	Database, Table string
	// Deleted are the objects deleted (or, with DryRun, that would be), Bytes their size.
	Deleted []string
	Bytes   int64
	// Waiting counts unreferenced objects still within the grace period; Live the objects
	// the index references.
	Waiting, Live int
}

// GC deletes the packed blobs and input segments of table database.table that its index does
// not reference and that have been unreferenced for longer than the grace period. It never
// deletes an object the current index references, and it refuses to work from an index that
// fails verification. A table without an index has nothing referenced. gc does not rewrite the
// index.
func GC(ctx context.Context, root FS, key *[32]byte, database, table string, opt GCOptions) (*GCResult, error) {
	if opt.Grace <= 0 {
		opt.Grace = DefaultGCGrace
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	dir, err := TableDir(database, table)
	if err != nil {
		return nil, err
	}
	res := &GCResult{Database: database, Table: table}
	live := map[string]bool{}
	dropped := map[string]time.Time{}
	x, _, err := ReadIndex(ctx, root, key, database, table)
	switch {
	case err == nil:
		for _, b := range x.Blobs {
			live[b.Path] = true
		}
		for _, s := range x.Inputs {
			live[s.Path] = true
		}
		for _, d := range x.Dropped {
			dropped[d.Path] = d.At
		}
	case errors.Is(err, fs.ErrNotExist):
		// no index: nothing is referenced
	default:
		return nil, fmt.Errorf("gc %s.%s: %w", database, table, err)
	}
	now := opt.Now()
	var victims []FileInfo
	err = root.List(ctx, dir+"/", "", func(fi FileInfo) error {
		base := path.Base(fi.Path)
		collectable := strings.HasPrefix(base, "packed-") ||
			(path.Dir(fi.Path) == dir && strings.HasPrefix(base, "inputs-"))
		if !collectable {
			return nil
		}
		if live[fi.Path] {
			res.Live++
			return nil
		}
		since := fi.ModTime
		if at, ok := dropped[fi.Path]; ok && at.After(since) {
			since = at
		}
		if now.Sub(since) < opt.Grace {
			res.Waiting++
			return nil
		}
		victims = append(victims, fi)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("gc %s.%s: listing: %w", database, table, err)
	}
	for _, fi := range victims {
		if !opt.DryRun {
			if err := root.Delete(ctx, fi.Path); err != nil {
				return res, fmt.Errorf("gc %s.%s: %w", database, table, err)
			}
		}
		res.Deleted = append(res.Deleted, fi.Path)
		res.Bytes += fi.Size
	}
	return res, nil
}

// GCTables collects every table of database whose name matches pattern (path.Match syntax)
// and that has a definition or an index. Under a local root it also removes the temporary
// files of writers killed mid-put that are older than the grace period.
func GCTables(ctx context.Context, root FS, key *[32]byte, database, pattern string, opt GCOptions) ([]*GCResult, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("table pattern %q: %w", pattern, err)
	}
	if _, err := TableDir(database, "x"); err != nil {
		return nil, err
	}
	var tables []string
	err := eachTableDir(ctx, root, "db/"+database+"/", func(_, table string) error {
		if ok, _ := path.Match(pattern, table); ok {
			tables = append(tables, table)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []*GCResult
	var errs []error
	for _, t := range tables {
		r, err := GC(ctx, root, key, database, t, opt)
		if r != nil {
			out = append(out, r)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if !opt.DryRun {
		grace := opt.Grace
		if grace <= 0 {
			grace = DefaultGCGrace
		}
		if d := localDir(root); d != nil {
			if _, err := d.RemoveTemp(ctx, grace); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return out, errors.Join(errs...)
}

// localDir returns the DirFS under root's wrappers, or nil.
func localDir(fsys FS) *DirFS {
	for {
		if d, ok := fsys.(*DirFS); ok {
			return d
		}
		u, ok := fsys.(Unwrapper)
		if !ok {
			return nil
		}
		fsys = u.Inner()
	}
}
