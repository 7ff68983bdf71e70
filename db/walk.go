package db

import (
	"context"
	"errors"
	"strings"
)

// walkSkipAfter is the number of consecutive listed keys under one directory that cannot
// match after which WalkPattern restarts the listing past that directory. Restarting costs a
// list request, so it pays only once a page's worth of keys was wasted; at this threshold a
// walk never costs more than about twice the requests of a plain listing, and it can skip
// arbitrarily large subtrees.
var walkSkipAfter = 1000

// errRestart ends a listing so that WalkPattern can restart it past a dead directory.
var errRestart = errors.New("restart listing")

// skipPast returns a startAfter that sorts after every valid key that has dir (ending in
// '/') as a prefix. Keys under dir cannot match the pattern, so resuming a little early (at a
// key made of U+10FFFF runes) only costs a few filtered keys, never a missed one.
func skipPast(dir string) string {
	return dir + strings.Repeat("\U0010FFFF", 4)
}

// WalkPattern calls fn, in lexical key order, for every object of fsys that matches p and
// sorts strictly after startAfter, with the values the match captured. It lists only from
// p.Prefix() and stops when keys leave it; when a long run of keys fails in a directory
// segment (for example "logs/a/2023/..." against "logs/*/2024/*.json"), it skips the rest of
// that directory by restarting the listing after it.
//
// To resume an interrupted walk, pass the last key fn accepted as startAfter. WalkPattern
// returns fn's error unchanged.
func WalkPattern(ctx context.Context, fsys FS, p *Pattern, startAfter string, fn func(FileInfo, Captures) error) error {
	prefix := p.Prefix()
	after := startAfter
	for {
		var (
			dead  string
			count int
			skip  string
		)
		err := fsys.List(ctx, prefix, after, func(fi FileInfo) error {
			after = fi.Path
			caps, ok, d := p.match(fi.Path)
			if ok {
				dead, count = "", 0
				return fn(fi, caps)
			}
			if d == "" {
				dead, count = "", 0
				return nil
			}
			if d != dead {
				dead, count = d, 0
			}
			if count++; count >= walkSkipAfter {
				skip = d
				return errRestart
			}
			return nil
		})
		if err == errRestart {
			after = max(after, skipPast(skip))
			continue
		}
		return err
	}
}
