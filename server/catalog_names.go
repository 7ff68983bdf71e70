package server

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/sneller-re/sneller/plan"
)

// tableName splits a query's table path into database and table: `db.table`, or `table` in
// the default database. A name that cannot be a directory of the root is not found.
func tableName(path []string, database string) (string, string, error) {
	var d, t string
	switch len(path) {
	case 1:
		d, t = database, path[0]
	case 2:
		d, t = path[0], path[1]
	default:
		return "", "", &plan.NotFoundError{Name: strings.Join(path, ".")}
	}
	if d == "" {
		return "", "", fmt.Errorf("%w (no database: pass the database parameter or write db.%s)", &plan.NotFoundError{Name: t}, t)
	}
	if !validName(d) || !validName(t) {
		return "", "", &plan.NotFoundError{Name: d + "." + t}
	}
	return d, t, nil
}

// validName reports whether a database or table name can be a path segment of the root.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\\x00")
}

// checkName returns an error wrapping fs.ErrNotExist for a name that cannot exist.
func checkName(kind, s string) error {
	if !validName(s) {
		return fmt.Errorf("%s %q: %w", kind, s, fs.ErrNotExist)
	}
	return nil
}
