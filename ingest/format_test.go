package ingest

import (
	"errors"
	"testing"
)

func TestParseFormat(t *testing.T) {
	for _, name := range Formats {
		f, err := ParseFormat(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if f.String() != name {
			t.Errorf("%s parses as %s", name, f)
		}
	}
	want := map[string]Format{
		"json": {JSON, None}, "json.gz": {JSON, Gzip}, "json.zst": {JSON, Zstd},
		"cloudtrail.json.gz": {CloudTrail, Gzip}, "csv.zst": {CSV, Zstd}, "tsv": {TSV, None},
	}
	for name, w := range want {
		if f, _ := ParseFormat(name); f != w {
			t.Errorf("%s: got %+v, want %+v", name, f, w)
		}
	}
	for _, bad := range []string{"", "parquet", "json.bz2", "gz", "ion", "cloudtrail.json", "cloudtrail.json.zst", "JSON", ".json", "json.gz.gz"} {
		if _, err := ParseFormat(bad); !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%q: error %v, want ErrUnknownFormat", bad, err)
		}
	}
}

func TestFormatOf(t *testing.T) {
	cases := []struct{ name, want string }{
		{"s3://b/logs/2024/x.json", "json"},
		{"a/b.json.gz", "json.gz"},
		{"a/b.json.zst", "json.zst"},
		{"a/123_CloudTrail_us-east-1.cloudtrail.json.gz", "cloudtrail.json.gz"},
		{"x.csv", "csv"}, {"x.csv.gz", "csv.gz"}, {"x.tsv.zst", "tsv.zst"},
		{"x.parquet", ""}, {"json", ""}, {"x.jsonl", ""}, {"x.gz", ""},
	}
	for _, c := range cases {
		got, ok := FormatOf(c.name)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}
