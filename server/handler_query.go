package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/internal/bytesize"
	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/sql"
)

// queryHandler serves /query (and /executeQuery): GET and HEAD take the SQL in the query
// parameter, POST in the body. See docs/http-api.md.
func (s *Server) queryHandler(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r.Context())
	tenant := tenantOf(r.Context())
	params := r.URL.Query()

	// The request: SQL text, output format, options.
	text, status, msg := s.readSQL(w, r)
	if status != 0 {
		q.err = errors.New(msg)
		textError(w, status, msg)
		return
	}
	q.sqlBytes = len(text)
	database := params.Get("database")
	q.database = database
	of, err := negotiate(r.Header.Get("Accept"), params.Has("json"))
	if err != nil {
		q.err = err
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	q.format = string(of.format)
	stats := params.Has("stats")
	if stats && of.format == output.CSV {
		q.err = errors.New("stats with CSV")
		textError(w, http.StatusBadRequest, "the final status record (stats) is not available in CSV output; use ND-JSON or Ion")
		return
	}
	dry := r.Method == http.MethodHead || (r.Method == http.MethodPost && params.Has("dry"))

	st, err := sql.Parse(text)
	if err != nil {
		q.err = err
		textError(w, http.StatusBadRequest, err.Error())
		return
	}

	// A slot among the concurrent queries.
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		q.err = errors.New("at the concurrency limit")
		w.Header().Set("Retry-After", "1")
		textError(w, http.StatusTooManyRequests, fmt.Sprintf("too many queries running (the limit is %d); retry later", cap(s.slots)))
		return
	}

	ctx, cancel := context.WithTimeoutCause(r.Context(), s.cfg.QueryTimeout,
		fmt.Errorf("%w after %s (the server's per-query timeout)", ErrQueryTimeout, s.cfg.QueryTimeout))
	defer cancel()
	// cause replaces a context error by the reason of the cancellation.
	cause := func(err error) error {
		if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
			if c := context.Cause(ctx); c != nil && c != ctx.Err() {
				return c
			}
		}
		return err
	}

	// Plan: resolve the tables (the catalog opens and verifies their indexes).
	pq, env, err := s.prepare(ctx, st, tenant, database, time.Time{})
	if err != nil {
		s.queryFailed(w, q, cause(err), phasePlan)
		return
	}
	maxScan := pq.MaxScanned()
	w.Header().Set(HeaderMaxScannedBytes, strconv.FormatInt(maxScan, 10))
	if err := scanLimit(tenant, maxScan); err != nil {
		s.queryFailed(w, q, err, phasePlan)
		return
	}

	// Caching: a result over versioned tables without volatile functions has an ETag; a
	// conditional request the client's copy satisfies is answered without running the query.
	h := w.Header()
	if tables, versioned := env.tableVersions(); versioned && len(tables) > 0 {
		if normalized := st.String(); !isVolatile(normalized) {
			key := cacheKey{tenant: tenant.ID, version: s.cfg.Version, sql: normalized, tables: tables,
				format: string(of.format), contentType: of.contentType, stats: stats}
			etag, modified := key.etag(), lastModified(tables)
			setCacheHeaders(h, etag, modified)
			notModified, badDate := precondition(r, etag, modified)
			switch {
			case badDate:
				q.err = errors.New("bad If-Modified-Since")
				dropResultHeaders(h)
				textError(w, http.StatusBadRequest, `malformed If-Modified-Since header: want an HTTP date like "Mon, 02 Jan 2006 15:04:05 GMT"`)
				return
			case notModified && r.Method == http.MethodPost:
				q.err = errors.New("precondition failed")
				textError(w, http.StatusPreconditionFailed, "precondition failed: the result has not changed (If-None-Match or If-Modified-Since)")
				return
			case notModified:
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
	}
	if h.Get("ETag") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Set("Content-Type", of.contentType)
	if dry {
		w.WriteHeader(http.StatusOK)
		return
	}

	// Run, streaming the rows.
	trailers := strings.Contains(strings.ToLower(r.Header.Get("TE")), "trailers")
	lw := &lazyWriter{w: w, trailers: trailers}
	cols := pq.Columns()
	ow, err := output.New(of.format, lw, cols)
	if err != nil {
		s.queryFailed(w, q, err, phaseRun)
		return
	}
	if st.Explain != nil {
		cols = nil // the rows are the plan's lines
	}
	rs := newResultSetWriter(ow, cols)
	err = cause(s.runQuery(ctx, pq, rs, &distQuery{r: r, text: text, database: database, counts: env.counts, q: q}))
	pst := pq.Stats()
	fs := &finalStatus{
		hits: env.counts.Hits.Load(), misses: env.counts.Misses.Load(),
		scanned: pst.BytesScanned.Load(), rows: pst.RowsOut.Load(),
		blocks: pst.BlocksTotal.Load(), blocksSkipped: pst.BlocksSkipped.Load(),
		elapsed: time.Since(q.start), resultSet: rs.columns(),
	}
	q.rows, q.scanned, q.blocks, q.skipped, q.hits, q.misses = fs.rows, fs.scanned, fs.blocks, fs.blocksSkipped, fs.hits, fs.misses
	if err != nil && !lw.committed {
		// Nothing sent yet: answer with the error's status (the buffered rows are dropped).
		q.rows = 0
		s.queryFailed(w, q, err, phaseRun)
		return
	}
	if err != nil {
		// Rows were sent: the error goes into the stream, in the format's error record.
		q.err, q.streamed = err, true
		_, msg := classify(err, phaseRun)
		if trailers {
			w.Header().Set("Server-Timing", `error;desc="Query Execution Error"`)
		}
		ow.Fail(errors.New(msg))
		return
	}
	if stats || of.format == output.Ion {
		if err := writeFinalStatus(ow, of.format, fs); err != nil {
			q.err = err
			return
		}
	}
	if err := ow.Close(); err != nil {
		q.err = err // the client went away during the last write
		return
	}
	if trailers {
		w.Header().Set("Server-Timing", fmt.Sprintf(`exec;dur=%.3f, miss;desc="Cache Misses";count=%d, hit;desc="Cache Hits";count=%d, scanned;desc="Bytes Scanned";count=%d`,
			float64(fs.elapsed.Microseconds())/1000, fs.misses, fs.hits, fs.scanned))
	}
}

// readSQL returns the query text of the request, or a status and message.
func (s *Server) readSQL(w http.ResponseWriter, r *http.Request) (string, int, string) {
	text := r.URL.Query().Get("query")
	if r.Method == http.MethodPost {
		body := http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		b, err := io.ReadAll(body)
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return "", http.StatusRequestEntityTooLarge, fmt.Sprintf("query text larger than the limit of %d bytes", mbe.Limit)
		case err != nil:
			return "", http.StatusBadRequest, "cannot read query: " + err.Error()
		}
		if len(strings.TrimSpace(string(b))) > 0 {
			text = string(b)
		}
	}
	if strings.TrimSpace(text) == "" {
		if r.Method == http.MethodPost {
			return "", http.StatusBadRequest, "no query: send the SQL text as the request body (or in the query parameter)"
		}
		return "", http.StatusBadRequest, "no query parameter"
	}
	return text, 0, ""
}

