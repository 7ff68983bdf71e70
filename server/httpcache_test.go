package server

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/vm"
)

// getQuery sends GET /query with the SQL in the query parameter.
func (e *testEnv) getQuery(method, token, database, sqlText string, headers ...string) response {
	e.t.Helper()
	return e.do(method, "/query?database="+url.QueryEscape(database)+"&query="+url.QueryEscape(sqlText), token, "", headers...)
}

func expectCacheable(t *testing.T, r response) string {
	t.Helper()
	etag := r.header.Get("ETag")
	if len(etag) != 2+43 || etag[0] != '"' || etag[len(etag)-1] != '"' {
		t.Fatalf("status %d: ETag %q is not a quoted unpadded base64 SHA-256", r.status, etag)
	}
	if cc := r.header.Get("Cache-Control"); cc != "private, must-revalidate" {
		t.Fatalf("Cache-Control %q", cc)
	}
	if v := r.header.Get("Vary"); v != "Accept, Authorization" {
		t.Fatalf("Vary %q", v)
	}
	if _, err := http.ParseTime(r.header.Get("Last-Modified")); err != nil {
		t.Fatalf("Last-Modified %q: %v", r.header.Get("Last-Modified"), err)
	}
	return etag
}

func expectNotCacheable(t *testing.T, r response) {
	t.Helper()
	if r.header.Get("ETag") != "" || r.header.Get("Last-Modified") != "" {
		t.Fatalf("ETag %q, Last-Modified %q on an uncacheable result", r.header.Get("ETag"), r.header.Get("Last-Modified"))
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
}

func TestQueryETag(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	const q = "SELECT value FROM table1 WHERE value > 2 ORDER BY value"
	r := e.query(tokAcme, "tutorial", q, "application/json")
	r.expect(t, 200, `{"value": 3}`)
	etag := expectCacheable(t, r)

	// stable across identical requests, and across spellings of the same statement
	for _, r := range []response{
		e.query(tokAcme, "tutorial", q, "application/json"),
		e.getQuery("GET", tokAcme, "tutorial", "select value\n  from table1 where value>2 order by value -- same", "Accept: application/json"),
		e.getQuery("HEAD", tokAcme, "tutorial", q, "Accept: application/json"),
		e.query(tokAcme, "tutorial", q, "application/json", "dry"),
	} {
		r.expect(t, 200)
		if got := r.header.Get("ETag"); got != etag {
			t.Fatalf("ETag %q, then %q", etag, got)
		}
	}
	// browsers may read it (CORS)
	if exp := strings.ToLower(r.header.Get("Access-Control-Expose-Headers")); !strings.Contains(exp, "etag") {
		t.Fatalf("Access-Control-Expose-Headers %q", exp)
	}
	// a qualified table name without the database parameter is cacheable too
	if got := e.query(tokAcme, "", "SELECT value FROM tutorial.table1 WHERE value > 2 ORDER BY value", "application/json").header.Get("ETag"); got == "" {
		t.Fatal("no ETag for a qualified name")
	}

	// different for another format, another Content-Type, stats, another query, another tenant
	seen := map[string]string{etag: "json"}
	other := func(what string, r response) {
		t.Helper()
		r.expect(t, 200)
		got := expectCacheable(t, r)
		if prev, dup := seen[got]; dup {
			t.Fatalf("%s has the ETag of %s", what, prev)
		}
		seen[got] = what
	}
	other("ndjson", e.query(tokAcme, "tutorial", q, "application/x-ndjson"))
	other("jsonlines", e.query(tokAcme, "tutorial", q, "application/x-jsonlines"))
	other("ion", e.query(tokAcme, "tutorial", q, "application/ion"))
	other("csv", e.query(tokAcme, "tutorial", q, "text/csv"))
	other("ndjson+stats", e.query(tokAcme, "tutorial", q, "application/x-ndjson", "stats"))
	other("json+stats", e.query(tokAcme, "tutorial", q, "application/json", "stats"))
	other("another query", e.query(tokAcme, "tutorial", "SELECT value FROM table1 WHERE value > 3 ORDER BY value", "application/json"))
	e.guideTable(e.other)
	other("another tenant", e.query(tokOther, "tutorial", q, "application/json"))

	// a new version of the table's index changes it, and Last-Modified follows
	lm0, _ := http.ParseTime(r.header.Get("Last-Modified"))
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) { ft.created = ft.created.Add(-time.Hour) })
	time.Sleep(10 * time.Millisecond)
	e.cat.ingest(t, e.acme, "tutorial", "table1", "file://sample/test4.ndjson", `{"value": 7}`+"\n", 0)
	r = e.query(tokAcme, "tutorial", q, "application/json")
	r.expect(t, 200, `{"value": 7}`)
	if got := expectCacheable(t, r); got == etag {
		t.Fatal("same ETag after the table changed")
	}
	if lm, _ := http.ParseTime(r.header.Get("Last-Modified")); lm.Before(lm0) {
		t.Fatalf("Last-Modified went back: %v, then %v", lm0, lm)
	}

	// a join: Last-Modified is the newest of the tables
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	newer := time.Date(2021, 6, 7, 8, 9, 10, 500, time.UTC)
	e.cat.ingest(t, e.acme, "tutorial", "names", "file://n.ndjson", `{"value": 3, "name": "three"}`, 0)
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) { ft.created = old })
	e.cat.set(e.acme, "tutorial", "names", func(ft *fakeTable) { ft.created = newer })
	r = e.query(tokAcme, "tutorial", "SELECT t.value, n.name FROM table1 t JOIN names n ON t.value = n.value", "application/json")
	r.expect(t, 200, "three")
	expectCacheable(t, r)
	if lm := r.header.Get("Last-Modified"); lm != "Mon, 07 Jun 2021 08:09:10 GMT" {
		t.Fatalf("Last-Modified %q", lm)
	}
}

