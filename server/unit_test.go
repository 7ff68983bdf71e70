package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sneller-re/sneller/output"
	"github.com/sneller-re/sneller/pack"
	"github.com/sneller-re/sneller/plan"
)

func TestNegotiate(t *testing.T) {
	tests := []struct {
		accept string
		json   bool
		want   output.Format
		ct     string
		bad    bool
	}{
		{"", false, output.Ion, mediaIon, false},
		{"", true, output.NDJSON, mediaNDJSON, false},
		{"*/*", false, output.Ion, mediaIon, false},
		{"*/*", true, output.NDJSON, mediaNDJSON, false},
		{"application/*", false, output.Ion, mediaIon, false},
		{"application/json", false, output.JSON, mediaJSON, false},
		{"application/json", true, output.JSON, mediaJSON, false},
		{"Application/JSON", false, output.JSON, mediaJSON, false},
		{"application/x-ndjson", false, output.NDJSON, mediaNDJSON, false},
		{"application/x-jsonlines", false, output.NDJSON, mediaJSONLines, false},
		{"application/ion", false, output.Ion, mediaIon, false},
		{"application/ion", true, "", "", true},
		{"text/csv", false, output.CSV, "text/csv; charset=utf-8", false},
		{"text/html", false, "", "", true},
		{"text/html, */*;q=0.1", false, output.Ion, mediaIon, false},
		{"application/ion;q=0.2, application/json;q=0.9", false, output.JSON, mediaJSON, false},
		{"application/json;q=0, text/csv", false, output.CSV, "text/csv; charset=utf-8", false},
		{"application/json;q=0", false, "", "", true},
		{"application/json; charset=utf-8", false, output.JSON, mediaJSON, false},
		{",,", false, "", "", true},
	}
	for _, tt := range tests {
		f, err := negotiate(tt.accept, tt.json)
		if tt.bad {
			if err == nil {
				t.Errorf("%q json=%v: accepted as %v", tt.accept, tt.json, f)
			}
			continue
		}
		if err != nil || f.format != tt.want || f.contentType != tt.ct {
			t.Errorf("%q json=%v: %v %q %v, want %v %q", tt.accept, tt.json, f.format, f.contentType, err, tt.want, tt.ct)
		}
	}
}

func TestLikeMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "anything", true},
		{"%", "", true},
		{"%", "abc", true},
		{"abc", "abc", true},
		{"abc", "abcd", false},
		{"a%", "abc", true},
		{"%c", "abc", true},
		{"%b%", "abc", true},
		{"a_c", "abc", true},
		{"a_c", "ac", false},
		{"a%b%c", "axxbyyc", true},
		{"a%b%c", "axxbyy", false},
		{"%%x", "x", true},
		{`a\%`, "a%", true},
		{`a\%`, "ab", false},
		{`a\_b`, "a_b", true},
		{`a\_b`, "axb", false},
		{"_", "é", true},
		{"t%1", "table1", true},
		{"t%1", "table12", false},
	}
	for _, tt := range tests {
		if got := likeMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("likeMatch(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
}

func TestBearer(t *testing.T) {
	tests := []struct {
		h, token string
		ok       bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"Bearer   abc", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic abc", "", false},
		{"Bearerabc", "", false},
		{"Bearer a b", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		tok, ok := bearer(tt.h)
		if ok != tt.ok || tok != tt.token {
			t.Errorf("bearer(%q) = %q, %v", tt.h, tok, ok)
		}
	}
}

func TestInternodeAuth(t *testing.T) {
	var ik [32]byte
	copy(ik[:], "index key index key index key 32")
	key := InternodeKey(&ik)
	if *key == ik {
		t.Fatal("the internode key is the index key")
	}
	now := time.Unix(1_700_000_000, 0)
	req := func() *http.Request {
		r, _ := http.NewRequest("GET", "http://peer:8001/internode/ping?x=1", nil)
		return r
	}
	r := req()
	SignInternode(r, key, now)
	if err := VerifyInternode(r, key, now.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	var other [32]byte
	bad := []struct {
		name string
		r    func() *http.Request
		at   time.Time
		key  *[32]byte
	}{
		{"other key", func() *http.Request { r := req(); SignInternode(r, InternodeKey(&other), now); return r }, now, key},
		{"stale", func() *http.Request { r := req(); SignInternode(r, key, now); return r }, now.Add(2 * InternodeSkew), key},
		{"future", func() *http.Request { r := req(); SignInternode(r, key, now.Add(2*InternodeSkew)); return r }, now, key},
		{"other path", func() *http.Request {
			r := req()
			SignInternode(r, key, now)
			r.URL.Path = "/internode/other"
			return r
		}, now, key},
		{"other method", func() *http.Request {
			r := req()
			SignInternode(r, key, now)
			r.Method = "POST"
			return r
		}, now, key},
		{"no header", req, now, key},
		{"bearer", func() *http.Request { r := req(); r.Header.Set("Authorization", "Bearer x"); return r }, now, key},
		{"garbage", func() *http.Request { r := req(); r.Header.Set("Authorization", "Sneller-HMAC t=x,mac=zz"); return r }, now, key},
	}
	for _, b := range bad {
		if err := VerifyInternode(b.r(), b.key, b.at); !errors.Is(err, ErrInternodeAuth) {
			t.Errorf("%s: %v", b.name, err)
		}
	}
}

func TestInternodeHandler(t *testing.T) {
	var ik [32]byte
	e := startServer(t, func(c *Config) { c.InternodeKey = InternodeKey(&ik) })
	h := e.srv.InternodeHandler()
	rec := func(r *http.Request) (int, string) {
		w := &recorder{header: http.Header{}}
		h.ServeHTTP(w, r)
		return w.status, w.body.String()
	}
	r, _ := http.NewRequest("GET", "/internode/ping", nil)
	if code, _ := rec(r); code != 401 {
		t.Fatalf("unsigned: %d", code)
	}
	SignInternode(r, InternodeKey(&ik), time.Now())
	if code, body := rec(r); code != 200 || !strings.Contains(body, `"cluster_size":1`) {
		t.Fatalf("signed: %d %s", code, body)
	}
	r, _ = http.NewRequest("GET", "/internode/nothing", nil)
	SignInternode(r, InternodeKey(&ik), time.Now())
	if code, _ := rec(r); code != 404 {
		t.Fatalf("unknown endpoint: %d", code)
	}
	// the internode listener does not serve the client API
	r, _ = http.NewRequest("GET", "/databases", nil)
	r.Header.Set("Authorization", "Bearer "+tokAcme)
	if code, _ := rec(r); code != 401 {
		t.Fatalf("client API on the internode handler: %d", code)
	}
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(c int) {
	if r.status == 0 {
		r.status = c
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(b)
}

func TestParsePeers(t *testing.T) {
	if p, err := ParsePeers("", nil); p != nil || err != nil {
		t.Fatalf("empty: %v %v", p, err)
	}
	p, err := ParsePeers("b:1, a:1,b:1", nil)
	if err != nil || p.Count() != 2 || strings.Join(p.Addrs(), " ") != "a:1 b:1" {
		t.Fatalf("static: %v %v", p, err)
	}
	for _, bad := range []string{"dns:", "dns:name", "dns::8001", "a", "a:1,b", ",", "host:"} {
		if _, err := ParsePeers(bad, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	p, err = ParsePeers("dns:localhost:8001", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Count() != 0 {
		t.Fatalf("resolved before Refresh: %d", p.Count())
	}
	if err := p.Refresh(context.Background()); err != nil {
		t.Skipf("no resolver for localhost here: %v", err)
	}
	if p.Count() < 1 {
		t.Fatalf("localhost resolved to %v", p.Addrs())
	}
	for _, a := range p.Addrs() {
		if !strings.HasSuffix(a, ":8001") {
			t.Fatalf("address %q", a)
		}
	}
	// a failed resolution keeps the previous set
	n := p.Count()
	p.dnsName = "no-such-host.invalid"
	if err := p.Refresh(context.Background()); err == nil {
		t.Fatal("resolved an .invalid name")
	}
	if p.Count() != n {
		t.Fatal("peers lost after a failed refresh")
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"", "*/*", "application/json", "text/html, */*;q=0.1", "application/ion;q=0.2, application/json;q=0.9", "a;q=x;;,",
		"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "application/x-ndjson; charset=utf-8"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, accept string, json bool) {
		of, err := negotiate(accept, json)
		if err == nil && of.contentType == "" {
			t.Fatalf("%q: a format without a content type", accept)
		}
	})
}

func FuzzLikeMatch(f *testing.F) {
	for _, s := range [][2]string{{"%", "abc"}, {"a_c", "abc"}, {`a\%`, "a%"}, {"%%x%", "yx"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		got := likeMatch(pattern, s)
		// a pattern without wildcards or escapes matches exactly itself
		if !strings.ContainsAny(pattern, `%_\`) && pattern != "" && got != (pattern == s) {
			t.Fatalf("likeMatch(%q, %q) = %v", pattern, s, got)
		}
		if likeMatch(pattern+"%", s+"tail") != true && got {
			t.Fatalf("%q matches %q but %q does not match %q", pattern, s, pattern+"%", s+"tail")
		}
	})
}

func FuzzVerifyInternode(f *testing.F) {
	for _, s := range []string{"", "Sneller-HMAC t=1,mac=00", "Sneller-HMAC t=1700000000,mac=" + strings.Repeat("ab", 32), "Bearer x"} {
		f.Add(s)
	}
	var key [32]byte
	f.Fuzz(func(t *testing.T, h string) {
		r, _ := http.NewRequest("GET", "http://x/internode/ping", nil)
		r.Header.Set("Authorization", h)
		if err := VerifyInternode(r, &key, time.Unix(1_700_000_000, 0)); err == nil {
			t.Fatalf("forged header %q accepted", h)
		}
	})
}

func FuzzBearer(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer  x", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Sneller-HMAC t=1,mac=00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := bearer(h)
		if ok && (tok == "" || strings.ContainsAny(tok, " \t") || !strings.HasSuffix(h, tok)) {
			t.Fatalf("bearer(%q) = %q", h, tok)
		}
	})
}

// TestScanBudget checks the run-time side of the scan limit: blocks opened are charged to the
// query's budget and the block that passes the limit fails with ErrScanLimit.
func TestScanBudget(t *testing.T) {
	var sb strings.Builder
	for i := 0; i < 100; i++ {
		sb.WriteString(`{"a": "some text to take room in the column"}` + "\n")
	}
	data, _ := packJSON(t, sb.String(), 10)
	blob, err := pack.Open(context.Background(), "b", pack.BytesFetcher(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	per := blob.Summary(0).Bytes(nil)
	env := &queryEnv{env: plan.MapEnv{"t": blob}, tenant: "x", limit: 3*per + per/2}
	src, err := env.Table(context.Background(), []string{"t"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, _, _, err := src.Open(context.Background(), i, nil); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
	}
	if _, _, _, err := src.Open(context.Background(), 3, nil); !errors.Is(err, ErrScanLimit) || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("block 3: %v", err)
	}
	// without a limit nothing is charged
	env = &queryEnv{env: plan.MapEnv{"t": blob}}
	src, _ = env.Table(context.Background(), []string{"t"})
	if _, ok := src.(*limitedSource); ok {
		t.Fatal("a source without a limit is wrapped")
	}
}
