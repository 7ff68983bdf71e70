package server

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sneller-re/sneller/output"
)

// Media types of the query output.
const (
	mediaJSON      = "application/json"
	mediaNDJSON    = "application/x-ndjson"
	mediaJSONLines = "application/x-jsonlines"
	mediaIon       = "application/ion"
	mediaCSV       = "text/csv"
)

// supportedAccept lists the Accept values /query serves, for error messages.
const supportedAccept = "application/json, application/x-ndjson (or application/x-jsonlines), application/ion, text/csv"

// outputFormat is a negotiated output format and the Content-Type it is sent with.
type outputFormat struct {
	format      output.Format
	contentType string
}

// negotiate chooses the output format from the Accept header. A list of media ranges with
// q-values is honoured (the first supported type of the highest q wins); an empty header,
// `*/*` or `application/*` choose the original daemon's default: Ion, or ND-JSON when the
// request has the `json` parameter. Anything else is an error listing the supported types.
func negotiate(accept string, jsonParam bool) (outputFormat, error) {
	def := outputFormat{output.Ion, mediaIon}
	if jsonParam {
		def = outputFormat{output.NDJSON, mediaNDJSON}
	}
	accept = strings.TrimSpace(accept)
	if accept == "" {
		return def, nil
	}
	type rng struct {
		media string
		q     float64
	}
	var ranges []rng
	for _, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		media := strings.ToLower(strings.TrimSpace(fields[0]))
		if media == "" {
			continue
		}
		q := 1.0
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		if q > 0 {
			ranges = append(ranges, rng{media, q})
		}
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].q > ranges[j].q })
	for _, r := range ranges {
		switch r.media {
		case mediaJSON:
			return outputFormat{output.JSON, mediaJSON}, nil
		case mediaNDJSON, mediaJSONLines:
			return outputFormat{output.NDJSON, r.media}, nil
		case mediaIon:
			if jsonParam {
				return outputFormat{}, fmt.Errorf("the json parameter asks for ND-JSON but Accept asks for %s", mediaIon)
			}
			return outputFormat{output.Ion, mediaIon}, nil
		case mediaCSV:
			return outputFormat{output.CSV, mediaCSV + "; charset=utf-8"}, nil
		case "*/*", "application/*":
			return def, nil
		}
	}
	return outputFormat{}, fmt.Errorf("unsupported Accept %q: supported are %s", accept, supportedAccept)
}
