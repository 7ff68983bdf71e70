package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sneller-re/sneller/ion"
	"github.com/sneller-re/sneller/vm"
)

func TestGuideQuery(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	r := e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json")
	r.expect(t, 200)
	if r.body != `[{"count": 6}]` {
		t.Fatalf("body %q", r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	if id := r.header.Get(HeaderQueryID); len(id) != 36 || id[14] != '4' {
		t.Fatalf("query ID %q is not a UUID v4", id)
	}
	// GET with the SQL in the query parameter, and the deprecated alias
	for _, p := range []string{"/query", "/executeQuery"} {
		r = e.do(http.MethodGet, p+"?database=tutorial&query=SELECT%20COUNT(*)%20FROM%20table1", tokAcme, "", "Accept: application/json")
		r.expect(t, 200)
		if r.body != `[{"count": 6}]` {
			t.Fatalf("%s: body %q", p, r.body)
		}
	}
	// qualified name without a database parameter
	r = e.query(tokAcme, "", "SELECT SUM(value) AS s FROM tutorial.table1", "application/json")
	r.expect(t, 200)
	if r.body != `[{"s": 21}]` {
		t.Fatalf("body %q", r.body)
	}
	// a fourth file changes the answer
	e.cat.ingest(t, e.acme, "tutorial", "table1", "file://sample/test4.ndjson", `{"value": 7}`+"\n", 0)
	r = e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json")
	if r.body != `[{"count": 7}]` {
		t.Fatalf("after a fourth file: %q", r.body)
	}
}

func TestOutputFormats(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	const q = "SELECT value FROM table1 WHERE value >= 5 ORDER BY value"

	// ND-JSON with stats: the rows, then the final status record.
	r := e.query(tokAcme, "tutorial", q, "application/x-ndjson", "stats")
	r.expect(t, 200)
	lines := strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	if len(lines) != 3 || lines[0] != `{"value": 5}` || lines[1] != `{"value": 6}` {
		t.Fatalf("ND-JSON body %q", r.body)
	}
	var last struct {
		Status    map[string]float64 `json:"$sneller_final_status$"`
		ResultSet map[string]string  `json:"result_set"`
	}
	if err := json.Unmarshal([]byte(lines[2]), &last); err != nil {
		t.Fatal(err)
	}
	st := last.Status
	if last.ResultSet["value"] != "int" {
		t.Fatalf("result_set in %q", lines[2])
	}
	if st == nil || st["rows"] != 2 || st["scanned"] <= 0 || st["blocks"] != 3 || st["elapsed_ms"] <= 0 {
		t.Fatalf("final status %q", lines[2])
	}
	if _, ok := st["blocks_skipped"]; !ok {
		t.Fatalf("no blocks_skipped in %q", lines[2])
	}
	// without stats, no status record
	r = e.query(tokAcme, "tutorial", q, "application/x-ndjson")
	if r.body != "{\"value\": 5}\n{\"value\": 6}\n" {
		t.Fatalf("ND-JSON without stats: %q", r.body)
	}
	// x-jsonlines is echoed
	r = e.query(tokAcme, "tutorial", q, "application/x-jsonlines")
	if r.header.Get("Content-Type") != "application/x-jsonlines" {
		t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
	}
	// ?json with */* selects ND-JSON
	r = e.query(tokAcme, "tutorial", q, "*/*", "json")
	if r.header.Get("Content-Type") != mediaNDJSON || !strings.HasPrefix(r.body, `{"value": 5}`) {
		t.Fatalf("json parameter: %q %q", r.header.Get("Content-Type"), r.body)
	}

	// Ion, read back with our ion package: the rows, then final_status.
	r = e.query(tokAcme, "tutorial", q, "application/ion")
	r.expect(t, 200)
	if r.header.Get("Content-Type") != "application/ion" {
		t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
	}
	vals, err := ion.DecodeAll([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 3 {
		t.Fatalf("%d Ion values", len(vals))
	}
	for i, want := range []int64{5, 6} {
		want := ion.Struct(ion.F("value", ion.Int(want)))
		if !vals[i].Equal(want) {
			t.Fatalf("Ion row %d = %v", i, vals[i])
		}
	}
	fs := vals[2]
	if a := fs.Annotations(); len(a) != 1 || a[0].Text != finalStatusLabel {
		t.Fatalf("last Ion value annotations %v", a)
	}
	if rows, ok := fs.Field("rows"); !ok || !rows.Equal(ion.Int(2)) {
		t.Fatalf("final_status %v", fs)
	}
	// the default (no Accept) is Ion
	r = e.query(tokAcme, "tutorial", q, "")
	if r.header.Get("Content-Type") != "application/ion" {
		t.Fatalf("default Content-Type %q", r.header.Get("Content-Type"))
	}

	// JSON with stats: the status record is the array's last element
	r = e.query(tokAcme, "tutorial", q, "application/json", "stats")
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.body), &arr); err != nil {
		t.Fatalf("%v: %q", err, r.body)
	}
	if len(arr) != 3 || arr[2][finalStatusKey] == nil {
		t.Fatalf("JSON with stats: %q", r.body)
	}

	// CSV
	r = e.query(tokAcme, "tutorial", q, "text/csv")
	r.expect(t, 200)
	if r.body != "value\n5\n6\n" {
		t.Fatalf("CSV %q", r.body)
	}
	e.query(tokAcme, "tutorial", q, "text/csv", "stats").expect(t, 400, "CSV")

	// an empty result in each format
	empty := "SELECT value FROM table1 WHERE value > 100"
	if r := e.query(tokAcme, "tutorial", empty, "application/json"); r.body != "[]" {
		t.Fatalf("empty JSON %q", r.body)
	}
	if r := e.query(tokAcme, "tutorial", empty, "application/x-ndjson"); r.body != "" {
		t.Fatalf("empty ND-JSON %q", r.body)
	}

	// unsupported Accept: 400 listing the supported types; Ion with ?json: 400
	e.query(tokAcme, "tutorial", q, "text/html").expect(t, 400, "application/json", "application/x-ndjson", "application/ion", "text/csv")
	e.query(tokAcme, "tutorial", q, "application/ion", "json").expect(t, 400)
	// q-values choose
	r = e.query(tokAcme, "tutorial", q, "application/ion;q=0.5, application/json")
	if r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("q-values: %q", r.header.Get("Content-Type"))
	}
}

func TestStatusCodes(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	const q = "SELECT COUNT(*) FROM table1"
	tests := []struct {
		name   string
		r      func() response
		status int
		body   []string
	}{
		{"no Authorization", func() response { return e.do("POST", "/query?database=tutorial", "", q) }, 401, nil},
		{"Basic scheme", func() response {
			return e.do("POST", "/query?database=tutorial", "", q, "Authorization: Basic dXNlcjpwYXNz")
		}, 403, []string{"invalid authorization header format"}},
		{"Bearer without token", func() response {
			return e.do("POST", "/query?database=tutorial", "", q, "Authorization: Bearer")
		}, 403, nil},
		{"wrong token", func() response { return e.query("wrong-token", "tutorial", q, "application/json") }, 403, []string{"token not allowed"}},
		{"bad SQL", func() response {
			return e.query(tokAcme, "tutorial", "SELECT COUNT(*)\nFROM table1 WHERE ((", "application/json")
		}, 400, []string{"line 2, column"}},
		{"unknown function", func() response {
			return e.query(tokAcme, "tutorial", "SELECT NO_SUCH_FN(value) FROM table1", "application/json")
		}, 400, []string{"NO_SUCH_FN"}},
		{"unknown table", func() response { return e.query(tokAcme, "tutorial", "SELECT * FROM nope", "application/json") }, 404, []string{"nope"}},
		{"unknown database", func() response { return e.query(tokAcme, "nodb", q, "application/json") }, 404, []string{"nodb"}},
		{"no database", func() response { return e.query(tokAcme, "", q, "application/json") }, 404, []string{"database"}},
		{"no query", func() response { return e.do("GET", "/query?database=tutorial", tokAcme, "") }, 400, []string{"no query"}},
		{"empty body", func() response { return e.do("POST", "/query?database=tutorial", tokAcme, "") }, 400, []string{"no query"}},
		{"read_file", func() response {
			return e.query(tokAcme, "tutorial", "SELECT * FROM read_file('db/tutorial/table1/packed-001.blob')", "application/json")
		}, 400, []string{"read_file"}},
		{"method", func() response { return e.do("DELETE", "/query", tokAcme, "") }, 405, nil},
		{"unknown path", func() response { return e.do("GET", "/nowhere", tokAcme, "") }, 404, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.r()
			r.expect(t, tt.status, tt.body...)
			if strings.Contains(r.body, tokAcme) {
				t.Fatal("the token is in the response")
			}
		})
	}
	// every /query response carries a query ID, refusals included
	for _, r := range []response{
		e.do("POST", "/query?database=tutorial", "", q),
		e.query("wrong", "tutorial", q, ""),
		e.query(tokAcme, "tutorial", "SELEC", ""),
		e.query(tokAcme, "tutorial", "SELECT * FROM nope", ""),
	} {
		if r.header.Get(HeaderQueryID) == "" {
			t.Fatalf("status %d response without %s", r.status, HeaderQueryID)
		}
	}
}

