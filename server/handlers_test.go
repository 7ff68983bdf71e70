package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestVersionAndPing(t *testing.T) {
	e := startServer(t)
	r := e.do("GET", "/", "", "")
	r.expect(t, 200, "Sneller daemon test-version (cluster size: 1 nodes)")
	if r.header.Get(HeaderVersion) != "test-version" {
		t.Fatalf("version header %q", r.header.Get(HeaderVersion))
	}
	r = e.do("GET", "/", "", "", "Accept: application/json")
	var v map[string]any
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatal(err)
	}
	if v["cluster_size"] != 1.0 || v["version"] != "test-version" {
		t.Fatalf("version JSON %v", v)
	}
	e.do("GET", "/", "", "", "Accept: image/png").expect(t, 400)
	e.do("GET", "/ping", "", "").expect(t, 200, "pong")
	if r := e.do("HEAD", "/ping", "", ""); r.status != 200 || r.body != "" {
		t.Fatalf("HEAD /ping: %d %q", r.status, r.body)
	}
	// CORS and OPTIONS, on any route
	r = e.do("OPTIONS", "/query", "", "")
	if r.status != 200 || r.body != "" || r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("OPTIONS: %d %q %v", r.status, r.body, r.header)
	}
	if !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), HeaderQueryID) {
		t.Fatalf("expose headers %q", r.header.Get("Access-Control-Expose-Headers"))
	}
}

func TestClusterSize(t *testing.T) {
	p, err := ParsePeers("10.0.0.1:8001, 10.0.0.2:8001,10.0.0.3:8001,10.0.0.1:8001", nil)
	if err != nil {
		t.Fatal(err)
	}
	e := startServer(t, func(c *Config) { c.Peers = p })
	e.do("GET", "/", "", "").expect(t, 200, "cluster size: 3 nodes")
}

func TestDatabasesAndTables(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	e.cat.ingest(t, e.acme, "tutorial", "table2", "file://t2", `{"x": 1}`, 0)
	e.cat.ingest(t, e.acme, "logs", "events_2024", "file://e", `{"x": 1}`, 0)
	e.cat.ingest(t, e.other, "othersdb", "t", "file://o", `{"x": 1}`, 0)

	e.do("GET", "/databases", "", "").expect(t, 401)
	r := e.do("GET", "/databases", tokAcme, "")
	r.expect(t, 200)
	if r.body != `[{"name":"logs"},{"name":"tutorial"}]`+"\n" || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("/databases %q", r.body)
	}
	for _, tt := range []struct{ pattern, want string }{
		{"tut%", `[{"name":"tutorial"}]`},
		{"%", `[{"name":"logs"},{"name":"tutorial"}]`},
		{"log_", `[{"name":"logs"}]`},
		{"nothing", `[]`},
	} {
		r := e.do("GET", "/databases?pattern="+url.QueryEscape(tt.pattern), tokAcme, "")
		if strings.TrimSpace(r.body) != tt.want {
			t.Errorf("pattern %q: %q", tt.pattern, r.body)
		}
	}

	r = e.do("GET", "/tables?database=tutorial", tokAcme, "")
	if strings.TrimSpace(r.body) != `["table1","table2"]` {
		t.Fatalf("/tables %q", r.body)
	}
	r = e.do("GET", "/tables?database=tutorial&pattern=%251", tokAcme, "")
	if strings.TrimSpace(r.body) != `["table1"]` {
		t.Fatalf("/tables pattern %q", r.body)
	}
	e.do("GET", "/tables", tokAcme, "").expect(t, 400, "no database")
	e.do("GET", "/tables?database=nope", tokAcme, "").expect(t, 404)
	e.do("GET", "/tables?database=othersdb", tokAcme, "").expect(t, 404)
}

