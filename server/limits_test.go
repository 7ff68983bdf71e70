package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sneller-re/sneller/vm"
)

// gateTable makes acme's d.t a table whose blocks wait at a gate.
func (e *testEnv) gateTable() *gate {
	e.cat.ingest(e.t, e.acme, "d", "t", "file://x", `{"a": 1}`+"\n"+`{"a": 2}`, 0)
	g := newGate()
	e.cat.set(e.acme, "d", "t", func(ft *fakeTable) {
		ft.wrap = func(src vm.Source) vm.Source { return &gatedSource{Source: src, g: g} }
	})
	return g
}

func TestConcurrencyLimit(t *testing.T) {
	e := startServer(t, func(c *Config) { c.MaxConcurrent = 2 })
	e.guideTable(e.acme)
	g := e.gateTable()
	results := make(chan response, 2)
	for i := 0; i < 2; i++ {
		go func() { results <- e.query(tokAcme, "d", "SELECT SUM(a) AS s FROM t", "application/json") }()
	}
	<-g.entered
	waitFor(t, "two queries running", func() bool { return len(e.srv.slots) == 2 })
	r := e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json")
	r.expect(t, 429, "limit is 2")
	if r.header.Get("Retry-After") == "" || r.header.Get(HeaderQueryID) == "" {
		t.Fatalf("429 headers %v", r.header)
	}
	close(g.open)
	for i := 0; i < 2; i++ {
		r := <-results
		r.expect(t, 200)
		if r.body != `[{"s": 3}]` {
			t.Fatalf("gated query: %q", r.body)
		}
	}
	// slots are given back
	e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json").expect(t, 200)
	// refusals before a slot is taken (auth, syntax) do not use one
	if len(e.srv.slots) != 0 {
		t.Fatalf("%d slots still taken", len(e.srv.slots))
	}
}

func TestQueryTimeout(t *testing.T) {
	e := startServer(t, func(c *Config) { c.QueryTimeout = 200 * time.Millisecond })
	g := e.gateTable()
	start := time.Now()
	r := e.query(tokAcme, "d", "SELECT a FROM t", "application/json")
	r.expect(t, 504, "timed out", "200ms")
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %s", d)
	}
	select {
	case err := <-g.ctxErr:
		if err != context.DeadlineExceeded {
			t.Fatalf("the source saw %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the running query was not cancelled")
	}
}

func TestClientDisconnectCancelsQuery(t *testing.T) {
	e := startServer(t)
	g := e.gateTable()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", e.url+"/query?database=d", strings.NewReader("SELECT a FROM t"))
	req.Header.Set("Authorization", "Bearer "+tokAcme)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-g.entered
	cancel()
	<-errc
	select {
	case err := <-g.ctxErr:
		if err != context.Canceled {
			t.Fatalf("the source saw %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the query was not cancelled when its client went away")
	}
	waitFor(t, "slot released", func() bool { return len(e.srv.slots) == 0 })
	waitFor(t, "log line with 499", func() bool { return strings.Contains(e.logs.String(), `"status":499`) })
}

func TestGracefulShutdown(t *testing.T) {
	e := startServer(t, func(c *Config) { c.ShutdownTimeout = 5 * time.Second })
	e.guideTable(e.acme)
	g := e.gateTable()
	result := make(chan response, 1)
	go func() { result <- e.query(tokAcme, "d", "SELECT SUM(a) AS s FROM t", "application/json") }()
	<-g.entered
	e.cancel() // SIGTERM
	// the listener closes at once: new connections are refused
	addr := strings.TrimPrefix(e.url, "http://")
	waitFor(t, "listener closed", func() bool {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return false
		}
		return true
	})
	select {
	case err := <-e.done:
		t.Fatalf("Serve returned (%v) while a query was running", err)
	case <-time.After(100 * time.Millisecond):
	}
	// the running query finishes and gets its full answer
	close(g.open)
	r := <-result
	r.expect(t, 200)
	if r.body != `[{"s": 3}]` {
		t.Fatalf("body %q", r.body)
	}
	select {
	case err := <-e.done:
		if err != nil {
			t.Fatal(err)
		}
		e.done <- nil // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the last query")
	}
}

func TestShutdownDeadlineCancelsQueries(t *testing.T) {
	e := startServer(t, func(c *Config) { c.ShutdownTimeout = 300 * time.Millisecond })
	g := e.gateTable()
	result := make(chan response, 1)
	go func() { result <- e.query(tokAcme, "d", "SELECT a FROM t", "application/json") }()
	<-g.entered
	start := time.Now()
	e.cancel()
	select {
	case err := <-e.done:
		if err != nil {
			t.Fatal(err)
		}
		e.done <- nil
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the shutdown deadline")
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("returned after %s, before the deadline", d)
	}
	r := <-result
	if r.status != 503 || !strings.Contains(r.body, "shutting down") {
		t.Fatalf("cancelled query: %d %q", r.status, r.body)
	}
}

func TestAtLimitOnlyWhenOver(t *testing.T) {
	// with as many slots as clients, nobody is refused
	e := startServer(t, func(c *Config) { c.MaxConcurrent = 8 })
	e.guideTable(e.acme)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				r := e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json")
				mu.Lock()
				codes[r.status]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if codes[200] != 80 {
		t.Fatalf("codes %v", codes)
	}
}
