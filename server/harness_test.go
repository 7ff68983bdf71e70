package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sneller-re/sneller/auth"
	"github.com/sneller-re/sneller/cache"
)

// Tokens of the test tenants.
const (
	tokAcme  = "tok-acme-7f3a9c"
	tokOther = "tok-other-1b2d4e"
	tokLimit = "tok-limited-9e8d7c"
)

var testIndexKey = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testEnv is a running server on a real loopback listener, with three tenants from a token
// file: acme and other (same table names, different data) and limited (a scan limit).
type testEnv struct {
	t       *testing.T
	srv     *Server
	url     string
	cat     *fakeCatalog
	cache   *cache.Cache
	logs    *syncBuffer
	acme    *auth.Tenant
	other   *auth.Tenant
	limited *auth.Tenant
	cancel  context.CancelFunc
	done    chan error
	client  *http.Client
}

type envOption func(*Config)

func startServer(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"acme", "other", "limited", "cache"} {
		os.MkdirAll(filepath.Join(dir, d), 0o700)
	}
	tokens := fmt.Sprintf(`{"tenants": [
 {"id": "acme", "root": %q, "index_key": %q, "tokens": [%q]},
 {"id": "other", "root": %q, "index_key": %q, "tokens": [%q]},
 {"id": "limited", "root": %q, "index_key": %q, "tokens": [%q], "max_scan_bytes": 100}
]}`, filepath.Join(dir, "acme"), testIndexKey, tokAcme,
		filepath.Join(dir, "other"), testIndexKey, tokOther,
		filepath.Join(dir, "limited"), testIndexKey, tokLimit)
	tf := filepath.Join(dir, "tokens.json")
	if err := os.WriteFile(tf, []byte(tokens), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	prov, err := auth.NewFileProvider(context.Background(), tf, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cache.Open(filepath.Join(dir, "cache"), 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	cat := newFakeCatalog()
	cfg := Config{Auth: prov, Catalog: cat, Cache: c, Logger: log, Version: "test-version"}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	e := &testEnv{t: t, srv: srv, url: "http://" + ln.Addr().String(), cat: cat, cache: c, logs: logs, cancel: cancel, done: make(chan error, 1),
		client: &http.Client{Transport: tr}}
	go func() { e.done <- srv.Serve(ctx, ln, srv.Handler()) }()
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		cancel()
		select {
		case <-e.done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
		srv.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	for _, x := range []struct {
		tok string
		p   **auth.Tenant
	}{{tokAcme, &e.acme}, {tokOther, &e.other}, {tokLimit, &e.limited}} {
		tn, err := prov.Authorize(context.Background(), x.tok)
		if err != nil {
			t.Fatal(err)
		}
		*x.p = tn
	}
	return e
}

// guideTable loads the guide's sample: tutorial.table1 from three ND-JSON files of
// {"value": N} rows, six rows in all.
func (e *testEnv) guideTable(tn *auth.Tenant) {
	e.cat.ingest(e.t, tn, "tutorial", "table1", "file://sample/test1.ndjson", `{"value": 1}`+"\n"+`{"value": 2}`+"\n", 0)
	e.cat.ingest(e.t, tn, "tutorial", "table1", "file://sample/test2.ndjson", `{"value": 3}`+"\n"+`{"value": 4}`+"\n", 0)
	e.cat.ingest(e.t, tn, "tutorial", "table1", "file://sample/test3.ndjson", `{"value": 5}`+"\n"+`{"value": 6}`+"\n", 0)
}

// response is a finished HTTP exchange.
type response struct {
	status  int
	header  http.Header
	trailer http.Header
	body    string
}

// do sends a request; token "" sends no Authorization header; headers are "Name: value".
func (e *testEnv) do(method, path, token, body string, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, trailer: resp.Trailer, body: string(b)}
}

// query POSTs SQL to /query with the database and extra parameters.
func (e *testEnv) query(token, database, sqlText, accept string, params ...string) response {
	e.t.Helper()
	p := "/query?database=" + database
	for _, x := range params {
		p += "&" + x
	}
	var hs []string
	if accept != "" {
		hs = append(hs, "Accept: "+accept)
	}
	return e.do(http.MethodPost, p, token, sqlText, hs...)
}

func (r response) expect(t *testing.T, status int, bodyContains ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	for _, s := range bodyContains {
		if !strings.Contains(r.body, s) {
			t.Fatalf("body %q does not contain %q", r.body, s)
		}
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var errInjected = errors.New("injected failure")
