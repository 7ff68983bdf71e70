// Package s3test starts S3-protocol servers on loopback for tests: gofakes3 in process
// ([StartFake]) for fast unit tests, and versitygw as a child process ([StartVersity]) for
// end-to-end tests that need a server checking SigV4 signatures. Both return a [Server] with
// what a test needs: endpoint, credentials, region, an SDK client and the environment for a
// child process.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Region is the region of the test servers.
const Region = "us-east-1"

// Server describes a running S3-protocol test server.
type Server struct {
	// Kind names the implementation: "gofakes3" or "versitygw".
	Kind string
	// Endpoint is the base URL, e.g. "http://127.0.0.1:40123".
	Endpoint string
	// AccessKey and SecretKey are credentials the server accepts.
	AccessKey, SecretKey string
	// Region is the region to sign for.
	Region string
	// ChecksSignatures reports whether the server rejects badly signed requests
	// (versitygw does, gofakes3 does not).
	ChecksSignatures bool
}

// Env returns the environment variables that point a child process (sdb, snellerd) at the
// server: S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and
// AWS_DEFAULT_REGION, with AWS_SESSION_TOKEN and AWS_PROFILE emptied and the shared files
// pointed at /dev/null so the user's own configuration cannot interfere.
func (s *Server) Env() []string {
	return []string{
		"S3_ENDPOINT=" + s.Endpoint,
		"AWS_ACCESS_KEY_ID=" + s.AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + s.SecretKey,
		"AWS_SESSION_TOKEN=",
		"AWS_REGION=" + s.Region,
		"AWS_DEFAULT_REGION=" + s.Region,
		"AWS_PROFILE=",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// Setenv sets the variables of Env for the duration of the test (t.Setenv, so the test must
// not be parallel).
func (s *Server) Setenv(t testing.TB) {
	t.Helper()
	for _, kv := range s.Env() {
		for i := 0; i < len(kv); i++ {
			if kv[i] == '=' {
				t.Setenv(kv[:i], kv[i+1:])
				break
			}
		}
	}
}

// AWSConfig returns an SDK configuration with the server's region and static credentials.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:      s.Region,
		Credentials: credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),
		HTTPClient:  &http.Client{Timeout: 2 * time.Minute},
	}
}

// Client returns an SDK client for the server (path-style addressing).
func (s *Server) Client() *s3.Client {
	return s.clientWith(s.AWSConfig())
}

func (s *Server) clientWith(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.Endpoint)
		o.UsePathStyle = true
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
}

// CreateBucket creates the bucket (an existing one owned by us is fine).
func (s *Server) CreateBucket(ctx context.Context, name string) error {
	_, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	var owned *types.BucketAlreadyOwnedByYou
	if errors.As(err, &owned) {
		return nil
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "BucketAlreadyOwnedByYou" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create bucket %s on %s: %w", name, s.Kind, err)
	}
	return nil
}

// MustCreateBucket is CreateBucket failing the test on error.
func (s *Server) MustCreateBucket(t testing.TB, name string) {
	t.Helper()
	if err := s.CreateBucket(context.Background(), name); err != nil {
		t.Fatal(err)
	}
}

// waitReady polls the endpoint until it answers an HTTP request (any status) or the deadline
// passes.
func waitReady(ctx context.Context, endpoint string, exited <-chan struct{}) error {
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer: %w", endpoint, err)
		case <-exited:
			return fmt.Errorf("server process exited before answering on %s", endpoint)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