func TestRequestBodyLimit(t *testing.T) {
	e := startServer(t, func(c *Config) { c.MaxBodyBytes = 1000 })
	e.guideTable(e.acme)
	long := "SELECT COUNT(*) FROM table1 WHERE value IN (" + strings.Repeat("1, ", 400) + "1)"
	e.query(tokAcme, "tutorial", long, "application/json").expect(t, 413, "1000")
	e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json").expect(t, 200)
}

func TestTenantIsolation(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	// the other tenant has a table of the same name with other data
	e.cat.ingest(t, e.other, "tutorial", "table1", "file://x.ndjson", `{"value": 100}`, 0)
	r := e.query(tokOther, "tutorial", "SELECT SUM(value) AS s FROM table1", "application/json")
	if r.body != `[{"s": 100}]` {
		t.Fatalf("other tenant sees %q", r.body)
	}
	r = e.query(tokAcme, "tutorial", "SELECT SUM(value) AS s FROM table1", "application/json")
	if r.body != `[{"s": 21}]` {
		t.Fatalf("acme sees %q", r.body)
	}
	// a table only acme has is not found for other
	e.cat.ingest(t, e.acme, "private", "t", "file://p.ndjson", `{"secret": 1}`, 0)
	e.query(tokOther, "private", "SELECT * FROM t", "application/json").expect(t, 404)
	e.do("GET", "/tables?database=private", tokOther, "").expect(t, 404)
	r = e.do("GET", "/databases", tokOther, "")
	if strings.Contains(r.body, "private") {
		t.Fatalf("other lists acme's database: %s", r.body)
	}
	// the blobs each tenant read are under its own root
	if !strings.HasPrefix(e.acme.Root.URL(), "file://") || e.acme.Root.URL() == e.other.Root.URL() {
		t.Fatalf("roots %s %s", e.acme.Root.URL(), e.other.Root.URL())
	}
}

