package db

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseDefinitionFull(t *testing.T) {
	data, err := os.ReadFile("testdata/definitions/full.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDefinition("full.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Inputs) != 1 {
		t.Fatalf("inputs %+v", d.Inputs)
	}
	in := d.Inputs[0]
	if in.Pattern != "s3://src-bucket/logs/{yyyy}/{mm}/{dd}/*.json.gz" || in.Format != "json.gz" {
		t.Errorf("input %+v", in)
	}
	var hints []map[string]string
	if err := json.Unmarshal(in.Hints, &hints); err != nil || hints[0]["path"] != "ts" || hints[0]["hints"] != "unix_seconds" {
		t.Errorf("hints %s: %v", in.Hints, err)
	}
	if !reflect.DeepEqual(d.Partitions, []Partition{{Field: "date", Type: "date", Value: "$yyyy-$mm-$dd"}}) {
		t.Errorf("partitions %+v", d.Partitions)
	}
	if d.Retention == nil || d.Retention.Field != "timestamp" || d.Retention.ValidFor != (Period{Years: 1, Months: 6}) {
		t.Errorf("retention %+v", d.Retention)
	}
	if !reflect.DeepEqual(d.BetaFeatures, []string{"legacy-zstd"}) || d.SkipBackfill {
		t.Errorf("beta %v skip %v", d.BetaFeatures, d.SkipBackfill)
	}
}

