package db_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"testing"

	"github.com/sneller-re/sneller/db"
	"github.com/sneller-re/sneller/db/dbtest"
	"github.com/sneller-re/sneller/internal/s3test"
)

// newS3FS returns an FS on a fresh bucket of srv with the smallest part size, so that the
// large-object test is a multipart upload.
func newS3FS(t testing.TB, srv *s3test.Server, bucket string) *db.S3FS {
	t.Helper()
	srv.MustCreateBucket(t, bucket)
	c := db.NewS3Client(db.S3Config{AWS: srv.AWSConfig(), Endpoint: srv.Endpoint, PartSize: db.MinPartSize})
	f, err := c.Open(bucket, "")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestS3FSConformanceFake(t *testing.T) {
	srv := s3test.StartFake(t)
	n := 0
	dbtest.TestFS(t, func(t *testing.T) db.FS {
		n++
		return newS3FS(t, srv, fmt.Sprintf("bucket-%d", n))
	}, dbtest.Options{NoConditionalMultipart: true})
}

// TestS3FSConformanceVersity runs the suite against versitygw, a server that checks SigV4
// signatures and honours conditional requests, and checks that a wrong secret is refused.
func TestS3FSConformanceVersity(t *testing.T) {
	srv := s3test.StartVersity(t)
	n := 0
	dbtest.TestFS(t, func(t *testing.T) db.FS {
		n++
		return newS3FS(t, srv, fmt.Sprintf("bucket-%d", n))
	}, dbtest.Options{})

	t.Run("WrongSecret", func(t *testing.T) {
		ctx := context.Background()
		good := newS3FS(t, srv, "signed")
		if _, err := good.Put(ctx, "k", strings.NewReader("v"), db.Always); err != nil {
			t.Fatal(err)
		}
		cfg := srv.AWSConfig()
		cfg.Credentials = credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey+"x", "")
		bad, err := db.NewS3Client(db.S3Config{AWS: cfg, Endpoint: srv.Endpoint}).Open("signed", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = bad.Stat(ctx, "k")
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("stat with a wrong secret: %v, want a refusal", err)
		}
		if _, err := bad.Put(ctx, "k2", strings.NewReader("v"), db.Always); err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
			t.Fatalf("put with a wrong secret: %v, want SignatureDoesNotMatch", err)
		}
		if _, err := good.Stat(ctx, "k2"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("a badly signed put created the object: %v", err)
		}
	})
}
