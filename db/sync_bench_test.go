package db

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sneller-re/sneller/ingest"
	"github.com/sneller-re/sneller/pack"
)

// benchGenDir is the benchmark data generator of the project (a separate module).
const benchGenDir = "/work/shared/bench/gen"

// benchShards generates (once, under the temp directory) rows of the benchmark's event log in
// 4 ND-JSON files and returns their paths, or skips when the generator is not available.
func benchShards(b *testing.B, rows int) []string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("sneller-sync-bench-%d", rows))
	if m, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(m) == 4 {
		return m
	}
	if _, err := os.Stat(filepath.Join(benchGenDir, "main.go")); err != nil {
		b.Skipf("benchmark generator not available: %v", err)
	}
	tmp := fmt.Sprintf("%s.tmp%d", dir, os.Getpid())
	cmd := exec.Command("go", "run", ".", "-rows", fmt.Sprint(rows), "-shards", "4", "-out", tmp)
	cmd.Dir = benchGenDir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("generating benchmark data: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(m) == 0 {
		b.Fatalf("no data generated in %s", dir)
	}
	return m
}

func benchRows() int {
	if testing.Short() {
		return 50_000
	}
	return 300_000
}

func totalSize(b *testing.B, files []string) int64 {
	var n int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			b.Fatal(err)
		}
		n += fi.Size()
	}
	return n
}

// BenchmarkSync measures `sdb sync` end to end on a local root: listing, ETags (the SHA-256
// of every input, computed once per process), conversion, blob writes (fsynced), the input
// segment and the signed index. Its MB/s are of input JSON.
func BenchmarkSync(b *testing.B) {
	files := benchShards(b, benchRows())
	b.SetBytes(totalSize(b, files))
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		root := newLocalRoot(b)
		for _, f := range files {
			dst := filepath.Join(root.Dir(), "src", filepath.Base(f))
			os.MkdirAll(filepath.Dir(dst), 0o755)
			if err := os.Link(f, dst); err != nil {
				b.Fatal(err)
			}
		}
		createTable(b, root, "bench", "events", `{"input": [{"pattern": "file://src/*.json"}]}`)
		b.StartTimer()
		r, err := Sync(ctx, root, testIndexKey, "bench", "events", SyncOptions{})
		if err != nil || len(r.Accepted) != len(files) {
			b.Fatalf("sync: %+v %v", r, err)
		}
	}
}

// BenchmarkSyncConvertOnly runs the converter alone on the same data (blobs discarded), the
// ceiling BenchmarkSync is compared with.
func BenchmarkSyncConvertOnly(b *testing.B) {
	files := benchShards(b, benchRows())
	b.SetBytes(totalSize(b, files))
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		inputs := make([]ingest.Input, len(files))
		for k, f := range files {
			inputs[k] = ingest.Input{Name: f, Open: func(context.Context) (io.ReadCloser, error) { return os.Open(f) }}
		}
		res, err := ingest.Convert(ctx, inputs, discardSink{}, ingest.Options{})
		if err != nil || res.Inputs[0].Status != ingest.Accepted {
			b.Fatal(err)
		}
	}
}

type discardSink struct{}

type discardBlob struct{}

func (discardSink) Create(context.Context) (ingest.BlobWriter, error) { return discardBlob{}, nil }
func (discardBlob) Write(p []byte) (int, error)                       { return len(p), nil }
func (discardBlob) Name() string                                      { return "discard" }
func (discardBlob) Commit(context.Context, *pack.Info) error          { return nil }
func (discardBlob) Abort() error                                      { return nil }
