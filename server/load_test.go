package server

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadCase is a query of the load test and its answer, computed in Go from the generated rows
// (not by the engine).
type loadCase struct {
	sql  string
	want string
}

// loadTable generates rows into acme's load.events, in several blobs, and returns the queries
// with their answers.
func loadTable(e *testEnv, rows int) []loadCase {
	regions := []string{"us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"}
	var sum int64
	perRegion := map[string]int64{}
	var big int
	var sb strings.Builder
	for i := 0; i < rows; i++ {
		n := int64((i * 7919) % 1000)
		r := regions[(i*31)%len(regions)]
		sum += n
		perRegion[r]++
		if n >= 900 {
			big++
		}
		fmt.Fprintf(&sb, "{\"n\": %d, \"region\": %q, \"msg\": \"event number %d\"}\n", n, r, i)
		if (i+1)%(rows/4) == 0 || i == rows-1 {
			e.cat.ingest(e.t, e.acme, "load", "events", fmt.Sprintf("file://load/%04d.ndjson", i), sb.String(), 500)
			sb.Reset()
		}
	}
	var groups []string
	for _, r := range regions {
		groups = append(groups, fmt.Sprintf(`{"region": %q, "c": %d}`, r, perRegion[r]))
	}
	sort.Strings(groups)
	return []loadCase{
		{"SELECT COUNT(*) FROM events", fmt.Sprintf(`[{"count": %d}]`, rows)},
		{"SELECT SUM(n) AS s FROM events", fmt.Sprintf(`[{"s": %d}]`, sum)},
		{"SELECT COUNT(*) AS c FROM events WHERE n >= 900", fmt.Sprintf(`[{"c": %d}]`, big)},
		{"SELECT region, COUNT(*) AS c FROM events GROUP BY region ORDER BY region", "[" + strings.Join(groups, ", ") + "]"},
	}
}

// TestLoad runs clients × queries on loopback: with as many slots as clients there is no 429;
// with fewer, the surplus gets 429 and never more queries run at once than the limit. Every
// answer is checked; no 5xx is allowed. It logs the latency percentiles and the peak memory.
func TestLoad(t *testing.T) {
	clients, perClient, rows := 16, 50, 20000
	if testing.Short() {
		clients, perClient, rows = 8, 10, 4000
	}
	for _, limit := range []int{clients, 4} {
		t.Run("limit="+strconv.Itoa(limit), func(t *testing.T) {
			e := startServer(t, func(c *Config) { c.MaxConcurrent = limit })
			cases := loadTable(e, rows)
			runtime.GC()

			var peakSlots, peakHeap atomic.Int64
			stop := make(chan struct{})
			var sampler sync.WaitGroup
			sampler.Add(1)
			go func() {
				defer sampler.Done()
				var ms runtime.MemStats
				for i := 0; ; i++ {
					if n := int64(len(e.srv.slots)); n > peakSlots.Load() {
						peakSlots.Store(n)
					}
					if i%20 == 0 {
						runtime.ReadMemStats(&ms)
						if h := int64(ms.HeapInuse); h > peakHeap.Load() {
							peakHeap.Store(h)
						}
					}
					select {
					case <-stop:
						return
					case <-time.After(500 * time.Microsecond):
					}
				}
			}()

			var mu sync.Mutex
			codes := map[int]int{}
			var lat []time.Duration
			var wrong []string
			var wg sync.WaitGroup
			start := time.Now()
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func(c int) {
					defer wg.Done()
					for i := 0; i < perClient; i++ {
						lc := cases[(c+i)%len(cases)]
						t0 := time.Now()
						r := e.query(tokAcme, "load", lc.sql, "application/json")
						d := time.Since(t0)
						mu.Lock()
						codes[r.status]++
						if r.status == 200 {
							lat = append(lat, d)
							if r.body != lc.want {
								wrong = append(wrong, fmt.Sprintf("%s: %s, want %s", lc.sql, r.body, lc.want))
							}
						}
						mu.Unlock()
					}
				}(c)
			}
			wg.Wait()
			elapsed := time.Since(start)
			close(stop)
			sampler.Wait()

			if len(wrong) > 0 {
				t.Fatalf("%d wrong answers, first: %s", len(wrong), wrong[0])
			}
			for code, n := range codes {
				if code != 200 && code != 429 {
					t.Errorf("%d responses with status %d", n, code)
				}
			}
			if limit >= clients && codes[429] > 0 {
				t.Errorf("%d 429s with %d slots for %d clients", codes[429], limit, clients)
			}
			if p := peakSlots.Load(); p > int64(limit) {
				t.Errorf("%d queries ran at once, limit %d", p, limit)
			}
			if codes[200] == 0 {
				t.Fatal("no query succeeded")
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
			t.Logf("load: %d clients × %d queries over %d rows, limit %d: %v in %s (%.0f queries/s); 200 latency p50 %s p90 %s p99 %s max %s; peak heap in use %.1f MiB, peak RSS %s; peak concurrent %d",
				clients, perClient, rows, limit, codes, elapsed.Round(time.Millisecond), float64(clients*perClient)/elapsed.Seconds(),
				pct(0.5).Round(10*time.Microsecond), pct(0.9).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond),
				float64(peakHeap.Load())/(1<<20), peakRSS(), peakSlots.Load())
		})
	}
}

// peakRSS is the process's peak resident set size (VmHWM) where /proc tells it.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
