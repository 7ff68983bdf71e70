// Command snellerd is the query daemon: it answers SQL over HTTP for clients that present a
// bearer token. This package holds flags and wiring only; the service lives in package server,
// tokens in package auth, the block cache in package cache.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/internal/bytesize"
	"github.com/sneller-re/sneller/internal/version"
	"github.com/sneller-re/sneller/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config holds the parsed flags.
type config struct {
	listen, internode, peers, root, auth string
	cacheDir                             string
	cacheSize                            sizeFlag
	cacheSizeEnv                         string
	maxConcurrent                        int
	distributeMin                        int
	queryTimeout, shutdownTimeout        time.Duration
	queryMemory, maxBody                 sizeFlag
	webhookTTL                           time.Duration
	logLevel, logFormat                  string
}

// defaultCacheSize is the block cache limit without -cache-size or SNELLER_CACHE_SIZE: half of
// the Helm chart's default cache volume (1Gi), leaving room for entries being written.
const defaultCacheSize = 512 << 20

// sizeFlag is a byte count flag ("512MiB").
type sizeFlag struct{ n int64 }

func (s *sizeFlag) String() string { return bytesize.Format(s.n) }
func (s *sizeFlag) Set(v string) error {
	n, err := bytesize.Parse(v)
	s.n = n
	return err
}

// environment documents the variables snellerd reads.
const environment = `Environment:
  SNELLER_TOKEN       bearer tokens accepted by the default (environment) provider, comma-separated
  SNELLER_INDEX_KEY   base64 of the 32-byte key that signs table indexes (the same as sdb's); also
                      keys the internode authentication
  SNELLER_BUCKET      the root when -root is not given: s3://bucket[/prefix] or a local directory
  SNELLER_TENANT_ID   the environment provider's tenant ID in logs (default "default")
  SNELLER_MAX_SCAN_BYTES  the environment provider's per-query scan limit (e.g. 100GiB; default none)
  SNELLER_PEERS       the peers when -peers is not given
  CACHEDIR            the block cache lives in $CACHEDIR/blocks when -cache-dir is not given
  SNELLER_CACHE_SIZE  the block cache limit when -cache-size is not given
  S3_ENDPOINT         base URL of an S3-compatible server (path-style requests)
  AWS_REGION, AWS_DEFAULT_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
  AWS_PROFILE, AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE
                      S3 credentials and region, through the AWS SDK's default chain (EKS web
                      identity included)
`

func newFlags(getenv func(string) string, c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("snellerd", flag.ContinueOnError)
	fs.StringVar(&c.listen, "e", "127.0.0.1:8000", "listen `address` of the client API")
	fs.StringVar(&c.internode, "r", "", "listen `address` of the internode endpoint (off when empty; needs SNELLER_INDEX_KEY)")
	fs.StringVar(&c.peers, "peers", getenv("SNELLER_PEERS"), "peer `spec`: dns:<name>:<port> (a headless Service) or host:port,host:port,... (default $SNELLER_PEERS)")
	fs.StringVar(&c.root, "root", getenv("SNELLER_BUCKET"), "storage `root`: s3://bucket[/prefix] or a local directory (default $SNELLER_BUCKET)")
	fs.StringVar(&c.auth, "a", "", "token `provider`: empty for the environment (SNELLER_TOKEN), http(s)://... for a webhook, [file://]path for a token file")
	fs.StringVar(&c.cacheDir, "cache-dir", cache.DefaultDir(getenv), "block cache `directory` ($CACHEDIR/blocks when CACHEDIR is set, else under the OS cache directory)")
	c.cacheSize = sizeFlag{defaultCacheSize}
	if v := getenv("SNELLER_CACHE_SIZE"); v != "" {
		c.cacheSize.Set(v) // a bad value is reported by validate
		c.cacheSizeEnv = v
	}
	fs.Var(&c.cacheSize, "cache-size", "block cache size `limit`, e.g. 512MiB or 4GiB; keep it below the cache volume's size ($SNELLER_CACHE_SIZE when set)")
	fs.IntVar(&c.maxConcurrent, "max-concurrent", 0, "queries running at once; more get 429 (default 4 × the number of CPUs)")
	fs.IntVar(&c.distributeMin, "distribute-min-blocks", server.DefaultMinDistributedBlocks, "split a query among the peers when it reads at least this many blocks (negative: never)")
	fs.DurationVar(&c.queryTimeout, "query-timeout", server.DefaultQueryTimeout, "per-query time limit")
	c.queryMemory = sizeFlag{server.DefaultMemoryLimit}
	fs.Var(&c.queryMemory, "query-memory", "per-query memory `limit` for GROUP BY, ORDER BY, DISTINCT, joins and windows")
	c.maxBody = sizeFlag{server.DefaultMaxBodyBytes}
	fs.Var(&c.maxBody, "max-body", "largest query text accepted in a POST body (a `size`)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", server.DefaultShutdownTimeout, "on SIGTERM, how long running queries may take to finish")
	fs.DurationVar(&c.webhookTTL, "webhook-ttl", auth.DefaultWebhookTTL, "how long a webhook's answer for a token is reused")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn, error")
	fs.StringVar(&c.logFormat, "log-format", "json", "log `format`: json or text")
	return fs
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: snellerd [daemon] [flags]\n       snellerd version\n\n")
	fmt.Fprintf(w, "Serves SQL queries over HTTP (see docs/http-api.md). With -peers, a query that reads\nenough blocks is split among the replicas, which scan their shares and send back partial\nresults (over the authenticated internode port, -r).\n\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\n%s", environment)
}