// TestDefinitionRoundTrip parses every example, marshals it and parses it again.
func TestDefinitionRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("testdata/definitions/*.json")
	if len(files) < 4 {
		t.Fatalf("examples: %v", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		d, err := ParseDefinition(f, data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		d2, err := ParseDefinition(f+" (re-marshaled)", out)
		if err != nil {
			t.Errorf("%s re-marshaled: %v\n%s", f, err, out)
			continue
		}
		if d.Hash() != d2.Hash() {
			t.Errorf("%s: hash changed by a round trip", f)
		}
		if !bytes.Contains(out, []byte("\n\t\"input\": [")) {
			t.Errorf("%s: not tab-indented:\n%s", f, out)
		}
	}
}

func TestParseDefinitionErrors(t *testing.T) {
	cases := []struct {
		name, src string
		sentinel  error
		want      []string // substrings of the message
	}{
		{"inputs typo", `{"inputs": [{"pattern": "s3://b-1/x/*.json"}]}`, nil,
			[]string{"t.json:1:2:", `unknown key "inputs" (did you mean "input"?)`}},
		{"input key typo", "{\"input\": [\n  {\"patern\": \"s3://b-1/x/*.json\"}]}", nil,
			[]string{"t.json:2:4:", `input[0]: unknown key "patern" (did you mean "pattern"?)`}},
		{"unknown key far", `{"input": [], "foo": 1}`, nil, []string{`unknown key "foo" (known: input, partitions`}},
		{"unknown partition key", `{"partitions": [{"field": "a", "kind": "int"}]}`, nil,
			[]string{`partitions[0]: unknown key "kind"`}},
		{"unknown retention key", `{"retention_policy": {"field": "a", "valid": "1d"}}`, nil,
			[]string{`retention_policy: unknown key "valid" (did you mean "valid_for"?)`}},
		{"bad pattern", "{\"input\": [\n{\"pattern\": \"s3://b-1/x/**/*.json\"}]}", ErrBadPattern,
			[]string{"t.json:2:13:", "input[0].pattern:", "'**'"}},
		{"pattern without scheme", `{"input": [{"pattern": "x/*.json"}]}`, ErrBadPattern,
			[]string{"input[0].pattern", "want an s3://bucket/keys or file://keys URL"}},
		{"missing pattern", `{"input": [{"format": "json"}]}`, nil, []string{"input[0].pattern: required"}},
		{"bad bucket", `{"input": [{"pattern": "s3://Bad_Bucket/x/*.json"}]}`, ErrBadRoot,
			[]string{"input[0].pattern", "bucket name"}},
		{"unknown format", `{"input": [{"pattern": "s3://b-1/x/*", "format": "parquet"}]}`, ErrUnknownFormat,
			[]string{"input[0].format", `"parquet"`}},
		{"uninferable suffix", `{"input": [{"pattern": "s3://b-1/x/*.txt"}]}`, ErrUnknownFormat,
			[]string{"input[0].pattern", `".txt"`, "set \"format\""}},
		{"partition without field", `{"partitions": [{"type": "int"}]}`, ErrBadPartition,
			[]string{"partitions[0]", "field: required"}},
		{"duplicate partition field", `{"input": [{"pattern": "file://{a}/x.json"}], "partitions": [{"field": "a"}, {"field": "a"}]}`,
			ErrBadPartition, []string{"partitions[1]", "appears twice"}},
		{"bad partition type", `{"partitions": [{"field": "a", "type": "float"}]}`, ErrBadPartition,
			[]string{"partitions[0]", `type "float"`}},
		{"bad partition template", `{"partitions": [{"field": "a", "value": "$"}]}`, ErrBadTemplate,
			[]string{"partitions[0]", "at the end"}},
		{"partition field not a capture name", `{"partitions": [{"field": "a.b"}]}`, ErrBadPartition,
			[]string{"partitions[0]", "set \"value\""}},
		{"partition capture missing", `{"input": [{"pattern": "file://{yyyy}/x.json"}, {"pattern": "file://y/*.json"}], "partitions": [{"field": "yyyy"}]}`,
			ErrBadPartition, []string{"partitions[0]", "no capture {yyyy} in input[1].pattern"}},
		{"bad period", `{"retention_policy": {"field": "ts", "valid_for": "1x"}}`, ErrBadDuration,
			[]string{"retention_policy.valid_for", `"1x"`}},
		{"zero period", `{"retention_policy": {"field": "ts", "valid_for": "0y0d"}}`, ErrBadDuration,
			[]string{"retention_policy.valid_for", "zero"}},
		{"period order", `{"retention_policy": {"field": "ts", "valid_for": "6m1y"}}`, ErrBadDuration,
			[]string{"misplaced unit"}},
		{"retention without field", `{"retention_policy": {"valid_for": "1d"}}`, nil,
			[]string{"retention_policy.field: required"}},
		{"retention without period", `{"retention_policy": {"field": "ts"}}`, ErrBadDuration,
			[]string{"retention_policy.valid_for", "required"}},
		{"input not array", `{"input": {"pattern": "s3://b-1/x.json"}}`, nil, []string{"input: must be an array, not an object"}},
		{"pattern not string", `{"input": [{"pattern": 5}]}`, nil, []string{"input[0].pattern: must be a string, not a number"}},
		{"skip_backfill not bool", `{"skip_backfill": "yes"}`, nil, []string{"skip_backfill: must be true or false"}},
		{"beta not strings", `{"beta_features": [1]}`, nil, []string{"beta_features[0]: must be a string"}},
		{"empty beta", `{"beta_features": [""]}`, nil, []string{"beta_features[0]: empty feature name"}},
		{"duplicate key", `{"input": [], "input": []}`, nil, []string{`duplicate key "input"`}},
		{"syntax", "{\n  \"input\": [\n    {\"pattern\" \"x\"}]}", nil, []string{"t.json:3:", "syntax error"}},
		{"truncated", `{"input": [`, nil, []string{"unexpected end of JSON"}},
		{"empty", ``, nil, []string{"unexpected end of JSON"}},
		{"not an object", `[{"input": []}]`, nil, []string{"the definition must be an object, not an array"}},
		{"trailing data", `{"input": []} {}`, nil, []string{"unexpected an object after the definition"}},
		{"trailing garbage", `{"input": []} x`, nil, []string{"unexpected data after the definition"}},
		{"too large", `{"input": [], "beta_features": ["` + strings.Repeat("x", MaxDefinitionSize) + `"]}`, ErrTooLarge,
			[]string{"limit"}},
	}
	for _, c := range cases {
		_, err := ParseDefinition("t.json", []byte(c.src))
		if !errors.Is(err, ErrBadDefinition) {
			t.Errorf("%s: %v, want ErrBadDefinition", c.name, err)
			continue
		}
		if c.sentinel != nil && !errors.Is(err, c.sentinel) {
			t.Errorf("%s: %v does not wrap %v", c.name, err, c.sentinel)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", c.name, err, w)
			}
		}
	}
}

