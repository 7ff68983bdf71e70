package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/sneller-re/sneller/internal/version"
)

// versionHandler serves GET /: the version and the cluster size, as text (the default) or
// JSON (Accept: application/json). No token is needed.
func (s *Server) versionHandler(w http.ResponseWriter, r *http.Request) {
	n := s.clusterSize()
	accept := strings.TrimSpace(r.Header.Get("Accept"))
	switch {
	case accept == "" || strings.Contains(accept, "text/plain") || strings.Contains(accept, "*/*") || strings.Contains(accept, "text/*"):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Sneller daemon %s (cluster size: %d nodes)\n", s.cfg.Version, n)
	case strings.Contains(accept, "application/json"):
		body, _ := json.Marshal(map[string]any{
			"version":      s.cfg.Version,
			"date":         version.Date(),
			"revision":     version.Revision(),
			"cluster_size": n,
		})
		w.Header().Set("Content-Type", "application/json")
		w.Write(append(body, '\n'))
	default:
		textError(w, http.StatusBadRequest, "unsupported Accept "+accept+": supported are text/plain and application/json")
	}
}

// pingHandler serves GET /ping: 200 "pong" (for probes; no token is needed).
func (s *Server) pingHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("pong\n"))
}

// clusterSize is the number of replicas: the peers discovered, at least one.
func (s *Server) clusterSize() int {
	if s.cfg.Peers == nil {
		return 1
	}
	return max(1, s.cfg.Peers.Count())
}