// scanLimit refuses a query that would scan more than the tenant's limit.
func scanLimit(t *auth.Tenant, n int64) error {
	if t.MaxScanBytes > 0 && n > t.MaxScanBytes {
		return fmt.Errorf("%w: the query would scan %d bytes (%s), more than tenant %q's limit of %d bytes (%s, max_scan_bytes); select fewer columns or filter on a time range",
			ErrScanLimit, n, bytesize.Format(n), t.ID, t.MaxScanBytes, bytesize.Format(t.MaxScanBytes))
	}
	return nil
}

// queryFailed answers a query error that happened before any byte of the result was sent.
func (s *Server) queryFailed(w http.ResponseWriter, q *queryInfo, err error, ph phase) {
	q.err = err
	status, msg := classify(err, ph)
	h := w.Header()
	dropResultHeaders(h)
	if status == statusClientClosed {
		q.clientGone = true
		return
	}
	if status == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	textError(w, status, msg)
}

// dropResultHeaders removes the headers that describe a result from an error response.
func dropResultHeaders(h http.Header) {
	for _, k := range []string{HeaderMaxScannedBytes, "Cache-Control", "ETag", "Last-Modified", "Vary"} {
		h.Del(k)
	}
}

// fetchFunc returns the blob readers of one query of tenant t: through the block cache, with
// the query's hit and miss counts.
func (s *Server) fetchFunc(t *auth.Tenant, counts *cache.Counts) FetchFunc {
	return func(path, etag string, size int64) pack.Fetcher {
		return s.cfg.Cache.Fetcher(t.Root, path, etag, size, counts)
	}
}
