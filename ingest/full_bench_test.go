package ingest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// The full ingest measurement (not run in CI):
//
//	go test ./ingest -run TestFullIngest -ingest.full /path/to/benchdata -v
//
// converts every *.json file of the directory (generating the 4M-row benchmark set there
// first if the directory does not exist) into blobs in a temporary directory beside it, and
// reports wall time, throughput, CPU time, output size and peak memory.
var (
	fullDir     = flag.String("ingest.full", "", "directory of the benchmark's ND-JSON files for TestFullIngest (generated when absent)")
	fullLevel   = flag.String("ingest.level", "", "zstd level for TestFullIngest: fastest, default, better, best")
	fullWorkers = flag.Int("ingest.workers", 0, "workers for TestFullIngest (default GOMAXPROCS)")
	fullRows    = flag.Int("ingest.rows", 4_000_000, "rows to generate for TestFullIngest when the directory is absent")
	fullBlob    = flag.Int64("ingest.blob", 0, "target blob size for TestFullIngest")
	fullExact   = flag.Bool("ingest.exact", false, "TestFullIngest: cut JSON with the exact chunker only (no speculative cut at newlines)")
)

func TestFullIngest(t *testing.T) {
	if *fullDir == "" {
		t.Skip("set -ingest.full DIR to run the full ingest measurement")
	}
	if _, err := os.Stat(*fullDir); os.IsNotExist(err) {
		cmd := exec.Command("go", "run", ".", "-rows", fmt.Sprint(*fullRows), "-shards", "4", "-seed", "1", "-out", *fullDir)
		cmd.Dir = genDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("generating: %v\n%s", err, out)
		}
	}
	files, _ := filepath.Glob(filepath.Join(*fullDir, "*.json*"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no *.json* files in %s", *fullDir)
	}
	var inputs []Input
	var total int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		total += fi.Size()
		inputs = append(inputs, Input{Name: f, Size: fi.Size(), Open: func(context.Context) (io.ReadCloser, error) { return os.Open(f) }})
	}
	out, err := os.MkdirTemp(filepath.Dir(filepath.Clean(*fullDir)), "ingest-out-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(out)
	opt := Options{Workers: *fullWorkers, BlobBytes: *fullBlob, exactJSON: *fullExact}
	switch *fullLevel {
	case "":
	case "fastest":
		opt.Block.Level = zstd.SpeedFastest
	case "default":
		opt.Block.Level = zstd.SpeedDefault
	case "better":
		opt.Block.Level = zstd.SpeedBetterCompression
	case "best":
		opt.Block.Level = zstd.SpeedBestCompression
	default:
		t.Fatalf("unknown level %q", *fullLevel)
	}
	cpu0 := processCPU()
	start := time.Now()
	res, err := Convert(context.Background(), inputs, &DirSink{Dir: out}, opt)
	wall := time.Since(start)
	cpu := processCPU() - cpu0
	if err != nil {
		t.Fatal(err)
	}
	var rows, blobBytes int64
	for _, r := range res.Inputs {
		if r.Status != Accepted {
			t.Fatalf("%s: %v", r.Name, r.Err)
		}
		rows += r.Rows
	}
	blocks := 0
	for _, b := range res.Blobs {
		blobBytes += b.Info.Size
		blocks += len(b.Info.Trailer.Blocks)
	}
	t.Logf("inputs: %d files, %d bytes of JSON, %d rows", len(files), total, rows)
	t.Logf("wall %.2fs: %.1f MB/s; CPU %.2fs (%.1f MB per CPU-second, %.2f cores busy on GOMAXPROCS %d)",
		wall.Seconds(), float64(total)/wall.Seconds()/1e6, cpu.Seconds(), float64(total)/cpu.Seconds()/1e6,
		cpu.Seconds()/wall.Seconds(), runtime.GOMAXPROCS(0))
	t.Logf("output: %d blobs, %d blocks, %d bytes (%.2fx smaller than the JSON)", len(res.Blobs), blocks, blobBytes, float64(total)/float64(blobBytes))
	t.Logf("peak RSS (VmHWM): %s", vmHWM())
}

// vmHWM returns the process's peak resident set size from /proc/self/status.
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