func TestQueryNotCacheable(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	for _, q := range []string{
		"SELECT UTCNOW() AS now, value FROM table1",
		"SELECT value FROM table1 WHERE DATE_ADD(DAY, -1, utcnow()) < `2100-01-01T00:00:00Z`",
		"SELECT 1 AS one",                  // no table
		"SELECT 'UTCNOW' AS s FROM table1", // the check is textual: a literal counts
	} {
		r := e.query(tokAcme, "tutorial", q, "application/json")
		r.expect(t, 200)
		expectNotCacheable(t, r)
		// conditional headers do not apply
		r = e.getQuery("GET", tokAcme, "tutorial", q, "If-None-Match: *", "Accept: application/json")
		r.expect(t, 200)
		expectNotCacheable(t, r)
	}
	// a table whose source has no version
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) { ft.unversioned = true })
	r := e.query(tokAcme, "tutorial", "SELECT COUNT(*) FROM table1", "application/json")
	r.expect(t, 200)
	expectNotCacheable(t, r)
	// errors carry no caching headers
	r = e.query(tokAcme, "tutorial", "SELECT * FROM nope", "application/json")
	r.expect(t, 404)
	if r.header.Get("ETag") != "" || r.header.Get("Cache-Control") != "" {
		t.Fatalf("a 404 with ETag %q Cache-Control %q", r.header.Get("ETag"), r.header.Get("Cache-Control"))
	}
}

