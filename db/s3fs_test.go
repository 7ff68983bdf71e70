package db_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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

// BenchmarkS3FSReadRange measures ranged reads through the SDK against gofakes3 on loopback
// (client and HTTP overhead; the server is in the same process).
func BenchmarkS3FSReadRange(b *testing.B) {
	srv := s3test.StartFake(b)
	benchReadRange(b, newS3FS(b, srv, "bench"))
}

// rootHelperEnv makes the test binary a child process that opens the root named by the
// variable from its environment alone and writes one object, as sdb does.
const rootHelperEnv = "SNELLER_ROOT_HELPER"

func rootHelper(spec string) int {
	ctx := context.Background()
	root, err := db.OpenRoot(ctx, spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	etag, err := root.Put(ctx, "from-child", strings.NewReader("written by a child"), db.Always)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Print(etag)
	return 0
}

// TestS3EnvChildProcess: a child process configured only by Server.Env (S3_ENDPOINT,
// AWS_ACCESS_KEY_ID, ...) reaches the server, and against versitygw a wrong secret is refused.
func TestS3EnvChildProcess(t *testing.T) {
	for _, start := range []func(testing.TB, ...string) *s3test.Server{s3test.StartFake, s3test.StartVersity} {
		srv := start(t, "child-bucket")
		t.Run(srv.Kind, func(t *testing.T) {
			run := func(extra ...string) (string, error) {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(append(append(os.Environ(), srv.Env()...), rootHelperEnv+"=s3://child-bucket/pre"), extra...)
				out, err := cmd.CombinedOutput()
				return string(out), err
			}
			out, err := run()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			f := newS3FS(t, srv, "child-bucket")
			info, err := f.Stat(context.Background(), "pre/from-child")
			if err != nil || info.ETag != out {
				t.Fatalf("object written by the child: %+v %v (child said %q)", info, err, out)
			}
			if srv.ChecksSignatures {
				out, err := run("AWS_SECRET_ACCESS_KEY=wrong-secret")
				if err == nil || !strings.Contains(out, "SignatureDoesNotMatch") {
					t.Errorf("child with a wrong secret: %v\n%s", err, out)
				}
			}
		})
	}
}

// TestS3FSFailedMultipartAborted: a multipart put whose reader fails leaves no object and no
// pending upload.
func TestS3FSFailedMultipartAborted(t *testing.T) {
	ctx := context.Background()
	srv := s3test.StartFake(t)
	f := newS3FS(t, srv, "abort")
	boom := errors.New("source broke")
	r := io.MultiReader(io.LimitReader(zeroReader{}, 2*db.MinPartSize+100), iotest.ErrReader(boom))
	if _, err := f.Put(ctx, "big", r, db.Always); !errors.Is(err, boom) {
		t.Fatalf("put: %v, want the reader's error", err)
	}
	if _, err := f.Stat(ctx, "big"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed put left an object: %v", err)
	}
	ups, err := srv.Client().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("abort")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 0 {
		t.Errorf("%d multipart uploads left pending", len(ups.Uploads))
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
