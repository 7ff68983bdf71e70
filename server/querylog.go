package server

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// queryInfo collects what the query log line and the metrics report about one /query
// request. The handler fills it in as it goes.
type queryInfo struct {
	id       string
	start    time.Time
	tenant   string
	database string
	format   string
	sqlBytes int
	rows     int64
	scanned  int64
	blocks   int64
	skipped  int64
	hits     int64
	misses   int64
	err      error // the error reported to the client (status or stream)
	streamed bool  // err was written into a stream that had started
	// clientGone: the client went away before the response; nothing was sent
	clientGone bool
}

type queryInfoKey struct{}

func queryOf(ctx context.Context) *queryInfo {
	q, _ := ctx.Value(queryInfoKey{}).(*queryInfo)
	return q
}

// statusClientClosed is the status logged for a query whose client went away (nginx's
// convention); it is never sent.
const statusClientClosed = 499

// queryRequest wraps the query routes: it gives the request its query ID (sent in
// X-Sneller-Query-ID on every response, errors included), and after the handler it records
// the query's metrics and writes its log line (never the token).
func (s *Server) queryRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &queryInfo{id: newQueryID(), start: time.Now()}
		w.Header().Set(HeaderQueryID, q.id)
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inflight.Inc()
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), queryInfoKey{}, q)))
		s.metrics.inflight.Dec()

		dur := time.Since(q.start)
		status := sw.Status()
		if q.clientGone {
			status = statusClientClosed
		}
		m := s.metrics
		m.queries.WithLabelValues(strconv.Itoa(status)).Inc()
		m.duration.Observe(dur.Seconds())
		m.scanned.Add(float64(q.scanned))
		m.blocks.Add(float64(q.blocks))
		m.blocksSkipped.Add(float64(q.skipped))
		m.rows.Add(float64(q.rows))
		if q.streamed {
			m.streamErrors.Inc()
		}
		attrs := []slog.Attr{
			slog.String("id", q.id),
			slog.String("tenant", q.tenant),
			slog.Int("status", status),
			slog.Int64("rows", q.rows),
			slog.Int64("bytes", q.scanned),
			slog.Duration("duration", dur),
			slog.String("method", r.Method),
			slog.String("remote", clientAddr(r)),
		}
		if q.database != "" {
			attrs = append(attrs, slog.String("database", q.database))
		}
		if q.sqlBytes > 0 {
			attrs = append(attrs, slog.Int("sql_bytes", q.sqlBytes))
		}
		if q.format != "" {
			attrs = append(attrs, slog.String("format", q.format))
		}
		if q.blocks > 0 {
			attrs = append(attrs, slog.Int64("blocks", q.blocks), slog.Int64("blocks_skipped", q.skipped))
		}
		if q.hits+q.misses > 0 {
			attrs = append(attrs, slog.Int64("cache_hits", q.hits), slog.Int64("cache_misses", q.misses))
		}
		level := slog.LevelInfo
		if q.err != nil {
			attrs = append(attrs, slog.String("error", q.err.Error()))
			if status >= 500 || q.streamed {
				level = slog.LevelWarn
			}
		}
		s.log.LogAttrs(r.Context(), level, "query", attrs...)
	})
}
