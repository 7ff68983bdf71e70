package db

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPartitionerEval(t *testing.T) {
	p, err := NewPartitioner([]Partition{
		{Field: "region"},
		{Field: "day", Type: "date", Value: "$yyyy-$mm-$dd"},
		{Field: "year", Type: "int", Value: "${yyyy}"},
		{Field: "at", Type: "timestamp", Value: "${yyyy}-${mm}-${dd}T12:30:00+02:00"},
	})
	if err != nil {
		t.Fatal(err)
	}
	caps := Captures{{"region", "eu"}, {"yyyy", "2024"}, {"mm", "02"}, {"dd", "29"}}
	vals, path, err := p.Eval(caps)
	if err != nil {
		t.Fatal(err)
	}
	if path != "eu/2024-02-29/2024/2024-02-29T12:30:00+02:00" {
		t.Errorf("path %q", path)
	}
	if vals[0].Type != PartString || vals[0].Text != "eu" {
		t.Errorf("region %+v", vals[0])
	}
	if vals[1].Type != PartDate || !vals[1].Time.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("day %+v", vals[1])
	}
	if vals[2].Type != PartInt || vals[2].Int != 2024 {
		t.Errorf("year %+v", vals[2])
	}
	if vals[3].Type != PartDatetime || !vals[3].Time.Equal(time.Date(2024, 2, 29, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("at %+v", vals[3])
	}
	if n := p.Names(); strings.Join(n, ",") != "region,yyyy,mm,dd,yyyy,yyyy,mm,dd" {
		t.Errorf("names %q", n)
	}

	for _, c := range []struct {
		caps Captures
		msg  string
	}{
		{Captures{{"region", "eu"}, {"yyyy", "2023"}, {"mm", "02"}, {"dd", "29"}}, "not a valid date"},
		{Captures{{"region", "eu"}, {"yyyy", "20x4"}, {"mm", "02"}, {"dd", "01"}}, "not a valid date"},
		{Captures{{"region", ".."}, {"yyyy", "2024"}, {"mm", "02"}, {"dd", "01"}}, "valid path segment"},
		{Captures{{"yyyy", "2024"}, {"mm", "02"}, {"dd", "01"}}, `no capture named "region"`},
	} {
		if _, _, err := p.Eval(c.caps); !errors.Is(err, ErrBadPartition) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("eval %v: %v, want %q", c.caps, err, c.msg)
		}
	}
	intOnly, _ := NewPartitioner([]Partition{{Field: "n", Type: "int"}})
	if _, _, err := intOnly.Eval(Captures{{"n", "12a"}}); !errors.Is(err, ErrBadPartition) || !strings.Contains(err.Error(), "not a valid int") {
		t.Errorf("bad int: %v", err)
	}
	none, _ := NewPartitioner(nil)
	if v, path, err := none.Eval(nil); v != nil || path != "" || err != nil {
		t.Errorf("no partitions: %v %q %v", v, path, err)
	}
}

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		s    string
		want Period
	}{
		{"1y", Period{Years: 1}}, {"6m", Period{Months: 6}}, {"30d", Period{Days: 30}},
		{"1y6m", Period{1, 6, 0}}, {"1y2m3d", Period{1, 2, 3}}, {"2y1d", Period{Years: 2, Days: 1}},
		{"0y1d", Period{Days: 1}}, {"007d", Period{Days: 7}},
	} {
		got, err := ParsePeriod(c.s)
		if err != nil || got != c.want {
			t.Errorf("parse %q = %+v, %v; want %+v", c.s, got, err, c.want)
		}
		again, err := ParsePeriod(got.String())
		if err != nil || again != got {
			t.Errorf("%q: String %q does not parse back", c.s, got.String())
		}
	}
	for _, s := range []string{"", "1", "y", "1w", "1d1y", "1m1m", "0d", "0y0m0d", "-1d", "1.5y", "1y ", "999999999999d", "1Y"} {
		if _, err := ParsePeriod(s); !errors.Is(err, ErrBadDuration) {
			t.Errorf("parse %q: %v, want ErrBadDuration", s, err)
		}
	}
	now := time.Date(2024, 3, 31, 8, 0, 0, 0, time.UTC)
	if got := (Period{Years: 1, Months: 1}).Cutoff(now); !got.Equal(time.Date(2023, 3, 3, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("cutoff %v", got) // AddDate normalises Feb 31 2023 to Mar 3
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ key, want string }{
		{"a/b.json", "json"}, {"a/b.json.gz", "json.gz"}, {"x.json.zst", "json.zst"},
		{"trail/x.cloudtrail.json.gz", "cloudtrail.json.gz"}, {"x.csv", "csv"}, {"x.csv.gz", "csv.gz"},
		{"x.tsv.zst", "tsv.zst"}, {"x.txt", ""}, {"json", ""}, {"x.gz", ""}, {"x.JSON", ""},
	} {
		got, ok := FormatOf(c.key)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", c.key, got, ok, c.want)
		}
	}
	in := Input{}
	if f, err := in.FormatFor("a.cloudtrail.json.gz"); err != nil || f != "cloudtrail.json.gz" {
		t.Errorf("inferred %q %v", f, err)
	}
	if _, err := in.FormatFor("a.parquet"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("uninferable: %v", err)
	}
	in.Format = "json"
	if f, err := in.FormatFor("a.csv"); err != nil || f != "json" {
		t.Errorf("explicit format %q %v", f, err)
	}
	in.Format = "xml"
	if _, err := in.FormatFor("a.json"); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown explicit format: %v", err)
	}
}
