package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultPeerRefresh is how often Peers.Run resolves the peers again.
const DefaultPeerRefresh = 15 * time.Second

// Peers is the set of replicas of the cluster, from the -peers flag (SNELLER_PEERS):
//
//	dns:<name>:<port>        the A/AAAA records of name (a Kubernetes headless Service),
//	                         each at port
//	host:port,host:port,...  a static list
//
// Peers are counted for the cluster size GET / reports, and queries are split among them (see
// distribute.go): the addresses are their internode listeners, and a replica recognizes itself
// among them by the node ID its own GET /internode/ping returns, so the list may (and with a
// headless Service does) include the replica itself.
type Peers struct {
	spec     string
	static   []string
	dnsName  string
	dnsPort  string
	resolver *net.Resolver
	log      *slog.Logger

	mu    sync.RWMutex
	addrs []string
}

// ParsePeers parses a peer specification; an empty one returns nil (a cluster of one).
func ParsePeers(spec string, log *slog.Logger) (*Peers, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	if log == nil {
		log = slog.Default()
	}
	p := &Peers{spec: spec, resolver: net.DefaultResolver, log: log}
	if rest, ok := strings.CutPrefix(spec, "dns:"); ok {
		host, port, err := net.SplitHostPort(rest)
		if err != nil || host == "" || port == "" {
			return nil, fmt.Errorf("peers %q: want dns:<name>:<port>", spec)
		}
		p.dnsName, p.dnsPort = host, port
		return p, nil
	}
	for _, a := range strings.Split(spec, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" || port == "" {
			return nil, fmt.Errorf("peers %q: %q is not host:port (want dns:<name>:<port> or host:port,host:port,...)", spec, a)
		}
		p.static = append(p.static, a)
	}
	if len(p.static) == 0 {
		return nil, fmt.Errorf("peers %q: no peer", spec)
	}
	slices.Sort(p.static)
	p.static = slices.Compact(p.static)
	p.addrs = p.static
	return p, nil
}

// Count returns the number of peers last resolved.
func (p *Peers) Count() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.addrs)
}

// Addrs returns the peers' addresses (host:port), sorted.
func (p *Peers) Addrs() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return slices.Clone(p.addrs)
}

// Refresh resolves the peers now. On a DNS failure the previous set is kept.
func (p *Peers) Refresh(ctx context.Context) error {
	if p.dnsName == "" {
		return nil
	}
	ips, err := p.resolver.LookupHost(ctx, p.dnsName)
	if err != nil {
		return fmt.Errorf("peers %s: %w", p.spec, err)
	}
	addrs := make([]string, 0, len(ips))
	for _, ip := range ips {
		addrs = append(addrs, net.JoinHostPort(ip, p.dnsPort))
	}
	slices.Sort(addrs)
	addrs = slices.Compact(addrs)
	p.mu.Lock()
	changed := !slices.Equal(addrs, p.addrs)
	p.addrs = addrs
	p.mu.Unlock()
	if changed {
		p.log.Info("peers changed", "spec", p.spec, "count", len(addrs))
	}
	return nil
}

// Run refreshes the peers every interval (0: DefaultPeerRefresh) until ctx is cancelled.
func (p *Peers) Run(ctx context.Context, interval time.Duration) {
	if p.dnsName == "" {
		return
	}
	if interval <= 0 {
		interval = DefaultPeerRefresh
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := p.Refresh(ctx); err != nil && ctx.Err() == nil {
			p.log.Warn("peer discovery failed; keeping the previous peers", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
