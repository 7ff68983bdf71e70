package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sneller-re/sneller/cache"
)

// NewRegistry returns a metrics registry with the Go runtime and process collectors.
func NewRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}

// metrics are the service's Prometheus metrics. Labels never carry tenant data.
type metrics struct {
	reg           *prometheus.Registry
	queries       *prometheus.CounterVec // by HTTP status
	duration      prometheus.Histogram
	scanned       prometheus.Counter
	blocks        prometheus.Counter
	blocksSkipped prometheus.Counter
	rows          prometheus.Counter
	streamErrors  prometheus.Counter
	inflight      prometheus.Gauge
	authFailures  *prometheus.CounterVec // by reason
	requests      *prometheus.CounterVec // by route and status, every endpoint

	// distributed queries (distribute.go, internode_fragment.go)
	distQueries  prometheus.Counter
	peerShares   prometheus.Counter
	peerFailures *prometheus.CounterVec // by reason
	fragments    *prometheus.CounterVec // fragments served, by outcome
}

func newMetrics(reg *prometheus.Registry, c *cache.Cache) (*metrics, error) {
	m := &metrics{
		reg: reg,
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sneller_queries_total", Help: "Queries answered, by HTTP status (200 includes queries that failed after streaming started; see sneller_query_stream_errors_total).",
		}, []string{"status"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "sneller_query_duration_seconds", Help: "Time from a query's arrival to the end of its response.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 900},
		}),
		scanned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_query_scanned_bytes_total", Help: "Decompressed bytes of the columns queries read.",
		}),
		blocks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_query_blocks_total", Help: "Blocks of the tables queries scanned, skipped or not.",
		}),
		blocksSkipped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_query_blocks_skipped_total", Help: "Blocks that block summaries allowed queries to skip.",
		}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_query_rows_total", Help: "Rows returned by queries.",
		}),
		streamErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_query_stream_errors_total", Help: "Queries that failed after their response started (the error is in the stream).",
		}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sneller_queries_in_flight", Help: "Queries running now.",
		}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sneller_auth_failures_total", Help: "Requests refused by authentication: missing header (401), malformed header or rejected token (403), provider unavailable (503).",
		}, []string{"reason"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sneller_http_requests_total", Help: "HTTP requests, by route and status.",
		}, []string{"route", "status"}),
		distQueries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_distributed_queries_total", Help: "Queries whose blocks were split among the peers.",
		}),
		peerShares: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sneller_peer_shares_total", Help: "Shares of distributed queries sent to peers.",
		}),
		peerFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sneller_peer_failures_total", Help: "Peer failures seen by coordinators: unreachable (left out for a while), refused (an error status), error (an error record before any result; the share ran here), mid_stream (after results were merged; the query failed).",
		}, []string{"reason"}),
		fragments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sneller_internode_fragments_total", Help: "Shares of distributed queries this node ran for a coordinator, by outcome (ok; refused before running; failed; cancelled by the coordinator, which stops reading once a LIMIT is met).",
		}, []string{"outcome"}),
	}
	cs := []prometheus.Collector{m.queries, m.duration, m.scanned, m.blocks, m.blocksSkipped, m.rows, m.streamErrors, m.inflight, m.authFailures, m.requests,
		m.distQueries, m.peerShares, m.peerFailures, m.fragments}
	if c != nil {
		stat := func(f func(cache.Stats) int64) func() float64 {
			return func() float64 { return float64(f(c.Stats())) }
		}
		cs = append(cs,
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "sneller_cache_hits_total", Help: "Block cache lookups served from the cache."},
				stat(func(s cache.Stats) int64 { return s.Hits })),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "sneller_cache_misses_total", Help: "Block cache lookups fetched from storage."},
				stat(func(s cache.Stats) int64 { return s.Misses })),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "sneller_cache_evictions_total", Help: "Block cache entries evicted to stay within the size limit."},
				stat(func(s cache.Stats) int64 { return s.Evictions })),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "sneller_cache_write_errors_total", Help: "Block cache entries that could not be written."},
				stat(func(s cache.Stats) int64 { return s.WriteErrors })),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sneller_cache_bytes", Help: "Bytes held by the block cache."},
				stat(func(s cache.Stats) int64 { return s.Bytes })),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sneller_cache_limit_bytes", Help: "The block cache's size limit."},
				stat(func(s cache.Stats) int64 { return s.Limit })),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sneller_cache_entries", Help: "Entries in the block cache."},
				stat(func(s cache.Stats) int64 { return s.Entries })),
		)
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// handler serves the registry.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
