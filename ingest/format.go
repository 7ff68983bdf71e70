package ingest

import (
	"fmt"
	"strings"
)

// Formats are the input format names, as `definition.json` spells them: the file suffix
// without its leading dot.
var Formats = []string{
	"json", "json.gz", "json.zst",
	"cloudtrail.json.gz",
	"csv", "csv.gz", "csv.zst",
	"tsv", "tsv.gz", "tsv.zst",
}

// Kind is the text syntax of an input, whatever its compression.
type Kind uint8

// The kinds of input text.
const (
	JSON       Kind = iota + 1 // ND-JSON, concatenated JSON values, or top-level arrays of rows
	CloudTrail                 // {"Records": [row, ...]}
	CSV                        // comma (or hinted separator) separated values, RFC 4180 quoting
	TSV                        // tab separated values, no quoting
)

var kindNames = [...]string{JSON: "json", CloudTrail: "cloudtrail.json", CSV: "csv", TSV: "tsv"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Compression is how the text of an input is compressed.
type Compression uint8

// The compressions.
const (
	None Compression = iota
	Gzip             // .gz: gzip (RFC 1952), possibly several members
	Zstd             // .zst: Zstandard frames
)

// Format is a parsed format name: the syntax of the text and its compression.
type Format struct {
	Kind        Kind
	Compression Compression
}

// String returns the format's name, one of [Formats].
func (f Format) String() string {
	s := f.Kind.String()
	switch f.Compression {
	case Gzip:
		s += ".gz"
	case Zstd:
		s += ".zst"
	}
	return s
}

// ParseFormat parses a format name (one of [Formats]). It fails with an error wrapping
// [ErrUnknownFormat] for anything else.
func ParseFormat(name string) (Format, error) {
	base, comp := name, None
	switch {
	case strings.HasSuffix(name, ".gz"):
		base, comp = name[:len(name)-3], Gzip
	case strings.HasSuffix(name, ".zst"):
		base, comp = name[:len(name)-4], Zstd
	}
	var f Format
	switch base {
	case "json":
		f = Format{JSON, comp}
	case "cloudtrail.json":
		if comp != Gzip { // CloudTrail delivers gzip only, and so does the original
			return Format{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownFormat, name, strings.Join(Formats, ", "))
		}
		f = Format{CloudTrail, comp}
	case "csv":
		f = Format{CSV, comp}
	case "tsv":
		f = Format{TSV, comp}
	default:
		return Format{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownFormat, name, strings.Join(Formats, ", "))
	}
	return f, nil
}

// FormatOf infers the format of an object from its name: the longest of [Formats] whose
// suffix "."+format ends the name, so "x.cloudtrail.json.gz" is cloudtrail.json.gz, not
// json.gz. It reports false when no format matches.
func FormatOf(name string) (string, bool) {
	best := ""
	for _, f := range Formats {
		if len(f) > len(best) && strings.HasSuffix(name, "."+f) {
			best = f
		}
	}
	return best, best != ""
}
