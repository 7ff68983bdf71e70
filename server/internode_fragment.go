package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// fragmentHandler serves POST /internode/fragment?digest=D (after the internode signature
// check): it runs a coordinator's share of a distributed query. The body is a JSON
// fragmentRequest; the client's bearer token comes in X-Sneller-Token, and D, which the
// signature covers, is fragmentDigest(token, body), so neither can be swapped. This node
// authenticates the tenant with its own provider, plans the same SQL with the coordinator's
// UTCNOW, and checks that it planned the same fragment over the same version of the table
// (409 otherwise: the coordinator then scans the share itself). The answer is 200 with an Ion
// stream of partial results (plan.Query.RunFragment) ended by final_status::{hits, misses,
// scanned, blocks, blocks_skipped, partials}, or by query_error::{error_message} when the
// share fails.
func (s *Server) fragmentHandler(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	refuse := func(status int, msg string) {
		s.metrics.fragments.WithLabelValues("refused").Inc()
		s.log.Warn("internode fragment refused", "query_id", r.Header.Get(HeaderQueryID), "remote", r.RemoteAddr, "status", status, "error", msg)
		textError(w, status, msg)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes+64<<10))
	if err != nil {
		refuse(http.StatusBadRequest, "cannot read the request: "+err.Error())
		return
	}
	token := r.Header.Get(HeaderTenantToken)
	if r.URL.Query().Get("digest") != fragmentDigest(token, body) {
		s.metrics.authFailures.WithLabelValues("internode").Inc()
		refuse(http.StatusUnauthorized, "the request's digest does not match its body and token")
		return
	}
	var req fragmentRequest
	if err := json.Unmarshal(body, &req); err != nil {
		refuse(http.StatusBadRequest, "bad fragment request: "+err.Error())
		return
	}
	if req.Server != s.cfg.Version {
		refuse(http.StatusConflict, fmt.Sprintf("this node runs version %s, the coordinator %s", s.cfg.Version, req.Server))
		return
	}
	tenant, err := s.cfg.Auth.Authorize(r.Context(), token)
	switch {
	case err == nil && tenant != nil:
	case err == nil || errors.Is(err, auth.ErrRejected):
		refuse(http.StatusForbidden, "token not allowed")
		return
	default:
		refuse(http.StatusServiceUnavailable, "authentication unavailable")
		return
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		refuse(http.StatusServiceUnavailable, "too many queries running")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()

	st, err := sql.Parse(req.SQL)
	if err != nil {
		refuse(http.StatusBadRequest, err.Error())
		return
	}
	pq, env, err := s.prepare(ctx, st, tenant, req.Database, time.UnixMicro(req.Now))
	if err != nil {
		status, msg := classify(err, phasePlan)
		refuse(status, msg)
		return
	}
	f, ok := pq.Fragment()
	switch {
	case !ok:
		refuse(http.StatusConflict, "the query has no distributable fragment here")
		return
	case f.Table != req.Table || f.Version != req.Version:
		refuse(http.StatusConflict, fmt.Sprintf("this node reads %s at version %s, the coordinator %s at version %s", f.Table, f.Version, req.Table, req.Version))
		return
	case f.Signature != req.Signature:
		refuse(http.StatusConflict, "this node planned the query differently")
		return
	}

	w.Header().Set("Content-Type", "application/ion")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush() // the coordinator knows now that the share is accepted
	}
	ow, _ := output.New(output.Ion, w, nil)
	var partials int64
	var gone error // the coordinator stopped reading (it had enough, or it failed)
	err = pq.RunFragment(ctx, req.Blocks, func(v vm.Value) error {
		partials++
		if err := ow.Row(v); err != nil {
			gone = err
			return err
		}
		return nil
	})
	pst := pq.Stats()
	attrs := []any{"query_id", r.Header.Get(HeaderQueryID), "tenant", tenant.ID, "table", f.Table,
		"blocks", len(req.Blocks), "partials", partials, "bytes", pst.BytesScanned.Load(),
		"cache_hits", env.counts.Hits.Load(), "cache_misses", env.counts.Misses.Load(), "duration", time.Since(start)}
	if err != nil && (gone != nil || r.Context().Err() != nil) {
		s.metrics.fragments.WithLabelValues("cancelled").Inc()
		s.log.Debug("internode fragment cancelled by the coordinator", attrs...)
		return
	}
	if err != nil {
		s.metrics.fragments.WithLabelValues("failed").Inc()
		_, msg := classify(err, phaseRun)
		s.log.Warn("internode fragment failed", append(attrs, "error", msg)...)
		ow.Fail(errors.New(msg))
		return
	}
	fs := vm.Struct([]vm.Field{
		{Name: "hits", Value: vm.Int(env.counts.Hits.Load())},
		{Name: "misses", Value: vm.Int(env.counts.Misses.Load())},
		{Name: "scanned", Value: vm.Int(pst.BytesScanned.Load())},
		{Name: "blocks", Value: vm.Int(int64(len(req.Blocks)))},
		{Name: "blocks_skipped", Value: vm.Int(pst.BlocksSkipped.Load())},
		{Name: "partials", Value: vm.Int(partials)},
	})
	if err := output.WriteIonAnnotated(ow, finalStatusLabel, fs); err != nil {
		s.metrics.fragments.WithLabelValues("failed").Inc()
		return
	}
	if err := ow.Close(); err != nil {
		s.metrics.fragments.WithLabelValues("failed").Inc()
		return
	}
	s.metrics.fragments.WithLabelValues("ok").Inc()
	s.log.Info("internode fragment", attrs...)
}
