package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/sneller-re/sneller/auth"
)

type tenantKey struct{}

// tenantOf returns the tenant authenticate stored in the request's context.
func tenantOf(ctx context.Context) *auth.Tenant {
	t, _ := ctx.Value(tenantKey{}).(*auth.Tenant)
	return t
}

// bearer extracts the token of an Authorization header. ok is false when the header is not
// of the form "Bearer <token>" (the scheme compared case-insensitively, as RFC 9110 says).
func bearer(h string) (token string, ok bool) {
	scheme, rest, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(rest, " ")
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// authenticate resolves the request's bearer token to a tenant: 401 without an Authorization
// header, 403 for a malformed header or a rejected token, 503 when the provider cannot decide.
// The token never reaches a log or a response.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			s.authFailed(r, "missing", nil)
			w.Header().Set("WWW-Authenticate", `Bearer realm="sneller"`)
			textError(w, http.StatusUnauthorized, "authorization required: send the header Authorization: Bearer <token>")
			return
		}
		token, ok := bearer(h)
		if !ok {
			s.authFailed(r, "malformed", nil)
			textError(w, http.StatusForbidden, "invalid authorization header format")
			return
		}
		t, err := s.cfg.Auth.Authorize(r.Context(), token)
		switch {
		case err == nil && t != nil:
		case err == nil || errors.Is(err, auth.ErrRejected):
			s.authFailed(r, "rejected", err)
			textError(w, http.StatusForbidden, "token not allowed")
			return
		default:
			s.authFailed(r, "unavailable", err)
			w.Header().Set("Retry-After", "5")
			textError(w, http.StatusServiceUnavailable, "authentication unavailable; retry later")
			return
		}
		if q := queryOf(r.Context()); q != nil {
			q.tenant = t.ID
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tenantKey{}, t)))
	})
}

func (s *Server) authFailed(r *http.Request, reason string, err error) {
	s.metrics.authFailures.WithLabelValues(reason).Inc()
	attrs := []any{"reason", reason, "path", r.URL.Path, "remote", clientAddr(r)}
	if err != nil {
		attrs = append(attrs, "error", err.Error())
	}
	if reason == "unavailable" {
		s.log.Error("authentication failed", attrs...)
		return
	}
	s.log.Warn("authentication failed", attrs...)
}

// clientAddr is the client's address: the last X-Forwarded-For entry (the one the nearest
// proxy added) if present, else the connection's remote address.
func clientAddr(r *http.Request) string {
	if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
		last := xff[len(xff)-1]
		if i := strings.LastIndexByte(last, ','); i >= 0 {
			last = last[i+1:]
		}
		if last = strings.TrimSpace(last); last != "" {
			return last
		}
	}
	return r.RemoteAddr
}