func TestScanLimit(t *testing.T) {
	e := startServer(t)
	var sb strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&sb, "{\"n\": %d, \"text\": \"a string that takes some room %d\"}\n", i, i)
	}
	e.cat.ingest(t, e.limited, "d", "t", "file://big.ndjson", sb.String(), 50)
	r := e.query(tokLimit, "d", "SELECT text FROM t", "application/json")
	r.expect(t, 400, "scan limit", "limited", "100 bytes")
	if r.header.Get(HeaderMaxScannedBytes) != "" {
		t.Fatal("a refused query announces its scan size")
	}
	// HEAD tells the size without running the query
	h := e.do("HEAD", "/query?database=d&query=SELECT%20text%20FROM%20t", tokAcme, "")
	// (acme has no table d.t)
	if h.status != 404 {
		t.Fatalf("HEAD for a missing table: %d", h.status)
	}
	e.cat.ingest(t, e.acme, "d", "t", "file://big.ndjson", sb.String(), 50)
	h = e.do("HEAD", "/query?database=d&query=SELECT%20text%20FROM%20t", tokAcme, "", "Accept: application/json")
	if h.status != 200 || h.header.Get(HeaderMaxScannedBytes) == "" || h.body != "" {
		t.Fatalf("HEAD: %d %q %q", h.status, h.header.Get(HeaderMaxScannedBytes), h.body)
	}
	dry := e.query(tokAcme, "d", "SELECT text FROM t", "application/json", "dry")
	if dry.status != 200 || dry.body != "" || dry.header.Get(HeaderMaxScannedBytes) != h.header.Get(HeaderMaxScannedBytes) {
		t.Fatalf("dry: %d %q %q", dry.status, dry.body, dry.header.Get(HeaderMaxScannedBytes))
	}
	// the announced bound is what the query then scans
	r = e.query(tokAcme, "d", "SELECT text FROM t", "application/x-ndjson", "stats")
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	var st map[string]map[string]int64
	json.Unmarshal([]byte(lines[len(lines)-1]), &st)
	if fmt.Sprint(st[finalStatusKey]["scanned"]) != h.header.Get(HeaderMaxScannedBytes) {
		t.Fatalf("scanned %d, announced %s", st[finalStatusKey]["scanned"], h.header.Get(HeaderMaxScannedBytes))
	}
	// a filter that lets every block be skipped lowers the bound below the limit
	e.query(tokLimit, "d", "SELECT text FROM t WHERE n > 100000", "application/json").expect(t, 200)
	e.query(tokLimit, "d", "SELECT text FROM t WHERE n > 150", "application/json").expect(t, 400, "scan limit")
	// a subquery the planner runs while planning is counted too
	e.cat.ingest(t, e.limited, "d", "tiny", "file://tiny.ndjson", `{"x": "a"}`, 0)
	e.query(tokLimit, "d", "SELECT COUNT(*) FROM tiny WHERE x IN (SELECT text FROM t)", "application/json").expect(t, 400, "scan limit", "limited")
}

