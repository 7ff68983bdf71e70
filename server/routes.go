package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// routes builds the client API's router.
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.common)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		textError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		textError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
	})

	get := func(pattern, route string, h http.HandlerFunc) {
		c := s.counted(route, h)
		r.Method(http.MethodGet, pattern, c)
		r.Method(http.MethodHead, pattern, c)
	}
	// Without a token.
	get("/", "version", s.versionHandler)
	get("/ping", "ping", s.pingHandler)
	get("/metrics", "metrics", s.metrics.handler().ServeHTTP)

	// With a token.
	r.Group(func(r chi.Router) {
		r.Use(s.authenticate)
		for _, e := range []struct {
			pattern, route string
			h              http.HandlerFunc
		}{
			{"/databases", "databases", s.databasesHandler},
			{"/tables", "tables", s.tablesHandler},
			{"/inputs", "inputs", s.inputsHandler},
		} {
			c := s.counted(e.route, e.h)
			r.Method(http.MethodGet, e.pattern, c)
			r.Method(http.MethodHead, e.pattern, c)
		}
	})
	// Queries: the query ID and the query log wrap authentication, so that refused requests
	// carry an ID and are logged too.
	for _, p := range []string{"/query", "/executeQuery"} {
		h := s.counted("query", s.queryRequest(s.authenticate(http.HandlerFunc(s.queryHandler))))
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost} {
			r.Method(m, p, h)
		}
	}
	return r
}
