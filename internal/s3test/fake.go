package s3test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// StartFake starts gofakes3 with an in-memory backend on 127.0.0.1:0, creates the buckets, and
// stops it when the test ends. gofakes3 accepts any credentials and does not check signatures;
// it honours If-None-Match and If-Match on PutObject but not If-Match on GetObject nor
// conditions on CompleteMultipartUpload (see docs/storage.md).
func StartFake(t testing.TB, buckets ...string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("s3test: listen: %v", err)
	}
	faker := gofakes3.New(s3mem.New(), gofakes3.WithTimeSkewLimit(0))
	srv := &http.Server{Handler: faker.Server(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	s := &Server{
		Kind:      "gofakes3",
		Endpoint:  "http://" + ln.Addr().String(),
		AccessKey: "fake-access-key",
		SecretKey: "fake-secret-key",
		Region:    Region,
	}
	for _, b := range buckets {
		s.MustCreateBucket(t, b)
	}
	return s
}