func TestRefusedIndex(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) {
		ft.err = fmt.Errorf("%w: db/tutorial/table1/index: signature does not match", ErrBadIndex)
	})
	for _, accept := range []string{"application/json", "application/x-ndjson", "application/ion"} {
		r := e.query(tokAcme, "tutorial", "SELECT * FROM table1", accept)
		r.expect(t, 500, "index refused", "signature")
		if strings.Contains(r.body, "value") {
			t.Fatalf("rows in a refusal: %q", r.body)
		}
	}
	e.do("GET", "/inputs?database=tutorial&table=table1", tokAcme, "").expect(t, 500, "index refused")
}

func TestChangedBlob(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	// A blob is overwritten behind the index's back: its pinned ETag no longer matches.
	ft, _ := e.cat.table(e.acme, "tutorial", "table1")
	data, _ := packJSON(t, `{"value": 1000}`, 0)
	if err := os.WriteFile(filepath.Join(strings.TrimPrefix(e.acme.Root.URL(), "file://"), ft.blobs[1].path), data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.query(tokAcme, "tutorial", "SELECT value FROM table1", "application/json")
	r.expect(t, 500, "refused", "ETag")
	if strings.Contains(r.body, "1000") || strings.Contains(r.body, `"value"`) {
		t.Fatalf("rows in a refusal: %q", r.body)
	}
}

func TestInStreamError(t *testing.T) {
	e := startServer(t, func(c *Config) { c.Workers = 1 })
	// enough output before the failing block that the response has started (> 64 KiB)
	var sb strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&sb, "{\"i\": %d, \"pad\": %q}\n", i, strings.Repeat("x", 60))
	}
	e.cat.ingest(t, e.acme, "d", "t", "file://x", sb.String(), 500)
	e.cat.set(e.acme, "d", "t", func(ft *fakeTable) {
		ft.wrap = func(src vm.Source) vm.Source { return &failingSource{Source: src, fail: 5, err: errInjected} }
	})
	const q = "SELECT i, pad FROM t"

	r := e.query(tokAcme, "d", q, "application/json")
	r.expect(t, 200)
	var arr []map[string]any
	if err := json.Unmarshal([]byte(r.body), &arr); err != nil {
		t.Fatalf("the JSON array with an error is not valid JSON: %v", err)
	}
	last := arr[len(arr)-1]["$ion_annotation$query_error"]
	if m, ok := last.(map[string]any); !ok || !strings.Contains(fmt.Sprint(m["error_message"]), "injected failure") {
		t.Fatalf("last element %v", arr[len(arr)-1])
	}
	if len(arr) < 1000 {
		t.Fatalf("only %d elements", len(arr))
	}

	r = e.query(tokAcme, "d", q, "application/x-ndjson", "stats")
	lines := strings.Split(strings.TrimSuffix(r.body, "\n"), "\n")
	if !strings.HasPrefix(lines[len(lines)-1], `{"$ion_annotation$query_error": {"error_message": `) {
		t.Fatalf("last ND-JSON line %q", lines[len(lines)-1])
	}
	if strings.Contains(r.body, finalStatusKey) {
		t.Fatal("a final status after an error")
	}

	r = e.query(tokAcme, "d", q, "application/ion")
	vals, err := ion.DecodeAll([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	lv := vals[len(vals)-1]
	if a := lv.Annotations(); len(a) != 1 || a[0].Text != "query_error" {
		t.Fatalf("last Ion value %v", lv)
	}
	msg, _ := lv.Field("error_message")
	if s := msg.Text(); !strings.Contains(s, "injected failure") {
		t.Fatalf("error message %v", msg)
	}
	// the query log records the streamed failure
	waitFor(t, "log line", func() bool { return strings.Contains(e.logs.String(), "injected failure") })

	// an error before the buffer filled is a status, not a stream: the first block fails
	e.cat.set(e.acme, "d", "t", func(ft *fakeTable) {
		ft.wrap = func(src vm.Source) vm.Source { return &failingSource{Source: src, fail: 0, err: errInjected} }
	})
	e.query(tokAcme, "d", q, "application/json").expect(t, 500, "injected failure")
}

func TestMemoryLimit(t *testing.T) {
	e := startServer(t, func(c *Config) { c.MemoryLimit = 64 << 10 })
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&sb, "{\"k\": \"key-%d\"}\n", i)
	}
	e.cat.ingest(t, e.acme, "d", "t", "file://x", sb.String(), 0)
	e.query(tokAcme, "d", "SELECT k, COUNT(*) FROM t GROUP BY k", "application/json").expect(t, 400, "memory limit")
	e.query(tokAcme, "d", "SELECT COUNT(*) FROM t", "application/json").expect(t, 200)
}

