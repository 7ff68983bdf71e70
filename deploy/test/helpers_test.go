package deploytest

import (
	"path/filepath"
	"sync"
	"testing"
)

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// repoRoot returns the repository root (two levels above this module).
func repoRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() { rootDir, rootErr = RepoRoot(".") })
	if rootErr != nil {
		t.Fatal(rootErr)
	}
	return rootDir
}

func chartDir(t testing.TB) string { return filepath.Join(repoRoot(t), "charts", "sneller") }

func ciFile(t testing.TB, name string) string {
	return filepath.Join(chartDir(t), "ci", name)
}

func render(t testing.TB, opts RenderOptions) *Rendered {
	t.Helper()
	if opts.ChartDir == "" {
		opts.ChartDir = chartDir(t)
	}
	r, err := Render(opts)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return r
}
