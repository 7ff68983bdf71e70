package db

import (
	"context"
	"errors"
	"io/fs"
	"strings"
)

// errFirst stops a listing after its first key.
var errFirst = errors.New("first key")

// firstAfter returns the first key under prefix after startAfter ("" when none).
func firstAfter(ctx context.Context, fsys FS, prefix, startAfter string) (string, error) {
	var key string
	err := fsys.List(ctx, prefix, startAfter, func(fi FileInfo) error {
		key = fi.Path
		return errFirst
	})
	if err != nil && err != errFirst {
		return "", err
	}
	return key, nil
}

// eachTableDir calls fn for every directory db/<db>/<table>/ under prefix ("db/" or
// "db/<db>/") that holds at least one object, in lexical order. It lists one key per
// directory and skips the rest of each, so the cost grows with the number of tables, not of
// blobs.
func eachTableDir(ctx context.Context, fsys FS, prefix string, fn func(database, table string) error) error {
	after := ""
	for {
		key, err := firstAfter(ctx, fsys, prefix, after)
		if err != nil || key == "" {
			return err
		}
		segs := strings.SplitN(key, "/", 4)
		if len(segs) < 4 { // an object directly in db/ or db/<db>/
			after = key
			continue
		}
		if err := fn(segs[1], segs[2]); err != nil {
			return err
		}
		after = skipPast(segs[0] + "/" + segs[1] + "/" + segs[2] + "/")
	}
}

// hasIndex reports whether db/<database>/<table>/index exists.
func hasIndex(ctx context.Context, fsys FS, database, table string) (bool, error) {
	p, err := IndexPath(database, table)
	if err != nil {
		return false, nil // a directory name that is no table name
	}
	_, err = fsys.Stat(ctx, p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// ListDatabases returns, in lexical order, the databases of the root that hold at least one
// table with an index.
func ListDatabases(ctx context.Context, fsys FS) ([]string, error) {
	var out []string
	err := eachTableDir(ctx, fsys, "db/", func(database, table string) error {
		if len(out) > 0 && out[len(out)-1] == database {
			return nil
		}
		ok, err := hasIndex(ctx, fsys, database, table)
		if ok {
			out = append(out, database)
		}
		return err
	})
	return out, err
}

// ListTables returns, in lexical order, the tables of database that have an index (tables
// created but never synced have none).
func ListTables(ctx context.Context, fsys FS, database string) ([]string, error) {
	if _, err := TableDir(database, "x"); err != nil {
		return nil, err
	}
	var out []string
	err := eachTableDir(ctx, fsys, "db/"+database+"/", func(_, table string) error {
		ok, err := hasIndex(ctx, fsys, database, table)
		if ok {
			out = append(out, table)
		}
		return err
	})
	return out, err
}

// ListDefinedTables returns, in lexical order, the tables of database that have a
// definition.json.
func ListDefinedTables(ctx context.Context, fsys FS, database string) ([]string, error) {
	if _, err := TableDir(database, "x"); err != nil {
		return nil, err
	}
	var out []string
	err := eachTableDir(ctx, fsys, "db/"+database+"/", func(_, table string) error {
		p, err := DefinitionPath(database, table)
		if err != nil {
			return nil
		}
		_, err = fsys.Stat(ctx, p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err == nil {
			out = append(out, table)
		}
		return err
	})
	return out, err
}
