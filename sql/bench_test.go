package sql

import "testing"

// benchQuery is a typical dashboard query: a CTE, a filter on a timestamp range, an unnest,
// grouping, a window in HAVING and scalar subqueries.
const benchQuery = `WITH
  "$source" AS (SELECT * FROM logs AS s, s.record.tags AS tag
                WHERE s."timestamp" >= ` + "`2023-01-04T10:33:54.746Z`" + ` AND s."timestamp" <= ` + "`2023-01-05T10:33:54.746Z`" + `
                  AND tag.key = 'find-me' AND s.status IN (200, 204, 304)),
  kw AS (SELECT region, acct, COUNT(*) AS "$doc_count"
         FROM "$source"
         GROUP BY region, acct
         HAVING ROW_NUMBER() OVER (PARTITION BY region ORDER BY COUNT(*) DESC, acct DESC) <= 2
         ORDER BY COUNT(*) DESC, region DESC)
SELECT
  (SELECT COUNT(*) FROM "$source") AS "$total_count",
  (SELECT region, SUM(bytes) FILTER (WHERE method = 'GET') AS get_bytes,
          DATE_TRUNC(HOUR, "timestamp") AS hour, APPROX_COUNT_DISTINCT(client_ip) AS clients
   FROM "$source" WHERE path LIKE '/api/%' AND NOT (user_agent ILIKE '%bot%')
   GROUP BY region, DATE_TRUNC(HOUR, "timestamp") ORDER BY hour LIMIT 100) AS "$hits",
  (SELECT * FROM kw) AS "group0"`

func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchQuery)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchQuery); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLex(b *testing.B) {
	b.SetBytes(int64(len(benchQuery)))
	b.ReportAllocs()
	for b.Loop() {
		l := newLexer(benchQuery)
		for {
			t, err := l.next()
			if err != nil {
				b.Fatal(err)
			}
			if t.kind == tEOF {
				break
			}
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	st, err := Parse(benchQuery)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(benchQuery)))
	b.ReportAllocs()
	for b.Loop() {
		_ = st.String()
	}
}
