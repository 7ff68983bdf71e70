package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/sql"
	"github.com/sneller-re/sneller/vm"
)

// Errors of the query service that callers (and tests) can test for.
var (
	// ErrScanLimit means the query would scan more bytes than the tenant's limit.
	ErrScanLimit = errors.New("scan limit exceeded")
	// ErrQueryTimeout means the query ran longer than the server's per-query timeout.
	ErrQueryTimeout = errors.New("query timed out")
	// ErrReadFile means a query used read_file(), which the server does not offer: every
	// blob a query reads must be pinned by a signed index.
	ErrReadFile = errors.New("read_file is not available over HTTP; query tables")
)

// phase tells classify where an error arose.
type phase int

const (
	phasePlan phase = iota // parsing, planning (tables resolved, indexes opened)
	phaseRun               // execution (blobs read)
)

// classify maps a query error to its HTTP status and the message for the client.
func classify(err error, ph phase) (int, string) {
	switch {
	case errors.Is(err, ErrBadIndex):
		return http.StatusInternalServerError, fmt.Sprintf("index refused: %v", err)
	case errors.Is(err, db.ErrETagChanged):
		return http.StatusInternalServerError, fmt.Sprintf("data refused: a blob changed since its index was signed: %v", err)
	case errors.Is(err, pack.ErrCorrupt):
		return http.StatusInternalServerError, fmt.Sprintf("data refused: a blob does not match its index: %v", err)
	case errors.Is(err, errShutdown):
		return http.StatusServiceUnavailable, "the server is shutting down; retry"
	case errors.Is(err, ErrQueryTimeout):
		return http.StatusGatewayTimeout, err.Error()
	case errors.Is(err, context.Canceled):
		return statusClientClosed, "the client went away"
	case ph == phasePlan && (errors.Is(err, plan.ErrNotFound) || errors.Is(err, fs.ErrNotExist)):
		return http.StatusNotFound, err.Error()
	case ph == phaseRun && errors.Is(err, fs.ErrNotExist):
		return http.StatusInternalServerError, fmt.Sprintf("data refused: a blob of the index is missing: %v", err)
	case errors.Is(err, ErrScanLimit), errors.Is(err, ErrReadFile), errors.Is(err, sql.ErrSyntax),
		errors.Is(err, plan.ErrPlan), errors.Is(err, vm.ErrMemoryLimit):
		return http.StatusBadRequest, err.Error()
	}
	return http.StatusInternalServerError, "query failed: " + err.Error()
}
