package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/internal/version"
)

// Defaults of Config.
const (
	DefaultQueryTimeout    = 15 * time.Minute
	DefaultMaxBodyBytes    = 16 << 20
	DefaultMemoryLimit     = 1 << 30
	DefaultShutdownTimeout = 30 * time.Second
)

// Config configures a Server.
type Config struct {
	// Auth authorizes bearer tokens (required).
	Auth auth.Provider
	// Catalog resolves tenants' tables (required).
	Catalog Catalog
	// Cache is the block cache (nil: blobs are read from storage every time).
	Cache *cache.Cache
	// Logger receives the query log and errors (nil: slog.Default()).
	Logger *slog.Logger
	// Registry receives the service's metrics and is served at /metrics (nil: a new registry
	// with the Go and process collectors).
	Registry *prometheus.Registry
	// MaxConcurrent is the number of queries that may run at once; more are refused with
	// 429 (0: 4 × GOMAXPROCS).
	MaxConcurrent int
	// QueryTimeout bounds one query's planning and execution (0: DefaultQueryTimeout).
	QueryTimeout time.Duration
	// MemoryLimit bounds the memory one query holds in its operators' state (0:
	// DefaultMemoryLimit; negative: unlimited).
	MemoryLimit int64
	// MaxBodyBytes bounds a POSTed query text (0: DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// Workers is the number of goroutines one query scans with (0: GOMAXPROCS).
	Workers int
	// ShutdownTimeout is how long Serve lets running requests finish after its context is
	// cancelled before it cancels them (0: DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// Peers reports the cluster (nil: a cluster of one).
	Peers *Peers
	// InternodeKey authenticates the internode endpoint (see InternodeKey); nil disables it.
	InternodeKey *[32]byte
	// MinDistributedBlocks is the number of blocks from which a query is split among the
	// peers (0: DefaultMinDistributedBlocks; negative: queries always run where they arrive).
	// Distribution needs Peers and InternodeKey. See distribute.go.
	MinDistributedBlocks int
	// PeerTimeout bounds how long a peer may take to accept a share of a query, up to the
	// first byte of its answer (0: DefaultPeerTimeout).
	PeerTimeout time.Duration
	// Version is reported by GET / and the X-Sneller-Version header (default: the build's).
	Version string
}

// Server is the snellerd HTTP service.
type Server struct {
	cfg     Config
	log     *slog.Logger
	metrics *metrics
	slots   chan struct{}
	handler http.Handler
	nodeID  string       // this process among the peers (GET /internode/ping)
	dist    *distributor // distributed queries

	// base is the parent context of every request served by Serve; it is cancelled when the
	// shutdown deadline passes.
	base       context.Context
	cancelBase context.CancelCauseFunc
	closing    sync.Once
}

// errShutdown is the cause of the cancellation of requests still running when the shutdown
// deadline passes.
var errShutdown = errors.New("the server is shutting down")

// New returns a server.
func New(cfg Config) (*Server, error) {
	if cfg.Auth == nil {
		return nil, errors.New("server: no authentication provider")
	}
	if cfg.Catalog == nil {
		return nil, errors.New("server: no catalog")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = DefaultQueryTimeout
	}
	switch {
	case cfg.MemoryLimit == 0:
		cfg.MemoryLimit = DefaultMemoryLimit
	case cfg.MemoryLimit < 0:
		cfg.MemoryLimit = 0
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.Version == "" {
		cfg.Version = version.String()
	}
	if cfg.Registry == nil {
		cfg.Registry = NewRegistry()
	}
	if cfg.PeerTimeout <= 0 {
		cfg.PeerTimeout = DefaultPeerTimeout
	}
	s := &Server{cfg: cfg, log: cfg.Logger, slots: make(chan struct{}, cfg.MaxConcurrent)}
	s.base, s.cancelBase = context.WithCancelCause(context.Background())
	m, err := newMetrics(cfg.Registry, cfg.Cache)
	if err != nil {
		return nil, fmt.Errorf("server: metrics: %w", err)
	}
	s.metrics = m
	s.nodeID = newNodeID()
	s.dist = newDistributor(s)
	s.handler = s.routes()
	return s, nil
}

// Handler returns the HTTP handler of the client API.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves h on ln until ctx is cancelled, then shuts down gracefully: the listener is
// closed at once, requests in progress (running queries) get ShutdownTimeout to finish, and
// those still running after it are cancelled. It returns nil after a shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return s.base },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		s.log.Warn("shutdown deadline passed; cancelling the requests still running", "listener", ln.Addr().String(), "timeout", s.cfg.ShutdownTimeout)
		s.cancelBase(errShutdown)
		// give the cancelled queries a moment to write their error records
		cctx, ccancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer ccancel()
		if srv.Shutdown(cctx) != nil {
			srv.Close()
		}
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Close cancels every request still running (after Serve has returned, for example).
func (s *Server) Close() {
	s.closing.Do(func() { s.cancelBase(errShutdown) })
}
