package server

import "net/http"

// lazyWriter is the body writer of a query response. The status line and headers go out with
// the first byte of the body, not before: until the output writer's buffer first fills (64
// KiB) or the result ends, an error can still be answered with a proper status (500 for a
// refused blob, 400 for the memory limit) instead of an in-stream error record.
type lazyWriter struct {
	w         http.ResponseWriter
	committed bool
	// trailers announces the Server-Timing trailer with the status (the client accepts
	// trailers).
	trailers bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.committed {
		l.committed = true
		if l.trailers {
			l.w.Header().Set("Trailer", "Server-Timing")
		}
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}