func TestQueryIfNoneMatch(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	var opens atomic.Int64
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) {
		ft.wrap = func(src vm.Source) vm.Source { return &countingSource{Source: src, opens: &opens} }
	})
	const q = "SELECT value FROM table1 ORDER BY value"
	r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json")
	r.expect(t, 200, `{"value": 6}`)
	etag := expectCacheable(t, r)
	if opens.Load() == 0 {
		t.Fatal("the counting source saw no block opened")
	}

	// matching forms: 304 on GET and HEAD, without running the query
	for _, inm := range []string{
		etag,
		"W/" + etag,
		`"nope", ` + etag,
		`W/"nope",W/` + etag + ` , "other"`,
		"*",
	} {
		before := opens.Load()
		for _, m := range []string{"GET", "HEAD"} {
			r := e.getQuery(m, tokAcme, "tutorial", q, "Accept: application/json", "If-None-Match: "+inm)
			if r.status != http.StatusNotModified || r.body != "" {
				t.Fatalf("%s If-None-Match %s: %d %q", m, inm, r.status, r.body)
			}
			if got := r.header.Get("ETag"); got != etag {
				t.Fatalf("304 ETag %q, want %q", got, etag)
			}
			for _, h := range []string{"Cache-Control", "Vary", HeaderQueryID} {
				if r.header.Get(h) == "" {
					t.Fatalf("304 without %s", h)
				}
			}
		}
		if opens.Load() != before {
			t.Fatalf("If-None-Match %s: the query ran (%d→%d blocks opened)", inm, before, opens.Load())
		}
		// POST: 412
		r := e.do("POST", "/query?database=tutorial", tokAcme, q, "Accept: application/json", "If-None-Match: "+inm)
		r.expect(t, http.StatusPreconditionFailed, "precondition")
		if strings.Contains(r.body, "value") || opens.Load() != before {
			t.Fatalf("a 412 ran the query: %q", r.body)
		}
	}

	// not matching: the result
	for _, inm := range []string{`"nope"`, etag[:len(etag)-2] + `x"`, strings.Trim(etag, `"`), `W/"x", "y"`} {
		r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-None-Match: "+inm)
		r.expect(t, 200, `{"value": 6}`)
	}
	// the ETag of another format does not match
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/x-ndjson", "If-None-Match: "+etag).expect(t, 200, `{"value": 6}`)
	// If-None-Match takes precedence over If-Modified-Since
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", `If-None-Match: "nope"`, "If-Modified-Since: "+future).expect(t, 200, `{"value": 6}`)
	// after the table changes, the old ETag no longer matches
	e.cat.ingest(t, e.acme, "tutorial", "table1", "file://sample/test4.ndjson", `{"value": 7}`+"\n", 0)
	r = e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-None-Match: "+etag)
	r.expect(t, 200, `{"value": 7}`)
	if r.header.Get("ETag") == etag {
		t.Fatal("same ETag after the table changed")
	}
}

func TestQueryIfModifiedSince(t *testing.T) {
	e := startServer(t)
	e.guideTable(e.acme)
	var opens atomic.Int64
	created := time.Date(2024, 3, 4, 5, 6, 7, 800_000_000, time.UTC) // not on a second
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) {
		ft.created = created
		ft.wrap = func(src vm.Source) vm.Source { return &countingSource{Source: src, opens: &opens} }
	})
	const q = "SELECT COUNT(*) FROM table1"
	r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json")
	r.expect(t, 200, `{"count": 6}`)
	expectCacheable(t, r)
	lm := r.header.Get("Last-Modified")
	if lm != "Mon, 04 Mar 2024 05:06:07 GMT" {
		t.Fatalf("Last-Modified %q", lm)
	}
	date := func(t time.Time) string { return t.UTC().Format(http.TimeFormat) }
	before := opens.Load()
	for _, ims := range []string{lm, date(created.Add(time.Second)), date(created.Add(24 * time.Hour))} {
		r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+ims)
		if r.status != http.StatusNotModified || r.body != "" || r.header.Get("ETag") == "" {
			t.Fatalf("If-Modified-Since %s: %d %q", ims, r.status, r.body)
		}
		e.do("POST", "/query?database=tutorial", tokAcme, q, "If-Modified-Since: "+ims).expect(t, http.StatusPreconditionFailed)
	}
	if opens.Load() != before {
		t.Fatal("a 304 ran the query")
	}
	for _, ims := range []string{date(created.Add(-time.Second)), date(created.Add(-24 * time.Hour))} {
		e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+ims).expect(t, 200, `{"count": 6}`)
		e.do("POST", "/query?database=tutorial", tokAcme, q, "Accept: application/json", "If-Modified-Since: "+ims).expect(t, 200, `{"count": 6}`)
	}
	// the other HTTP date forms are accepted
	e.getQuery("GET", tokAcme, "tutorial", q, "If-Modified-Since: Monday, 04-Mar-24 05:06:07 GMT").expect(t, http.StatusNotModified)
	e.getQuery("GET", tokAcme, "tutorial", q, "If-Modified-Since: Mon Mar  4 05:06:07 2024").expect(t, http.StatusNotModified)
	// a malformed date
	for _, bad := range []string{"yesterday", "2024-03-04T05:06:07Z", "Mon, 04 Mar 2024 05:06"} {
		r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+bad)
		r.expect(t, 400, "If-Modified-Since")
		if r.header.Get("ETag") != "" {
			t.Fatal("a 400 with an ETag")
		}
	}
	// a newer index: the result again
	e.cat.set(e.acme, "tutorial", "table1", func(ft *fakeTable) { ft.created = created.Add(48 * time.Hour) })
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+date(created.Add(24*time.Hour))).expect(t, 200, `{"count": 6}`)
}

