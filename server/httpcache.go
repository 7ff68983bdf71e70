package server

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/sneller-re/sneller/vm"
)

// HTTP caching of query results (docs/http-api.md, "Caching"). A result is a function of the
// tenant, the normalized SQL text, the versions of the tables it reads, the output format and
// the stats flag, as long as the query calls no volatile function: such a result gets an
// ETag and a Last-Modified date, and conditional requests that match are answered 304 (GET,
// HEAD) or 412 (POST) without running the query.

// TableVersion identifies the version of a table a query resolved.
type TableVersion struct {
	Database, Table string
	// ETag is the ETag of the table's index: any change of the table (a sync that ingested
	// something, a compaction, an expiry) publishes a new index, so a new ETag.
	ETag string
	// Created is when that index was written.
	Created time.Time
}

// VersionedSource is implemented by the table sources (vm.Source) of a Catalog's environment
// whose tables have a version; DBCatalog's do. A query gets caching headers only when every
// table it reads has a version.
type VersionedSource interface {
	vm.Source
	TableVersion() TableVersion
}

// versionedSource attaches a version to a table's source.
type versionedSource struct {
	wrapped
	v TableVersion
}

func (s *versionedSource) TableVersion() TableVersion { return s.v }

// volatileNames are the functions whose result changes from one run to the next: UTCNOW (the
// planner's), and any registered function marked Volatile.
var volatileNames = func() []string {
	names := []string{"UTCNOW"}
	for _, n := range vm.FuncNames() {
		if f := vm.LookupFunc(n); f != nil && f.Volatile && n != "UTCNOW" {
			names = append(names, n)
		}
	}
	return names
}()

// isVolatile reports whether the normalized SQL text may call a volatile function. The check
// is textual and conservative: the name anywhere (in a string literal too) counts.
func isVolatile(normalized string) bool {
	up := strings.ToUpper(normalized)
	for _, n := range volatileNames {
		if strings.Contains(up, n) {
			return true
		}
	}
	return false
}

// cacheKey is what a cacheable result depends on.
type cacheKey struct {
	tenant      string
	version     string // the server's: results may differ between releases
	sql         string // normalized text
	tables      []TableVersion
	format      string
	contentType string
	stats       bool
}

// etag returns the quoted strong ETag of the result: the unpadded standard base64 of the
// SHA-256 of the key's parts, each followed by a zero byte.
func (k *cacheKey) etag() string {
	h := sha256.New()
	put := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	put("sneller-result-v1")
	put(k.tenant)
	put(k.version)
	put(k.sql)
	tables := sortedTables(k.tables)
	for _, t := range tables {
		put(t.Database + "/" + t.Table)
		put(t.ETag)
	}
	put(k.format)
	put(k.contentType)
	if k.stats {
		put("stats")
	} else {
		put("")
	}
	return `"` + base64.RawStdEncoding.EncodeToString(h.Sum(nil)) + `"`
}

// sortedTables returns the distinct versions, sorted by name and ETag.
func sortedTables(in []TableVersion) []TableVersion {
	cmpTables := func(a, b TableVersion) int {
		return cmp.Or(strings.Compare(a.Database, b.Database), strings.Compare(a.Table, b.Table), strings.Compare(a.ETag, b.ETag))
	}
	out := slices.SortedFunc(slices.Values(in), cmpTables)
	return slices.CompactFunc(out, func(a, b TableVersion) bool { return cmpTables(a, b) == 0 })
}

// lastModified is the newest Created time of the tables.
func lastModified(tables []TableVersion) time.Time {
	var t time.Time
	for _, v := range tables {
		if v.Created.After(t) {
			t = v.Created
		}
	}
	return t
}

// setCacheHeaders sets the headers of a cacheable result.
func setCacheHeaders(h http.Header, etag string, modified time.Time) {
	h.Set("ETag", etag)
	if !modified.IsZero() {
		h.Set("Last-Modified", modified.UTC().Format(http.TimeFormat))
	}
	h.Set("Cache-Control", "private, must-revalidate")
	h.Set("Vary", "Accept, Authorization")
}

// precondition evaluates If-None-Match and If-Modified-Since against a result's ETag and
// Last-Modified date. notModified reports that the client's copy is current (answer 304 to
// GET and HEAD, 412 to POST). badDate is set when If-Modified-Since, which was evaluated, is
// not an HTTP date.
func precondition(r *http.Request, etag string, modified time.Time) (notModified, badDate bool) {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		return etagListMatches(strings.Join(inm, ","), etag), false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false, false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false, true
	}
	if modified.IsZero() {
		return false, false
	}
	// HTTP dates have whole seconds: an index written within the second of the date is not
	// newer than it.
	return !modified.Truncate(time.Second).After(t), false
}

// etagListMatches reports whether an If-None-Match value (a comma-separated list of entity
// tags, or "*") matches etag, with the weak comparison (a W/ prefix is ignored).
func etagListMatches(list, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for len(list) > 0 {
		list = strings.TrimLeft(list, " \t,")
		if list == "" {
			break
		}
		if list[0] == '*' {
			return true
		}
		tag := list
		weak := strings.HasPrefix(tag, "W/")
		if weak {
			tag = tag[2:]
		}
		if !strings.HasPrefix(tag, `"`) {
			// not an entity tag: skip to the next comma
			i := strings.IndexByte(list, ',')
			if i < 0 {
				break
			}
			list = list[i+1:]
			continue
		}
		end := strings.IndexByte(tag[1:], '"')
		if end < 0 {
			break
		}
		tag = tag[:end+2]
		if tag == want {
			return true
		}
		n := len(tag)
		if weak {
			n += 2
		}
		list = list[n:]
	}
	return false
}
