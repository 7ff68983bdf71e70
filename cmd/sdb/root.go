package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/sneller-re/sneller/db"
)

// openRoot opens the storage root of -root (or $SNELLER_BUCKET, or the current directory).
func openRoot(ctx context.Context, e *env) (db.FS, error) {
	return db.OpenRoot(ctx, e.root)
}

// openRootKey opens the root and its index key.
func openRootKey(ctx context.Context, e *env) (db.FS, *[32]byte, error) {
	root, err := openRoot(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	key, err := db.IndexKey(ctx, root)
	if err != nil {
		return nil, nil, err
	}
	return root, key, nil
}

// openTable opens the table named by the arguments <db> <table> of the command cmd.
func openTable(ctx context.Context, e *env, cmd string, args []string) (db.FS, *db.Table, error) {
	if len(args) != 2 {
		return nil, nil, usagef("%s takes <db> <table>", cmd)
	}
	root, key, err := openRootKey(ctx, e)
	if err != nil {
		return nil, nil, err
	}
	t, err := db.OpenTable(ctx, root, key, args[0], args[1])
	return root, t, err
}

// isTerminal reports whether w is a terminal (for progress lines).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// parseBytes parses a byte count: a plain number, or one with a unit (K, M, G, T, with an
// optional "i" and "B": 1GiB, 500M, 100MB; binary multiples either way, as the chart's
// batch sizes are).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "i")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		case 't', 'T':
			mult = 1 << 40
		}
		if mult != 1 {
			t = t[:n-1]
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid byte count %q (want e.g. 1073741824, 1GiB or 500M)", s)
	}
	return n * mult, nil
}

// bytesFlag is a flag.Value of a byte count.
type bytesFlag struct{ n *int64 }

func (b bytesFlag) String() string {
	if b.n == nil {
		return "0"
	}
	return strconv.FormatInt(*b.n, 10)
}

func (b bytesFlag) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*b.n = n
	return nil
}

// humanBytes formats a byte count for people.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
