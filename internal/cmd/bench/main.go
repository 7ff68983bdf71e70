// Command bench runs the benchmark of ../shared/bench/README.md: it generates the event data
// with the shared generator (once), packs it with sdb, runs each query as a whole `sdb query`
// process several times on one core and on two, and prints the medians beside the reference
// figures of the original and of DuckDB. `make bench` runs it.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

type query struct {
	id, sql string
	check   string // a substring the output must contain (4 M rows, seed 1)
	ref     [4]float64
}

// The queries and reference figures of ../shared/bench/README.md (orig/1, orig/2, duck/1, duck/2).
var queries = []query{
	{"Q1", "SELECT COUNT(*) FROM t", `"count": 4000000`, [4]float64{0.217, 0.152, 0.109, 0.101}},
	{"Q2", "SELECT COUNT(*) FROM t WHERE user_agent = 'git/2.12.7'", `"count": 80891`, [4]float64{0.252, 0.193, 0.138, 0.117}},
	{"Q3", "SELECT type, COUNT(*) FROM t GROUP BY type ORDER BY COUNT(*) DESC LIMIT 10", `{"type": "PushEvent", "count": 1800284}`, [4]float64{0.360, 0.224, 0.164, 0.135}},
	{"Q4", "SELECT SUM(bytes), AVG(latency_ms), EARLIEST(created_at), LATEST(created_at) FROM t WHERE created_at > `2024-03-01T00:00:00Z`", `"sum": 41755004783`, [4]float64{0.540, 0.304, 0.238, 0.172}},
	{"Q5", "SELECT COUNT(*) FROM t WHERE message LIKE '%timeout%'", `"count": 123385`, [4]float64{0.430, 0.308, 0.606, 0.398}},
	{"Q6a", "SELECT region, COUNT(DISTINCT actor.login) AS n FROM t GROUP BY region ORDER BY n DESC", `"region"`, [4]float64{0.954, 0.894, 0.695, 0.499}},
	{"Q6b", "SELECT region, APPROX_COUNT_DISTINCT(actor.login) AS n FROM t GROUP BY region ORDER BY region", `"region"`, [4]float64{0.436, 0.308, 0.439, 0.309}},
	{"Q7", "SELECT * FROM t WHERE status = 503 AND region = 'ap-south-1' ORDER BY created_at DESC LIMIT 100", `"status": 503`, [4]float64{1.220, 0.806, 0.379, 0.465}},
	{"Q8a", "SELECT COUNT(*) FROM t WHERE actor.login = 'karuxaar'", `"count": 17827`, [4]float64{0.324, 0.232, 0.284, 0.222}},
	{"Q8b", "SELECT COUNT(*) FROM t AS e, e.payload.commits AS c WHERE c.author.email LIKE '%@example.com'", `"count": 358983`, [4]float64{0.590, 0.414, 0.965, 0.627}},
}

