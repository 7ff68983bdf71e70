package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/plan"
	"github.com/sneller-re/sneller/vm"
)

// Distributed queries. When the server has peers (Config.Peers) and the internode key, a
// query whose plan has a distributable fragment (plan.Query.Fragment) over at least
// MinDistributedBlocks blocks is split: the fragment's blocks are assigned to this node and
// the live peers by rendezvous hashing of (blob ETag, block), each peer is sent its share
// (POST /internode/fragment, see internode_fragment.go), this node scans its own share, and
// the peers' partial results are merged into the rest of the plan, which runs here.
//
// A peer that fails before sending any partial result (unreachable, an error status, a
// refusal because it reads another version of the table or runs another version of the
// server, an error record first) has its share scanned here instead: the failure is logged
// and counted in sneller_peer_failures_total. A peer that fails after partial results were
// merged fails the query with an error that names it: an answer is never silently partial.
//
// Peers are the addresses Peers reports; this node recognizes itself among them by the node ID
// that GET /internode/ping returns (a random ID chosen at start). Peers that cannot be reached
// are left out for peerDownFor.

// Defaults of Config.
const (
	DefaultMinDistributedBlocks = 8
	DefaultPeerTimeout          = 30 * time.Second
)

const (
	// peerDownFor is how long a peer that could not be reached is left out of assignments.
	peerDownFor = 10 * time.Second
	// pingTimeout bounds the identification of a peer.
	pingTimeout = 3 * time.Second
	// HeaderTenantToken carries the client's bearer token to a peer running a share, which
	// authenticates the tenant with its own provider.
	HeaderTenantToken = "X-Sneller-Token"
	// maxPeerError bounds the error text read from a peer's refusal.
	maxPeerError = 4 << 10
)

// distributor holds what the coordinator knows of its peers.
type distributor struct {
	s      *Server
	client *http.Client

	mu    sync.Mutex
	peers map[string]*peerState // by internode address
}

// peerState is what is known of one peer address.
type peerState struct {
	id        string    // its node ID ("" until identified)
	downUntil time.Time // left out of assignments until then
}

func newNodeID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func newDistributor(s *Server) *distributor {
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: pingTimeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		ResponseHeaderTimeout: s.cfg.PeerTimeout,
		DisableCompression:    true,
	}
	return &distributor{s: s, client: &http.Client{Transport: tr}, peers: map[string]*peerState{}}
}

// members returns the name of this node among the peers ("" when it is not listed) and the
// other peers that are not known to be down, identifying new addresses with a ping.
func (d *distributor) members(ctx context.Context) (self string, others []string) {
	addrs := d.s.cfg.Peers.Addrs()
	now := time.Now()
	var unknown []string
	d.mu.Lock()
	for _, a := range addrs {
		p := d.peers[a]
		if p == nil {
			p = &peerState{}
			d.peers[a] = p
		}
		if p.id == "" && !now.Before(p.downUntil) {
			unknown = append(unknown, a)
		}
	}
	d.mu.Unlock()
	if len(unknown) > 0 {
		var wg sync.WaitGroup
		for _, a := range unknown {
			wg.Add(1)
			go func(a string) {
				defer wg.Done()
				id, err := d.ping(ctx, a)
				if ctx.Err() != nil {
					return
				}
				d.mu.Lock()
				p := d.peers[a]
				if err != nil {
					p.downUntil = time.Now().Add(peerDownFor)
				} else {
					p.id = id
				}
				d.mu.Unlock()
				if err != nil {
					d.s.metrics.peerFailures.WithLabelValues("unreachable").Inc()
					d.s.log.Warn("peer unreachable; left out of queries for a while", "peer", a, "for", peerDownFor, "error", err.Error())
				}
			}(a)
		}
		wg.Wait()
	}
	now = time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, a := range addrs {
		p := d.peers[a]
		switch {
		case p.id == d.s.nodeID:
			self = a
		case p.id != "" && !now.Before(p.downUntil):
			others = append(others, a)
		}
	}
	return self, others
}

// markDown leaves a peer out of assignments for a while.
func (d *distributor) markDown(addr string) {
	d.mu.Lock()
	if p := d.peers[addr]; p != nil {
		p.downUntil = time.Now().Add(peerDownFor)
	}
	d.mu.Unlock()
}

