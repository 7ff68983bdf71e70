package db

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	sha256 "github.com/minio/sha256-simd"
)

// MaxDefinitionSize is the largest definition.json accepted.
const MaxDefinitionSize = 1 << 20

// Definition is a table's definition.json: where its source objects are and how rows are
// partitioned and retained.
//
//	{"input": [{"pattern": "s3://src/logs/{yyyy}/*.json.gz", "format": "json.gz", "hints": ...}],
//	 "partitions": [{"field": "year", "type": "int", "value": "$yyyy"}],
//	 "retention_policy": {"field": "timestamp", "valid_for": "1y6m"},
//	 "beta_features": [], "skip_backfill": false}
//
// Unlike the original, unknown keys are errors (the usual mistake is "inputs" for "input").
type Definition struct {
	// Inputs are the sources of the table (key "input").
	Inputs []Input `json:"input"`
	// Partitions split the table by values computed from pattern captures.
	Partitions []Partition `json:"partitions,omitempty"`
	// Retention, if set, drops rows older than a period.
	Retention *RetentionPolicy `json:"retention_policy,omitempty"`
	// BetaFeatures are opaque feature names, kept for the code that knows them.
	BetaFeatures []string `json:"beta_features,omitempty"`
	// SkipBackfill is accepted for compatibility.
	SkipBackfill bool `json:"skip_backfill,omitempty"`
}

// Input is one source of a table.
type Input struct {
	// Pattern is the URL of the objects: s3://bucket/keys or file://keys with the
	// pattern syntax of [CompilePattern] in the keys.
	Pattern string `json:"pattern"`
	// Format is one of [Formats]; empty means inferred from each object's key suffix.
	Format string `json:"format,omitempty"`
	// Hints is format-specific JSON, kept raw for the format's reader.
	Hints json.RawMessage `json:"hints,omitempty"`
}

// DefinitionPath returns the key of the definition of db.table: "db/<db>/<table>/definition.json".
// Each name must be a single valid path segment.
func DefinitionPath(db, table string) (string, error) {
	dir, err := TableDir(db, table)
	if err != nil {
		return "", err
	}
	return dir + "/definition.json", nil
}

// TableDir returns "db/<db>/<table>", the directory of a table's definition, index and packed
// blobs. Each name must be a single valid path segment.
func TableDir(db, table string) (string, error) {
	for _, n := range []struct{ what, name string }{{"database", db}, {"table", table}} {
		if n.name == "" {
			return "", fmt.Errorf("%w: empty %s name", ErrBadPath, n.what)
		}
		if err := ValidPath(n.name); err != nil || bytes.IndexByte([]byte(n.name), '/') >= 0 {
			return "", fmt.Errorf("%w: %s name %q must be one path segment", ErrBadPath, n.what, n.name)
		}
	}
	return "db/" + db + "/" + table, nil
}

// ParseDefinition parses and validates a definition.json. name (a path or URL) prefixes the
// messages. Errors wrap [ErrBadDefinition] (and the specific cause, such as [ErrBadPattern])
// and give the line, the column and the key path at fault:
//
//	db/logs/t/definition.json:2:3: input[0]: unknown key "patern" (did you mean "pattern"?)
func ParseDefinition(name string, data []byte) (*Definition, error) {
	if len(data) > MaxDefinitionSize {
		return nil, fmt.Errorf("%w: %s: %w: %d bytes, limit %d", ErrBadDefinition, name, ErrTooLarge, len(data), MaxDefinitionSize)
	}
	p := &defParser{name: name, src: data, offs: map[string]int64{}}
	p.dec = json.NewDecoder(bytes.NewReader(data))
	p.dec.UseNumber()
	d, err := p.definition()
	if err != nil {
		return nil, err
	}
	if err := d.validate(); err != nil {
		var fe *fieldError
		if errors.As(err, &fe) {
			return nil, p.errAt(p.offs[fe.path], fe.path, fe.err)
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrBadDefinition, name, err)
	}
	return d, nil
}

// fieldError is a validation failure of the value at a key path ("input[0].pattern").
type fieldError struct {
	path string
	err  error
}

func (e *fieldError) Error() string { return e.path + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// Validate checks a definition built in code by the rules ParseDefinition applies. Errors wrap
// [ErrBadDefinition] and name the key path at fault.
func (d *Definition) Validate() error {
	if err := d.validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrBadDefinition, err)
	}
	return nil
}

