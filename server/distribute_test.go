package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/pack"
)

// The tests of distributed queries run several servers in this process, each on its own
// loopback listeners (client API and internode), over one local root holding a table synced
// by db.Sync, with the peers given as a static list of the internode addresses.

// clusterNode is one server of a test cluster.
type clusterNode struct {
	srv    *Server
	url    string // client API
	addr   string // internode address
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan struct{}
	// fault, when set, handles internode requests instead of the server (returning true) or
	// wraps the response writer (returning false with w replaced).
	fault atomic.Pointer[func(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, bool)]
}

type cluster struct {
	t     *testing.T
	dir   string
	nodes []*clusterNode
}

// clusterOptions tune startCluster.
type clusterOptions struct {
	indexKey func(i int) string     // the tenant's index key on node i (default testIndexKey)
	config   func(i int, c *Config) // adjusts node i's configuration
	down     map[int]bool           // nodes whose internode address is listed but closed
}

// startCluster starts n servers sharing dir (a temporary directory when ""), each listing all
// n internode addresses as its peers.
func startCluster(t *testing.T, dir string, n int, o clusterOptions) *cluster {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(filepath.Join(dir, "acme"), 0o700)
	c := &cluster{t: t, dir: dir}
	ilns := make([]net.Listener, n)
	var addrs []string
	for i := range ilns {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ilns[i] = ln
		addrs = append(addrs, ln.Addr().String())
	}
	key, err := auth.ParseIndexKey(testIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		node := &clusterNode{addr: addrs[i], logs: &syncBuffer{}, done: make(chan struct{})}
		c.nodes = append(c.nodes, node)
		if o.down[i] {
			ilns[i].Close()
			close(node.done)
			continue
		}
		ik := testIndexKey
		if o.indexKey != nil {
			ik = o.indexKey(i)
		}
		tf := filepath.Join(dir, fmt.Sprintf("tokens-%d-%d.json", i, time.Now().UnixNano()))
		tokens := fmt.Sprintf(`{"tenants": [{"id": "acme", "root": %q, "index_key": %q, "tokens": [%q]}]}`, filepath.Join(dir, "acme"), ik, tokAcme)
		if err := os.WriteFile(tf, []byte(tokens), 0o600); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewJSONHandler(node.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		prov, err := auth.NewFileProvider(context.Background(), tf, nil, log)
		if err != nil {
			t.Fatal(err)
		}
		bc, err := cache.Open(filepath.Join(t.TempDir(), "cache"), 64<<20)
		if err != nil {
			t.Fatal(err)
		}
		peers, err := ParsePeers(strings.Join(addrs, ","), log)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Auth: prov, Catalog: NewDBCatalog(), Cache: bc, Logger: log, Version: "test-version",
			Peers: peers, InternodeKey: InternodeKey(key), MinDistributedBlocks: 1, Workers: 2}
		if o.config != nil {
			o.config(i, &cfg)
		}
		srv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		node.srv = srv
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		node.url = "http://" + ln.Addr().String()
		ctx, cancel := context.WithCancel(context.Background())
		node.cancel = cancel
		ih := srv.InternodeHandler()
		internode := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if f := node.fault.Load(); f != nil {
				nw, handled := (*f)(w, r)
				if handled {
					return
				}
				w = nw
			}
			ih.ServeHTTP(w, r)
		})
		go func() {
			errc := make(chan error, 2)
			go func() { errc <- srv.Serve(ctx, ln, srv.Handler()) }()
			go func() { errc <- srv.Serve(ctx, ilns[i], internode) }()
			<-errc
			<-errc
			close(node.done)
		}()
		t.Cleanup(func() {
			node.stop()
			srv.Close()
			if t.Failed() {
				t.Logf("node %d log:\n%s", i, node.logs.String())
			}
		})
	}
	return c
}