// TestQueryETagDBCatalog checks the caching headers with the real catalog: signed indexes
// written by db.Sync.
func TestQueryETagDBCatalog(t *testing.T) {
	e := startServer(t, func(c *Config) { c.Catalog = NewDBCatalog() })
	root := strings.TrimPrefix(e.acme.Root.URL(), "file://")
	write := func(name, text string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("db/tutorial/table1/definition.json", `{"input": [{"pattern": "file://sample/*.ndjson", "format": "json"}]}`)
	write("sample/test1.ndjson", "{\"value\": 1}\n{\"value\": 2}\n")
	sync := func(now time.Time) {
		t.Helper()
		res, err := db.Sync(context.Background(), e.acme.Root, e.acme.Key, "tutorial", "table1", db.SyncOptions{Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Published {
			t.Fatal("sync published no index")
		}
	}
	t1 := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	sync(t1)
	const q = "SELECT SUM(value) AS s FROM table1"
	r := e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json")
	r.expect(t, 200, `{"s": 3}`)
	etag := expectCacheable(t, r)
	if lm := r.header.Get("Last-Modified"); lm != t1.Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q", lm)
	}
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-None-Match: "+etag).expect(t, http.StatusNotModified)
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+t1.Format(http.TimeFormat)).expect(t, http.StatusNotModified)

	write("sample/test2.ndjson", "{\"value\": 3}\n")
	t2 := t1.Add(time.Hour)
	sync(t2)
	r = e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-None-Match: "+etag)
	r.expect(t, 200, `{"s": 6}`)
	if got := expectCacheable(t, r); got == etag {
		t.Fatal("same ETag after a sync")
	}
	if lm := r.header.Get("Last-Modified"); lm != t2.Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q after a sync", lm)
	}
	e.getQuery("GET", tokAcme, "tutorial", q, "Accept: application/json", "If-Modified-Since: "+t1.Format(http.TimeFormat)).expect(t, 200, `{"s": 6}`)
}

func TestETagListMatches(t *testing.T) {
	const tag = `"abc"`
	for _, c := range []struct {
		list string
		want bool
	}{
		{`"abc"`, true}, {`W/"abc"`, true}, {` "x" , "abc"`, true}, {`"x",W/"abc"`, true}, {`*`, true},
		{``, false}, {`"ab"`, false}, {`abc`, false}, {`"abc`, false}, {`W/`, false}, {`"x", junk, "y"`, false},
		{`junk, "abc"`, true}, {`"a,b", "abc"`, true}, {`"a,b"`, false},
	} {
		if got := etagListMatches(c.list, tag); got != c.want {
			t.Errorf("etagListMatches(%q) = %v, want %v", c.list, got, c.want)
		}
	}
}

// TestCacheKeyTables: the ETag depends on the set of table versions a query read, not on the
// order they were resolved in or on a table read twice (a self-join).
func TestCacheKeyTables(t *testing.T) {
	a := TableVersion{Database: "d", Table: "a", ETag: `"1"`}
	b := TableVersion{Database: "d", Table: "b", ETag: `"1"`}
	a2 := TableVersion{Database: "d", Table: "a", ETag: `"2"`}
	etag := func(tables ...TableVersion) string {
		k := cacheKey{tenant: "t", version: "v", sql: "SELECT 1", tables: tables, format: "json"}
		return k.etag()
	}
	ab := etag(a, b)
	for _, same := range [][]TableVersion{{b, a}, {a, b, a}, {b, a, b, a}} {
		if got := etag(same...); got != ab {
			t.Errorf("tables %v: %s, want %s", same, got, ab)
		}
	}
	for _, other := range [][]TableVersion{{a}, {a2, b}, {a, a2, b}, {TableVersion{Database: "e", Table: "a", ETag: `"1"`}, b}} {
		if got := etag(other...); got == ab {
			t.Errorf("tables %v have the ETag of %v", other, []TableVersion{a, b})
		}
	}
	in := []TableVersion{b, a, b}
	sortedTables(in)
	if in[0] != b || in[1] != a || in[2] != b {
		t.Errorf("sortedTables changed its input: %v", in)
	}
}
