package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// countFS counts the List calls and listed entries of an FS.
type countFS struct {
	FS
	lists, listed int
}

func (c *countFS) List(ctx context.Context, prefix, after string, fn func(FileInfo) error) error {
	c.lists++
	return c.FS.List(ctx, prefix, after, func(fi FileInfo) error {
		c.listed++
		return fn(fi)
	})
}

func walkKeys(t *testing.T, f FS, pattern, after string) ([]string, error) {
	t.Helper()
	var out []string
	err := WalkPattern(context.Background(), f, MustCompilePattern(pattern), after, func(fi FileInfo, caps Captures) error {
		s := fi.Path
		for _, c := range caps {
			s += " " + c.Name + "=" + c.Value
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

func TestWalkPattern(t *testing.T) {
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf("logs/a/2023/x%02d.json", i))
	}
	keys = append(keys, "logs/a/2024/y.json", "logs/a/2024/y.txt", "logs/b/2024/z.json",
		"logs/b/2024/sub/w.json", "logs/c.json", "other/x/2024/q.json", "logr/x/2024/r.json")
	for _, k := range keys {
		if _, err := d.Put(ctx, k, strings.NewReader(k), Always); err != nil {
			t.Fatal(err)
		}
	}
	defer func(old int) { walkSkipAfter = old }(walkSkipAfter)

	for _, skip := range []int{1000, 5, 1} {
		walkSkipAfter = skip
		c := &countFS{FS: d}
		got, err := walkKeys(t, c, "logs/*/2024/*.json", "")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"logs/a/2024/y.json", "logs/b/2024/z.json"}; !slices.Equal(got, want) {
			t.Errorf("skip %d: walk = %q, want %q", skip, got, want)
		}
		// Only keys under the literal prefix are listed; with a low threshold the dead
		// directory logs/a/2023/ is skipped.
		if skip == 1000 && (c.lists != 1 || c.listed != 45) {
			t.Errorf("skip %d: %d lists, %d entries; want 1 list of the 45 keys under logs/", skip, c.lists, c.listed)
		}
		if skip == 5 && (c.lists != 2 || c.listed > 10) {
			t.Errorf("skip %d: %d lists, %d entries; want 2 lists skipping logs/a/2023/", skip, c.lists, c.listed)
		}
	}

	got, err := walkKeys(t, d, "logs/{host}/{yyyy}/*.json", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 42 || got[40] != "logs/a/2024/y.json host=a yyyy=2024" || got[41] != "logs/b/2024/z.json host=b yyyy=2024" {
		t.Errorf("walk with captures: %d keys, last %q", len(got), got[max(0, len(got)-2):])
	}
	// Resume after a key.
	got, err = walkKeys(t, d, "logs/*/2024/*.json", "logs/a/2024/y.json")
	if err != nil || !slices.Equal(got, []string{"logs/b/2024/z.json"}) {
		t.Errorf("resumed walk = %q, %v", got, err)
	}
	// fn's error comes back unchanged.
	stop := errors.New("stop")
	err = WalkPattern(ctx, d, MustCompilePattern("logs/*/*/*.json"), "", func(FileInfo, Captures) error { return stop })
	if err != stop {
		t.Errorf("walk returned %v, want fn's error", err)
	}
}