// stop shuts the node down (both listeners closed).
func (n *clusterNode) stop() {
	if n.cancel != nil {
		n.cancel()
	}
	select {
	case <-n.done:
	case <-time.After(10 * time.Second):
	}
}

// eventsTable writes n rows of input in files of 500 rows into the cluster's root and syncs
// logs.events with blocks of 100 rows.
func (c *cluster) eventsTable(n int) {
	t := c.t
	t.Helper()
	ctx := context.Background()
	root, err := db.OpenDir(filepath.Join(c.dir, "acme"))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var sb strings.Builder
	file := 0
	flush := func() {
		if sb.Len() == 0 {
			return
		}
		if _, err := root.Put(ctx, fmt.Sprintf("src/f%03d.json", file), strings.NewReader(sb.String()), db.Always); err != nil {
			t.Fatal(err)
		}
		file++
		sb.Reset()
	}
	groups := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"}
	for i := 0; i < n; i++ {
		ts := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		fmt.Fprintf(&sb, `{"i": %d, "g": %q, "x": %d, "f": %g, "ts": %q, "user": "u%d", "tags": ["t%d", "t%d"], "meta": {"k": %d, "s": "s%d"}}`+"\n",
			i, groups[(i*7+i/13)%len(groups)], (i*37)%101, float64(i%17)/4, ts.Format(time.RFC3339), (i*13)%257, i%5, i%3, i%11, i%4)
		if i%500 == 499 {
			flush()
		}
	}
	flush()
	d, err := db.ParseDefinition("definition.json", []byte(`{"input": [{"pattern": "file://src/*.json"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.WriteDefinition(ctx, root, "logs", "events", d); err != nil {
		t.Fatal(err)
	}
	key, _ := auth.ParseIndexKey(testIndexKey)
	_, err = db.Sync(ctx, root, key, "logs", "events", db.SyncOptions{Block: pack.BuilderOptions{MaxRows: 100}, CompactMin: -1, BlobBytes: 16 << 10})
	if err != nil {
		t.Fatal(err)
	}
}

// query sends SQL to node i.
func (c *cluster) query(i int, sqlText, accept string, params ...string) response {
	c.t.Helper()
	return c.queryCtx(context.Background(), i, sqlText, accept, params...)
}

func (c *cluster) queryCtx(ctx context.Context, i int, sqlText, accept string, params ...string) response {
	c.t.Helper()
	u := c.nodes[i].url + "/query?database=logs"
	for _, p := range params {
		u += "&" + p
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(sqlText))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tokAcme)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{status: -1, body: err.Error()}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// metric reads a counter of node i's /metrics ("name" or `name{label="value"}`), 0 when absent.
func (c *cluster) metric(i int, name string) float64 {
	c.t.Helper()
	resp, err := http.Get(c.nodes[i].url + "/metrics")
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return parseMetrics(string(b))[name]
}

// distQueries are compared between one node and a cluster. approx: numbers may differ by
// the stated relative error (sketches merged in another order).
var distQueries = []struct {
	q      string
	approx float64
	count  bool // compare the number of rows only (any rows make a LIMIT without ORDER BY)
}{
	{q: "SELECT * FROM events LIMIT 5", count: true},
	{q: "SELECT i, meta.s FROM events WHERE x > 10 LIMIT 500", count: true},
	{q: "SELECT COUNT(*) AS n FROM events"},
	{q: "SELECT COUNT(*) AS n, SUM(x) AS s, MIN(ts) AS first, MAX(ts) AS last FROM events WHERE x > 50"},
	{q: "SELECT g, COUNT(*) AS n, SUM(x) AS s, AVG(x) AS a, MIN(x) AS lo, MAX(f) AS hi, COUNT(DISTINCT user) AS users FROM events GROUP BY g ORDER BY g"},
	{q: "SELECT g, APPROX_COUNT_DISTINCT(user) AS users FROM events GROUP BY g ORDER BY g"},
	{q: "SELECT g, APPROX_PERCENTILE(x, 0.5) AS med, APPROX_PERCENTILE(f, 0.9) AS p90 FROM events GROUP BY g ORDER BY g", approx: 0.05},
	{q: "SELECT meta.k AS k, COUNT(*) AS n FROM events WHERE g IN ('alpha', 'beta') AND x BETWEEN 10 AND 60 GROUP BY meta.k ORDER BY n DESC, k"},
	{q: "SELECT t, COUNT(*) AS n FROM events AS e, e.tags AS t GROUP BY t ORDER BY t"},
	{q: "SELECT i, g, x FROM events WHERE x < 5 ORDER BY i"},
	{q: "SELECT i, ts FROM events ORDER BY x DESC, i LIMIT 17"},
	{q: "SELECT i FROM events ORDER BY ts DESC LIMIT 5 OFFSET 3"},
	{q: "SELECT DISTINCT g FROM events ORDER BY g"},
	{q: "SELECT g, i, ROW_NUMBER() OVER (PARTITION BY g ORDER BY i) AS r FROM events WHERE x = 7 ORDER BY g, r"},
	{q: "SELECT COUNT(*) AS n FROM (SELECT i FROM events WHERE x > 90)"},
	{q: "SELECT COUNT(*) AS n FROM events AS a JOIN events AS b ON a.i = b.i WHERE a.x < 3"},
}

// normalize returns the rows of a JSON array answer, sorted unless ordered.
func normalize(t *testing.T, body string, ordered bool) []string {
	t.Helper()
	var rows []json.RawMessage
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = string(r)
	}
	if !ordered {
		sort.Strings(out)
	}
	return out
}

// closeJSON compares two JSON rows, numbers within a relative tolerance.
func closeJSON(a, b string, tol float64) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	var eq func(x, y any) bool
	eq = func(x, y any) bool {
		switch x := x.(type) {
		case float64:
			y, ok := y.(float64)
			return ok && math.Abs(x-y) <= tol*math.Max(math.Abs(y), 1)
		case map[string]any:
			y, ok := y.(map[string]any)
			if !ok || len(x) != len(y) {
				return false
			}
			for k := range x {
				if !eq(x[k], y[k]) {
					return false
				}
			}
			return true
		}
		return fmt.Sprint(x) == fmt.Sprint(y)
	}
	return eq(x, y)
}

func compareAnswers(t *testing.T, q string, approx float64, got, want response) {
	t.Helper()
	if got.status != 200 || want.status != 200 {
		t.Fatalf("%s: status %d (%s), single node %d (%s)", q, got.status, got.body, want.status, want.body)
	}
	ordered := strings.Contains(q, "ORDER BY")
	g, w := normalize(t, got.body, ordered), normalize(t, want.body, ordered)
	if len(g) != len(w) {
		t.Fatalf("%s: %d rows, single node %d", q, len(g), len(w))
	}
	for i := range w {
		if g[i] == w[i] {
			continue
		}
		tol := approx
		if tol == 0 {
			tol = 1e-12 // float sums merged in another order
		}
		if !closeJSON(g[i], w[i], tol) {
			t.Fatalf("%s: row %d: %s, single node %s", q, i, g[i], w[i])
		}
	}
}

// TestDistributedQueries: every query answers on a cluster of three as on a single node, the
// peers run fragments, and the statistics count every share.
func TestDistributedQueries(t *testing.T) {
	c := startCluster(t, "", 3, clusterOptions{})
	c.eventsTable(3000)
	single := startCluster(t, c.dir, 1, clusterOptions{})
	for _, dq := range distQueries {
		want := single.query(0, dq.q, "application/json")
		for i := range c.nodes {
			got := c.query(i, dq.q, "application/json")
			if dq.count {
				if g, w := normalize(t, got.body, false), normalize(t, want.body, false); len(g) != len(w) {
					t.Fatalf("%s: %d rows, single node %d", dq.q, len(g), len(w))
				}
				continue
			}
			compareAnswers(t, dq.q, dq.approx, got, want)
		}
	}
	if n := single.metric(0, "sneller_distributed_queries_total"); n != 0 {
		t.Errorf("a single node distributed %v queries", n)
	}
	for i := range c.nodes {
		if n := c.metric(i, "sneller_distributed_queries_total"); n < float64(len(distQueries)-1) {
			t.Errorf("node %d distributed %v queries, want at least %d", i, n, len(distQueries)-1)
		}
		if n := c.metric(i, `sneller_internode_fragments_total{outcome="ok"}`); n < float64(len(distQueries)-1) {
			t.Errorf("node %d ran %v fragments", i, n)
		}
		if n := c.metric(i, `sneller_peer_failures_total{reason="unreachable"}`); n != 0 {
			t.Errorf("node %d: %v unreachable peers", i, n)
		}
		if !strings.Contains(c.nodes[i].logs.String(), `"msg":"internode fragment"`) {
			t.Errorf("node %d logged no fragment", i)
		}
	}
	// the join runs where it arrives
	before := c.metric(0, "sneller_distributed_queries_total")
	c.query(0, distQueries[len(distQueries)-1].q, "application/json").expect(t, 200)
	if after := c.metric(0, "sneller_distributed_queries_total"); after != before {
		t.Errorf("the join was distributed")
	}

	// statistics include the peers' shares
	const q = "SELECT g, COUNT(*) AS n, SUM(x) AS s FROM events GROUP BY g"
	stat := func(r response) map[string]float64 {
		t.Helper()
		r.expect(t, 200)
		lines := strings.Split(strings.TrimSpace(r.body), "\n")
		var last map[string]json.RawMessage // the status, and result_set beside it
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
			t.Fatal(err)
		}
		var st map[string]float64
		if err := json.Unmarshal(last[finalStatusKey], &st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	ws := stat(single.query(0, q, "application/x-ndjson", "stats"))
	gs := stat(c.query(1, q, "application/x-ndjson", "stats"))
	if gs["scanned"] != ws["scanned"] || gs["blocks"] != ws["blocks"] || gs["rows"] != ws["rows"] || ws["blocks"] < 30 {
		t.Errorf("cluster status %v, single node %v", gs, ws)
	}
	if gs["hits"]+gs["misses"] == 0 {
		t.Errorf("no cache lookups counted: %v", gs)
	}
}

// TestRendezvous: assignments are stable, spread, and move minimally when a node leaves.
func TestRendezvous(t *testing.T) {
	nodes := []string{"10.0.0.1:8001", "10.0.0.2:8001", "10.0.0.3:8001", "10.0.0.4:8001"}
	var keys []uint64
	for b := 0; b < 4000; b++ {
		keys = append(keys, blockKey(fmt.Sprintf(`"etag-%d"`, b/40), b%40))
	}
	a := rendezvous(nodes, keys)
	// stable, whatever the order of the nodes
	rev := []string{nodes[3], nodes[2], nodes[1], nodes[0]}
	b := rendezvous(rev, keys)
	count := make([]int, len(nodes))
	for j := range keys {
		if nodes[a[j]] != rev[b[j]] {
			t.Fatalf("block %d: %s, then %s", j, nodes[a[j]], rev[b[j]])
		}
		count[a[j]]++
	}
	for i, n := range count {
		if n < 850 || n > 1150 {
			t.Errorf("node %d has %d blocks of 4000", i, n)
		}
	}
	// a node leaves: only its blocks move
	c := rendezvous(nodes[:3], keys)
	moved := 0
	for j := range keys {
		if a[j] == 3 {
			moved++
			continue
		}
		if c[j] != a[j] {
			t.Fatalf("block %d moved from %s to %s", j, nodes[a[j]], nodes[c[j]])
		}
	}
	if moved != count[3] {
		t.Fatalf("moved %d", moved)
	}
	// a node joins: it takes about a fifth, each from its previous owner
	d := rendezvous(append(nodes, "10.0.0.5:8001"), keys)
	took := 0
	for j := range keys {
		if d[j] == 4 {
			took++
		} else if d[j] != a[j] {
			t.Fatalf("block %d moved between old nodes", j)
		}
	}
	if took < 650 || took > 950 {
		t.Errorf("a new node took %d blocks of 4000", took)
	}
}

// TestDistributedFaults: peers that are down, answer 500, or refuse the table (another index
// key) leave the answer right (their shares run on the coordinator) and move the failure
// metric; a peer that dies after sending partial results fails the query with an error that
// names it.
func TestDistributedFaults(t *testing.T) {
	const q = "SELECT g, COUNT(*) AS n, SUM(x) AS s, MAX(ts) AS last FROM events GROUP BY g ORDER BY g"
	otherKey := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	c := startCluster(t, "", 4, clusterOptions{
		down:     map[int]bool{3: true},
		indexKey: func(i int) string { return map[bool]string{true: otherKey, false: testIndexKey}[i == 2] },
	})
	c.eventsTable(2000)
	single := startCluster(t, c.dir, 1, clusterOptions{})
	want := single.query(0, q, "application/json")

	// node 3 is down, node 2 refuses the index (another key): the shares run on node 0
	got := c.query(0, q, "application/json")
	compareAnswers(t, q, 0, got, want)
	if n := c.metric(0, `sneller_peer_failures_total{reason="unreachable"}`); n != 1 {
		t.Errorf("unreachable failures %v, want 1", n)
	}
	if n := c.metric(0, `sneller_peer_failures_total{reason="refused"}`); n != 1 {
		t.Errorf("refused failures %v, want 1", n)
	}
	if !strings.Contains(c.nodes[2].logs.String(), "index refused") {
		t.Errorf("node 2 did not log the refused index")
	}
	if n := c.metric(1, `sneller_internode_fragments_total{outcome="ok"}`); n != 1 {
		t.Errorf("node 1 ran %v fragments", n)
	}

	// node 1 answers 500
	fail500 := func(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, bool) {
		if r.URL.Path != "/internode/fragment" {
			return w, false
		}
		http.Error(w, "injected failure", http.StatusInternalServerError)
		return w, true
	}
	c.nodes[1].fault.Store(&fail500)
	compareAnswers(t, q, 0, c.query(0, q, "application/json"), want)
	if n := c.metric(0, `sneller_peer_failures_total{reason="refused"}`); n != 3 {
		t.Errorf("refused failures %v, want 3", n)
	}
	c.nodes[1].fault.Store(nil)

	// node 1 stops after it was identified: the connection is refused, its share runs here
	c.nodes[1].stop()
	compareAnswers(t, q, 0, c.query(0, q, "application/json"), want)
	if n := c.metric(0, `sneller_peer_failures_total{reason="unreachable"}`); n != 2 {
		t.Errorf("unreachable failures %v, want 2", n)
	}
}

// TestDistributedMidStream: a peer whose answer breaks off after partial results were merged
// fails the query, with an error naming it; no partial answer is returned.
func TestDistributedMidStream(t *testing.T) {
	c := startCluster(t, "", 2, clusterOptions{})
	c.eventsTable(3000)
	peer := c.nodes[1]
	cut := func(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, bool) {
		if r.URL.Path != "/internode/fragment" {
			return w, false
		}
		return &cutWriter{ResponseWriter: w, left: 1200}, false
	}
	peer.fault.Store(&cut)
	for _, q := range []string{
		"SELECT i, g, x FROM events ORDER BY i",
		"SELECT user, COUNT(*) FROM events GROUP BY user",
	} {
		r := c.query(0, q, "application/json")
		if r.status != 500 || !strings.Contains(r.body, "peer "+peer.addr+" failed after sending partial results") {
			t.Fatalf("%s: status %d, body %.300s", q, r.status, r.body)
		}
	}
	if n := c.metric(0, `sneller_peer_failures_total{reason="mid_stream"}`); n != 2 {
		t.Errorf("mid-stream failures %v, want 2", n)
	}
	// a streamed answer ends with an error record
	r := c.query(0, "SELECT i, g, x, tags, meta FROM events WHERE i >= 0", "application/x-ndjson")
	if r.status != 200 || !strings.Contains(r.body, `"$ion_annotation$query_error"`) || !strings.Contains(r.body, peer.addr) {
		t.Fatalf("streamed: status %d, body ends %q", r.status, r.body[max(0, len(r.body)-300):])
	}
}

// cutWriter passes on the first left bytes of a response, then breaks the connection.
type cutWriter struct {
	http.ResponseWriter
	left int
	cut  bool
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if c.cut {
		return 0, io.ErrClosedPipe
	}
	if len(p) <= c.left {
		c.left -= len(p)
		return c.ResponseWriter.Write(p)
	}
	c.ResponseWriter.Write(p[:c.left])
	c.ResponseWriter.(http.Flusher).Flush()
	c.cut = true
	conn, _, err := c.ResponseWriter.(http.Hijacker).Hijack()
	if err != nil {
		return 0, err
	}
	conn.Close()
	return 0, io.ErrClosedPipe
}

func (c *cutWriter) Flush() {
	if !c.cut {
		c.ResponseWriter.(http.Flusher).Flush()
	}
}

// TestDistributedCancel: a client that goes away cancels the peers' shares.
func TestDistributedCancel(t *testing.T) {
	c := startCluster(t, "", 2, clusterOptions{})
	c.eventsTable(1000)
	cancelled := make(chan struct{})
	hold := func(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, bool) {
		if r.URL.Path != "/internode/fragment" {
			return w, false
		}
		io.Copy(io.Discard, r.Body) // the server notices a closed connection once the body is read
		<-r.Context().Done()
		close(cancelled)
		return w, true
	}
	c.nodes[1].fault.Store(&hold)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	r := c.queryCtx(ctx, 0, "SELECT COUNT(*) FROM events", "application/json")
	if r.status != -1 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the peer's request was not cancelled")
	}
}

// TestFragmentAuth: the fragment endpoint needs the internode signature, and a digest that
// matches its body and token.
func TestFragmentAuth(t *testing.T) {
	c := startCluster(t, "", 1, clusterOptions{})
	c.eventsTable(300)
	node := c.nodes[0]
	body := []byte(`{"sql": "SELECT COUNT(*) FROM events", "database": "logs", "blocks": [0]}`)
	post := func(sign bool, digest string, mutate func(r *http.Request)) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+node.addr+"/internode/fragment?digest="+digest, bytes.NewReader(body))
		req.Header.Set(HeaderTenantToken, tokAcme)
		if sign {
			SignInternode(req, node.srv.cfg.InternodeKey, time.Now())
		}
		if mutate != nil {
			mutate(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	good := fragmentDigest(tokAcme, body)
	if s := post(false, good, nil); s != 401 {
		t.Errorf("unsigned: %d", s)
	}
	if s := post(true, good, func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "mac=", "mac=00", 1))
	}); s != 401 {
		t.Errorf("bad MAC: %d", s)
	}
	var other [32]byte
	if s := post(false, good, func(r *http.Request) { SignInternode(r, &other, time.Now()) }); s != 401 {
		t.Errorf("another key: %d", s)
	}
	if s := post(true, fragmentDigest("another-token", body), nil); s != 401 {
		t.Errorf("digest of another token: %d", s)
	}
	// signed with a matching digest: the request is read (and refused: another version)
	if s := post(true, good, nil); s != http.StatusConflict {
		t.Errorf("signed: %d", s)
	}
}
