package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Internode authentication. Replicas of one cluster share SNELLER_INDEX_KEY; the internode key
// is derived from it (HMAC-SHA256 keyed by the index key over a fixed label), so the index key
// itself never travels and a leaked internode key does not let anyone sign an index. Every
// internode request carries
//
//	Authorization: Sneller-HMAC t=<unix seconds>,mac=<hex HMAC-SHA256>
//
// where the MAC, keyed by the internode key, covers "sneller-internode-v1", the method, the
// request URI (path and query) and the timestamp, each followed by a newline. The receiver
// accepts timestamps within InternodeSkew of its clock. (The original daemon's internode port
// was unauthenticated.)
const (
	internodeLabel  = "sneller internode key v1"
	internodeScheme = "Sneller-HMAC"
	// InternodeSkew is the clock difference the internode check tolerates.
	InternodeSkew = time.Minute
)

// ErrInternodeAuth is wrapped by internode authentication failures.
var ErrInternodeAuth = errors.New("internode authentication failed")

// InternodeKey derives the internode key from the index key.
func InternodeKey(indexKey *[32]byte) *[32]byte {
	m := hmac.New(sha256.New, indexKey[:])
	m.Write([]byte(internodeLabel))
	var k [32]byte
	copy(k[:], m.Sum(nil))
	return &k
}

func internodeMAC(key *[32]byte, method, uri string, ts int64) []byte {
	m := hmac.New(sha256.New, key[:])
	fmt.Fprintf(m, "sneller-internode-v1\n%s\n%s\n%d\n", method, uri, ts)
	return m.Sum(nil)
}

// SignInternode adds the internode Authorization header to a request.
func SignInternode(r *http.Request, key *[32]byte, now time.Time) {
	ts := now.Unix()
	mac := internodeMAC(key, r.Method, r.URL.RequestURI(), ts)
	r.Header.Set("Authorization", fmt.Sprintf("%s t=%d,mac=%s", internodeScheme, ts, hex.EncodeToString(mac)))
}

// VerifyInternode checks a request's internode Authorization header.
func VerifyInternode(r *http.Request, key *[32]byte, now time.Time) error {
	h := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(h, internodeScheme+" ")
	if !ok {
		return fmt.Errorf("%w: no %s authorization", ErrInternodeAuth, internodeScheme)
	}
	var ts int64 = -1
	var mac []byte
	for _, kv := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err == nil {
				ts = n
			}
		case "mac":
			b, err := hex.DecodeString(v)
			if err == nil {
				mac = b
			}
		}
	}
	if ts < 0 || len(mac) != sha256.Size {
		return fmt.Errorf("%w: malformed authorization", ErrInternodeAuth)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > InternodeSkew || d < -InternodeSkew {
		return fmt.Errorf("%w: timestamp %d is %s away from this node's clock", ErrInternodeAuth, ts, d.Round(time.Second))
	}
	if !hmac.Equal(mac, internodeMAC(key, r.Method, r.URL.RequestURI(), ts)) {
		return fmt.Errorf("%w: bad MAC", ErrInternodeAuth)
	}
	return nil
}

// InternodeHandler returns the handler of the internode listener (-r). It serves
// GET /internode/ping, which answers {"version": ..., "cluster_size": N, "node": ID} to an
// authenticated peer (ID identifies this process, so that a node recognizes itself among its
// peers), and POST /internode/fragment, which runs a share of a distributed query (see
// internode_fragment.go); every request must carry a valid internode signature (401
// otherwise). Without an
// internode key every request is refused.
func (s *Server) InternodeHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.InternodeKey == nil {
			textError(w, http.StatusUnauthorized, "internode authentication is not configured")
			return
		}
		if err := VerifyInternode(r, s.cfg.InternodeKey, time.Now()); err != nil {
			s.metrics.authFailures.WithLabelValues("internode").Inc()
			s.log.Warn("internode request refused", "path", r.URL.Path, "remote", r.RemoteAddr, "error", err.Error())
			textError(w, http.StatusUnauthorized, err.Error())
			return
		}
		switch {
		case r.URL.Path == "/internode/ping" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			writeJSON(w, map[string]any{"version": s.cfg.Version, "cluster_size": s.clusterSize(), "node": s.nodeID})
		case r.URL.Path == "/internode/fragment" && r.Method == http.MethodPost:
			s.fragmentHandler(w, r)
		default:
			textError(w, http.StatusNotFound, "no such internode endpoint: "+r.URL.Path)
		}
	})
}