func TestInputs(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	r := e.do("GET", "/inputs?database=tutorial&table=table1", tokAcme, "")
	r.expect(t, 200)
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if len(lines) != 3 || r.header.Get("Content-Type") != mediaNDJSON {
		t.Fatalf("/inputs %q", r.body)
	}
	var rec struct {
		Path     string `json:"path"`
		ETag     string `json:"etag"`
		Accepted bool   `json:"accepted"`
		Packfile string `json:"packfile"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Path != "file://sample/test1.ndjson" || !rec.Accepted || rec.ETag == "" || !strings.HasPrefix(rec.Packfile, "db/tutorial/table1/") {
		t.Fatalf("record %+v", rec)
	}
	paths := func(body string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
			var r struct {
				Path string `json:"path"`
			}
			json.Unmarshal([]byte(l), &r)
			out = append(out, r.Path)
		}
		return out
	}
	for _, tt := range []struct {
		params string
		want   string
	}{
		{"&max=2", "file://sample/test1.ndjson file://sample/test2.ndjson"},
		{"&next=file://sample/test1.ndjson", "file://sample/test2.ndjson file://sample/test3.ndjson"},
		{"&start=file://sample/test2.ndjson&max=1", "file://sample/test2.ndjson"},
		{"&max=-1", "file://sample/test1.ndjson file://sample/test2.ndjson file://sample/test3.ndjson"},
	} {
		r := e.do("GET", "/inputs?database=tutorial&table=table1"+tt.params, tokAcme, "")
		if got := strings.Join(paths(r.body), " "); got != tt.want {
			t.Errorf("%s: %q", tt.params, got)
		}
	}
	if r := e.do("GET", "/inputs?database=tutorial&table=table1&max=0", tokAcme, ""); r.status != 200 || r.body != "" {
		t.Fatalf("max=0: %d %q", r.status, r.body)
	}
	r = e.do("GET", "/inputs?database=tutorial&table=table1", tokAcme, "", "Accept: application/json")
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.body), &arr); err != nil || len(arr) != 3 {
		t.Fatalf("JSON array: %v %q", err, r.body)
	}
	e.do("GET", "/inputs?table=table1", tokAcme, "").expect(t, 400, "no database")
	e.do("GET", "/inputs?database=tutorial", tokAcme, "").expect(t, 400, "no table")
	e.do("GET", "/inputs?database=tutorial&table=table1&next=a&start=b", tokAcme, "").expect(t, 400)
	e.do("GET", "/inputs?database=tutorial&table=table1&max=x", tokAcme, "").expect(t, 400)
	e.do("GET", "/inputs?database=tutorial&table=nope", tokAcme, "").expect(t, 404)
	e.do("GET", "/inputs?database=tutorial&table=table1", tokOther, "").expect(t, 404)
	e.do("GET", "/inputs?database=tutorial&table=table1", tokAcme, "", "Accept: text/csv").expect(t, 400)
}

func TestMetricsScrape(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	for i := 0; i < 3; i++ {
		e.query(tokAcme, "tutorial", "SELECT SUM(value) FROM table1", "application/json").expect(t, 200)
	}
	e.query(tokAcme, "tutorial", "SELECT * FROM nope", "application/json").expect(t, 404)
	e.query("wrong", "tutorial", "SELECT 1", "").expect(t, 403)
	e.do("POST", "/query", "", "SELECT 1").expect(t, 401)

	r := e.do("GET", "/metrics", "", "")
	r.expect(t, 200)
	m := parseMetrics(r.body)
	for name, check := range map[string]func(float64) bool{
		`sneller_queries_total{status="200"}`:                     func(v float64) bool { return v == 3 },
		`sneller_queries_total{status="404"}`:                     func(v float64) bool { return v == 1 },
		`sneller_queries_total{status="403"}`:                     func(v float64) bool { return v == 1 },
		`sneller_queries_total{status="401"}`:                     func(v float64) bool { return v == 1 },
		`sneller_query_duration_seconds_count`:                    func(v float64) bool { return v == 6 },
		`sneller_query_scanned_bytes_total`:                       func(v float64) bool { return v > 0 },
		`sneller_query_blocks_total`:                              func(v float64) bool { return v == 9 },
		`sneller_query_blocks_skipped_total`:                      func(v float64) bool { return v == 0 },
		`sneller_query_rows_total`:                                func(v float64) bool { return v == 3 },
		`sneller_cache_hits_total`:                                func(v float64) bool { return v > 0 },
		`sneller_cache_misses_total`:                              func(v float64) bool { return v > 0 },
		`sneller_cache_bytes`:                                     func(v float64) bool { return v > 0 },
		`sneller_queries_in_flight`:                               func(v float64) bool { return v == 0 },
		`sneller_auth_failures_total{reason="rejected"}`:          func(v float64) bool { return v == 1 },
		`sneller_auth_failures_total{reason="missing"}`:           func(v float64) bool { return v == 1 },
		`sneller_http_requests_total{route="query",status="200"}`: func(v float64) bool { return v == 3 },
		`go_goroutines`:                                           func(v float64) bool { return v > 0 },
	} {
		v, ok := m[name]
		if !ok {
			t.Errorf("metric %s missing", name)
			continue
		}
		if !check(v) {
			t.Errorf("metric %s = %v", name, v)
		}
	}
	if strings.Contains(r.body, "acme") || strings.Contains(r.body, tokAcme) {
		t.Fatal("tenant data in metrics")
	}
}

// parseMetrics reads the Prometheus text format into name{labels} → value.
func parseMetrics(text string) map[string]float64 {
	out := map[string]float64{}
	for _, line := range strings.Split(text, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		var v float64
		if _, err := fmt.Sscan(line[i+1:], &v); err == nil {
			out[line[:i]] = v
		}
	}
	return out
}

func TestMethodNotAllowedOnCatalog(t *testing.T) {
	e := startServer(t)
	e.do(http.MethodPost, "/databases", tokAcme, "x").expect(t, 405)
}