// run is the daemon; it returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "version" || args[0] == "-version" || args[0] == "--version") {
		fmt.Fprintf(stdout, "snellerd %s\n", version.String())
		return 0
	}
	if len(args) > 0 && args[0] == "daemon" { // the original's form: snellerd daemon -e ...
		args = args[1:]
	}
	var c config
	fs := newFlags(getenv, &c)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "snellerd: %v\n\n", err)
		usage(stderr, fs)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "snellerd: unexpected arguments %q\n\n", fs.Args())
		usage(stderr, fs)
		return 2
	}
	log, err := newLogger(stderr, c.logLevel, c.logFormat)
	if err != nil {
		fmt.Fprintf(stderr, "snellerd: %v\n", err)
		return 2
	}
	if err := serve(ctx, &c, getenv, log); err != nil {
		log.Error("snellerd stopped", "error", err.Error())
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format %q: want json or text", format)
}

// serve wires the pieces and runs until ctx is cancelled (SIGINT, SIGTERM).
func serve(ctx context.Context, c *config, getenv func(string) string, log *slog.Logger) error {
	var root db.FS
	if c.root != "" {
		r, err := db.OpenRoot(ctx, c.root)
		if err != nil {
			return fmt.Errorf("-root %s: %w", c.root, err)
		}
		root = r
	}
	provider, err := auth.Parse(ctx, c.auth, auth.Options{Getenv: getenv, Root: root, WebhookTTL: c.webhookTTL, Logger: log})
	if err != nil {
		return fmt.Errorf("authentication (-a %q): %w", c.auth, err)
	}
	var internodeKey *[32]byte
	if k := getenv(auth.EnvIndexKey); k != "" {
		ik, err := auth.ParseIndexKey(k)
		if err != nil {
			return fmt.Errorf("%s: %w", auth.EnvIndexKey, err)
		}
		internodeKey = server.InternodeKey(ik)
	}
	if c.internode != "" && internodeKey == nil {
		return fmt.Errorf("-r %s: the internode endpoint needs %s (its key is derived from the index key)", c.internode, auth.EnvIndexKey)
	}
	if c.cacheSizeEnv != "" {
		if _, err := bytesize.Parse(c.cacheSizeEnv); err != nil {
			return fmt.Errorf("SNELLER_CACHE_SIZE: %w", err)
		}
	}
	if c.cacheSize.n <= 0 {
		return fmt.Errorf("-cache-size must be positive")
	}
	bc, err := cache.Open(c.cacheDir, c.cacheSize.n)
	if err != nil {
		return err
	}
	peers, err := server.ParsePeers(c.peers, log)
	if err != nil {
		return err
	}
	memory := c.queryMemory.n
	if memory == 0 {
		memory = -1 // -query-memory 0: unlimited
	}
	srv, err := server.New(server.Config{
		Auth:            provider,
		Catalog:         server.NewDBCatalog(),
		Cache:           bc,
		Logger:          log,
		MaxConcurrent:   c.maxConcurrent,
		QueryTimeout:    c.queryTimeout,
		MemoryLimit:     memory,
		MaxBodyBytes:    c.maxBody.n,
		ShutdownTimeout: c.shutdownTimeout,
		Peers:           peers,
		InternodeKey:    internodeKey,

		MinDistributedBlocks: c.distributeMin,
	})
	if err != nil {
		return err
	}
	defer srv.Close()

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return fmt.Errorf("-e: %w", err)
	}
	var iln net.Listener
	if c.internode != "" {
		if iln, err = net.Listen("tcp", c.internode); err != nil {
			ln.Close()
			return fmt.Errorf("-r: %w", err)
		}
	}
	if peers != nil {
		go peers.Run(ctx, 0)
	}
	attrs := []any{"version", version.String(), "listen", ln.Addr().String(), "cache", bc.Dir(), "cache_limit", bytesize.Format(c.cacheSize.n)}
	if c.root != "" {
		attrs = append(attrs, "root", root.URL())
	}
	if iln != nil {
		attrs = append(attrs, "internode", iln.Addr().String())
	}
	if c.peers != "" {
		attrs = append(attrs, "peers", c.peers)
	}
	log.Info("snellerd listening", attrs...)

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ctx, ln, srv.Handler()) }()
	n := 1
	if iln != nil {
		n++
		go func() { errc <- srv.Serve(ctx, iln, srv.InternodeHandler()) }()
	}
	var first error
	for i := 0; i < n; i++ {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	if first == nil {
		log.Info("snellerd stopped")
	}
	return first
}