func TestTrailers(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	r := e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json", "x=1")
	if r.trailer.Get("Server-Timing") != "" {
		t.Fatal("trailer without TE")
	}
	r = e.do("POST", "/query?database=tutorial", tokAcme, "SELECT COUNT(*) FROM table1", "Accept: application/json", "TE: trailers")
	r.expect(t, 200)
	if st := r.trailer.Get("Server-Timing"); !strings.Contains(st, "exec;dur=") || !strings.Contains(st, `scanned;desc="Bytes Scanned"`) {
		t.Fatalf("Server-Timing %q", st)
	}
}

func TestQueryLog(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	r := e.query(tokAcme, "tutorial", "SELECT SUM(value) FROM table1", "application/json")
	id := r.header.Get(HeaderQueryID)
	e.query("bad-secret-token", "tutorial", "SELECT 1", "application/json").expect(t, 403)
	waitFor(t, "log", func() bool { return strings.Contains(e.logs.String(), id) })
	var found map[string]any
	sc := bufio.NewScanner(strings.NewReader(e.logs.String()))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "query" && m["id"] == id {
			found = m
		}
	}
	if found == nil {
		t.Fatalf("no query line for %s in:\n%s", id, e.logs.String())
	}
	for k, want := range map[string]any{"tenant": "acme", "status": 200.0, "rows": 1.0, "database": "tutorial"} {
		if found[k] != want {
			t.Errorf("log %s = %v, want %v", k, found[k], want)
		}
	}
	if b, _ := found["bytes"].(float64); b <= 0 {
		t.Errorf("log bytes = %v", found["bytes"])
	}
	if _, ok := found["duration"]; !ok {
		t.Error("no duration")
	}
	for _, secret := range []string{tokAcme, "bad-secret-token", testIndexKey} {
		if strings.Contains(e.logs.String(), secret) {
			t.Fatalf("a secret reached the log: %s", secret)
		}
	}
}
