package server

import (
	"net/http"
	"strconv"
)

// Header names of the API.
const (
	HeaderQueryID         = "X-Sneller-Query-ID"
	HeaderVersion         = "X-Sneller-Version"
	HeaderMaxScannedBytes = "X-Sneller-Max-Scanned-Bytes"
)

// common sets the headers every response carries (the version and the original daemon's CORS
// headers) and answers OPTIONS on any path with an empty 200.
func (s *Server) common(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set(HeaderVersion, s.cfg.Version)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Set("Access-Control-Allow-Headers", "Accept, Authorization")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		h.Set("Access-Control-Expose-Headers", "Etag, "+HeaderMaxScannedBytes+", "+HeaderQueryID+", "+HeaderVersion)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusOK)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// counted records each request of a route in sneller_http_requests_total.
func (s *Server) counted(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.Status())).Inc()
	})
}

// statusWriter records the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Status returns the status sent (200 if the handler wrote nothing).
func (w *statusWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// textError answers with a status and a one-line plain-text message.
func textError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Del("Content-Length")
	w.WriteHeader(status)
	if msg != "" {
		w.Write([]byte(msg + "\n"))
	}
}
