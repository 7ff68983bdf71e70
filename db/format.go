package db

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sneller-re/sneller/ingest"
)

// Formats are the known input formats, named by the file suffix without its leading dot: the
// converter's [ingest.Formats].
var Formats = ingest.Formats

// KnownFormat reports whether f is one of [Formats].
func KnownFormat(f string) bool { return slices.Contains(Formats, f) }

// FormatOf infers the format of an object from its key: the longest known format whose
// suffix "."+format ends the key, so "x.cloudtrail.json.gz" is cloudtrail.json.gz (not
// json.gz) whatever the order of Formats ([ingest.FormatOf]).
func FormatOf(key string) (string, bool) { return ingest.FormatOf(key) }

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