func (d *Definition) validate() error {
	var captures [][]string // per input
	for i := range d.Inputs {
		in := &d.Inputs[i]
		at := func(key string, err error) error {
			return &fieldError{path: fmt.Sprintf("input[%d].%s", i, key), err: err}
		}
		if in.Pattern == "" {
			return at("pattern", errors.New("required"))
		}
		scheme, rest, err := splitPatternURL(in.Pattern)
		if err != nil {
			return at("pattern", err)
		}
		if scheme == "s3" {
			bucket, keys, _ := cutSlash(rest)
			if err := ValidBucket(bucket); err != nil {
				return at("pattern", err)
			}
			rest = keys
		} else if len(rest) > 0 && rest[0] == '/' {
			rest = rest[1:]
		}
		pat, err := CompilePattern(rest)
		if err != nil {
			return at("pattern", err)
		}
		captures = append(captures, pat.Names())
		if in.Format != "" {
			if !KnownFormat(in.Format) {
				return at("format", fmt.Errorf("%w %q (known: %v)", ErrUnknownFormat, in.Format, Formats))
			}
		} else if tail := pat.LiteralSuffix(); tail != "" && !inferableTail(tail) {
			return at("pattern", fmt.Errorf("%w: keys ending in %q have no known format suffix; set \"format\"", ErrUnknownFormat, tail))
		}
		if len(in.Hints) > 0 && !json.Valid(in.Hints) {
			return at("hints", errors.New("not valid JSON"))
		}
	}
	part, err := NewPartitioner(d.Partitions)
	if err != nil {
		// NewPartitioner names the position; find it for the offset.
		for i := range d.Partitions {
			if _, e := compilePartition(d.Partitions[i], d.Partitions[:i]); e != nil {
				return &fieldError{path: fmt.Sprintf("partitions[%d]", i), err: e}
			}
		}
		return err
	}
	for i, c := range part.parts {
		for _, name := range c.tmpl.Names() {
			for j, caps := range captures {
				if !contains(caps, name) {
					return &fieldError{path: fmt.Sprintf("partitions[%d]", i),
						err: fmt.Errorf("%w: %s: no capture {%s} in input[%d].pattern %q", ErrBadPartition, c.field, name, j, d.Inputs[j].Pattern)}
				}
			}
		}
	}
	if r := d.Retention; r != nil {
		if r.Field == "" {
			return &fieldError{path: "retention_policy.field", err: errors.New("required")}
		}
		if r.ValidFor == (Period{}) {
			return &fieldError{path: "retention_policy.valid_for", err: fmt.Errorf("%w: required", ErrBadDuration)}
		}
		if _, err := ParsePeriod(r.ValidFor.String()); err != nil {
			return &fieldError{path: "retention_policy.valid_for", err: err}
		}
	}
	for i, f := range d.BetaFeatures {
		if f == "" {
			return &fieldError{path: fmt.Sprintf("beta_features[%d]", i), err: errors.New("empty feature name")}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cutSlash(s string) (before, after string, found bool) {
	if i := bytes.IndexByte([]byte(s), '/'); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// Partitioner returns the compiled partitions of a valid definition.
func (d *Definition) Partitioner() (*Partitioner, error) { return NewPartitioner(d.Partitions) }

// Marshal returns the definition as tab-indented JSON, the form WriteDefinition stores.
func (d *Definition) Marshal() ([]byte, error) {
	out, err := json.MarshalIndent(d, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Hash returns the SHA-256 of the definition's compact JSON encoding; it changes whenever a
// setting changes (sync restarts its scan then) and not with formatting of the stored file.
func (d *Definition) Hash() [32]byte {
	b, _ := json.Marshal(d)
	return sha256.Sum256(b)
}

// ReadDefinition reads and validates db/<db>/<table>/definition.json from fsys. A missing
// definition gives an error wrapping io/fs.ErrNotExist.
func ReadDefinition(ctx context.Context, fsys FS, db, table string) (*Definition, error) {
	p, err := DefinitionPath(db, table)
	if err != nil {
		return nil, err
	}
	data, _, err := ReadFile(ctx, fsys, p, MaxDefinitionSize)
	if err != nil {
		return nil, err
	}
	return ParseDefinition(fsys.URL()+"/"+p, data)
}

// WriteDefinition validates d and writes it (tab-indented JSON) to
// db/<db>/<table>/definition.json, returning the new ETag.
func WriteDefinition(ctx context.Context, fsys FS, db, table string, d *Definition) (string, error) {
	p, err := DefinitionPath(db, table)
	if err != nil {
		return "", err
	}
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("%s/%s: %w", fsys.URL(), p, err)
	}
	data, err := d.Marshal()
	if err != nil {
		return "", err
	}
	return fsys.Put(ctx, p, bytes.NewReader(data), Always)
}

// ReadFile reads a whole object, refusing one larger than limit bytes with an error wrapping
// [ErrTooLarge], and returns its content and the FileInfo of the version read.
func ReadFile(ctx context.Context, fsys FS, p string, limit int64) ([]byte, FileInfo, error) {
	rc, info, err := fsys.Open(ctx, p)
	if err != nil {
		return nil, FileInfo{}, err
	}
	defer rc.Close()
	if info.Size > limit {
		return nil, FileInfo{}, &fs.PathError{Op: "read", Path: fsys.URL() + "/" + p,
			Err: fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, info.Size, limit)}
	}
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, FileInfo{}, &fs.PathError{Op: "read", Path: fsys.URL() + "/" + p, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, FileInfo{}, &fs.PathError{Op: "read", Path: fsys.URL() + "/" + p,
			Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)}
	}
	if int64(len(data)) != info.Size {
		return nil, FileInfo{}, &fs.PathError{Op: "read", Path: fsys.URL() + "/" + p,
			Err: fmt.Errorf("read %d bytes of %d: %w", len(data), info.Size, io.ErrUnexpectedEOF)}
	}
	return data, info, nil
}