// ping asks a peer for its node ID.
func (d *distributor) ping(ctx context.Context, addr string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/internode/ping", nil)
	if err != nil {
		return "", err
	}
	SignInternode(req, d.s.cfg.InternodeKey, time.Now())
	resp, err := d.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("ping: %w", refusal(resp))
	}
	var p struct {
		Node string `json:"node"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxPeerError)).Decode(&p); err != nil {
		return "", fmt.Errorf("ping: %w", err)
	}
	if p.Node == "" {
		return "", errors.New("ping: the peer reports no node ID")
	}
	return p.Node, nil
}

// refusal is the error of a peer's answer with a status other than 200: the status and the
// start of the peer's message.
func refusal(resp *http.Response) error {
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxPeerError))
	return fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(msg)))
}

// fragmentRequest is the body of POST /internode/fragment.
type fragmentRequest struct {
	SQL       string `json:"sql"`
	Database  string `json:"database"`
	Now       int64  `json:"now_us"` // UTCNOW() of the coordinator's plan, in Unix microseconds
	Table     string `json:"table"`
	Version   string `json:"table_version"` // the ETag of the table's index
	Signature string `json:"signature"`     // plan.Fragment.Signature
	Server    string `json:"server_version"`
	Blocks    []int  `json:"blocks"`
}

// fragmentDigest binds the body and the forwarded token of a fragment request to its signed
// URI: the request carries it in its digest parameter, which the internode MAC covers.
func fragmentDigest(token string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "sneller-fragment-v1\n%s\n", token)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// peerStatus is the final status record of a peer's share.
type peerStatus struct {
	hits, misses, scanned, skipped int64
}

// distQuery is what a distributed run needs from the query request.
type distQuery struct {
	r        *http.Request
	text     string
	database string
	counts   *cache.Counts
	q        *queryInfo
}

// runQuery runs a planned query: split among the peers when it can be, else here.
func (s *Server) runQuery(ctx context.Context, pq *plan.Query, w plan.RowWriter, dq *distQuery) error {
	d := s.dist
	min := s.cfg.MinDistributedBlocks
	if s.cfg.Peers == nil || s.cfg.InternodeKey == nil || min < 0 {
		return pq.Run(ctx, w)
	}
	if min == 0 {
		min = DefaultMinDistributedBlocks
	}
	f, ok := pq.Fragment()
	if !ok || len(f.Blocks) < min {
		return pq.Run(ctx, w)
	}
	self, others := d.members(ctx)
	if len(others) == 0 {
		return pq.Run(ctx, w)
	}
	if self == "" {
		self = "self:" + s.nodeID
	}
	nodes := append([]string{self}, others...)
	keys := make([]uint64, len(f.Blocks))
	for j, b := range f.Blocks {
		keys[j] = blockKey(b.ETag, b.Block)
	}
	owner := rendezvous(nodes, keys)
	parts := make([][]int, len(nodes))
	for j, b := range f.Blocks {
		parts[owner[j]] = append(parts[owner[j]], b.Index)
	}
	token, _ := bearer(dq.r.Header.Get("Authorization"))
	req := fragmentRequest{SQL: dq.text, Database: dq.database, Now: pq.Now().UnixMicro(), Table: f.Table,
		Version: f.Version, Signature: f.Signature, Server: s.cfg.Version}
	var shares []plan.Share
	var names []string
	for i := 1; i < len(nodes); i++ {
		if len(parts[i]) == 0 {
			continue
		}
		peer := nodes[i]
		r := req
		r.Blocks = parts[i]
		body, err := json.Marshal(&r)
		if err != nil {
			return err
		}
		names = append(names, peer)
		shares = append(shares, plan.Share{
			Blocks: parts[i],
			Run: func(ctx context.Context, emit func(vm.Value) error) error {
				return d.runShare(ctx, peer, token, body, dq, pq, emit)
			},
			Fallback: func(err error) {
				d.s.log.Warn("peer failed before sending results; its share runs here", "query_id", dq.q.id, "peer", peer, "blocks", len(r.Blocks), "error", err.Error())
			},
		})
	}
	if len(shares) == 0 {
		return pq.Run(ctx, w)
	}
	s.metrics.distQueries.Inc()
	s.metrics.peerShares.Add(float64(len(shares)))
	s.log.Debug("distributed query", "query_id", dq.q.id, "blocks", len(f.Blocks), "local", len(parts[0]), "peers", strings.Join(names, ","))
	return pq.RunDistributed(ctx, w, parts[0], shares)
}

// runShare sends a share to a peer and passes its partial results to emit. Errors name the
// peer; the metrics count them.
func (d *distributor) runShare(ctx context.Context, peer, token string, body []byte, dq *distQuery, pq *plan.Query, emit func(vm.Value) error) error {
	sent := 0
	fail := func(reason string, err error) error {
		if sent > 0 {
			reason = "mid_stream"
			err = fmt.Errorf("peer %s failed after sending partial results, which cannot be taken back: %w", peer, err)
		} else {
			err = fmt.Errorf("peer %s: %w", peer, err)
		}
		if ctx.Err() == nil {
			d.s.metrics.peerFailures.WithLabelValues(reason).Inc()
		}
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+peer+"/internode/fragment?digest="+fragmentDigest(token, body), bytes.NewReader(body))
	if err != nil {
		return fail("refused", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderTenantToken, token)
	req.Header.Set(HeaderQueryID, dq.q.id)
	SignInternode(req, d.s.cfg.InternodeKey, time.Now())
	resp, err := d.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			d.markDown(peer)
		}
		return fail("unreachable", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail("refused", refusal(resp))
	}
	rd := ion.NewReader(resp.Body)
	var st *peerStatus
	for rd.Next() {
		if st != nil {
			return fail("error", errors.New("a value after the final status"))
		}
		label, annotated, err := ionLabel(rd.Value(), rd.Symtab())
		if err != nil {
			return fail("error", err)
		}
		x, err := vm.DecodeIon(rd.Value(), rd.Symtab()) // without the annotation
		if err != nil {
			return fail("error", err)
		}
		switch {
		case !annotated:
			sent++
			if err := emit(x); err != nil {
				if errors.Is(err, vm.ErrDone) {
					return err // the query has enough: stop reading (closing the body ends the peer's work)
				}
				return fmt.Errorf("merging the results of peer %s: %w", peer, err)
			}
		case label == finalStatusLabel:
			st = &peerStatus{hits: x.Field("hits").Int(), misses: x.Field("misses").Int(),
				scanned: x.Field("scanned").Int(), skipped: x.Field("blocks_skipped").Int()}
		case label == "query_error":
			return fail("error", errors.New(x.Field("error_message").String()))
		default:
			return fail("error", fmt.Errorf("unexpected %s:: value", label))
		}
	}
	if err := rd.Err(); err != nil {
		return fail("error", err)
	}
	if st == nil {
		return fail("error", errors.New("the answer ended without a final status"))
	}
	dq.counts.Hits.Add(st.hits)
	dq.counts.Misses.Add(st.misses)
	pq.Stats().BytesScanned.Add(st.scanned)
	pq.Stats().BlocksSkipped.Add(st.skipped)
	return nil
}

// ionLabel returns the first annotation of an encoded Ion value, and whether it has one.
func ionLabel(v []byte, st *ion.Symtab) (label string, annotated bool, err error) {
	if h, err := ion.ReadHead(v); err != nil || h.Type != ion.AnnotationType {
		return "", false, nil // DecodeIon reports a bad head
	}
	annots, _, _, err := ion.Unannotate(v)
	if err != nil {
		return "", true, err
	}
	sym, _, err := ion.ReadLabel(annots)
	if err != nil {
		return "", true, err
	}
	label, _ = st.Get(sym)
	return label, true, nil
}

// wrapped is the table source under one of the server's wrappers (versionedSource,
// limitedSource): it passes the identity of the table's blocks through (plan.DistSource).
type wrapped struct{ vm.Source }

func (s wrapped) Version() string {
	if d, ok := s.Source.(plan.DistSource); ok {
		return d.Version()
	}
	return ""
}

func (s wrapped) BlockKey(i int) (string, int) {
	if d, ok := s.Source.(plan.DistSource); ok {
		return d.BlockKey(i)
	}
	return "", -1
}
