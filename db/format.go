package db

import (
	"fmt"
	"strings"
)

// Formats are the known input formats, named by the file suffix without its leading dot.
var Formats = []string{
	"json", "json.gz", "json.zst",
	"cloudtrail.json.gz",
	"csv", "csv.gz", "csv.zst",
	"tsv", "tsv.gz", "tsv.zst",
}

// KnownFormat reports whether f is one of [Formats].
func KnownFormat(f string) bool {
	for _, k := range Formats {
		if k == f {
			return true
		}
	}
	return false
}

// FormatOf infers the format of an object from its key: the longest known format whose
// suffix "."+format ends the key, so "x.cloudtrail.json.gz" is cloudtrail.json.gz (not
// json.gz) whatever the order of Formats.
func FormatOf(key string) (string, bool) {
	best := ""
	for _, f := range Formats {
		if len(f) > len(best) && strings.HasSuffix(key, "."+f) {
			best = f
		}
	}
	return best, best != ""
}

// FormatFor returns the format of the object key read through this input: the explicit
// format if set, otherwise the one inferred from the key's suffix. It fails with
// [ErrUnknownFormat] when neither gives a known format.
func (in *Input) FormatFor(key string) (string, error) {
	if in.Format != "" {
		if !KnownFormat(in.Format) {
			return "", fmt.Errorf("%w %q", ErrUnknownFormat, in.Format)
		}
		return in.Format, nil
	}
	if f, ok := FormatOf(key); ok {
		return f, nil
	}
	return "", fmt.Errorf("%w: cannot infer the format of %q from its suffix (known: %s); set \"format\"",
		ErrUnknownFormat, key, strings.Join(Formats, ", "))
}

// inferableTail reports whether keys ending in the literal tail can have an inferable format:
// some known suffix "."+f either ends the tail or ends with it.
func inferableTail(tail string) bool {
	for _, f := range Formats {
		s := "." + f
		if strings.HasSuffix(tail, s) || strings.HasSuffix(s, tail) {
			return true
		}
	}
	return false
}
