package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/sneller-re/sneller/plan"
)

// writeJSON answers 200 with a JSON document and its length.
func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		textError(w, http.StatusInternalServerError, err.Error())
		return
	}
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// catalogError answers a catalog failure: 404 for a missing database or table, 500 otherwise.
func (s *Server) catalogError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, plan.ErrNotFound) {
		textError(w, http.StatusNotFound, what+": "+err.Error())
		return
	}
	s.log.Error("catalog", "path", r.URL.Path, "error", err.Error())
	if errors.Is(err, ErrBadIndex) {
		textError(w, http.StatusInternalServerError, "index refused: "+err.Error())
		return
	}
	textError(w, http.StatusInternalServerError, what+": "+err.Error())
}

// databasesHandler serves /databases: [{"name": "db1"}, ...], filtered by the LIKE pattern
// `pattern` when given.
func (s *Server) databasesHandler(w http.ResponseWriter, r *http.Request) {
	t := tenantOf(r.Context())
	dbs, err := s.cfg.Catalog.Databases(r.Context(), t)
	if err != nil {
		s.catalogError(w, r, "cannot list databases", err)
		return
	}
	pattern := r.URL.Query().Get("pattern")
	type entry struct {
		Name string `json:"name"`
	}
	out := []entry{}
	for _, d := range dbs {
		if likeMatch(pattern, d) {
			out = append(out, entry{d})
		}
	}
	writeJSON(w, out)
}

// tablesHandler serves /tables?database=: ["t1", ...], filtered by `pattern`.
func (s *Server) tablesHandler(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	database := params.Get("database")
	if database == "" {
		textError(w, http.StatusBadRequest, "no database")
		return
	}
	tables, err := s.cfg.Catalog.Tables(r.Context(), tenantOf(r.Context()), database)
	if err != nil {
		s.catalogError(w, r, "no such database "+strconv.Quote(database), err)
		return
	}
	pattern := params.Get("pattern")
	out := []string{}
	for _, t := range tables {
		if likeMatch(pattern, t) {
			out = append(out, t)
		}
	}
	writeJSON(w, out)
}

// inputsHandler serves /inputs?database=&table=: the source objects ingested into a table,
// in path order, as ND-JSON (the default) or a JSON array (Accept: application/json).
// `next=<path>` resumes after a path, `start=<path>` at it, `max=<n>` bounds the count.
func (s *Server) inputsHandler(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	database, table := params.Get("database"), params.Get("table")
	switch {
	case database == "":
		textError(w, http.StatusBadRequest, "no database")
		return
	case table == "":
		textError(w, http.StatusBadRequest, "no table")
		return
	case params.Has("next") && params.Has("start"):
		textError(w, http.StatusBadRequest, "give either next or start, not both")
		return
	}
	limit := -1
	if m := params.Get("max"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			textError(w, http.StatusBadRequest, "max is not an integer: "+strconv.Quote(m))
			return
		}
		if n >= 0 {
			limit = n
		}
	}
	asArray := false
	switch a := r.Header.Get("Accept"); a {
	case "", "*/*", mediaNDJSON, mediaJSONLines:
	case mediaJSON:
		asArray = true
	default:
		textError(w, http.StatusBadRequest, "unsupported Accept "+strconv.Quote(a)+": supported are application/x-ndjson and application/json")
		return
	}
	inputs, err := s.cfg.Catalog.Inputs(r.Context(), tenantOf(r.Context()), database, table)
	if err != nil {
		s.catalogError(w, r, "no such table "+strconv.Quote(database+"."+table), err)
		return
	}
	type record struct {
		Path     string `json:"path"`
		ETag     string `json:"etag"`
		Accepted bool   `json:"accepted"`
		Error    string `json:"error,omitempty"`
		Blob     string `json:"packfile,omitempty"`
	}
	var buf bytes.Buffer
	if asArray {
		buf.WriteByte('[')
	}
	n := 0
	next, start := params.Get("next"), params.Get("start")
	for _, in := range inputs {
		if (params.Has("next") && in.Path <= next) || (params.Has("start") && in.Path < start) {
			continue
		}
		if limit >= 0 && n >= limit {
			break
		}
		if asArray && n > 0 {
			buf.WriteByte(',')
		}
		b, _ := json.Marshal(record(in))
		buf.Write(b)
		buf.WriteByte('\n')
		n++
	}
	if asArray {
		buf.WriteString("]\n")
		w.Header().Set("Content-Type", mediaJSON)
	} else {
		w.Header().Set("Content-Type", mediaNDJSON)
	}
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}