func TestParseDefinitionAccepts(t *testing.T) {
	for _, src := range []string{
		`{}`,
		`{"input": []}`,
		`{"input": null, "partitions": null, "retention_policy": null, "beta_features": null}`,
		`{"input": [{"pattern": "s3://b-1/x/*", "format": null, "hints": null}]}`,
		`{"input": [{"pattern": "file:///abs/dir/*.json"}]}`,
		`{"input": [{"pattern": "s3://b-1/x/*json.gz"}]}`,
		`{"input": [{"pattern": "s3://b-1/x/data.cloudtrail.json.gz"}]}`,
		`{"skip_backfill": true, "beta_features": ["anything-new"]}`,
		`{"retention_policy": {}}`,
	} {
		if _, err := ParseDefinition("t.json", []byte(src)); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

func TestDefinitionValidateInCode(t *testing.T) {
	d := &Definition{Inputs: []Input{{Pattern: "s3://b-1/{y}/*.json"}}, Partitions: []Partition{{Field: "y", Type: "int"}}}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	d.Partitions[0].Field = "z"
	err := d.Validate()
	if !errors.Is(err, ErrBadDefinition) || !errors.Is(err, ErrBadPartition) || !strings.Contains(err.Error(), "partitions[0]") {
		t.Errorf("validate: %v", err)
	}
}

func TestReadWriteDefinition(t *testing.T) {
	ctx := context.Background()
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := ReadDefinition(ctx, d, "logs", "events"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read of a missing definition: %v", err)
	}
	def := &Definition{
		Inputs:     []Input{{Pattern: "file://in/{day}/*.json", Hints: json.RawMessage(`{"ts":"datetime"}`)}},
		Partitions: []Partition{{Field: "day", Type: "date", Value: "$day"}},
		Retention:  &RetentionPolicy{Field: "ts", ValidFor: Period{Days: 30}},
	}
	if _, err := WriteDefinition(ctx, d, "logs", "events", def); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDefinition(ctx, d, "logs", "events")
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash() != def.Hash() {
		b1, _ := def.Marshal()
		b2, _ := got.Marshal()
		t.Errorf("read back a different definition:\n%s\n%s", b1, b2)
	}
	// An invalid definition is not written.
	bad := &Definition{Inputs: []Input{{Pattern: "nowhere"}}}
	if _, err := WriteDefinition(ctx, d, "logs", "bad", bad); !errors.Is(err, ErrBadDefinition) {
		t.Errorf("write of an invalid definition: %v", err)
	}
	// A stored invalid definition fails to read with the file named.
	if _, err := d.Put(ctx, "db/logs/typo/definition.json", strings.NewReader(`{"inputs": []}`), Always); err != nil {
		t.Fatal(err)
	}
	_, err = ReadDefinition(ctx, d, "logs", "typo")
	if !errors.Is(err, ErrBadDefinition) || !strings.Contains(err.Error(), d.URL()+"/db/logs/typo/definition.json:1:2") {
		t.Errorf("read of an invalid definition: %v", err)
	}
	for _, names := range [][2]string{{"", "t"}, {"d", ""}, {"a/b", "t"}, {"d", ".."}, {"d", ".sneller-x"}} {
		if _, err := DefinitionPath(names[0], names[1]); !errors.Is(err, ErrBadPath) {
			t.Errorf("definition path %q: %v", names, err)
		}
	}
	if p, err := DefinitionPath("logs", "events"); err != nil || p != "db/logs/events/definition.json" {
		t.Errorf("definition path %q, %v", p, err)
	}
}

func TestReadFileLimit(t *testing.T) {
	ctx := context.Background()
	d, err := OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	etag, _ := d.Put(ctx, "f", strings.NewReader("0123456789"), Always)
	data, info, err := ReadFile(ctx, d, "f", 10)
	if err != nil || string(data) != "0123456789" || info.ETag != etag {
		t.Errorf("read = %q %+v %v", data, info, err)
	}
	if _, _, err := ReadFile(ctx, d, "f", 9); !errors.Is(err, ErrTooLarge) {
		t.Errorf("read over the limit: %v", err)
	}
}

func FuzzDefinition(f *testing.F) {
	files, _ := filepath.Glob("testdata/definitions/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"inputs": []}`))
	f.Add([]byte(`{"retention_policy": {"field": "x", "valid_for": "1y2m3d"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDefinition("fuzz.json", data)
		if err != nil {
			if !errors.Is(err, ErrBadDefinition) {
				t.Fatalf("error %v does not wrap ErrBadDefinition", err)
			}
			return
		}
		out, err := d.Marshal()
		if err != nil {
			t.Fatalf("marshal a parsed definition: %v", err)
		}
		d2, err := ParseDefinition("again.json", out)
		if err != nil {
			t.Fatalf("re-parse of\n%s\n: %v", out, err)
		}
		if d.Hash() != d2.Hash() {
			t.Fatalf("round trip changed the definition:\n%s", out)
		}
		if _, err := d.Partitioner(); err != nil {
			t.Fatalf("valid definition without a partitioner: %v", err)
		}
	})
}