func main() {
	rows := flag.Int("rows", 4_000_000, "rows to generate")
	dir := flag.String("dir", ".bench", "working directory for the data and the blob")
	gen := flag.String("gen", "../shared/bench/gen", "the benchmark data generator")
	sdb := flag.String("sdb", "bin/sdb", "the sdb binary")
	runs := flag.Int("runs", 5, "timed runs per query (after one warm-up)")
	only := flag.String("q", "", "comma-separated query ids to run (default all)")
	flag.Parse()
	if err := run(*rows, *dir, *gen, *sdb, *runs, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(rows int, dir, gen, sdb string, runs int, only string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	data := filepath.Join(abs, fmt.Sprintf("data-%d", rows))
	if _, err := os.Stat(filepath.Join(data, "events-00.json")); err != nil {
		fmt.Printf("generating %d rows into %s\n", rows, data)
		cmd := exec.Command("go", "run", ".", "-rows", fmt.Sprint(rows), "-shards", "4", "-seed", "1", "-out", data)
		cmd.Dir = gen
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("generator (%s): %w", gen, err)
		}
	}
	inputs, _ := filepath.Glob(filepath.Join(data, "*.json"))
	var inBytes int64
	for _, in := range inputs {
		fi, _ := os.Stat(in)
		inBytes += fi.Size()
	}
	blob := filepath.Join(abs, fmt.Sprintf("t-%d.pack", rows))
	if _, err := os.Stat(blob); err != nil {
		fmt.Printf("packing %d MB of JSON\n", inBytes>>20)
		start := time.Now()
		ru, err := timed(append([]string{sdb, "pack", "-o", blob}, inputs...), nil)
		if err != nil {
			return err
		}
		el := time.Since(start)
		fi, _ := os.Stat(blob)
		fmt.Printf("ingest: %.1f MB/s of JSON on %d cores (%.1f s wall, %.1f s CPU), %d MB out (%.2fx smaller), peak RSS %d MB\n",
			float64(inBytes)/el.Seconds()/1e6, numCPU(), el.Seconds(), ru.cpu, fi.Size()>>20, float64(inBytes)/float64(fi.Size()), ru.maxRSS>>10)
	}
	fmt.Printf("\n%d rows; median of %d runs after a warm-up, whole `sdb query` processes; CPU seconds in brackets\n\n", rows, runs)
	fmt.Printf("| id | ours/1 | orig/1 | ours/1 ÷ orig/1 | ours/2 | orig/2 | duck/1 | answer |\n|---|---|---|---|---|---|---|---|\n")
	for _, q := range queries {
		if only != "" && !strings.Contains(","+only+",", ","+q.id+",") {
			continue
		}
		text := strings.ReplaceAll(q.sql, "FROM t", "FROM read_file('"+blob+"')")
		var res [2]struct{ wall, cpu float64 }
		var out []byte
		for i, procs := range []int{1, 2} {
			var walls, cpus []float64
			for r := 0; r <= runs; r++ {
				var buf bytes.Buffer
				env := append(os.Environ(), fmt.Sprintf("GOMAXPROCS=%d", procs))
				start := time.Now()
				ru, err := timedEnv([]string{sdb, "query", text}, env, &buf)
				if err != nil {
					return fmt.Errorf("%s: %w", q.id, err)
				}
				if r == 0 {
					out = buf.Bytes()
					continue // warm-up
				}
				walls = append(walls, time.Since(start).Seconds())
				cpus = append(cpus, ru.cpu)
			}
			res[i].wall, res[i].cpu = median(walls), median(cpus)
		}
		answer := "ok"
		if rows == 4_000_000 && !bytes.Contains(out, []byte(q.check)) {
			answer = "WRONG: " + strings.TrimSpace(string(out[:min(len(out), 120)]))
		} else if rows != 4_000_000 {
			answer = "(not checked below 4 M rows)"
		}
		fmt.Printf("| %s | %.3f s (%.2f) | %.3f s | %.2f | %.3f s (%.2f) | %.3f s | %.3f s | %s |\n",
			q.id, res[0].wall, res[0].cpu, q.ref[0], res[0].wall/q.ref[0], res[1].wall, res[1].cpu, q.ref[1], q.ref[2], answer)
	}
	return nil
}

type usage struct {
	cpu    float64
	maxRSS int64 // KB
}

func timed(argv []string, env []string) (usage, error) {
	return timedEnv(argv, env, nil)
}

func timedEnv(argv []string, env []string, stdout *bytes.Buffer) (usage, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	if env != nil {
		cmd.Env = env
	}
	if stdout != nil {
		cmd.Stdout = stdout
	} else {
		cmd.Stdout = os.Stdout
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return usage{}, fmt.Errorf("%s: %v: %s", strings.Join(argv[:2], " "), err, stderr.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return usage{cpu: cpu, maxRSS: ru.Maxrss}, nil
}

func median(x []float64) float64 {
	sort.Float64s(x)
	return x[len(x)/2]
}

func numCPU() int { return runtimeNumCPU() }
